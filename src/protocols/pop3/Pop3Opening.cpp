#include "protocols/pop3/Pop3Opening.h"

namespace wharf::pop3 {

Pop3Opening::Outcome Pop3Opening::onGreetingLine(const QByteArray &line)
{
    m_info.greeting = line;
    if (line.startsWith("+OK"))
        return Outcome::Done;
    return refuse(
        ErrorKind::ProtocolError,
        QStringLiteral("%1 refused the connection: %2").arg(serverName(), quoteForMessage(line)));
}

bool Pop3Opening::requestCapabilities()
{
    m_inCapabilityList = false;
    connection()->sendLine("CAPA");
    return true;
}

Pop3Opening::Outcome Pop3Opening::onCapabilityLine(const QByteArray &line)
{
    if (!m_inCapabilityList) {
        if (line.startsWith("+OK")) {
            m_inCapabilityList = true;
            return Outcome::NeedMore;
        }
        // A server without CAPA (RFC 1939 only) offers nothing we may rely on.
        return Outcome::Done;
    }
    if (line == ".")
        return Outcome::Done;
    // Dot-stuffed lines (RFC 1939 3) lose their first dot.
    m_info.capabilities.append(line.startsWith('.') ? line.mid(1) : line);
    return Outcome::NeedMore;
}

bool Pop3Opening::offersStartTls() const
{
    return m_info.hasCapability("STLS");
}

void Pop3Opening::requestStartTls()
{
    connection()->sendLine("STLS");
}

Pop3Opening::Outcome Pop3Opening::onStartTlsLine(const QByteArray &line)
{
    if (line.startsWith("+OK"))
        return Outcome::Done;
    return refuse(ErrorKind::ProtocolError,
                  QStringLiteral("%1 refused STLS: %2").arg(serverName(), quoteForMessage(line)));
}

} // namespace wharf::pop3
