#include "protocols/imap/commands/MailboxCommand.h"

#include "protocols/imap/ImapSession.h"

namespace wharf::imap {

MailboxCommand::MailboxCommand(Action action, const QByteArray &wireName, QObject *parent)
    : ImapCommand(parent)
    , m_action(action)
    , m_name(wireName)
{}

QByteArray MailboxCommand::name() const
{
    switch (m_action) {
    case Action::Create:
        return "CREATE";
    case Action::Delete:
        return "DELETE";
    case Action::Rename:
        return "RENAME";
    case Action::Subscribe:
        return "SUBSCRIBE";
    case Action::Unsubscribe:
        return "UNSUBSCRIBE";
    }
    return {};
}

CommandText MailboxCommand::command() const
{
    CommandBuilder builder = session()->builder(name());
    builder.astring(m_name);
    if (m_action == Action::Rename)
        builder.astring(m_newName);
    if (m_action == Action::Create && isFlagText(m_specialUse) &&
        session()->hasCapability("CREATE-SPECIAL-USE")) {
        builder.beginList().atom("USE").beginList().atom(m_specialUse).endList().endList();
    }
    return builder.build();
}

} // namespace wharf::imap
