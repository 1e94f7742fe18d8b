#include "protocols/imap/commands/SessionCommands.h"

#include "protocols/imap/MailboxData.h"

namespace wharf::imap {

bool CapabilityCommand::handleUntagged(const Response &response)
{
    if (!response.isUntagged("CAPABILITY"))
        return false;
    m_capabilities = parseCapabilities(response.data);
    return true;
}

EnableCommand::EnableCommand(const QByteArrayList &extensions, QObject *parent)
    : ImapCommand(parent)
    , m_extensions(extensions)
{}

CommandText EnableCommand::command() const
{
    CommandBuilder builder("ENABLE");
    for (const QByteArray &extension : m_extensions)
        builder.atom(extension);
    return builder.build();
}

bool EnableCommand::handleUntagged(const Response &response)
{
    if (!response.isUntagged("ENABLED"))
        return false;
    m_enabled += parseCapabilities(response.data);
    return true;
}

bool LogoutCommand::handleUntagged(const Response &response)
{
    return response.status == ResponseStatus::Bye;
}

void LogoutCommand::handleAbort(const Error &error)
{
    // Servers may close right after BYE, before the tagged OK.
    if (error.kind() == ErrorKind::ClosedByPeer)
        succeed();
    else
        ImapCommand::handleAbort(error);
}

IdCommand::IdCommand(const QList<Field> &ours, QObject *parent)
    : ImapCommand(parent)
    , m_ours(ours)
{}

CommandText IdCommand::command() const
{
    CommandBuilder builder("ID");
    if (m_ours.isEmpty())
        return builder.atom("NIL").build();
    builder.beginList();
    for (const Field &field : m_ours)
        builder.string(field.first).string(field.second);
    return builder.endList().build();
}

bool IdCommand::handleUntagged(const Response &response)
{
    if (!response.isUntagged("ID"))
        return false;
    m_server.clear();
    if (!response.data.isEmpty() && response.data.first().isList()) {
        const QList<Value> &items = response.data.first().items;
        for (qsizetype i = 0; i + 1 < items.size(); i += 2)
            m_server.append({items[i].text(), items[i + 1].text()});
    }
    return true;
}

bool NamespaceCommand::handleUntagged(const Response &response)
{
    if (!response.isUntagged("NAMESPACE"))
        return false;
    if (const std::optional<NamespaceData> data = parseNamespace(response)) {
        m_prefix = data->personalPrefix;
        m_delimiter = data->personalDelimiter;
    }
    return true;
}

} // namespace wharf::imap
