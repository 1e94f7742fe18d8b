// ActionReplayer: the run. Folder after folder, its own changes first, then its mailbox
// selected, the actions screened, grouped into commands and sent step by step.
#include "controllers/ActionReplayer.h"

#include "controllers/RemoteMessageSummary.h"
#include "protocols/imap/ImapSession.h"
#include "protocols/imap/commands/SelectCommand.h"
#include "store/MailStore.h"

namespace wharf::controllers {

using store::MessageRecord;
using store::PendingAction;
using Kind = store::PendingAction::Kind;

namespace {

bool needsSelection(Kind kind)
{
    return kind == Kind::AddFlags || kind == Kind::RemoveFlags || kind == Kind::Move ||
           kind == Kind::Copy || kind == Kind::Expunge;
}

bool isFolderChange(Kind kind)
{
    return kind == Kind::CreateFolder || kind == Kind::DeleteFolder || kind == Kind::RenameFolder;
}

// IMAP keywords of the store's extra flags; one-letter words are Maildir keyword letters,
// which mean something only to the Maildir that assigned them.
QByteArrayList keywordsOf(const QString &extraFlags)
{
    QByteArrayList keywords;
    for (QStringView word : QStringView(extraFlags).split(u' ', Qt::SkipEmptyParts)) {
        if (word.size() > 1)
            keywords.append(word.toUtf8());
    }
    return keywords;
}

} // namespace

ActionReplayer::ActionReplayer(store::MailStore *store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{}

ActionReplayer::~ActionReplayer() = default;

void ActionReplayer::replay(imap::ImapSession *session, qint64 folderId)
{
    start(session, folderId, false);
}

void ActionReplayer::replayAll(imap::ImapSession *session)
{
    start(session, 0, true);
}

void ActionReplayer::start(imap::ImapSession *session, qint64 folderId, bool all)
{
    if (m_running) {
        QMetaObject::invokeMethod(
            this,
            [this] {
                Q_EMIT finished(Error(ErrorKind::Usage,
                                      QStringLiteral("A replay of queued changes is running")));
            },
            Qt::QueuedConnection);
        return;
    }
    m_running = true;
    m_session = session;
    m_all = all;
    m_folders = all ? QList<qint64>() : QList<qint64>{folderId};
    m_attempted.clear();
    m_stopError = {};
    if (session) {
        // Commands die with their session without finishing: nothing would end the replay.
        connect(session, &QObject::destroyed, this, [this] {
            if (!m_running)
                return;
            for (ReplayJob *job : std::as_const(m_jobs))
                job->deleteLater();
            m_jobs.clear();
            m_fetches = 0;
            stop(Error(ErrorKind::Cancelled,
                       QStringLiteral("The IMAP session closed before the queued changes were "
                                      "sent")));
        });
    }
    QMetaObject::invokeMethod(this, &ActionReplayer::nextFolder, Qt::QueuedConnection);
}

bool ActionReplayer::sessionUsable() const
{
    return m_session && m_session->state() == imap::ImapSession::State::Ready;
}

void ActionReplayer::nextFolder()
{
    if (!m_running)
        return;
    if (!sessionUsable()) {
        finish(Error(ErrorKind::NetworkError,
                     QStringLiteral("Not connected to the server: the queued changes wait")));
        return;
    }
    if (m_folders.isEmpty() && m_all) {
        QList<PendingAction> actions;
        if (Error error = m_store->pendingActions().list(&actions)) {
            finish(error);
            return;
        }
        for (const PendingAction &action : std::as_const(actions)) {
            if (!m_attempted.contains(action.id) && !m_folders.contains(action.folderId))
                m_folders.append(action.folderId);
        }
    }
    if (m_folders.isEmpty()) {
        finish({});
        return;
    }
    m_folderId = m_folders.takeFirst();
    loadFolder();
}

// The folder's actions not tried yet in this run. The folder's own changes (create, rename,
// delete) go first, one at a time: what follows may need them.
void ActionReplayer::loadFolder()
{
    QList<PendingAction> listed;
    if (Error error = m_store->pendingActions().list(&listed, m_folderId)) {
        finish(error);
        return;
    }
    m_waiting.clear();
    m_steps.clear();
    for (PendingAction &action : listed) {
        if (action.folderId != m_folderId || m_attempted.contains(action.id))
            continue;
        m_attempted.insert(action.id);
        if (!isFolderChange(action.kind)) {
            m_waiting.append(std::move(action));
            continue;
        }
        ReplayGroup group;
        group.kind = action.kind;
        group.exclusive = true;
        group.targetWireName = m_session->mailboxWireName(action.name);
        if (action.kind == Kind::RenameFolder) {
            const std::optional<store::FolderRecord> folder = m_store->folder(action.folderId);
            if (!folder || folder->remoteName.isEmpty()) {
                if (Error error = dropUnreachable(
                        action, Error(ErrorKind::Usage,
                                      QStringLiteral("Folder %1 does not mirror a server mailbox: "
                                                     "there is nothing to rename there")
                                          .arg(folder ? folder->name : action.name)))) {
                    finish(error);
                    return;
                }
                continue;
            }
            group.sourceWireName = folder->remoteName;
        }
        group.actions.append(std::move(action));
        m_steps.append({std::move(group)});
    }
    if (m_steps.isEmpty() && m_waiting.isEmpty()) {
        nextFolder();
        return;
    }
    m_afterSteps = [this] {
        selectFolder();
    };
    nextStep();
}

void ActionReplayer::selectFolder()
{
    const std::optional<store::FolderRecord> folder = m_store->folder(m_folderId);
    m_wireName = folder ? folder->remoteName : QByteArray();
    bool needed = false;
    for (const PendingAction &action : std::as_const(m_waiting))
        needed = needed || needsSelection(action.kind);
    const imap::SelectedMailbox &selected = m_session->selectedMailbox();
    if (!needed || m_wireName.isEmpty() ||
        (selected.isValid() && selected.wireName == m_wireName && !selected.readOnly)) {
        screen(std::exchange(m_waiting, {}));
        return;
    }
    auto *select = new imap::SelectCommand(m_wireName);
    connect(select, &imap::ImapCommand::finished, this, [this, select] {
        if (!m_running)
            return;
        if (!select->error()) {
            screen(std::exchange(m_waiting, {}));
            return;
        }
        // Lost, or busy for now (RFC 5530): the changes wait for the next replay.
        if (!sessionUsable() || select->completion().code.is("INUSE") ||
            select->completion().code.is("UNAVAILABLE")) {
            stop(select->error());
            return;
        }
        // The mailbox is gone or cannot be opened: what needs it cannot be done. Uploads
        // into it may still recreate it ([TRYCREATE]).
        QList<PendingAction> rest;
        const Error refusal(select->error().kind(),
                            QStringLiteral("Cannot open the mailbox on the server: %1")
                                .arg(select->error().message()));
        for (const PendingAction &action : std::exchange(m_waiting, {})) {
            if (!needsSelection(action.kind)) {
                rest.append(action);
            } else if (Error error = dropUnreachable(action, refusal)) {
                stop(error);
                return;
            }
        }
        screen(rest);
    });
    m_session->enqueue(select);
}

// Sorts the folder's actions (its mailbox selected when they need it) into what can be sent,
// what cannot be any more, and what is moot; then sends the rest step by step.
void ActionReplayer::screen(QList<PendingAction> actions)
{
    const imap::SelectedMailbox &selected = m_session->selectedMailbox();
    store::PendingActions &queue = m_store->pendingActions();
    QList<PendingAction> ready;
    for (const PendingAction &action : std::as_const(actions)) {
        Error dropped;
        if (needsSelection(action.kind)) {
            if (m_wireName.isEmpty()) {
                dropped =
                    Error(ErrorKind::Usage,
                          m_folderId > 0 ? QStringLiteral("Its folder no longer mirrors a server "
                                                          "mailbox")
                                         : QStringLiteral("Its folder was deleted"));
            } else if (action.uidValidity != selected.uidValidity) {
                dropped = Error(ErrorKind::ProtocolError,
                                QStringLiteral("The server renumbered %1 (UIDVALIDITY %2, the "
                                               "change was made under %3): the change cannot be "
                                               "sent, and the folder is read again")
                                    .arg(QString::fromUtf8(m_wireName))
                                    .arg(selected.uidValidity)
                                    .arg(action.uidValidity));
            } else if (action.kind == Kind::Move || action.kind == Kind::Copy) {
                const std::optional<store::FolderRecord> target =
                    m_store->folder(action.targetFolderId);
                if (!target || target->remoteName.isEmpty()) {
                    // The message is still in this mailbox: the store is put back to that.
                    m_refused.append({action, Error(ErrorKind::Usage,
                                                    QStringLiteral("Its target folder no longer "
                                                                   "mirrors a server mailbox"))});
                    continue;
                }
            }
        } else if (action.kind == Kind::Append) {
            std::optional<MessageRecord> record;
            if (Error error = m_store->message(action.messageId, &record)) {
                stop(error);
                return;
            }
            // Deleted before it was uploaded, or uploaded already: nothing to do.
            if (!record || record->remote.uid != 0) {
                if (Error error = !record ? queue.remove(action.id) : queue.complete(action.id)) {
                    stop(error);
                    return;
                }
                continue;
            }
            const std::optional<store::FolderRecord> folder = m_store->folder(record->folderId);
            if (!folder || folder->remoteName.isEmpty()) {
                dropped = Error(ErrorKind::Usage,
                                QStringLiteral("Its folder no longer mirrors a server mailbox; "
                                               "the message stays here"));
            }
        }
        if (dropped) {
            if (Error error = dropUnreachable(action, dropped)) {
                stop(error);
                return;
            }
            continue;
        }
        ready.append(action);
    }

    // Steps: groups that share no uid and need no exclusivity run pipelined.
    Step current;
    imap::SequenceSet uids;
    qint64 appendBytes = 0;
    bool exclusive = false;
    for (ReplayGroup &group : groupActions(ready)) {
        const bool fits =
            current.isEmpty() || (!exclusive && !group.exclusive && !overlaps(uids, group.uids) &&
                                  appendBytes + group.messageSize <= kMaxAppendBytesPerStep);
        if (!fits) {
            m_steps.append(std::exchange(current, {}));
            uids = {};
            appendBytes = 0;
            exclusive = false;
        }
        unite(uids, group.uids);
        appendBytes += group.messageSize;
        exclusive = exclusive || group.exclusive;
        current.append(std::move(group));
    }
    if (!current.isEmpty())
        m_steps.append(std::move(current));
    // Then whatever this run queued for the folder meanwhile (flags of a message put back).
    m_afterSteps = [this] {
        loadFolder();
    };
    if (m_refused.isEmpty())
        nextStep();
    else
        correct();
}

bool ActionReplayer::joins(const ReplayGroup &group, const PendingAction &action) const
{
    const PendingAction &first = group.actions.first();
    if (first.kind != action.kind || first.uidValidity != action.uidValidity)
        return false;
    switch (action.kind) {
    case Kind::AddFlags:
    case Kind::RemoveFlags:
        return first.flags == action.flags && first.extraFlags == action.extraFlags;
    case Kind::Move:
    case Kind::Copy:
        return first.targetFolderId == action.targetFolderId;
    case Kind::Expunge:
        return !group.uids.isEmpty() && !action.uids.isEmpty();
    default:
        return false;
    }
}

QList<ReplayGroup> ActionReplayer::groupActions(const QList<PendingAction> &actions) const
{
    const bool uidPlus = m_session->hasCapability("UIDPLUS");
    QList<ReplayGroup> groups;
    for (const PendingAction &action : actions) {
        if (!groups.isEmpty() && joins(groups.last(), action)) {
            unite(groups.last().uids, imap::SequenceSet::fromList(action.uids));
            groups.last().actions.append(action);
            continue;
        }
        ReplayGroup group;
        group.kind = action.kind;
        group.actions = {action};
        group.uids = imap::SequenceSet::fromList(action.uids);
        switch (action.kind) {
        case Kind::AddFlags:
        case Kind::RemoveFlags:
            group.flags = flagsToImap(action.flags) + keywordsOf(action.extraFlags);
            break;
        case Kind::Move:
            group.exclusive = !m_session->hasCapability("MOVE") && !uidPlus;
            [[fallthrough]];
        case Kind::Copy:
            group.targetWireName = m_store->folder(action.targetFolderId)->remoteName;
            break;
        case Kind::Expunge:
            group.exclusive = action.uids.isEmpty() || !uidPlus;
            break;
        default:
            break;
        }
        if (action.kind == Kind::Append) {
            // Only the size now, to size the step; the bytes are read when it is sent.
            std::optional<MessageRecord> record;
            if (!m_store->message(action.messageId, &record) && record)
                group.messageSize = record->size;
        }
        groups.append(std::move(group));
    }
    return groups;
}

Error ActionReplayer::prepareAppend(ReplayGroup &group)
{
    const PendingAction &action = group.actions.first();
    std::optional<MessageRecord> record;
    if (Error error = m_store->message(action.messageId, &record))
        return error;
    if (!record)
        return Error(ErrorKind::Usage, QStringLiteral("The message to upload was deleted"));
    const std::optional<store::FolderRecord> folder = m_store->folder(record->folderId);
    if (!folder || folder->remoteName.isEmpty())
        return Error(ErrorKind::Usage, QStringLiteral("Its folder no longer mirrors a server "
                                                      "mailbox; the message stays here"));
    group.message = {};
    if (Error error = m_store->readMessage(record->id, &group.message))
        return error;
    group.targetWireName = folder->remoteName;
    group.flags = flagsToImap(record->flags) + keywordsOf(record->extraFlags);
    group.internalDate = QDateTime::fromMSecsSinceEpoch(record->internalDate, Qt::UTC);
    return {};
}

void ActionReplayer::nextStep()
{
    if (!m_running)
        return;
    if (m_steps.isEmpty()) {
        const std::function<void()> then = std::exchange(m_afterSteps, nullptr);
        if (then)
            then();
        else
            nextFolder();
        return;
    }
    Step step = m_steps.takeFirst();
    m_jobs.clear();
    for (ReplayGroup &group : step) {
        if (group.kind == Kind::Append) {
            if (Error error = prepareAppend(group)) {
                // The message stays here, local only; the user hears why.
                m_refused.append({group.actions.first(), error});
                continue;
            }
        }
        auto *job = new ReplayJob(m_session, std::move(group), this);
        connect(job, &ReplayJob::finished, this, &ActionReplayer::onJobFinished);
        m_jobs.append(job);
    }
    if (m_jobs.isEmpty()) {
        settleStep();
        return;
    }
    // A job may finish inside start() (a closed session): the step settles once all did.
    const QList<QPointer<ReplayJob>> jobs(m_jobs.cbegin(), m_jobs.cend());
    for (const QPointer<ReplayJob> &job : jobs) {
        if (job)
            job->start();
    }
}

void ActionReplayer::onJobFinished()
{
    if (m_jobs.isEmpty())
        return;
    for (const ReplayJob *job : std::as_const(m_jobs)) {
        if (!job->isFinished())
            return;
    }
    settleStep();
}

void ActionReplayer::stop(const Error &error)
{
    // Refusals not yet corrected stay queued: refused again next time, corrected then.
    for (const Refusal &refusal : std::exchange(m_refused, {}))
        m_store->pendingActions().recordFailure(refusal.action.id, refusal.error.message());
    finish(error);
}

void ActionReplayer::finish(const Error &error)
{
    if (!m_running)
        return;
    m_running = false;
    if (m_session)
        disconnect(m_session, &QObject::destroyed, this, nullptr);
    for (ReplayJob *job : std::exchange(m_jobs, {}))
        job->deleteLater();
    m_steps.clear();
    m_afterSteps = nullptr;
    m_waiting.clear();
    m_folders.clear();
    m_fetches = 0;
    Q_EMIT finished(error);
}

} // namespace wharf::controllers
