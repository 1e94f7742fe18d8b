#include "protocols/ftp/FtpCommand.h"

#include "protocols/ftp/FtpSession.h"

namespace wharf::ftp {

FtpCommand::FtpCommand(QObject *parent)
    : QObject(parent)
{}

void FtpCommand::cancel()
{
    if (m_finished)
        return;
    if (m_session)
        m_session->cancelCommand(this);
    else
        fail(Error(ErrorKind::Cancelled,
                   QStringLiteral("%1 was cancelled").arg(QString::fromLatin1(name()))));
}

void FtpCommand::handleAbort(const Error &error)
{
    fail(error);
}

void FtpCommand::send(const QByteArray &line)
{
    if (m_session)
        m_session->sendLine(this, line);
}

void FtpCommand::succeed(const net::NumericReply &reply)
{
    if (m_finished)
        return;
    m_lastReply = reply;
    finish();
}

void FtpCommand::fail(const Error &error, const net::NumericReply &reply)
{
    if (m_finished)
        return;
    m_lastReply = reply;
    m_error = error;
    finish();
}

QString FtpCommand::said(const net::NumericReply &reply)
{
    return quoteForMessage(reply.toLine());
}

Error FtpCommand::refusal(const net::NumericReply &reply) const
{
    // 4yz may work later (busy, file in use); 5yz will not as asked. Either way it is the
    // server's answer to a valid request, so the message quotes it for the user.
    const QString what = QString::fromLatin1(name());
    if (reply.code == 530) {
        return Error(ErrorKind::AuthenticationFailed,
                     QStringLiteral("%1: not logged in: %2").arg(what, said(reply)));
    }
    if (reply.code == 421) {
        return Error(
            ErrorKind::ClosedByPeer,
            QStringLiteral("%1: the server is closing the connection: %2").arg(what, said(reply)));
    }
    return Error(ErrorKind::ProtocolError,
                 QStringLiteral("%1: the server refused: %2").arg(what, said(reply)));
}

void FtpCommand::finish()
{
    m_finished = true;
    FtpSession *session = m_session;
    if (session)
        session->commandFinished(this);
    Q_EMIT finished();
    if (m_autoDelete)
        deleteLater();
}

} // namespace wharf::ftp
