#include "protocols/imap/commands/IdleCommand.h"

#include "protocols/imap/ImapSession.h"

namespace wharf::imap {

void IdleCommand::stop()
{
    m_stopRequested = true;
    if (!m_idling || m_doneSent || !session() || !session()->connection())
        return;
    m_doneSent = true;
    // While idling, silence is normal; from DONE on a reply is awaited again.
    session()->connection()->setIdleTimeout(session()->settings().connection.idleTimeoutMs);
    session()->connection()->sendLine("DONE");
}

void IdleCommand::handleContinuation(const Response &response)
{
    Q_UNUSED(response);
    if (m_idling)
        return;
    m_idling = true;
    session()->connection()->setIdleTimeout(0);
    Q_EMIT idling();
    if (m_stopRequested)
        stop();
}

} // namespace wharf::imap
