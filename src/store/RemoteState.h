#pragma once

// What the store keeps of a server it mirrors (IMAP), in store terms: the store never sees a
// protocol type. A folder mirrors at most one server mailbox; a server message (uidValidity,
// uid) has at most one row in its folder.
#include "core/MessageFlags.h"
#include "store/MessageRecord.h"

#include <QByteArray>
#include <QString>

namespace wharf::store {

struct RemoteFolderState
{
    QByteArray remoteName; // the server's mailbox name, as its bytes on the wire
    quint32 uidValidity = 0;
    quint32 uidNext = 0;
    quint64 highestModSeq = 0; // 0: unknown or the server has no CONDSTORE
    qint64 lastFullSync = 0;   // ms since the epoch; 0: never
};

// One message of a header sync: the record as the server describes it (remote id, flags,
// dates, envelope). Its words (subject and addresses) are indexed later, from the row.
struct RemoteHeaders
{
    MessageRecord record;
};

// What a diff with the server needs of one local row, and nothing more: a 100,000-message
// folder fits in a few megabytes.
struct RemoteMessageState
{
    qint64 id = 0;
    MessageFlags flags;
    QString extraFlags; // null when empty: no allocation for most messages
    bool hasLocalCopy = false;
};

// The flags a server reports for one of its messages (the whole set, not a delta). Extra
// flags are keywords, space-separated (see MaildirFolder::infoSuffix).
struct RemoteFlagChange
{
    quint32 uid = 0;
    MessageFlags flags;
    QString extraFlags;
};

} // namespace wharf::store
