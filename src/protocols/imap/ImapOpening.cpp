#include "protocols/imap/ImapOpening.h"

namespace wharf::imap {

namespace {

QByteArrayList capabilityWords(const QByteArray &text)
{
    return text.simplified().split(' ');
}

// "[CAPABILITY IMAP4rev1 STARTTLS] Ready" -> the words between "CAPABILITY" and ']'.
QByteArrayList capabilitiesFromResponseCode(const QByteArray &text)
{
    static constexpr QByteArrayView prefix = "[CAPABILITY ";
    if (!text.startsWith(prefix.toByteArray()))
        return {};
    const qsizetype end = text.indexOf(']');
    if (end < 0)
        return {};
    return capabilityWords(text.mid(prefix.size(), end - prefix.size()));
}

} // namespace

ImapOpening::Outcome ImapOpening::onGreetingLine(const QByteArray &line)
{
    m_info.greeting = line;
    if (line.startsWith("* OK")) {
        m_info.capabilities = capabilitiesFromResponseCode(line.mid(5));
        return Outcome::Done;
    }
    if (line.startsWith("* PREAUTH")) {
        m_info.capabilities = capabilitiesFromResponseCode(line.mid(10));
        return Outcome::Preauthenticated;
    }
    if (line.startsWith("* BYE")) {
        return refuse(ErrorKind::ProtocolError, QStringLiteral("%1 refused the connection: %2")
                                                    .arg(serverName(), quoteForMessage(line)));
    }
    return refuse(
        ErrorKind::ProtocolError,
        QStringLiteral("%1 is not an IMAP server: %2").arg(serverName(), quoteForMessage(line)));
}

bool ImapOpening::requestCapabilities()
{
    if (!m_info.capabilities.isEmpty())
        return false;
    sendTagged("CAPABILITY");
    return true;
}

ImapOpening::Outcome ImapOpening::onCapabilityLine(const QByteArray &line)
{
    if (line.startsWith("* CAPABILITY ")) {
        m_info.capabilities = capabilityWords(line.mid(13));
        return Outcome::NeedMore;
    }
    return tagged(line, QStringLiteral("CAPABILITY"));
}

bool ImapOpening::offersStartTls() const
{
    return m_info.hasCapability("STARTTLS");
}

void ImapOpening::requestStartTls()
{
    sendTagged("STARTTLS");
}

ImapOpening::Outcome ImapOpening::onStartTlsLine(const QByteArray &line)
{
    return tagged(line, QStringLiteral("STARTTLS"));
}

QByteArray ImapOpening::sendTagged(const QByteArray &command)
{
    m_tag = "W" + QByteArray::number(m_nextTag++);
    connection()->sendLine(m_tag + ' ' + command);
    return m_tag;
}

ImapOpening::Outcome ImapOpening::tagged(const QByteArray &line, const QString &what)
{
    const QByteArray prefix = m_tag + ' ';
    if (!line.startsWith(prefix))
        return Outcome::NeedMore; // untagged data the opening does not need
    const QByteArray status = line.mid(m_tag.size() + 1);
    if (status.startsWith("OK"))
        return Outcome::Done;
    return refuse(
        ErrorKind::ProtocolError,
        QStringLiteral("%1 refused %2: %3").arg(serverName(), what, quoteForMessage(line)));
}

} // namespace wharf::imap
