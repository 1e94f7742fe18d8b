#pragma once

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

private:
    QByteArray ehloDomain() const;
};

} // namespace wharf::smtp
