#include "protocols/ftp/FtpSession.h"

#include "core/Logging.h"
#include "protocols/ftp/FtpCommand.h"
#include "protocols/ftp/FtpOpening.h"
#include "protocols/ftp/commands/SimpleCommands.h"

#include <QTcpServer>

#include <utility>

namespace wharf::ftp {

namespace {

// The data connection waits on the server as long as the control connection does.
constexpr int kSecond = 1000;

// Hands each connection to the data command; QTcpServer's own pending-connection queue
// would wrap it in a QTcpSocket that the TLS client could not take over.
class DataListener : public QTcpServer
{
public:
    DataListener(std::function<void(qintptr)> handler, QObject *parent)
        : QTcpServer(parent)
        , m_handler(std::move(handler))
    {}

protected:
    void incomingConnection(qintptr descriptor) override { m_handler(descriptor); }

private:
    std::function<void(qintptr)> m_handler;
};

bool isLineSafe(const QByteArray &line)
{
    // A name with CR or LF would end the command early and start another one the user never
    // asked for; NUL ends it in C servers.
    return !line.contains('\r') && !line.contains('\n') && !line.contains('\0');
}

} // namespace

FtpSession::FtpSession(const FtpSessionSettings &settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
{
    m_settings.connection.keepTlsSession = true;
    m_keepAlive.setSingleShot(true);
    connect(&m_keepAlive, &QTimer::timeout, this, &FtpSession::onKeepAlive);
}

FtpSession::~FtpSession()
{
    m_keepAlive.stop();
    if (m_connection)
        m_connection->disconnect(this);
    const QList<FtpCommand *> commands = m_setup + m_queue;
    for (FtpCommand *command : commands)
        command->m_session = nullptr;
    if (m_running)
        m_running->m_session = nullptr;
}

void FtpSession::setState(State state)
{
    m_state = state;
}

QByteArray FtpSession::wirePath(const QString &path)
{
    return path.toUtf8();
}

void FtpSession::open()
{
    if (m_state != State::Disconnected)
        return;
    setState(State::Connecting);
    m_connection = new net::Connection(m_settings.connection, this);
    connect(m_connection, &net::Connection::protocolLog, this, &FtpSession::protocolLog);
    connect(m_connection, &net::Connection::certificateDecisionRequested, this,
            &FtpSession::certificateDecisionRequested);
    connect(m_connection, &net::Connection::sessionTicketReceived, this,
            [this] { rememberTicket(m_connection->sessionTicket()); });
    m_opening = new FtpOpening(m_connection, this);
    connect(m_opening, &net::OpeningHandshake::finished, this, &FtpSession::onOpened);
    connect(m_opening, &net::OpeningHandshake::errorOccurred, this, &FtpSession::onConnectionError);
    m_opening->start();
}

void FtpSession::acceptCertificate()
{
    if (m_connection)
        m_connection->acceptCertificate();
}

void FtpSession::rejectCertificate()
{
    if (m_connection)
        m_connection->rejectCertificate();
}

void FtpSession::onOpened(const net::ServerInfo &info)
{
    m_opening->deleteLater();
    m_features = FeatureSet::fromLines(info.capabilities);
    connect(m_connection, &net::Connection::readyRead, this, &FtpSession::onReadyRead);
    connect(m_connection, &net::Connection::errorOccurred, this, &FtpSession::onConnectionError);
    connect(m_connection, &net::Connection::closed, this, &FtpSession::onConnectionClosed);
    setState(State::LoggingIn);
    runSetup();
}

void FtpSession::runSetup()
{
    if (m_settings.user.isEmpty()) {
        abort(Error(
            ErrorKind::AuthenticationFailed,
            QStringLiteral("No user name to log in to %1 with").arg(m_settings.connection.host)));
        return;
    }
    struct Step
    {
        FtpCommand *command;
        bool optional;
    };
    QList<Step> steps{{new LoginCommand(m_settings.user, m_settings.password), false}};
    if (m_connection->isEncrypted()) {
        // RFC 4217: PBSZ 0 must come before PROT; PROT P makes data connections TLS too.
        steps.append({new SingleLineCommand("PBSZ", "0"), false});
        steps.append({new SingleLineCommand("PROT", "P"), false});
    }
    // Some servers refuse SYST (500/502) or answer it before login only: not needed.
    auto *syst = new SingleLineCommand("SYST");
    steps.append({syst, true});
    connect(syst, &FtpCommand::finished, this, [this, syst] {
        if (!syst->error() && syst->lastReply().code == 215)
            m_systemType = syst->lastReply().text().trimmed();
    });
    // RFC 2640: servers that list UTF8 may still want it switched on (IIS, older ProFTPD).
    if (m_features.has("UTF8"))
        steps.append({new SingleLineCommand("OPTS", "UTF8 ON"), true});
    steps.append({new SingleLineCommand("TYPE", "I"), false});
    auto *pwd = new PrintDirectoryCommand;
    steps.append({pwd, true});
    connect(pwd, &FtpCommand::finished, this, [this, pwd] { m_home = pwd->path(); });
    for (const Step &step : steps) {
        FtpCommand *command = step.command;
        command->setParent(this);
        command->m_session = this;
        connect(command, &FtpCommand::finished, this, [this, command, optional = step.optional] {
            setupStepFinished(command, optional);
        });
        m_setup.append(command);
    }
    schedulePump();
}

void FtpSession::setupStepFinished(FtpCommand *command, bool optional)
{
    if (command->error() && !optional) {
        Error error = command->error();
        abort(error);
        return;
    }
    if (command->name() == "PROT")
        m_protected = true;
    if (m_setup.isEmpty() && m_state == State::LoggingIn) {
        setState(State::Ready);
        Q_EMIT ready();
    }
}

void FtpSession::enqueue(FtpCommand *command)
{
    command->setParent(this);
    command->m_session = this;
    if (m_state == State::Closed || m_state == State::Quitting) {
        command->fail(
            Error(ErrorKind::ClosedByPeer, QStringLiteral("%1: the FTP session has ended")
                                               .arg(QString::fromLatin1(command->name()))));
        return;
    }
    m_queue.append(command);
    schedulePump();
}

void FtpSession::schedulePump()
{
    if (m_pumpScheduled)
        return;
    m_pumpScheduled = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_pumpScheduled = false;
            pump();
        },
        Qt::QueuedConnection);
}

