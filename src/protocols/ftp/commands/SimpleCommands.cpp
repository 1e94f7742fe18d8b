#include "protocols/ftp/commands/SimpleCommands.h"

#include "protocols/ftp/ReplyData.h"

namespace wharf::ftp {

namespace {

bool isPreliminary(const net::NumericReply &reply)
{
    return reply.category() == 1;
}

} // namespace

SingleLineCommand::SingleLineCommand(const QByteArray &verb, const QByteArray &argument,
                                     QObject *parent)
    : FtpCommand(parent)
    , m_verb(verb)
    , m_argument(argument)
{}

void SingleLineCommand::start()
{
    send(m_argument.isEmpty() ? m_verb : m_verb + ' ' + m_argument);
}

void SingleLineCommand::handleReply(const net::NumericReply &reply)
{
    if (isPreliminary(reply))
        return;
    if (reply.category() == 2)
        onCompleted(reply);
    else
        fail(refusal(reply), reply);
}

LoginCommand::LoginCommand(const QString &user, const QString &password, QObject *parent)
    : FtpCommand(parent)
    , m_user(user.toUtf8())
    , m_password(password.toUtf8())
{}

void LoginCommand::start()
{
    send("USER " + m_user);
}

void LoginCommand::handleReply(const net::NumericReply &reply)
{
    if (isPreliminary(reply))
        return;
    if (reply.category() == 2) {
        succeed(reply);
        return;
    }
    if (reply.code == 331 && !m_sentPassword) {
        m_sentPassword = true;
        send("PASS " + m_password);
        return;
    }
    if (reply.code == 332) {
        fail(Error(ErrorKind::AuthenticationFailed,
                   QStringLiteral("The server wants an account (ACCT) as well, which Wharf "
                                  "does not send: %1")
                       .arg(said(reply))),
             reply);
        return;
    }
    if (reply.code == 530 || reply.code == 430 || reply.category() == 5) {
        fail(Error(ErrorKind::AuthenticationFailed,
                   QStringLiteral("Login refused: %1").arg(said(reply))),
             reply);
        return;
    }
    fail(refusal(reply), reply);
}

ChmodCommand::ChmodCommand(int mode, const QByteArray &path, QObject *parent)
    : SingleLineCommand("SITE",
                        "CHMOD " + QByteArray::number(mode & 07777, 8).rightJustified(3, '0') +
                            ' ' + path,
                        parent)
{}

SetModificationTimeCommand::SetModificationTimeCommand(const QDateTime &time,
                                                       const QByteArray &path, QObject *parent)
    : SingleLineCommand("MFMT", formatFtpTime(time.toUTC()) + ' ' + path, parent)
{}

void PrintDirectoryCommand::onCompleted(const net::NumericReply &reply)
{
    const auto path = parsePathReply(reply);
    if (!path) {
        fail(Error(
                 ErrorKind::ProtocolError,
                 QStringLiteral("PWD: the server's reply names no directory: %1").arg(said(reply))),
             reply);
        return;
    }
    m_path = *path;
    succeed(reply);
}

void SizeCommand::onCompleted(const net::NumericReply &reply)
{
    const auto size = parseSizeReply(reply);
    if (!size) {
        fail(Error(ErrorKind::ProtocolError,
                   QStringLiteral("SIZE: the server's reply is not a size: %1").arg(said(reply))),
             reply);
        return;
    }
    m_size = *size;
    succeed(reply);
}

void ModificationTimeCommand::onCompleted(const net::NumericReply &reply)
{
    const auto time = parseMdtmReply(reply);
    if (!time) {
        fail(Error(ErrorKind::ProtocolError,
                   QStringLiteral("MDTM: the server's reply is not a time: %1").arg(said(reply))),
             reply);
        return;
    }
    m_time = *time;
    succeed(reply);
}

TypeCommand::TypeCommand(TransferType type, QObject *parent)
    : SingleLineCommand("TYPE", type == TransferType::Ascii ? "A" : "I", parent)
    , m_type(type)
{}

void TypeCommand::onCompleted(const net::NumericReply &reply)
{
    if (session())
        session()->setTransferType(m_type);
    succeed(reply);
}

void MlstCommand::onCompleted(const net::NumericReply &reply)
{
    m_listing = parseMlstReply(reply.lines);
    if (m_listing.entries.isEmpty() && m_listing.unparsed.isEmpty() &&
        m_listing.refused.isEmpty()) {
        fail(Error(ErrorKind::ProtocolError,
                   QStringLiteral("MLST: the server's reply has no entry: %1").arg(said(reply))),
             reply);
        return;
    }
    succeed(reply);
}

RenameCommand::RenameCommand(const QByteArray &from, const QByteArray &to, QObject *parent)
    : FtpCommand(parent)
    , m_from(from)
    , m_to(to)
{}

void RenameCommand::start()
{
    send("RNFR " + m_from);
}

void RenameCommand::handleReply(const net::NumericReply &reply)
{
    if (isPreliminary(reply))
        return;
    if (!m_sentTo && reply.code == 350) {
        m_sentTo = true;
        send("RNTO " + m_to);
        return;
    }
    if (m_sentTo && reply.category() == 2) {
        succeed(reply);
        return;
    }
    fail(refusal(reply), reply);
}

} // namespace wharf::ftp
