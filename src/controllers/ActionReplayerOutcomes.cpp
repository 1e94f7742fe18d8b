// ActionReplayer: what becomes of each action once the server answered. Done actions leave
// the queue (moved, copied and uploaded rows get their new uid); refused ones are reported and
// the store is put back to what the server has; unreachable ones are dropped.
#include "controllers/ActionReplayer.h"

#include "controllers/RemoteMessageSummary.h"
#include "protocols/imap/ImapSession.h"
#include "protocols/imap/commands/FetchCommand.h"
#include "store/MailStore.h"

namespace wharf::controllers {

using store::MessageRecord;
using store::PendingAction;
using Kind = store::PendingAction::Kind;

void ActionReplayer::settleStep()
{
    const QList<ReplayJob *> jobs = std::exchange(m_jobs, {});
    store::PendingActions &queue = m_store->pendingActions();
    Error storeError;
    for (ReplayJob *job : jobs) {
        for (const PendingAction &action : job->group().actions) {
            Error error;
            switch (job->outcome(action, &error)) {
            case ReplayJob::Outcome::Done:
                if (!storeError)
                    storeError = settleDone(*job, action);
                break;
            case ReplayJob::Outcome::Refused:
                m_refused.append({action, error});
                break;
            case ReplayJob::Outcome::ConnectionLost:
                if (!storeError)
                    storeError = queue.recordFailure(action.id, error.message());
                if (!m_stopError)
                    m_stopError = error;
                break;
            }
        }
        job->deleteLater();
    }
    if (storeError || m_stopError) {
        stop(storeError ? storeError : m_stopError);
        return;
    }
    if (m_refused.isEmpty())
        nextStep();
    else
        correct();
}

Error ActionReplayer::settleDone(const ReplayJob &job, const PendingAction &action)
{
    switch (action.kind) {
    case Kind::Move:
    case Kind::Copy: {
        if (action.messageId <= 0 || action.uids.size() != 1)
            break;
        std::optional<MessageRecord> record;
        if (Error error = m_store->message(action.messageId, &record))
            return error;
        if (!record || record->folderId != action.targetFolderId || record->remote.uid != 0)
            break;
        const auto copied = job.copied().constFind(action.uids.first());
        if (copied == job.copied().cend()) {
            // The server did not say where it went: its copy, if any, comes with the target's
            // next sync, and two rows for one message would be worse than none for a moment.
            if (Error error = m_store->removePermanently(record->id))
                return error;
            break;
        }
        if (Error error = adoptUid(record->id, job.copyValidity(), *copied))
            return error;
        // Flags changed while it waited could not be sent without a uid: now they can.
        if (Error error = queueFlagDifference(action.targetFolderId, job.copyValidity(), *copied,
                                              action.flags, record->flags))
            return error;
        break;
    }
    case Kind::Append: {
        std::optional<MessageRecord> record;
        if (Error error = m_store->message(action.messageId, &record))
            return error;
        if (!record || record->remote.uid != 0)
            break;
        const std::optional<imap::CopyUidData> &appended = job.appendUid();
        if (appended && !appended->destinationUids.isEmpty()) {
            if (Error error =
                    adoptUid(record->id, appended->uidValidity, appended->destinationUids.first()))
                return error;
        } else if (Error error = m_store->removePermanently(record->id)) {
            return error;
        }
        break;
    }
    case Kind::CreateFolder:
    case Kind::RenameFolder:
    case Kind::DeleteFolder: {
        const std::optional<store::FolderRecord> folder = m_store->folder(action.folderId);
        if (!folder)
            break;
        store::RemoteFolderState state;
        if (Error error = m_store->remoteFolderState(folder->id, &state))
            return error;
        if (action.kind == Kind::DeleteFolder) {
            if (folder->remoteName != job.group().targetWireName)
                break;
            state = {};
        } else if (action.kind == Kind::CreateFolder && !folder->remoteName.isEmpty()) {
            break;
        } else {
            state.remoteName = job.group().targetWireName;
        }
        if (Error error = m_store->setRemoteFolderState(folder->id, state))
            return error;
        break;
    }
    default:
        break;
    }
    if (Error error = m_store->pendingActions().complete(action.id))
        return error;
    Q_EMIT actionReplayed(action);
    return {};
}

// A row the sync fetched for that uid meanwhile gives way to the local one, which has the
// user's flags (and maybe the body).
Error ActionReplayer::adoptUid(qint64 messageId, quint32 uidValidity, quint32 uid)
{
    std::optional<MessageRecord> record;
    if (Error error = m_store->message(messageId, &record))
        return error;
    if (!record)
        return {};
    std::optional<MessageRecord> holder;
    if (Error error = m_store->recordByUid(record->folderId, uidValidity, uid, &holder))
        return error;
    if (holder && holder->id != messageId) {
        if (Error error = m_store->removePermanently(holder->id))
            return error;
    }
    return m_store->setRemoteUid(messageId, uidValidity, uid);
}

Error ActionReplayer::queueFlagDifference(qint64 folderId, quint32 uidValidity, quint32 uid,
                                          MessageFlags server, MessageFlags local)
{
    store::PendingActions &queue = m_store->pendingActions();
    if (const MessageFlags added = local & ~server) {
        if (Error error = queue.enqueue({.kind = Kind::AddFlags,
                                         .folderId = folderId,
                                         .uidValidity = uidValidity,
                                         .uids = {uid},
                                         .flags = added}))
            return error;
    }
    if (const MessageFlags removed = server & ~local) {
        return queue.enqueue({.kind = Kind::RemoveFlags,
                              .folderId = folderId,
                              .uidValidity = uidValidity,
                              .uids = {uid},
                              .flags = removed});
    }
    return {};
}

// The action can never be sent: reported and dropped. Its rows are left for the sync to
// learn again, except a moved or copied row that has neither a uid nor a body: nothing
// could ever find it.
Error ActionReplayer::dropUnreachable(const PendingAction &action, const Error &error)
{
    if ((action.kind == Kind::Move || action.kind == Kind::Copy) && action.messageId > 0) {
        std::optional<MessageRecord> record;
        if (Error failure = m_store->message(action.messageId, &record))
            return failure;
        if (record && record->remote.uid == 0 && !record->hasLocalCopy()) {
            if (Error failure = m_store->removePermanently(record->id))
                return failure;
        }
    }
    if (Error failure = m_store->pendingActions().remove(action.id))
        return failure;
    Q_EMIT actionRefused(action, error);
    return {};
}

// After refusals: what the server has for those messages, fetched and put in the store;
// then the refused actions leave the queue. If the connection drops meanwhile they stay
// queued, to be refused (and corrected) next time.
void ActionReplayer::correct()
{
    imap::SequenceSet flagUids, headerUids;
    for (const Refusal &refusal : std::as_const(m_refused)) {
        const PendingAction &action = refusal.action;
        if (action.kind == Kind::AddFlags || action.kind == Kind::RemoveFlags) {
            unite(flagUids, imap::SequenceSet::fromList(action.uids));
        } else if (action.kind == Kind::Expunge) {
            unite(headerUids, imap::SequenceSet::fromList(action.uids));
        } else if (action.kind == Kind::Move) {
            std::optional<MessageRecord> record;
            if (action.messageId > 0) {
                if (Error error = m_store->message(action.messageId, &record)) {
                    stop(error);
                    return;
                }
            }
            // The moved row is gone here: the message comes back from the source.
            if (!record)
                unite(headerUids, imap::SequenceSet::fromList(action.uids));
        }
    }
    m_flagData.clear();
    m_headerData.clear();
    m_fetchError = {};
    QList<imap::FetchCommand *> fetches;
    for (const imap::SequenceSet &chunk : ReplayJob::chunks(flagUids)) {
        if (chunk.isEmpty())
            continue;
        auto *fetch = new imap::FetchCommand(chunk, "(UID FLAGS)");
        connect(fetch, &imap::FetchCommand::messageFetched, this,
                [this](const imap::FetchData &data) { m_flagData.append(data); });
        fetches.append(fetch);
    }
    for (const imap::SequenceSet &chunk : ReplayJob::chunks(headerUids)) {
        if (chunk.isEmpty())
            continue;
        auto *fetch = new imap::FetchCommand(chunk, kHeaderSyncItems);
        connect(fetch, &imap::FetchCommand::messageFetched, this,
                [this](const imap::FetchData &data) { m_headerData.append(data); });
        fetches.append(fetch);
    }
    if (fetches.isEmpty()) {
        applyCorrections();
        return;
    }
    m_fetches = int(fetches.size());
    for (imap::FetchCommand *fetch : std::as_const(fetches)) {
        connect(fetch, &imap::ImapCommand::finished, this, [this, fetch] {
            if (fetch->error() && !m_fetchError)
                m_fetchError = fetch->error();
            if (m_fetches == 0 || --m_fetches > 0 || !m_running)
                return;
            if (m_fetchError && !sessionUsable()) {
                stop(m_fetchError);
                return;
            }
            // A refused fetch corrects less; the next full sync does the rest.
            applyCorrections();
        });
    }
    for (imap::FetchCommand *fetch : std::as_const(fetches))
        m_session->enqueue(fetch);
}

void ActionReplayer::applyCorrections()
{
    const quint32 uidValidity = m_session ? m_session->selectedMailbox().uidValidity : 0;
    QList<store::RemoteFlagChange> changes;
    for (const imap::FetchData &data : std::as_const(m_flagData)) {
        if (!data.uid || !data.flags)
            continue;
        QStringList keywords;
        const MessageFlags system = flagsFromImap(*data.flags, &keywords);
        changes.append({*data.uid, system, keywordText(keywords)});
    }
    QList<store::RemoteHeaders> batch;
    for (const imap::FetchData &data : std::as_const(m_headerData)) {
        if (data.uid)
            batch.append(toRemoteHeaders(data, uidValidity));
    }
    m_flagData.clear();
    m_headerData.clear();
    Error error;
    if (!changes.isEmpty())
        error = m_store->applyRemoteFlags(m_folderId, uidValidity, changes);
    if (!error && !batch.isEmpty())
        error = m_store->addRemoteHeaders(m_folderId, batch);
    const QList<Refusal> refused = std::exchange(m_refused, {});
    for (qsizetype i = 0; !error && i < refused.size(); ++i) {
        error = undo(refused[i]);
        if (!error)
            error = m_store->pendingActions().remove(refused[i].action.id);
        if (!error)
            Q_EMIT actionRefused(refused[i].action, refused[i].error);
    }
    if (error) {
        stop(error);
        return;
    }
    nextStep();
}

// What only the store can put back: a moved message returns to its mailbox and uid (its
// flags changed meanwhile queued for it there); a copy the server never made goes.
Error ActionReplayer::undo(const Refusal &refusal)
{
    const PendingAction &action = refusal.action;
    if ((action.kind != Kind::Move && action.kind != Kind::Copy) || action.messageId <= 0 ||
        action.uids.size() != 1)
        return {};
    std::optional<MessageRecord> record;
    if (Error error = m_store->message(action.messageId, &record))
        return error;
    if (!record || record->folderId != action.targetFolderId || record->remote.uid != 0)
        return {};
    if (action.kind == Kind::Copy)
        return m_store->removePermanently(record->id);
    if (Error error = m_store->move(record->id, action.folderId))
        return error;
    if (Error error = adoptUid(record->id, action.uidValidity, action.uids.first()))
        return error;
    return queueFlagDifference(action.folderId, action.uidValidity, action.uids.first(),
                               action.flags, record->flags);
}

} // namespace wharf::controllers
