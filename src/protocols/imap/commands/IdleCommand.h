#pragma once

#include "protocols/imap/ImapCommand.h"

namespace wharf::imap {

// IDLE (RFC 2177). Untagged EXISTS, EXPUNGE, VANISHED and FETCH while idling go to the
// session's signals. stop() sends DONE; the session calls it itself when another command is
// queued, so a caller never has to remember to.
class IdleCommand : public ImapCommand
{
    Q_OBJECT
public:
    using ImapCommand::ImapCommand;
    Scheduling scheduling() const override { return Scheduling::Exclusive; }

    void stop();
    bool isIdling() const { return m_idling; }

Q_SIGNALS:
    // The server accepted IDLE: updates now arrive as they happen.
    void idling();

protected:
    CommandText command() const override { return CommandBuilder("IDLE").build(); }
    QByteArray name() const override { return "IDLE"; }
    void handleContinuation(const Response &response) override;

private:
    bool m_idling = false;
    bool m_stopRequested = false;
    bool m_doneSent = false;
};

} // namespace wharf::imap
