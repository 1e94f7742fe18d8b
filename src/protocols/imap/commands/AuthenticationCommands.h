#pragma once

#include "protocols/imap/ImapCommand.h"

namespace wharf::imap {

// LOGIN user password (RFC 3501 6.2.3). The password goes as a literal when it cannot be
// quoted; the connection's log redacts it either way.
class LoginCommand : public ImapCommand
{
    Q_OBJECT
public:
    LoginCommand(const QString &user, const QString &password, QObject *parent = nullptr);
    Scheduling scheduling() const override { return Scheduling::Exclusive; }

protected:
    CommandText command() const override;
    QByteArray name() const override { return "LOGIN"; }

private:
    QByteArray m_user;
    QByteArray m_password;
};

// AUTHENTICATE PLAIN (RFC 4616), with the initial response on the command line when the
// server offers SASL-IR (RFC 4959), else after its "+".
class AuthenticatePlainCommand : public ImapCommand
{
    Q_OBJECT
public:
    AuthenticatePlainCommand(const QString &user, const QString &password, bool initialResponse,
                             QObject *parent = nullptr);
    Scheduling scheduling() const override { return Scheduling::Exclusive; }

protected:
    CommandText command() const override;
    QByteArray name() const override { return "AUTHENTICATE PLAIN"; }
    void handleContinuation(const Response &response) override;

private:
    QByteArray credentials() const;

    QByteArray m_user;
    QByteArray m_password;
    bool m_initialResponse;
    bool m_sent = false;
};

} // namespace wharf::imap
