#include "protocols/imap/commands/ListCommand.h"

#include "protocols/imap/ImapSession.h"

namespace wharf::imap {

ListCommand::ListCommand(const QByteArray &pattern, QObject *parent)
    : ImapCommand(parent)
    , m_pattern(pattern)
{}

CommandText ListCommand::command() const
{
    // Servers with SPECIAL-USE but not LIST-EXTENDED still send the attributes in a plain
    // LIST (RFC 6154 section 2).
    const bool extended = session()->hasCapability("LIST-EXTENDED");
    CommandBuilder builder = session()->builder("LIST");
    if (!extended) {
        // RFC 3501 LIST; subscribed-only is LSUB there.
        if (m_subscribedOnly)
            builder = session()->builder("LSUB");
        return builder.string("").string(m_pattern).build();
    }
    if (m_subscribedOnly && session()->hasCapability("LIST-EXTENDED"))
        builder.beginList().atom("SUBSCRIBED").endList();
    builder.string("").string(m_pattern);
    QByteArrayList returns;
    if (session()->hasCapability("SPECIAL-USE"))
        returns.append("SPECIAL-USE");
    if (!m_statusItems.isEmpty() && session()->hasCapability("LIST-STATUS"))
        returns.append("STATUS (" + m_statusItems + ')');
    if (!returns.isEmpty()) {
        builder.atom("RETURN").beginList();
        for (const QByteArray &item : std::as_const(returns))
            builder.atom(item);
        builder.endList();
    }
    return builder.build();
}

bool ListCommand::handleUntagged(const Response &response)
{
    if (response.isUntagged("LIST") || response.isUntagged("LSUB")) {
        if (std::optional<ListEntry> entry = parseListEntry(response, session()->utf8Enabled()))
            m_entries.append(std::move(*entry));
        return true;
    }
    if (response.isUntagged("STATUS") && !m_statusItems.isEmpty()) {
        if (std::optional<StatusData> status = parseStatus(response, session()->utf8Enabled()))
            m_statuses.append(std::move(*status));
        return true;
    }
    return false;
}

StatusCommand::StatusCommand(const QByteArray &wireName, const QByteArray &items, QObject *parent)
    : ImapCommand(parent)
    , m_wireName(wireName)
    , m_items(items)
{}

CommandText StatusCommand::command() const
{
    return session()->builder("STATUS").astring(m_wireName).raw(" (" + m_items + ')').build();
}

bool StatusCommand::handleUntagged(const Response &response)
{
    if (!response.isUntagged("STATUS"))
        return false;
    std::optional<StatusData> status = parseStatus(response, session()->utf8Enabled());
    if (!status || status->wireName != m_wireName)
        return false;
    m_status = std::move(*status);
    return true;
}

} // namespace wharf::imap
