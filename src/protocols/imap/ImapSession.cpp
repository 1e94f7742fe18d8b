#include "protocols/imap/ImapSession.h"

#include "core/Logging.h"
#include "protocols/imap/FetchData.h"
#include "protocols/imap/ImapOpening.h"
#include "protocols/imap/MailboxData.h"
#include "protocols/imap/ModifiedUtf7.h"
#include "protocols/imap/commands/AuthenticationCommands.h"
#include "protocols/imap/commands/IdleCommand.h"
#include "protocols/imap/commands/SelectCommand.h"
#include "protocols/imap/commands/SessionCommands.h"

namespace wharf::imap {

namespace {

// A SEARCH or UID FETCH result for a big mailbox can be one long line.
constexpr qsizetype kImapMaxLineLength = 8 * 1024 * 1024;
// LITERAL- (RFC 7888) allows non-synchronising literals up to this size.
constexpr qsizetype kLiteralMinusLimit = 4096;

// Handlers may delete other commands while a list of them is walked.
QList<QPointer<ImapCommand>> guarded(const QList<ImapCommand *> &commands)
{
    QList<QPointer<ImapCommand>> result;
    result.reserve(commands.size());
    for (ImapCommand *command : commands)
        result.append(command);
    return result;
}

QByteArray upper(QByteArrayView text)
{
    return text.toByteArray().toUpper();
}

} // namespace

ImapSession::ImapSession(const ImapSessionSettings &settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
{
    if (m_settings.connection.maxLineLength == net::LineReader::kDefaultMaxLineLength)
        m_settings.connection.maxLineLength = kImapMaxLineLength;
}

ImapSession::~ImapSession()
{
    delete m_parser;
}

bool ImapSession::hasCapability(QByteArrayView name) const
{
    for (const QByteArray &capability : m_capabilities) {
        if (capability.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool ImapSession::isEnabled(QByteArrayView extension) const
{
    for (const QByteArray &enabled : m_enabled) {
        if (enabled.compare(extension, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool ImapSession::isRunning(const ImapCommand *command) const
{
    return m_running.contains(command);
}

bool ImapSession::isIdle() const
{
    return m_running.size() == 1 && qobject_cast<IdleCommand *>(m_running.first()) != nullptr;
}

QByteArray ImapSession::mailboxWireName(const QString &name) const
{
    return encodeMailboxName(name, utf8Enabled());
}

CommandBuilder ImapSession::builder(QByteArrayView verb) const
{
    CommandBuilder result(verb);
    result.allowUtf8Quoted(utf8Enabled());
    return result;
}

void ImapSession::setState(State state)
{
    m_state = state;
}

void ImapSession::open()
{
    if (m_state != State::Disconnected)
        return;
    setState(State::Connecting);
    m_connection = new net::Connection(m_settings.connection, this);
    delete m_parser;
    m_parser = new ResponseParser(m_connection->reader());
    m_parser->setLineObserver([this](const QByteArray &line) { m_connection->noteReceived(line); });
    updateLimits();
    connect(m_connection, &net::Connection::protocolLog, this, &ImapSession::protocolLog);
    connect(m_connection, &net::Connection::certificateDecisionRequested, this,
            &ImapSession::certificateDecisionRequested);
    m_opening = new ImapOpening(m_connection, this);
    connect(m_opening, &net::OpeningHandshake::finished, this, &ImapSession::onOpened);
    connect(m_opening, &net::OpeningHandshake::errorOccurred, this,
            &ImapSession::onConnectionError);
    m_opening->start();
}

void ImapSession::acceptCertificate()
{
    if (m_connection)
        m_connection->acceptCertificate();
}

void ImapSession::rejectCertificate()
{
    if (m_connection)
        m_connection->rejectCertificate();
}

void ImapSession::onOpened(const net::ServerInfo &info)
{
    m_opening->deleteLater();
    m_capabilities.clear();
    for (const QByteArray &capability : info.capabilities)
        m_capabilities.append(upper(capability));
    m_preauthenticated = info.preauthenticated;
    connect(m_connection, &net::Connection::readyRead, this, &ImapSession::onReadyRead);
    connect(m_connection, &net::Connection::errorOccurred, this, &ImapSession::onConnectionError);
    connect(m_connection, &net::Connection::closed, this, &ImapSession::onConnectionClosed);
    if (m_preauthenticated) {
        afterCapabilities();
        return;
    }
    setState(State::Authenticating);
    authenticate();
}

void ImapSession::authenticate()
{
    const QString where = m_settings.connection.host;
    if (m_settings.user.isEmpty()) {
        abort(Error(ErrorKind::AuthenticationFailed,
                    QStringLiteral("No user name to log in to %1 with").arg(where)));
        return;
    }
    ImapCommand *login = nullptr;
    if (hasCapability("AUTH=PLAIN")) {
        login = new AuthenticatePlainCommand(m_settings.user, m_settings.password,
                                             hasCapability("SASL-IR"));
    } else if (!hasCapability("LOGINDISABLED")) {
        login = new LoginCommand(m_settings.user, m_settings.password);
    } else {
        abort(Error(ErrorKind::AuthenticationFailed,
                    QStringLiteral("%1 does not allow logging in on this connection "
                                   "(LOGINDISABLED) and offers no mechanism Wharf speaks")
                        .arg(where)));
        return;
    }
    connect(login, &ImapCommand::finished, this, [this, login] { afterAuthentication(*login); });
    sendInternal(login);
}

void ImapSession::afterAuthentication(const ImapCommand &login)
{
    if (login.error()) {
        Error error = login.error();
        if (login.completion().status == ResponseStatus::No)
            error = Error(ErrorKind::AuthenticationFailed, error.message());
        abort(error);
        return;
    }
    // RFC 3501 6.2.2: capabilities may change after login; a [CAPABILITY] code saves a trip.
    const ResponseCode &code = login.completion().code;
    if (code.is("CAPABILITY")) {
        m_capabilities = parseCapabilities(code.arguments);
        afterCapabilities();
        return;
    }
    auto *capability = new CapabilityCommand;
    connect(capability, &ImapCommand::finished, this, [this, capability] {
        if (capability->error()) {
            abort(capability->error());
            return;
        }
        m_capabilities = capability->capabilities();
        afterCapabilities();
    });
    sendInternal(capability);
}

void ImapSession::afterCapabilities()
{
    QByteArrayList wanted;
    if (m_settings.enableCondstore && hasCapability("CONDSTORE"))
        wanted.append("CONDSTORE");
    if (m_settings.enableQresync && hasCapability("QRESYNC"))
        wanted.append("QRESYNC");
    if (m_settings.enableUtf8 && hasCapability("UTF8=ACCEPT"))
        wanted.append("UTF8=ACCEPT");
    if (wanted.isEmpty() || !hasCapability("ENABLE")) {
        becomeReady();
        return;
    }
    auto *enable = new EnableCommand(wanted);
    connect(enable, &ImapCommand::finished, this, [this, enable] {
        // A refused ENABLE leaves the session usable without the extensions.
        if (!enable->error())
            m_enabled = enable->enabled();
        becomeReady();
    });
    sendInternal(enable);
}

void ImapSession::becomeReady()
{
    setState(State::Ready);
    Q_EMIT ready();
    pump();
}

void ImapSession::logout()
{
    if (m_state == State::Disconnected || m_state == State::Closed) {
        failEverything(Error(ErrorKind::Cancelled, QStringLiteral("Logged out")));
        setState(State::Closed);
        return;
    }
    if (m_state != State::Ready) {
        abort();
        return;
    }
    auto *logout = new LogoutCommand;
    connect(logout, &ImapCommand::finished, this, [this] {
        setState(State::LoggingOut);
        if (m_connection)
            m_connection->close();
    });
    enqueue(logout);
}

void ImapSession::abort(const Error &error)
{
    if (m_state == State::Closed)
        return;
    const bool wasOpen = m_state != State::Disconnected;
    setState(State::Closed);
    if (m_opening)
        m_opening->deleteLater();
    if (m_connection) {
        m_connection->disconnect(this);
        m_connection->abort({});
        m_connection->deleteLater();
    }
    failEverything(error ? error : Error(ErrorKind::Cancelled, QStringLiteral("Cancelled")));
    if (error && wasOpen)
        Q_EMIT errorOccurred(error);
    Q_EMIT closed();
}

void ImapSession::onConnectionError(const Error &error)
{
    if (m_state == State::LoggingOut || m_state == State::Closed) {
        abort();
        return;
    }
    Error reported = error;
    if (!m_byeText.isEmpty() && error.kind() == ErrorKind::ClosedByPeer) {
        reported = Error(ErrorKind::ClosedByPeer,
                         QStringLiteral("%1 ended the session: %2")
                             .arg(m_settings.connection.host, quoteForMessage(m_byeText)));
    }
    abort(reported);
}

void ImapSession::track(ImapCommand *command)
{
    command->setParent(this);
    command->m_session = this;
    connect(command, &QObject::destroyed, this, [this, command] { forget(command); });
}

// The caller deleted a command it had queued (a cancelled fetch, say).
void ImapSession::forget(ImapCommand *command)
{
    m_queue.removeOne(command);
    m_running.removeOne(command);
    if (m_sending.command == command) {
        // Half a command is on the wire; the server would take the next one as its rest.
        m_sending = {};
        abort(Error(ErrorKind::Cancelled,
                    QStringLiteral("A command was cancelled while it was being sent")));
    }
}

// The polite end after LOGOUT.
void ImapSession::onConnectionClosed()
{
    abort();
}

void ImapSession::enqueue(ImapCommand *command)
{
    track(command);
    if (m_state == State::Closed || m_state == State::LoggingOut) {
        command->m_session = this;
        command->handleAbort(
            Error(ErrorKind::Cancelled, QStringLiteral("The IMAP session is closed")));
        return;
    }
    m_queue.append(command);
    pump();
}

void ImapSession::sendInternal(ImapCommand *command)
{
    track(command);
    send(command);
}

void ImapSession::pump()
{
    if (m_state != State::Ready || m_dispatching)
        return;
    while (!m_queue.isEmpty() && m_sending.command == nullptr) {
        ImapCommand *next = m_queue.first();
        if (!m_running.isEmpty()) {
            ImapCommand *last = m_running.last();
            const bool exclusive = next->scheduling() == ImapCommand::Scheduling::Exclusive ||
                                   last->scheduling() == ImapCommand::Scheduling::Exclusive;
            if (exclusive || m_running.size() >= m_settings.maxPipelined) {
                // Something waits: an IDLE must end for it (RFC 2177).
                if (auto *idle = qobject_cast<IdleCommand *>(last))
                    idle->stop();
                return;
            }
        }
        m_queue.removeFirst();
        send(next);
    }
}

void ImapSession::send(ImapCommand *command)
{
    command->m_session = this;
    command->m_tag = 'A' + QByteArray::number(m_nextTag++);
    m_running.append(command);
    updateLimits();
    // RFC 3501 6.3.1: SELECT leaves the old mailbox even when it fails.
    if (qobject_cast<SelectCommand *>(command))
        m_selected = {};
    m_sending = {command, command->command(), 0, false};
    writePieces();
}

void ImapSession::writePieces()
{
    Sending &sending = m_sending;
    const bool literalPlus = hasCapability("LITERAL+");
    const bool literalMinus = hasCapability("LITERAL-");
    while (sending.command) {
        const qsizetype index = sending.nextPiece;
        QByteArray line = sending.text.pieces.value(index);
        if (index == 0)
            line.prepend(sending.command->m_tag + ' ');
        if (index >= sending.text.literals.size()) {
            m_connection->sendLine(line);
            sending = {};
            return;
        }
        const QByteArray &literal = sending.text.literals.at(index);
        const bool nonSynchronising =
            literalPlus || (literalMinus && literal.size() <= kLiteralMinusLimit);
        line += '{' + QByteArray::number(literal.size()) + (nonSynchronising ? "+}" : "}");
        m_connection->sendLine(line);
        if (!nonSynchronising) {
            sending.awaitingContinuation = true;
            return;
        }
        m_connection->sendBytes(literal);
        ++sending.nextPiece;
    }
}

void ImapSession::onReadyRead()
{
    if (!m_parser || m_dispatching)
        return;
    m_dispatching = true;
    QPointer<ImapSession> alive(this);
    while (alive && m_state != State::Closed && m_parser) {
        const ResponseParser::Event event = m_parser->next();
        if (event == ResponseParser::Event::NeedMore)
            break;
        if (event == ResponseParser::Event::Error) {
            const Error error = m_parser->error();
            m_dispatching = false;
            abort(Error(error.kind(),
                        QStringLiteral("%1: %2").arg(m_settings.connection.host, error.message())));
            return;
        }
        if (event == ResponseParser::Event::LiteralChunk)
            dispatchChunk(m_parser->takeChunk());
        else
            dispatch(m_parser->takeResponse());
    }
    if (!alive)
        return;
    m_dispatching = false;
    pump();
}

void ImapSession::dispatch(const Response &response)
{
    switch (response.kind) {
    case ResponseKind::Continuation:
        if (m_sending.command && m_sending.awaitingContinuation) {
            m_sending.awaitingContinuation = false;
            m_connection->sendBytes(m_sending.text.literals.at(m_sending.nextPiece));
            ++m_sending.nextPiece;
            writePieces();
            return;
        }
        if (!m_running.isEmpty()) {
            m_running.last()->handleContinuation(response);
            return;
        }
        abort(Error(ErrorKind::ProtocolError,
                    QStringLiteral("%1 sent a continuation request nobody asked for")
                        .arg(m_settings.connection.host)));
        return;
    case ResponseKind::Tagged:
        for (ImapCommand *command : std::as_const(m_running)) {
            if (command->m_tag == response.tag) {
                complete(command, response);
                return;
            }
        }
        qCWarning(lcImap) << "ignoring a completion for unknown tag" << response.tag;
        return;
    case ResponseKind::Untagged:
        dispatchUntagged(response);
        return;
    }
}

void ImapSession::dispatchUntagged(const Response &response)
{
    // The session's own bookkeeping happens whoever takes the response.
    if (response.status == ResponseStatus::Bye)
        m_byeText = response.text;
    if (response.isStatus() && response.code.is("ALERT"))
        Q_EMIT alert(QString::fromUtf8(response.text));
    if (response.isUntagged("CAPABILITY"))
        m_capabilities = parseCapabilities(response.data);
    if (response.isStatus() && response.code.is("CAPABILITY"))
        m_capabilities = parseCapabilities(response.code.arguments);
    if (m_selected.isValid()) {
        if (response.hasNumber && response.name == "EXISTS")
            m_selected.exists = response.number;
        else if (response.hasNumber && response.name == "EXPUNGE" && m_selected.exists > 0)
            --m_selected.exists;
        else if (response.isUntagged("VANISHED")) {
            const std::optional<VanishedData> vanished = parseVanished(response);
            if (vanished && !vanished->earlier)
                m_selected.exists -=
                    quint32(std::min<quint64>(m_selected.exists, vanished->uids.count()));
        }
    }

    for (const QPointer<ImapCommand> &command : guarded(m_running)) {
        if (command && command->handleUntagged(response))
            return;
    }
    announceUntagged(response);
}

void ImapSession::announceUntagged(const Response &response)
{
    if (response.hasNumber && response.name == "EXISTS") {
        Q_EMIT exists(response.number);
    } else if (response.hasNumber && response.name == "EXPUNGE") {
        Q_EMIT expunged(response.number);
    } else if (response.isUntagged("VANISHED")) {
        if (const std::optional<VanishedData> data = parseVanished(response))
            Q_EMIT vanished(*data);
    } else if (response.hasNumber && response.name == "FETCH") {
        if (const std::optional<FetchData> data = parseFetch(response.number, response.data))
            Q_EMIT messageChanged(*data);
    } else if (response.isStatus() && m_selected.isValid()) {
        if (response.code.is("UIDNEXT")) {
            if (const auto value = numericCode(response.code))
                m_selected.uidNext = quint32(*value);
        } else if (response.code.is("HIGHESTMODSEQ")) {
            if (const auto value = numericCode(response.code))
                m_selected.highestModSeq = *value;
        }
    }
}

void ImapSession::dispatchChunk(const LiteralChunk &chunk)
{
    for (const QPointer<ImapCommand> &command : guarded(m_running)) {
        if (command && command->handleChunk(chunk))
            return;
    }
    qCDebug(lcImap) << "dropping" << chunk.data.size() << "bytes of a literal nobody wants";
}

void ImapSession::complete(ImapCommand *command, const Response &response)
{
    m_running.removeOne(command);
    if (m_sending.command == command)
        m_sending = {}; // refused before its literal went out
    updateLimits();
    command->m_completion = response;
    command->handleCompletion(response);
    if (command->isFinished() && command->autoDelete())
        command->deleteLater();
}

void ImapSession::failEverything(const Error &error)
{
    const QList<QPointer<ImapCommand>> commands = guarded(m_running + m_queue);
    m_running.clear();
    m_queue.clear();
    m_sending = {};
    for (const QPointer<ImapCommand> &command : commands) {
        if (command)
            command->handleAbort(error);
    }
}

void ImapSession::updateLimits()
{
    if (!m_parser)
        return;
    ParserLimits limits = m_parser->limits();
    limits.maxLiteralSize = ImapCommand::kDefaultMaxLiteralSize;
    for (const ImapCommand *command : std::as_const(m_running))
        limits.maxLiteralSize = std::max(limits.maxLiteralSize, command->maxLiteralSize());
    m_parser->setLimits(limits);
}

} // namespace wharf::imap
