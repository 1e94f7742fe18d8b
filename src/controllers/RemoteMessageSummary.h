#pragma once

#include "core/MessageFlags.h"
#include "protocols/imap/FetchData.h"
#include "store/RemoteState.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

namespace wharf::controllers {

// One line of a server's message list, decoded for people: what `wharf-cli imap list` and
// the header part of a sync need from UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE.
struct RemoteMessageSummary
{
    quint32 uid = 0;
    MessageFlags flags;
    QStringList keywords; // flags that are not system flags: "$Forwarded", "$Junk", ...
    QDateTime internalDate;
    quint64 size = 0;
    QString from;    // "Name <address>", or the address alone
    QString to;      // the same, comma separated, To and Cc
    QString subject; // RFC 2047 decoded, control characters replaced
    QByteArray messageId;
    QByteArray inReplyTo;
};

RemoteMessageSummary summarize(const imap::FetchData &data);
// IMAP flag words to MessageFlags and keywords (\Recent is dropped: it means nothing to a
// client that keeps its own copy).
MessageFlags flagsFromImap(const QByteArrayList &flags, QStringList *keywords = nullptr);
QByteArrayList flagsToImap(MessageFlags flags);
// Keywords as the store keeps them: space-separated ("$Junk $label1").
QString keywordText(const QStringList &keywords);

// The fetch items a header sync asks for, and their rows for the store: headers only, with
// References from the one header field ENVELOPE leaves out (threads need it).
extern const char kHeaderSyncItems[];
store::RemoteHeaders toRemoteHeaders(const imap::FetchData &data, quint32 uidValidity);

} // namespace wharf::controllers