void FtpSession::pump()
{
    if (m_running || !m_connection)
        return;
    FtpCommand *next = nullptr;
    if (!m_setup.isEmpty() && m_state == State::LoggingIn)
        next = m_setup.takeFirst();
    else if (!m_queue.isEmpty() && m_state == State::Ready)
        next = m_queue.takeFirst();
    if (!next) {
        if (m_state == State::Ready && m_quitRequested) {
            sendQuit();
        } else if (m_state == State::Ready && m_settings.keepAliveSeconds > 0) {
            m_keepAlive.start(m_settings.keepAliveSeconds * kSecond);
        }
        return;
    }
    m_keepAlive.stop();
    m_running = next;
    next->start();
}

void FtpSession::sendLine(FtpCommand *command, const QByteArray &line)
{
    if (command != m_running || !m_connection)
        return;
    if (!isLineSafe(line)) {
        command->fail(Error(ErrorKind::Usage,
                            QStringLiteral("%1: a name with a line break or NUL cannot be sent")
                                .arg(QString::fromLatin1(command->name()))));
        return;
    }
    m_connection->sendLine(line);
}

void FtpSession::onReadyRead()
{
    QByteArray line;
    while (m_connection) {
        const net::Connection::ReadResult result = m_connection->readLine(line);
        if (result != net::Connection::ReadResult::Line)
            return;
        switch (m_replyParser.addLine(line)) {
        case net::NumericReplyParser::Result::NeedMore:
            continue;
        case net::NumericReplyParser::Result::Malformed:
            abort(Error(ErrorKind::ProtocolError,
                        QStringLiteral("%1 sent a line that is not an FTP reply: %2")
                            .arg(m_settings.connection.host, quoteForMessage(line))));
            return;
        case net::NumericReplyParser::Result::Complete:
            break;
        }
        const net::NumericReply reply = m_replyParser.take();
        if (reply.code == 421) {
            // RFC 959: the server is shutting the connection down, whatever was asked.
            abort(Error(ErrorKind::ClosedByPeer,
                        QStringLiteral("%1 closed the session: %2")
                            .arg(m_settings.connection.host, quoteForMessage(reply.toLine()))));
            return;
        }
        if (m_state == State::Quitting) {
            m_connection->close();
            return;
        }
        if (m_running) {
            m_running->handleReply(reply);
        } else {
            qCDebug(lcNet) << "FTP reply nobody waited for:" << reply.toLine();
        }
    }
}

void FtpSession::commandFinished(FtpCommand *command)
{
    command->m_session = nullptr;
    if (command == m_running)
        m_running = nullptr;
    m_queue.removeOne(command);
    m_setup.removeOne(command);
    schedulePump();
}

void FtpSession::cancelCommand(FtpCommand *command)
{
    if (command == m_running)
        return; // a running command decides how to get back in step (see DataCommand)
    if (m_queue.removeOne(command)) {
        command->m_session = nullptr;
        command->fail(
            Error(ErrorKind::Cancelled,
                  QStringLiteral("%1 was cancelled").arg(QString::fromLatin1(command->name()))));
    }
}

void FtpSession::quit()
{
    if (m_state == State::Closed || m_state == State::Quitting)
        return;
    if (m_state == State::Disconnected) {
        setState(State::Closed);
        Q_EMIT closed();
        return;
    }
    m_quitRequested = true;
    schedulePump();
}

