#include "controllers/MailActions.h"

#include "store/MailStore.h"

namespace wharf::controllers {

using store::MessageRecord;
using store::PendingAction;
using Kind = store::PendingAction::Kind;

// Who a message is on the server, now or once the queue is replayed (see MailActions.h).
struct MailActions::Identity
{
    enum class Where
    {
        Local,
        OnServer,
        MovePending,
        CopyPending,
        AppendPending,
    };
    Where where = Where::Local;
    // OnServer, MovePending, CopyPending: the mailbox's folder and the uid there.
    qint64 folderId = 0;
    quint32 uidValidity = 0;
    quint32 uid = 0;
    MessageFlags serverFlags; // what the server has for that uid
    qint64 actionId = 0;      // *Pending: the queued action
};

namespace {

Error noMessage(qint64 id)
{
    return Error(ErrorKind::Usage, QStringLiteral("No message with id %1 in this store").arg(id));
}

Error readRecords(store::MailStore *store, const QList<qint64> &ids, QList<MessageRecord> *records)
{
    records->clear();
    records->reserve(ids.size());
    for (qint64 id : ids) {
        std::optional<MessageRecord> record;
        if (Error error = store->message(id, &record))
            return error;
        if (!record)
            return noMessage(id);
        records->append(std::move(*record));
    }
    return {};
}

} // namespace

MailActions::MailActions(store::MailStore *store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{}

bool MailActions::mirrors(qint64 folderId) const
{
    const std::optional<store::FolderRecord> folder = m_store->folder(folderId);
    return folder && !folder->remoteName.isEmpty();
}

Error MailActions::loadInFlight()
{
    if (m_inFlight)
        return {};
    QList<PendingAction> actions;
    if (Error error = m_store->pendingActions().list(&actions))
        return error;
    QHash<qint64, PendingAction> byMessage;
    for (PendingAction &action : actions) {
        if (action.messageId > 0 &&
            (action.kind == Kind::Move || action.kind == Kind::Copy || action.kind == Kind::Append))
            byMessage.insert(action.messageId, std::move(action));
    }
    m_inFlight = std::move(byMessage);
    return {};
}

Error MailActions::identify(const MessageRecord &record, Identity *identity)
{
    *identity = {};
    if (record.remote.uid != 0 && mirrors(record.folderId)) {
        *identity = {Identity::Where::OnServer, record.folderId, record.remote.uidValidity,
                     record.remote.uid,         record.flags,    0};
        return {};
    }
    if (Error error = loadInFlight())
        return error;
    const auto found = m_inFlight->constFind(record.id);
    if (found == m_inFlight->cend())
        return {};
    const PendingAction &action = *found;
    if ((action.kind == Kind::Move || action.kind == Kind::Copy) &&
        action.targetFolderId == record.folderId && action.uids.size() == 1) {
        *identity = {action.kind == Kind::Move ? Identity::Where::MovePending
                                               : Identity::Where::CopyPending,
                     action.folderId,
                     action.uidValidity,
                     action.uids.first(),
                     action.flags,
                     action.id};
    } else if (action.kind == Kind::Append && action.folderId == record.folderId) {
        identity->where = Identity::Where::AppendPending;
        identity->actionId = action.id;
    }
    return {};
}

void MailActions::addFlagDifference(Batch &batch, qint64 folderId, quint32 uidValidity, quint32 uid,
                                    MessageFlags server, MessageFlags local)
{
    const MessageFlags added = local & ~server;
    const MessageFlags removed = server & ~local;
    if (added)
        batch.add[{folderId, uidValidity, added.toInt()}].append(uid);
    if (removed)
        batch.remove[{folderId, uidValidity, removed.toInt()}].append(uid);
}

Error MailActions::markRead(const QList<qint64> &ids)
{
    return changeFlags(ids, MessageFlag::Seen, {});
}

Error MailActions::markUnread(const QList<qint64> &ids)
{
    return changeFlags(ids, {}, MessageFlag::Seen);
}

Error MailActions::setFlagged(const QList<qint64> &ids, bool flagged)
{
    return flagged ? changeFlags(ids, MessageFlag::Flagged, {})
                   : changeFlags(ids, {}, MessageFlag::Flagged);
}

Error MailActions::changeFlags(const QList<qint64> &ids, MessageFlags add, MessageFlags remove)
{
    m_inFlight.reset();
    add &= ~remove;
    QList<MessageRecord> records;
    if (Error error = readRecords(m_store, ids, &records))
        return error;
    Batch batch;
    Error error;
    for (const MessageRecord &record : std::as_const(records)) {
        Identity identity;
        if ((error = identify(record, &identity)))
            break;
        if ((error = m_store->changeFlags(record.id, add, remove)))
            break;
        // Without a uid there is nothing to address yet: a pending move pushes the
        // difference once the server has moved it, a pending append carries the flags.
        if (identity.where != Identity::Where::OnServer)
            continue;
        if (add)
            batch.add[{identity.folderId, identity.uidValidity, add.toInt()}].append(identity.uid);
        if (remove) {
            batch.remove[{identity.folderId, identity.uidValidity, remove.toInt()}].append(
                identity.uid);
        }
    }
    return commit(batch, error);
}

Error MailActions::move(const QList<qint64> &ids, qint64 targetFolderId)
{
    m_inFlight.reset();
    const std::optional<store::FolderRecord> target = m_store->folder(targetFolderId);
    if (!target)
        return Error(ErrorKind::Usage, QStringLiteral("No folder with id %1").arg(targetFolderId));
    QList<MessageRecord> records;
    if (Error error = readRecords(m_store, ids, &records))
        return error;
    if (target->remoteName.isEmpty()) {
        for (const MessageRecord &record : std::as_const(records)) {
            if (!record.hasLocalCopy() && record.folderId != targetFolderId) {
                return Error(ErrorKind::Usage,
                             QStringLiteral("Message %1 has only its headers here; fetch it "
                                            "before moving it to the local folder %2")
                                 .arg(record.id)
                                 .arg(target->name));
            }
        }
    }
    Batch batch;
    Error error;
    for (const MessageRecord &record : std::as_const(records)) {
        if (record.folderId == targetFolderId)
            continue;
        if ((error = moveOne(record, targetFolderId, batch)))
            break;
    }
    return commit(batch, error);
}

Error MailActions::moveOne(const MessageRecord &record, qint64 targetFolderId, Batch &batch)
{
    Identity identity;
    if (Error error = identify(record, &identity))
        return error;
    if (Error error = m_store->move(record.id, targetFolderId))
        return error;
    const bool toServer = mirrors(targetFolderId);
    const auto queueMove = [&] {
        batch.ordered.append({.kind = Kind::Move,
                              .folderId = identity.folderId,
                              .uidValidity = identity.uidValidity,
                              .uids = {identity.uid},
                              .flags = identity.serverFlags,
                              .targetFolderId = targetFolderId,
                              .messageId = record.id});
    };
    const auto queueAppend = [&] {
        batch.ordered.append(
            {.kind = Kind::Append, .folderId = targetFolderId, .messageId = record.id});
    };
    switch (identity.where) {
    case Identity::Where::OnServer:
        if (toServer)
            queueMove();
        else
            batch.deletions[{identity.folderId, identity.uidValidity}].append(identity.uid);
        return {};
    case Identity::Where::MovePending:
        batch.withdrawn.append(identity.actionId);
        if (targetFolderId == identity.folderId) {
            // Back where the server still has it: it is that uid again.
            if (Error error = m_store->setRemoteUid(record.id, identity.uidValidity, identity.uid))
                return error;
            addFlagDifference(batch, identity.folderId, identity.uidValidity, identity.uid,
                              identity.serverFlags, record.flags);
        } else if (toServer) {
            queueMove();
        } else {
            batch.deletions[{identity.folderId, identity.uidValidity}].append(identity.uid);
        }
        return {};
    case Identity::Where::CopyPending:
    case Identity::Where::AppendPending:
        // A copy is uploaded from its own bytes: the original's uid may be gone by the time
        // a retargeted COPY would run.
        batch.withdrawn.append(identity.actionId);
        if (toServer)
            queueAppend();
        return {};
    case Identity::Where::Local:
        if (toServer)
            queueAppend();
        return {};
    }
    return {};
}

Error MailActions::copy(const QList<qint64> &ids, qint64 targetFolderId, QList<qint64> *newIds)
{
    m_inFlight.reset();
    if (newIds)
        newIds->clear();
    if (!m_store->folder(targetFolderId))
        return Error(ErrorKind::Usage, QStringLiteral("No folder with id %1").arg(targetFolderId));
    QList<MessageRecord> records;
    if (Error error = readRecords(m_store, ids, &records))
        return error;
    const bool toServer = mirrors(targetFolderId);
    Batch batch;
    Error error;
    for (const MessageRecord &record : std::as_const(records)) {
        Identity identity;
        if ((error = identify(record, &identity)))
            break;
        qint64 newId = 0;
        if ((error = m_store->copy(record.id, targetFolderId, &newId)))
            break;
        if (newIds)
            newIds->append(newId);
        if (!toServer)
            continue;
        if (identity.where == Identity::Where::OnServer) {
            batch.ordered.append({.kind = Kind::Copy,
                                  .folderId = identity.folderId,
                                  .uidValidity = identity.uidValidity,
                                  .uids = {identity.uid},
                                  .flags = record.flags,
                                  .targetFolderId = targetFolderId,
                                  .messageId = newId});
        } else {
            batch.ordered.append(
                {.kind = Kind::Append, .folderId = targetFolderId, .messageId = newId});
        }
    }
    return commit(batch, error);
}

Error MailActions::moveToTrash(const QList<qint64> &ids)
{
    const std::optional<store::FolderRecord> trash =
        m_store->folderForRole(store::FolderRole::Trash);
    if (!trash)
        return Error(ErrorKind::LocalFile, QStringLiteral("This account has no Trash folder"));
    QList<MessageRecord> records;
    if (Error error = readRecords(m_store, ids, &records))
        return error;
    QList<qint64> toTrash, inTrash;
    for (const MessageRecord &record : std::as_const(records))
        (record.folderId == trash->id ? inTrash : toTrash).append(record.id);
    if (Error error = move(toTrash, trash->id))
        return error;
    return deletePermanently(inTrash);
}

Error MailActions::deletePermanently(const QList<qint64> &ids)
{
    m_inFlight.reset();
    QList<MessageRecord> records;
    if (Error error = readRecords(m_store, ids, &records))
        return error;
    Batch batch;
    Error error;
    for (const MessageRecord &record : std::as_const(records)) {
        if ((error = deleteOne(record, batch)))
            break;
    }
    return commit(batch, error);
}

Error MailActions::deleteOne(const MessageRecord &record, Batch &batch)
{
    Identity identity;
    if (Error error = identify(record, &identity))
        return error;
    if (Error error = m_store->removePermanently(record.id))
        return error;
    switch (identity.where) {
    case Identity::Where::OnServer:
        batch.deletions[{identity.folderId, identity.uidValidity}].append(identity.uid);
        break;
    case Identity::Where::MovePending:
        // Never moved on the server: deleted where it is.
        batch.withdrawn.append(identity.actionId);
        batch.deletions[{identity.folderId, identity.uidValidity}].append(identity.uid);
        break;
    case Identity::Where::CopyPending:
    case Identity::Where::AppendPending:
        batch.withdrawn.append(identity.actionId);
        break;
    case Identity::Where::Local:
        break;
    }
    return {};
}

Error MailActions::append(qint64 folderId, const QByteArray &raw, MessageFlags flags, qint64 *id)
{
    if (!m_store->folder(folderId))
        return Error(ErrorKind::Usage, QStringLiteral("No folder with id %1").arg(folderId));
    store::AddOptions options;
    options.flags = flags;
    qint64 newId = 0;
    if (Error error = m_store->addMessage(folderId, raw, options, &newId))
        return error;
    if (id)
        *id = newId;
    if (!mirrors(folderId))
        return {};
    if (Error error = m_store->pendingActions().enqueue(
            {.kind = Kind::Append, .folderId = folderId, .messageId = newId}))
        return error;
    Q_EMIT actionsQueued();
    return {};
}

// The store has changed already; what the server must be told is queued now, even when a
// later message of the call failed, so that the queue matches what was done.
Error MailActions::commit(Batch &batch, const Error &error)
{
    store::PendingActions &queue = m_store->pendingActions();
    bool queued = false;
    Error failure;
    const auto enqueue = [&](const PendingAction &action) {
        if (failure)
            return;
        failure = queue.enqueue(action);
        queued = queued || !failure;
    };
    for (const auto &[key, uids] : batch.add) {
        const auto &[folderId, uidValidity, flags] = key;
        enqueue({.kind = Kind::AddFlags,
                 .folderId = folderId,
                 .uidValidity = uidValidity,
                 .uids = uids,
                 .flags = MessageFlags::fromInt(flags)});
    }
    for (const auto &[key, uids] : batch.remove) {
        const auto &[folderId, uidValidity, flags] = key;
        enqueue({.kind = Kind::RemoveFlags,
                 .folderId = folderId,
                 .uidValidity = uidValidity,
                 .uids = uids,
                 .flags = MessageFlags::fromInt(flags)});
    }
    for (const PendingAction &action : std::as_const(batch.ordered))
        enqueue(action);
    for (const auto &[key, uids] : batch.deletions) {
        const auto &[folderId, uidValidity] = key;
        enqueue({.kind = Kind::AddFlags,
                 .folderId = folderId,
                 .uidValidity = uidValidity,
                 .uids = uids,
                 .flags = MessageFlag::Deleted});
        enqueue({.kind = Kind::Expunge,
                 .folderId = folderId,
                 .uidValidity = uidValidity,
                 .uids = uids});
    }
    // Withdrawn last: a failure above leaves the old action, never neither.
    for (qint64 id : std::as_const(batch.withdrawn)) {
        if (failure)
            break;
        failure = queue.remove(id);
        queued = queued || !failure;
    }
    m_inFlight.reset();
    if (queued)
        Q_EMIT actionsQueued();
    return error ? error : failure;
}

} // namespace wharf::controllers
