#pragma once

#include "net/OpeningHandshake.h"

namespace wharf::imap {

// Greeting (OK, PREAUTH, BYE), CAPABILITY (from the greeting's response code when given)
// and STARTTLS, as RFC 3501 6.1 and 6.2.1 describe.
class ImapOpening : public net::OpeningHandshake
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
    QByteArray sendTagged(const QByteArray &command);
    // Completion of the command tagged m_tag: Done on OK, Refused on NO/BAD.
    Outcome tagged(const QByteArray &line, const QString &what);

    int m_nextTag = 1;
    QByteArray m_tag;
};

} // namespace wharf::imap
