#pragma once

#include "core/Error.h"
#include "core/MessageFlags.h"
#include "store/IndexDatabase.h"

#include <QList>
#include <QString>

namespace wharf::store {

// A change made locally that the server has not seen yet. Which fields matter depends on
// the kind:
//   AddFlags, RemoveFlags  folderId, uidValidity, uids, flags, extraFlags
//   Move, Copy             folderId, uidValidity, uids, targetFolderId
//   Expunge                folderId, uidValidity, uids (empty: the whole folder)
//   Append                 folderId, messageId (the local row to upload)
//   CreateFolder           name; folderId when the local folder exists already
//   DeleteFolder           name (the server's); folderId while the local folder exists
//   RenameFolder           folderId, name (the new one)
// A folder or message removed after its action was queued reads back as id 0 (the index
// sets the reference to NULL): what to do then is the replaying side's decision.
// Every member has an initializer, so designated initializers name only what a kind uses.
struct PendingAction
{
    enum class Kind
    {
        AddFlags,
        RemoveFlags,
        Move,
        Copy,
        Expunge,
        Append,
        CreateFolder,
        DeleteFolder,
        RenameFolder,
    };

    qint64 id = 0;
    Kind kind = Kind::AddFlags;
    qint64 folderId = 0;
    quint32 uidValidity = 0;
    QList<quint32> uids{}; // kept sorted and without repeats
    MessageFlags flags{};
    QString extraFlags{}; // keywords, space-separated
    qint64 targetFolderId = 0;
    qint64 messageId = 0;
    QString name{};
    int attempts = 0;
    QString lastError{};
    qint64 createdAt = 0; // ms since the epoch; enqueue() sets it when 0
};

// The persistent queue of PendingAction, a table of the account's index: it survives a
// dropped connection, a crash and a restart, and goes with the index it refers to. Each
// method is one statement, so it is atomic on its own and joins a transaction the caller
// has open. Uids are stored as an IMAP-style set ("1:5,7"): a move of 100,000 messages
// in one range is a few bytes.
class PendingActions
{
public:
    explicit PendingActions(IndexDatabase &database)
        : m_db(database)
    {}

    Error enqueue(const PendingAction &action, qint64 *id = nullptr);
    // Oldest first. With a folder id, the actions that read or change that folder (as
    // source or as target) only.
    Error list(QList<PendingAction> *actions, qint64 folderId = 0);
    Error count(qint64 *count);
    // The server did it: the action leaves the queue.
    Error complete(qint64 id);
    // The server refused or the connection dropped: counted, the message kept for the user.
    Error recordFailure(qint64 id, const QString &message);
    // Given up on (or made moot by a later action): leaves the queue without being done.
    Error remove(qint64 id);

    static QString uidSetText(QList<quint32> uids);
    // Malformed parts are skipped; a range is capped so a damaged row cannot exhaust memory.
    static QList<quint32> uidsFromText(QStringView text);

private:
    Error removeRow(qint64 id, const QString &purpose);

    IndexDatabase &m_db;
};

QString pendingActionKindName(PendingAction::Kind kind);

} // namespace wharf::store
