#pragma once

#include "core/Error.h"
#include "core/MessageFlags.h"
#include "store/PendingActions.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>

#include <map>
#include <optional>
#include <tuple>

namespace wharf::store {
class MailStore;
struct MessageRecord;
} // namespace wharf::store

namespace wharf::controllers {

// What the UI and wharf-cli call to change mail. Each call changes the store at once (the
// user sees the result before the server does) and queues what the server must be told in
// the store's persistent queue, which ActionReplayer replays. Folders without a remote name
// are local only: changes there stay local.
//
// A message keeps one "server identity" while the queue is not yet replayed:
// - it has a uid in a folder that mirrors a mailbox: the uid names it;
// - it was moved (or copied) here locally and the Move (Copy) waits in the queue: it is
//   still the source's uid on the server; moving it again retargets that action (back to
//   its source: the action goes and the uid comes back), deleting it turns the action into
//   a delete in the source;
// - it waits for its Append: a move retargets the upload, a delete cancels it;
// - else it is local only, and an Append uploads it when it lands in a mirrored folder.
// Flag changes are queued only for messages with a uid. A moved message's flags changed
// before the server moved it are pushed after the move (the Move remembers the flags the
// server has); an Append carries the flags the message has when it is uploaded.
//
// Moves and copies are queued one message per action (the action names the local row, so
// COPYUID can give that row its new uid); the replayer sends consecutive ones as one command.
class MailActions : public QObject
{
    Q_OBJECT
public:
    explicit MailActions(store::MailStore *store, QObject *parent = nullptr);

    Error markRead(const QList<qint64> &ids);
    Error markUnread(const QList<qint64> &ids);
    Error setFlagged(const QList<qint64> &ids, bool flagged);
    Error changeFlags(const QList<qint64> &ids, MessageFlags add, MessageFlags remove);
    // A message whose body is not here cannot go to a local-only folder (it would be lost).
    Error move(const QList<qint64> &ids, qint64 targetFolderId);
    // newIds: the copies, in the order of ids (messages already in the target are skipped).
    Error copy(const QList<qint64> &ids, qint64 targetFolderId, QList<qint64> *newIds = nullptr);
    // Delete as the user means it: into Trash; what is in Trash already goes for good.
    Error moveToTrash(const QList<qint64> &ids);
    // Gone here at once; on the server marked \Deleted and expunged (only these uids when the
    // server has UIDPLUS).
    Error deletePermanently(const QList<qint64> &ids);
    // A new message (a sent one into Sent, a draft into Drafts): stored, then uploaded.
    Error append(qint64 folderId, const QByteArray &raw, MessageFlags flags, qint64 *id = nullptr);

Q_SIGNALS:
    // Something was queued for the server: a good moment to replay.
    void actionsQueued();

private:
    struct Identity;
    // The changes of one call, grouped by mailbox before they are queued.
    struct Batch
    {
        // (folder, uidValidity, flags) → uids
        std::map<std::tuple<qint64, quint32, unsigned>, QList<quint32>> add, remove;
        // (folder, uidValidity) → uids to delete on the server
        std::map<std::pair<qint64, quint32>, QList<quint32>> deletions;
        QList<store::PendingAction> ordered; // moves, copies, appends: as they came
        QList<qint64> withdrawn;             // actions made moot
    };

    Error identify(const store::MessageRecord &record, Identity *identity);
    Error loadInFlight();
    bool mirrors(qint64 folderId) const;
    Error moveOne(const store::MessageRecord &record, qint64 targetFolderId, Batch &batch);
    Error deleteOne(const store::MessageRecord &record, Batch &batch);
    static void addFlagDifference(Batch &batch, qint64 folderId, quint32 uidValidity, quint32 uid,
                                  MessageFlags server, MessageFlags local);
    Error commit(Batch &batch, const Error &error);

    store::MailStore *m_store;
    // Queued Move, Copy and Append actions by the local row they name; loaded once per call
    // when a message without a uid needs it.
    std::optional<QHash<qint64, store::PendingAction>> m_inFlight;
};

} // namespace wharf::controllers
