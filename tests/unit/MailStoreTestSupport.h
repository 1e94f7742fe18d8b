#pragma once

// What the mail store tests share: messages to add, and a check that names the error.
#include "core/Error.h"
#include "store/MailStore.h"

#include <QByteArray>
#include <QDir>
#include <QTest>

namespace wharf::testing {

inline QByteArray makeMessage(const QByteArray &subject, const QByteArray &date,
                              const QByteArray &messageId, const QByteArray &body,
                              const QByteArray &extraHeaders = {})
{
    return "From: Alice Example <alice@example.org>\r\n"
           "To: Bob <bob@example.net>\r\n"
           "Subject: " +
           subject +
           "\r\n"
           "Date: " +
           date +
           "\r\n"
           "Message-ID: <" +
           messageId + ">\r\n" + extraHeaders + "\r\n" + body + "\r\n";
}

inline QStringList filesIn(const QString &directory)
{
    return QDir(directory).entryList(QDir::Files | QDir::Hidden);
}

inline qint64 folderIdOf(const store::MailStore &store, const QString &name)
{
    const std::optional<store::FolderRecord> folder = store.folder(name);
    return folder ? folder->id : 0;
}

} // namespace wharf::testing

#define VERIFY_OK(expression)                                                                      \
    do {                                                                                           \
        const wharf::Error error_ = (expression);                                                  \
        QVERIFY2(!error_, qPrintable(error_.message()));                                           \
    } while (false)
