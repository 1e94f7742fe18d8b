#include "protocols/imap/commands/CopyMoveCommands.h"

#include "protocols/imap/ImapSession.h"

namespace wharf::imap {

CopyCommand::CopyCommand(Kind kind, const SequenceSet &uids, const QByteArray &targetWireName,
                         QObject *parent)
    : ImapCommand(parent)
    , m_kind(kind)
    , m_uids(uids)
    , m_target(targetWireName)
{}

CommandText CopyCommand::command() const
{
    return session()->builder(name()).atom(m_uids.toByteArray()).astring(m_target).build();
}

bool CopyCommand::handleUntagged(const Response &response)
{
    if (m_kind != Kind::Move)
        return false;
    // RFC 6851 4.3: the COPYUID of a MOVE comes in an untagged OK before the expunges.
    if (response.status == ResponseStatus::Ok && response.code.is("COPYUID")) {
        m_copyUid = parseCopyUid(response.code);
        return true;
    }
    if (response.hasNumber && response.name == "EXPUNGE") {
        Q_EMIT expunged(response.number);
        return true;
    }
    if (response.isUntagged("VANISHED")) {
        if (const std::optional<VanishedData> data = parseVanished(response)) {
            Q_EMIT vanished(*data);
            return true;
        }
    }
    return false;
}

void CopyCommand::handleCompletion(const Response &response)
{
    if (response.code.is("COPYUID"))
        m_copyUid = parseCopyUid(response.code);
    ImapCommand::handleCompletion(response);
}

} // namespace wharf::imap