void FtpSession::sendQuit()
{
    m_keepAlive.stop();
    setState(State::Quitting);
    m_connection->sendLine("QUIT");
}

void FtpSession::onKeepAlive()
{
    if (m_state == State::Ready && !m_running && m_queue.isEmpty())
        enqueue(new NoopCommand);
}

void FtpSession::abort(const Error &error)
{
    if (m_state == State::Closed)
        return;
    setState(State::Closed);
    m_keepAlive.stop();
    if (m_connection) {
        m_connection->disconnect(this);
        m_connection->abort({});
        m_connection->deleteLater();
    }
    failEverything(
        error ? error : Error(ErrorKind::Cancelled, QStringLiteral("The FTP session was closed")));
    if (error)
        Q_EMIT errorOccurred(error);
    Q_EMIT closed();
}

void FtpSession::failEverything(const Error &error)
{
    QList<FtpCommand *> commands = m_setup + m_queue;
    if (m_running)
        commands.prepend(m_running);
    m_setup.clear();
    m_queue.clear();
    m_running = nullptr;
    for (FtpCommand *command : commands) {
        command->m_session = nullptr;
        command->handleAbort(error);
    }
}

void FtpSession::onConnectionError(const Error &error)
{
    abort(error);
}

void FtpSession::onConnectionClosed()
{
    if (m_state == State::Quitting) {
        setState(State::Closed);
        failEverything(Error(ErrorKind::Cancelled, QStringLiteral("The FTP session was closed")));
        Q_EMIT closed();
        return;
    }
    abort(Error(ErrorKind::ClosedByPeer,
                QStringLiteral("%1 closed the connection").arg(m_settings.connection.host)));
}

void FtpSession::rememberTicket(const QByteArray &ticket)
{
    if (!ticket.isEmpty())
        m_tlsTicket = ticket;
}

net::ConnectionSettings FtpSession::dataSettings() const
{
    net::ConnectionSettings data;
    const net::ConnectionSettings &control = m_connection->settings();
    // The peer of the control connection, never the address a PASV reply names: a server
    // must not be able to point Wharf at another host (curl CVE-2020-8284).
    data.host = m_connection->peerAddress().toString();
    data.connectTimeoutMs = control.connectTimeoutMs;
    data.idleTimeoutMs = control.idleTimeoutMs;
    data.rawStream = true;
    data.lowDelay = true;
    if (m_protected) {
        data.tlsMode = TlsMode::Implicit;
        data.extraCaFile = control.extraCaFile;
        data.requiredPeerCertificate = m_connection->peerCertificate();
        data.resumeTlsSession = m_tlsTicket.isEmpty() ? m_connection->sessionTicket() : m_tlsTicket;
        data.keepTlsSession = true;
        data.tlsPeerName = control.host;
    } else {
        data.tlsMode = TlsMode::None;
    }
    return data;
}

net::Connection *FtpSession::watchedDataConnection(const net::ConnectionSettings &settings,
                                                   QObject *owner)
{
    auto *connection = new net::Connection(settings, owner);
    connect(connection, &net::Connection::sessionTicketReceived, this,
            [this, connection] { rememberTicket(connection->sessionTicket()); });
    return connection;
}

net::Connection *FtpSession::openDataConnection(quint16 port, QObject *owner)
{
    net::ConnectionSettings data = dataSettings();
    data.port = port;
    net::Connection *connection = watchedDataConnection(data, owner);
    connection->open();
    return connection;
}

QTcpServer *FtpSession::listenForData(QObject *owner, std::function<void(qintptr)> onConnection,
                                      Error *error)
{
    auto *listener = new DataListener(std::move(onConnection), owner);
    const QHostAddress local = m_connection->localAddress();
    if (!listener->listen(local, 0)) {
        *error = Error(ErrorKind::NetworkError,
                       QStringLiteral("Cannot listen for the data connection on %1: %2")
                           .arg(local.toString(), listener->errorString()));
        delete listener;
        return nullptr;
    }
    return listener;
}

net::Connection *FtpSession::adoptDataConnection(qintptr socketDescriptor, QObject *owner,
                                                 Error *refusal)
{
    const net::ConnectionSettings data = dataSettings();
    net::Connection *connection = watchedDataConnection(data, owner);
    connection->openAccepted(socketDescriptor);
    // Compared before anything is sent (the TLS handshake waits for the event loop): the
    // port is open to everyone who can reach this host, and only the server may use it.
    const QHostAddress peer = connection->peerAddress();
    if (peer.isEqual(QHostAddress(data.host), QHostAddress::TolerantConversion))
        return connection;
    *refusal =
        Error(ErrorKind::SecurityViolation,
              QStringLiteral("A data connection came from %1, not from the server %2; "
                             "it was closed")
                  .arg(peer.isNull() ? QStringLiteral("an unknown address") : peer.toString(),
                       data.host));
    connection->disconnect(this);
    connection->abort({});
    delete connection;
    return nullptr;
}

} // namespace wharf::ftp
