#pragma once

// What tst_store_crash and its writer agree on: the folders, and messages that carry their
// own number and a checksum of their body, so a partial or mixed-up file is always noticed.

#include "core/MessageFlags.h"
#include "store/MaildirFolder.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QString>

namespace crash {

inline constexpr const char *kFolders[] = {"INBOX", "Archive", "Lists/Qt", "Trash"};

inline QByteArray messageId(qint64 number)
{
    return QByteArray::number(number) + "@crash.wharf.invalid";
}

// Bodies from a few dozen bytes to a few hundred KiB: big ones widen the window in which a
// kill lands mid-write.
inline QByteArray message(qint64 number)
{
    QRandomGenerator random(quint32(number * 2654435761u));
    const qsizetype size =
        random.bounded(10) == 0 ? 100'000 + random.bounded(200'000) : 40 + random.bounded(8'000);
    QByteArray body;
    body.reserve(size + 80);
    while (body.size() < size) {
        QByteArray line(20 + random.bounded(50), Qt::Uninitialized);
        for (char &c : line)
            c = char('a' + random.bounded(26));
        body += line + '\n';
    }
    const QByteArray sum = QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex();
    return "Subject: crash " + QByteArray::number(number) + "\nMessage-ID: <" + messageId(number) +
           ">\nX-Crash-Sum: " + sum + "\n\n" + body;
}

// The number of an intact message; -1 when the bytes are not one whole crash message.
inline qint64 verifiedNumber(const QByteArray &raw)
{
    const qsizetype split = raw.indexOf("\n\n");
    if (split < 0 || !raw.startsWith("Subject: crash "))
        return -1;
    const QByteArray header = raw.left(split);
    const qsizetype sumAt = header.indexOf("\nX-Crash-Sum: ");
    if (sumAt < 0)
        return -1;
    const QByteArray sum = header.mid(sumAt + 14);
    const QByteArray body = raw.mid(split + 2);
    if (QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex() != sum)
        return -1;
    bool ok = false;
    const qint64 number = header.mid(15, header.indexOf('\n') - 15).toLongLong(&ok);
    return ok ? number : -1;
}

inline qint64 numberFromSubject(const QString &subject)
{
    if (!subject.startsWith(QStringLiteral("crash ")))
        return -1;
    bool ok = false;
    const qint64 number = subject.mid(6).toLongLong(&ok);
    return ok ? number : -1;
}

inline QByteArray flagLetters(wharf::MessageFlags flags)
{
    const QByteArray letters = wharf::store::MaildirFolder::infoSuffix(flags).mid(3).toLatin1();
    return letters.isEmpty() ? QByteArray("-") : letters;
}

} // namespace crash
