#pragma once

#include "net/NumericReply.h"
#include "net/OpeningHandshake.h"

namespace wharf::smtp {

// Greeting, EHLO (RFC 5321 4.1.1.1) and STARTTLS (RFC 3207).
class SmtpOpening : public net::OpeningHandshake
{
    Q_OBJECT
public:
    using net::OpeningHandshake::OpeningHandshake;

protected:
    Outcome onGreetingLine(const QByteArray &line) override;
    bool requestCapabilities() override;
    Outcome onCapabilityLine(const QByteArray &line) override;
    bool offersStartTls() const override;
    void requestStartTls() override;
    Outcome onStartTlsLine(const QByteArray &line) override;
    void forgetServerState() override;

private:
    // Feeds one line; on a complete reply returns it through `reply`.
    Outcome collect(const QByteArray &line, net::NumericReply &reply);
    QByteArray ehloDomain() const;

    net::NumericReplyParser m_parser;
};

} // namespace wharf::smtp
