#include "protocols/smtp/SmtpOpening.h"

#include <QHostAddress>

namespace wharf::smtp {

SmtpOpening::Outcome SmtpOpening::onGreetingLine(const QByteArray &line)
{
    net::NumericReply reply;
    const Outcome outcome = expectReply(line, 220, QStringLiteral("the connection"), &reply);
    if (outcome != Outcome::NeedMore)
        m_info.greeting = reply.toLine();
    return outcome;
}

bool SmtpOpening::requestCapabilities()
{
    connection()->sendLine("EHLO " + ehloDomain());
    return true;
}

SmtpOpening::Outcome SmtpOpening::onCapabilityLine(const QByteArray &line)
{
    net::NumericReply reply;
    const Outcome outcome = collectReply(line, reply);
    if (outcome != Outcome::Done)
        return outcome;
    // The first line names the server; each further line is one extension. A server that
    // rejects EHLO offers no extension, and so no STARTTLS.
    if (reply.code == 250)
        m_info.capabilities = reply.lines.mid(1);
    return Outcome::Done;
}

bool SmtpOpening::offersStartTls() const
{
    return m_info.hasCapability("STARTTLS");
}

void SmtpOpening::requestStartTls()
{
    connection()->sendLine("STARTTLS");
}

SmtpOpening::Outcome SmtpOpening::onStartTlsLine(const QByteArray &line)
{
    return expectReply(line, 220, QStringLiteral("STARTTLS"));
}

QByteArray SmtpOpening::ehloDomain() const
{
    // An address literal (RFC 5321 4.1.3) says nothing about the user's machine name.
    const QHostAddress local = connection()->localAddress();
    if (local.protocol() == QAbstractSocket::IPv6Protocol)
        return "[IPv6:" + local.toString().toLatin1() + ']';
    if (local.isNull())
        return "[127.0.0.1]";
    return '[' + local.toString().toLatin1() + ']';
}

} // namespace wharf::smtp
