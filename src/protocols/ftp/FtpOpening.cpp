#include "protocols/ftp/FtpOpening.h"

namespace wharf::ftp {

FtpOpening::Outcome FtpOpening::onGreetingLine(const QByteArray &line)
{
    net::NumericReply reply;
    const Outcome outcome = collectReply(line, reply);
    if (outcome != Outcome::Done)
        return outcome;
    if (reply.category() == 1)
        return Outcome::NeedMore; // 120: ready in a moment, 220 follows
    m_info.greeting = reply.toLine();
    if (reply.code == 220)
        return Outcome::Done;
    return refuse(ErrorKind::ProtocolError,
                  QStringLiteral("%1 refused the connection: %2")
                      .arg(serverName(), quoteForMessage(m_info.greeting)));
}

bool FtpOpening::requestCapabilities()
{
    connection()->sendLine("FEAT");
    return true;
}

FtpOpening::Outcome FtpOpening::onCapabilityLine(const QByteArray &line)
{
    net::NumericReply reply;
    const Outcome outcome = collectReply(line, reply);
    if (outcome != Outcome::Done)
        return outcome;
    // "211-Features:", one feature per line with a leading space, "211 End".
    if (reply.code == 211 && reply.lines.size() > 2) {
        for (const QByteArray &feature : reply.lines.mid(1, reply.lines.size() - 2))
            m_info.capabilities.append(feature.trimmed());
    }
    return Outcome::Done;
}

bool FtpOpening::offersStartTls() const
{
    return true;
}

void FtpOpening::requestStartTls()
{
    connection()->sendLine("AUTH TLS");
}

FtpOpening::Outcome FtpOpening::onStartTlsLine(const QByteArray &line)
{
    net::NumericReply reply;
    const Outcome outcome = collectReply(line, reply);
    if (outcome != Outcome::Done)
        return outcome;
    if (reply.code == 234)
        return Outcome::Done;
    return refuse(ErrorKind::ProtocolError,
                  QStringLiteral("%1 refused AUTH TLS: %2")
                      .arg(serverName(), quoteForMessage(reply.toLine())));
}

} // namespace wharf::ftp
