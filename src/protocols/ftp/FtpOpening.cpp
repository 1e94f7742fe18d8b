#include "protocols/ftp/FtpOpening.h"

namespace wharf::ftp {

FtpOpening::Outcome FtpOpening::onGreetingLine(const QByteArray &line)
{
    net::NumericReply reply;
    const Outcome outcome = expectReply(line, 220, QStringLiteral("the connection"), &reply);
    if (outcome != Outcome::NeedMore)
        m_info.greeting = reply.toLine();
    return outcome;
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
    return expectReply(line, 234, QStringLiteral("AUTH TLS"));
}

} // namespace wharf::ftp
