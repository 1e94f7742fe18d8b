#include "controllers/ActionReplayJob.h"

#include "protocols/imap/ImapSession.h"
#include "protocols/imap/commands/AppendCommand.h"
#include "protocols/imap/commands/CopyMoveCommands.h"
#include "protocols/imap/commands/ExpungeCommand.h"
#include "protocols/imap/commands/MailboxCommand.h"
#include "protocols/imap/commands/MoveOperation.h"
#include "protocols/imap/commands/StoreFlagsCommand.h"

namespace wharf::controllers {

using Kind = store::PendingAction::Kind;
using imap::SequenceSet;

bool overlaps(const SequenceSet &a, const SequenceSet &b)
{
    const QList<SequenceSet::Range> &left = a.ranges();
    const QList<SequenceSet::Range> &right = b.ranges();
    qsizetype i = 0, j = 0;
    while (i < left.size() && j < right.size()) {
        if (left[i].last < right[j].first)
            ++i;
        else if (right[j].last < left[i].first)
            ++j;
        else
            return true;
    }
    return false;
}

void unite(SequenceSet &set, const SequenceSet &more)
{
    for (const SequenceSet::Range &range : more.ranges())
        set.addRange(range.first, range.last);
}

QList<SequenceSet> ReplayJob::chunks(const SequenceSet &uids)
{
    QList<SequenceSet> result;
    SequenceSet current;
    qsizetype ranges = 0;
    for (const SequenceSet::Range &range : uids.ranges()) {
        if (ranges == kMaxRangesPerCommand) {
            result.append(current);
            current = {};
            ranges = 0;
        }
        current.addRange(range.first, range.last);
        ++ranges;
    }
    if (!current.isEmpty() || result.isEmpty())
        result.append(current);
    return result;
}

ReplayJob::ReplayJob(imap::ImapSession *session, ReplayGroup group, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_group(std::move(group))
{
    const auto addPart = [this](const SequenceSet &uids) {
        Part part;
        part.uids = uids;
        m_parts.append(part);
    };
    switch (m_group.kind) {
    case Kind::AddFlags:
    case Kind::RemoveFlags:
    case Kind::Move:
    case Kind::Copy:
        for (const SequenceSet &chunk : chunks(m_group.uids))
            addPart(chunk);
        break;
    case Kind::Expunge:
        if (m_group.exclusive) {
            addPart(m_group.uids);
        } else {
            for (const SequenceSet &chunk : chunks(m_group.uids))
                addPart(chunk);
        }
        break;
    case Kind::Append:
    case Kind::CreateFolder:
    case Kind::DeleteFolder:
    case Kind::RenameFolder:
        addPart({});
        break;
    }
}

bool ReplayJob::sessionUsable() const
{
    return m_session && m_session->state() == imap::ImapSession::State::Ready;
}

void ReplayJob::start()
{
    startRound();
}

void ReplayJob::startRound()
{
    QList<qsizetype> toStart;
    for (qsizetype i = 0; i < m_parts.size(); ++i) {
        if (!m_parts[i].finished)
            toStart.append(i);
    }
    // All marked first: a command failing inside enqueue() (a closed session) must not end
    // the round while the others are still to be sent.
    for (qsizetype i : std::as_const(toStart))
        m_parts[i].running = true;
    for (qsizetype i : std::as_const(toStart))
        startPart(i);
}

void ReplayJob::startPart(qsizetype index)
{
    imap::ImapSession *session = m_session;
    if (!session) {
        partFinished(index, Error(ErrorKind::Cancelled, QStringLiteral("The IMAP session is gone")),
                     false);
        return;
    }
    const SequenceSet uids = m_parts[index].uids;
    switch (m_group.kind) {
    case Kind::AddFlags:
    case Kind::RemoveFlags: {
        const auto mode = m_group.kind == Kind::AddFlags ? imap::StoreFlagsCommand::Mode::Add
                                                         : imap::StoreFlagsCommand::Mode::Remove;
        auto *store = new imap::StoreFlagsCommand(uids, mode, m_group.flags);
        connect(store, &imap::ImapCommand::finished, this,
                [this, index, store] { partFinished(index, store->error(), false); });
        session->enqueue(store);
        return;
    }
    case Kind::Move: {
        auto *move = new imap::MoveOperation(session, uids, m_group.targetWireName, this);
        connect(move, &imap::MoveOperation::finished, this, [this, index, move] {
            noteCopyUid(move->copyUid());
            move->deleteLater();
            partFinished(index, move->error(), move->targetMissing());
        });
        move->start();
        return;
    }
    case Kind::Copy: {
        auto *copy =
            new imap::CopyCommand(imap::CopyCommand::Kind::Copy, uids, m_group.targetWireName);
        connect(copy, &imap::ImapCommand::finished, this, [this, index, copy] {
            noteCopyUid(copy->copyUid());
            partFinished(index, copy->error(), copy->targetMissing());
        });
        session->enqueue(copy);
        return;
    }
    case Kind::Expunge: {
        // Without UIDPLUS only the plain form exists; the group is then exclusive.
        auto *expunge = uids.isEmpty() || !session->hasCapability("UIDPLUS")
                            ? new imap::ExpungeCommand()
                            : new imap::ExpungeCommand(uids);
        connect(expunge, &imap::ImapCommand::finished, this,
                [this, index, expunge] { partFinished(index, expunge->error(), false); });
        session->enqueue(expunge);
        return;
    }
    case Kind::Append: {
        auto *append = new imap::AppendCommand(m_group.targetWireName, m_group.message,
                                               m_group.flags, m_group.internalDate);
        connect(append, &imap::ImapCommand::finished, this, [this, index, append] {
            m_appendUid = append->appendUid();
            partFinished(index, append->error(), append->targetMissing());
        });
        session->enqueue(append);
        return;
    }
    case Kind::CreateFolder:
    case Kind::DeleteFolder:
    case Kind::RenameFolder: {
        const auto action =
            m_group.kind == Kind::CreateFolder   ? imap::MailboxCommand::Action::Create
            : m_group.kind == Kind::DeleteFolder ? imap::MailboxCommand::Action::Delete
                                                 : imap::MailboxCommand::Action::Rename;
        auto *command = new imap::MailboxCommand(
            action, action == imap::MailboxCommand::Action::Rename ? m_group.sourceWireName
                                                                   : m_group.targetWireName);
        if (action == imap::MailboxCommand::Action::Rename)
            command->setNewWireName(m_group.targetWireName);
        connect(command, &imap::ImapCommand::finished, this, [this, index, command, action] {
            // What was to be done is the server's state already (RFC 5530 codes).
            const bool moot =
                (action == imap::MailboxCommand::Action::Create && command->alreadyExists()) ||
                (action == imap::MailboxCommand::Action::Delete &&
                 command->completion().code.is("NONEXISTENT"));
            partFinished(index, moot ? Error() : command->error(), false);
        });
        session->enqueue(command);
        return;
    }
    }
}

void ReplayJob::noteCopyUid(const std::optional<imap::CopyUidData> &copyUid)
{
    if (!copyUid)
        return;
    m_copyValidity = copyUid->uidValidity;
    const qsizetype count = std::min(copyUid->sourceUids.size(), copyUid->destinationUids.size());
    for (qsizetype i = 0; i < count; ++i)
        m_copied.insert(copyUid->sourceUids[i], copyUid->destinationUids[i]);
}

void ReplayJob::partFinished(qsizetype index, const Error &error, bool targetMissing)
{
    Part &part = m_parts[index];
    part.running = false;
    part.finished = true;
    part.error = error;
    part.outcome = !error            ? Outcome::Done
                   : sessionUsable() ? Outcome::Refused
                                     : Outcome::ConnectionLost;
    part.targetMissing = targetMissing && part.outcome == Outcome::Refused;
    for (const Part &other : std::as_const(m_parts)) {
        if (other.running)
            return;
    }
    roundFinished();
}

void ReplayJob::roundFinished()
{
    QList<qsizetype> missing;
    for (qsizetype i = 0; i < m_parts.size(); ++i) {
        if (m_parts[i].targetMissing)
            missing.append(i);
    }
    if (!missing.isEmpty() && !m_triedCreate && sessionUsable()) {
        createTarget(missing);
        return;
    }
    finish();
}

void ReplayJob::createTarget(const QList<qsizetype> &missing)
{
    m_triedCreate = true;
    auto *create =
        new imap::MailboxCommand(imap::MailboxCommand::Action::Create, m_group.targetWireName);
    connect(create, &imap::ImapCommand::finished, this, [this, missing, create] {
        if (create->error() && !create->alreadyExists()) {
            const bool lost = !sessionUsable();
            for (qsizetype i : missing) {
                Part &part = m_parts[i];
                part.targetMissing = false;
                part.outcome = lost ? Outcome::ConnectionLost : Outcome::Refused;
                part.error = lost
                                 ? create->error()
                                 : Error(part.error.kind(),
                                         QStringLiteral("%1; creating the mailbox failed too: %2")
                                             .arg(part.error.message(), create->error().message()));
            }
            finish();
            return;
        }
        for (qsizetype i : missing) {
            m_parts[i].finished = false;
            m_parts[i].targetMissing = false;
        }
        startRound();
    });
    m_session->enqueue(create); // roundFinished() saw it usable
}

ReplayJob::Outcome ReplayJob::outcome(const store::PendingAction &action, Error *error) const
{
    // Done < Refused < ConnectionLost: a lost part keeps the action queued.
    Outcome result = Outcome::Done;
    Error found;
    for (const Part &part : m_parts) {
        bool concerned = m_parts.size() == 1;
        for (qsizetype i = 0; !concerned && i < action.uids.size(); ++i)
            concerned = part.uids.contains(action.uids[i]);
        if (concerned && int(part.outcome) > int(result)) {
            result = part.outcome;
            found = part.error;
        }
    }
    if (error)
        *error = found;
    return result;
}

void ReplayJob::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    Q_EMIT finished();
}

} // namespace wharf::controllers
