#pragma once

#include "net/OpeningHandshake.h"

namespace wharf::ftp {

// Greeting, FEAT (RFC 2389) and AUTH TLS (RFC 4217). AUTH TLS is tried even when FEAT does
// not list it, as FileZilla does: many servers support it without saying so, and a refusal
// still fails closed.
class FtpOpening : public net::OpeningHandshake
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
};

} // namespace wharf::ftp
