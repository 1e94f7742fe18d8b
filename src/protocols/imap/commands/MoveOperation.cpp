#include "protocols/imap/commands/MoveOperation.h"

#include "protocols/imap/ImapSession.h"
#include "protocols/imap/commands/CopyMoveCommands.h"
#include "protocols/imap/commands/ExpungeCommand.h"
#include "protocols/imap/commands/StoreFlagsCommand.h"

namespace wharf::imap {

MoveOperation::MoveOperation(ImapSession *session, const SequenceSet &uids,
                             const QByteArray &targetWireName, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_uids(uids)
    , m_target(targetWireName)
{
    if (session->hasCapability("MOVE"))
        m_method = Method::Move;
    else if (session->hasCapability("UIDPLUS"))
        m_method = Method::CopyAndUidExpunge;
    else
        m_method = Method::CopyAndExpunge;
}

void MoveOperation::start()
{
    const auto kind = m_method == Method::Move ? CopyCommand::Kind::Move : CopyCommand::Kind::Copy;
    auto *copy = new CopyCommand(kind, m_uids, m_target);
    connect(copy, &ImapCommand::finished, this, [this, copy] {
        m_copyUid = copy->copyUid();
        m_targetMissing = copy->targetMissing();
        if (copy->error()) {
            finish(copy->error());
            return;
        }
        afterCopy();
    });
    m_session->enqueue(copy);
}

void MoveOperation::afterCopy()
{
    if (m_method == Method::Move) {
        finish({});
        return;
    }
    auto *store =
        new StoreFlagsCommand(m_uids, StoreFlagsCommand::Mode::Add, QByteArrayList{"\\Deleted"});
    connect(store, &ImapCommand::finished, this, [this, store] {
        if (store->error()) {
            finish(store->error());
            return;
        }
        afterStore();
    });
    m_session->enqueue(store);
}

void MoveOperation::afterStore()
{
    auto *expunge =
        m_method == Method::CopyAndUidExpunge ? new ExpungeCommand(m_uids) : new ExpungeCommand();
    connect(expunge, &ImapCommand::finished, this, [this, expunge] { finish(expunge->error()); });
    m_session->enqueue(expunge);
}

void MoveOperation::finish(const Error &error)
{
    m_error = error;
    Q_EMIT finished();
}

} // namespace wharf::imap
