#include "protocols/imap/ImapCommand.h"

#include "protocols/imap/ImapSession.h"

namespace wharf::imap {

namespace {

QString statusWord(ResponseStatus status)
{
    switch (status) {
    case ResponseStatus::No:
        return QStringLiteral("NO");
    case ResponseStatus::Bad:
        return QStringLiteral("BAD");
    case ResponseStatus::Bye:
        return QStringLiteral("BYE");
    default:
        return QStringLiteral("an unexpected reply");
    }
}

} // namespace

ImapCommand::ImapCommand(QObject *parent)
    : QObject(parent)
{}

bool ImapCommand::handleUntagged(const Response &)
{
    return false;
}

bool ImapCommand::handleChunk(const LiteralChunk &)
{
    return false;
}

void ImapCommand::handleContinuation(const Response &response)
{
    Q_UNUSED(response);
    fail(Error(ErrorKind::ProtocolError,
               QStringLiteral("%1: the server asked for more data the command does not have")
                   .arg(QString::fromLatin1(name()))));
}

void ImapCommand::handleCompletion(const Response &response)
{
    if (response.status == ResponseStatus::Ok)
        succeed();
    else
        fail(refusal(response));
}

void ImapCommand::handleAbort(const Error &error)
{
    fail(error);
}

Error ImapCommand::refusal(const Response &response) const
{
    QByteArray said = response.text;
    if (!response.code.isEmpty()) {
        QByteArray code = '[' + response.code.name;
        if (!response.code.raw.isEmpty())
            code += ' ' + response.code.raw;
        said = code + "] " + said;
    }
    // BAD means Wharf sent something the server did not understand: a protocol problem,
    // not the user's.
    const ErrorKind kind = ErrorKind::ProtocolError;
    return Error(kind, QStringLiteral("%1: the server said %2: %3")
                           .arg(QString::fromLatin1(name()), statusWord(response.status),
                                quoteForMessage(said)));
}

void ImapCommand::succeed()
{
    m_error = {};
    finish();
}

void ImapCommand::fail(const Error &error)
{
    m_error = error;
    finish();
}

void ImapCommand::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    Q_EMIT finished();
    // A command that gave up early stays the session's until its tagged completion.
    if (m_autoDelete && !(m_session && m_session->isRunning(this)))
        deleteLater();
}

} // namespace wharf::imap
