#pragma once

#include "net/OpeningHandshake.h"

namespace wharf::pop3 {

// Greeting, CAPA (RFC 2449) and STLS (RFC 2595).
class Pop3Opening : public net::OpeningHandshake
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
    bool m_inCapabilityList = false;
};

} // namespace wharf::pop3
