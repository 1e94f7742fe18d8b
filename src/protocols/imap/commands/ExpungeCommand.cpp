#include "protocols/imap/commands/ExpungeCommand.h"

#include "protocols/imap/MailboxData.h"

namespace wharf::imap {

ExpungeCommand::ExpungeCommand(QObject *parent)
    : ImapCommand(parent)
{}

ExpungeCommand::ExpungeCommand(const SequenceSet &uids, QObject *parent)
    : ImapCommand(parent)
    , m_uids(uids)
{}

CommandText ExpungeCommand::command() const
{
    CommandBuilder builder(name());
    if (!m_uids.isEmpty())
        builder.atom(m_uids.toByteArray());
    return builder.build();
}

bool ExpungeCommand::handleUntagged(const Response &response)
{
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

} // namespace wharf::imap
