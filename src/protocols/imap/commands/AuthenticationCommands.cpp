#include "protocols/imap/commands/AuthenticationCommands.h"

#include "protocols/imap/ImapSession.h"

namespace wharf::imap {

LoginCommand::LoginCommand(const QString &user, const QString &password, QObject *parent)
    : ImapCommand(parent)
    , m_user(user.toUtf8())
    , m_password(password.toUtf8())
{}

CommandText LoginCommand::command() const
{
    return CommandBuilder("LOGIN").string(m_user).string(m_password).build();
}

AuthenticatePlainCommand::AuthenticatePlainCommand(const QString &user, const QString &password,
                                                   bool initialResponse, QObject *parent)
    : ImapCommand(parent)
    , m_user(user.toUtf8())
    , m_password(password.toUtf8())
    , m_initialResponse(initialResponse)
{}

QByteArray AuthenticatePlainCommand::credentials() const
{
    // authzid NUL authcid NUL password; an empty authzid means "as myself".
    return (QByteArray() + '\0' + m_user + '\0' + m_password).toBase64();
}

CommandText AuthenticatePlainCommand::command() const
{
    CommandBuilder builder("AUTHENTICATE PLAIN");
    if (m_initialResponse)
        builder.atom(credentials());
    return builder.build();
}

void AuthenticatePlainCommand::handleContinuation(const Response &response)
{
    if (m_sent || m_initialResponse) {
        // A second challenge means the exchange went wrong: "*" cancels it (RFC 3501 6.2.2).
        Q_UNUSED(response);
        session()->connection()->sendLine("*");
        return;
    }
    m_sent = true;
    session()->connection()->sendLine(credentials(), net::Connection::Secrecy::Secret);
}

} // namespace wharf::imap
