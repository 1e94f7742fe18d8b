#include "ScriptedServer.h"

#include <QFile>
#include <QSslSocket>
#include <QTcpServer>

#include <functional>
#include <utility>

namespace wharf::test {

namespace {

using Kind = ScenarioStep::Kind;

// Hands each accepted descriptor to a callback so the server can wrap it in a QSslSocket.
class DescriptorServer : public QTcpServer
{
public:
    DescriptorServer(std::function<void(qintptr)> handler, QObject *parent)
        : QTcpServer(parent)
        , m_handler(std::move(handler))
    {}

protected:
    void incomingConnection(qintptr descriptor) override { m_handler(descriptor); }

private:
    std::function<void(qintptr)> m_handler;
};

QString nameOr(const QString &name, const QString &fallback)
{
    return name.isEmpty() ? fallback : name;
}

} // namespace

ScriptedServer::ScriptedServer(const QString &scenario, const Options &options, QObject *parent)
    : ScriptedServer(Scenario::parse(scenario), options,
                     nameOr(options.name, QStringLiteral("scenario")), parent)
{}

ScriptedServer::ScriptedServer(Scenario scenario, const Options &options, const QString &name,
                               QObject *parent)
    : QObject(parent)
    , m_scenario(std::move(scenario))
    , m_options(options)
    , m_name(name)
{
    if (!m_scenario.error.isEmpty()) {
        m_failure = m_name + QStringLiteral(": ") + m_scenario.error;
        return;
    }
    if (m_options.implicitTls) {
        ScenarioStep handshake;
        handshake.kind = Kind::StartTls;
        handshake.source = QStringLiteral("(implicit TLS handshake after accept)");
        m_scenario.steps.prepend(handshake);
    }
}

ScriptedServer ScriptedServer::fromFile(const QString &path, const Options &options,
                                        QObject *parent)
{
    Scenario scenario;
    QFile file(path);
    if (file.open(QIODevice::ReadOnly))
        scenario = Scenario::parse(QString::fromUtf8(file.readAll()));
    else
        scenario.error = QStringLiteral("cannot read the scenario file: ") + file.errorString();
    return ScriptedServer(std::move(scenario), options, nameOr(options.name, path), parent);
}

ScriptedServer::~ScriptedServer()
{
    const QString problem = problemReport();
    const auto sockets = findChildren<QSslSocket *>(Qt::FindDirectChildrenOnly);
    for (QSslSocket *socket : sockets) {
        socket->disconnect(this);
        socket->abort();
    }
    if (!m_failOnDestruction || m_reported || problem.isEmpty() || !QTest::currentTestFunction() ||
        QTest::currentTestFailed())
        return;
    const int line = m_next < m_scenario.steps.size() ? m_scenario.steps.at(m_next).line : 0;
    QTest::qFail(qPrintable(QStringLiteral("ScriptedServer destroyed with a failed or "
                                           "unconsumed scenario: ") +
                            problem),
                 m_name.toUtf8().constData(), line);
}

bool ScriptedServer::listen()
{
    if (!m_failure.isEmpty())
        return false;
    if (m_controlServer)
        return true;
    if (m_scenario.needsTls()) {
        QString error;
        if (!loadServerTlsConfiguration(m_options.certificate, m_options.certificatePath,
                                        m_options.keyPath, &m_tlsConfiguration, &error)) {
            fail(m_name + QStringLiteral(": ") + error);
            return false;
        }
        m_tlsLoaded = true;
        if (m_options.dataCertificate) {
            if (!loadServerTlsConfiguration(*m_options.dataCertificate, {}, {},
                                            &m_dataTlsConfiguration, &error)) {
                fail(m_name + QStringLiteral(": ") + error);
                return false;
            }
            m_dataTlsLoaded = true;
        }
    }
    m_controlServer = new DescriptorServer([this](qintptr fd) { onControlConnection(fd); }, this);
    m_dataServer = new DescriptorServer([this](qintptr fd) { onDataConnection(fd); }, this);
    for (QTcpServer *server : {m_controlServer, m_dataServer}) {
        if (!server->listen(QHostAddress::LocalHost, 0)) {
            fail(QStringLiteral("cannot listen on 127.0.0.1: ") + server->errorString());
            return false;
        }
    }
    return true;
}

quint16 ScriptedServer::port() const
{
    return m_controlServer ? m_controlServer->serverPort() : 0;
}

quint16 ScriptedServer::dataPort() const
{
    return m_dataServer ? m_dataServer->serverPort() : 0;
}

bool ScriptedServer::isFinished() const
{
    return m_control && m_failure.isEmpty() && m_next >= m_scenario.steps.size();
}

QString ScriptedServer::status() const
{
    if (hasFailed())
        return QStringLiteral("failed: ") + m_failure;
    if (!m_controlServer)
        return m_name + QStringLiteral(": not listening (listen() not called?)");
    if (!m_control)
        return m_name + QStringLiteral(": no client connected to 127.0.0.1:%1").arg(port());
    if (isFinished())
        return m_name + QStringLiteral(": finished");
    const ScenarioStep &step = m_scenario.steps.at(m_next);
    QString text =
        QStringLiteral("%1:%2: waiting at `%3`").arg(m_name).arg(step.line).arg(step.source);
    if (step.kind == Kind::AcceptData && !m_data)
        text += QStringLiteral("; no connection to data port %1 yet").arg(dataPort());
    if (step.kind == Kind::ConnectData && m_connecting)
        text += QStringLiteral("; still connecting to the client's EPRT/PORT address");
    if (step.kind == Kind::StartTls && m_controlTls == Tls::Handshaking)
        text += QStringLiteral("; TLS handshake in progress");
    if (step.kind == Kind::DataExpect)
        text += QStringLiteral("; data connection still open, received so far: ") +
                describeBytes(m_dataBuffer);
    if (m_receivedLines.isEmpty())
        text += QStringLiteral("; no client line received yet");
    else
        text += QStringLiteral("; last client line: ") + describeBytes(m_receivedLines.last());
    if (!m_inBuffer.isEmpty())
        text += QStringLiteral("; unterminated client input: ") + describeBytes(m_inBuffer);
    return text;
}

bool ScriptedServer::verifyConsumed(const char *file, int line)
{
    const QString problem = problemReport();
    if (problem.isEmpty())
        return true;
    m_reported = true;
    QTest::qFail(qPrintable(problem), file, line);
    return false;
}

QString ScriptedServer::problemReport() const
{
    if (hasFailed())
        return m_failure;
    if (!isFinished())
        return QStringLiteral("scenario not consumed: ") + status();
    return {};
}

QSslSocket *ScriptedServer::adoptSocket(qintptr descriptor)
{
    auto *socket = new QSslSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        fail(QStringLiteral("cannot adopt an accepted socket: ") + socket->errorString());
        delete socket;
        return nullptr;
    }
    if (m_tlsLoaded)
        socket->setSslConfiguration(m_tlsConfiguration);
    // Only fatal alerts are interesting; close_notify is a warning-level alert.
    connect(socket, &QSslSocket::alertReceived, this,
            [this](QSsl::AlertLevel level, QSsl::AlertType, const QString &description) {
                if (level == QSsl::AlertLevel::Fatal)
                    m_tlsAlert = QStringLiteral("client sent TLS alert: ") + description;
            });
    connect(socket, &QSslSocket::alertSent, this,
            [this](QSsl::AlertLevel level, QSsl::AlertType, const QString &description) {
                if (level == QSsl::AlertLevel::Fatal)
                    m_tlsAlert = QStringLiteral("server sent TLS alert: ") + description;
            });
    return socket;
}

void ScriptedServer::watchTls(QSslSocket *socket, Tls *state)
{
    connect(socket, &QSslSocket::encrypted, this, [this, state] {
        *state = Tls::Encrypted;
        advance();
    });
    connect(socket, &QAbstractSocket::errorOccurred, this, [this, socket, state] {
        if (*state == Tls::Handshaking)
            onTlsFailure(socket, state, socket->errorString());
    });
}

void ScriptedServer::onTlsFailure(QSslSocket *socket, Tls *state, const QString &message)
{
    *state = Tls::Failed;
    m_tlsError = m_tlsAlert.isEmpty()
                     ? message
                     : message + QStringLiteral(" (") + m_tlsAlert + QStringLiteral(")");
    socket->abort(); // a failed handshake leaves nothing usable; make sure the client sees it
    advance();
}

void ScriptedServer::onControlConnection(qintptr descriptor)
{
    QSslSocket *socket = adoptSocket(descriptor);
    if (!socket)
        return;
    if (m_control) {
        socket->abort();
        socket->deleteLater();
        fail(m_name + QStringLiteral(": a second client connection was made; a ScriptedServer "
                                     "serves exactly one control connection"));
        return;
    }
    m_control = socket;
    connect(socket, &QSslSocket::readyRead, this, [this] {
        readControl();
        advance();
    });
    connect(socket, &QSslSocket::disconnected, this, [this] {
        readControl();
        m_controlClosed = true;
        if (m_controlTls == Tls::Handshaking)
            onTlsFailure(m_control, &m_controlTls,
                         QStringLiteral("the client closed the connection during the handshake"));
        advance();
    });
    watchTls(socket, &m_controlTls);
    advance();
}

void ScriptedServer::readControl()
{
    if (m_control->bytesAvailable() > 0) // readAll() warns after abort()
        m_inBuffer += m_control->readAll();
    qsizetype newline = 0;
    while ((newline = m_inBuffer.indexOf('\n')) >= 0) {
        QByteArray line = m_inBuffer.left(newline);
        m_inBuffer.remove(0, newline + 1);
        if (!line.endsWith('\r')) {
            fail(m_name + QStringLiteral(": client line not terminated by CRLF: ") +
                 describeBytes(line + '\n'));
            line.append('\r');
        }
        line.chop(1);
        m_receivedLines.append(line);
        m_lines.append(line);
    }
}

void ScriptedServer::onDataConnection(qintptr descriptor)
{
    // Kept unread until ACCEPT-DATA claims it: with DATA-TLS the bytes are a ClientHello.
    if (QSslSocket *socket = adoptSocket(descriptor)) {
        if (m_dataTlsLoaded)
            socket->setSslConfiguration(m_dataTlsConfiguration);
        m_pendingData.append(socket);
        advance();
    }
}

void ScriptedServer::readData()
{
    if (!m_data || m_data->bytesAvailable() <= 0) // readAll() warns after abort()
        return;
    const QByteArray bytes = m_data->readAll();
    m_dataBuffer += bytes;
    m_receivedData += bytes;
}

void ScriptedServer::retireDataSocket()
{
    QSslSocket *socket = m_data;
    m_data = nullptr;
    if (!socket)
        return;
    socket->disconnect(this);
    connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
    socket->disconnectFromHost(); // flushes pending writes (and sends close_notify with TLS)
    if (socket->state() == QAbstractSocket::UnconnectedState)
        socket->deleteLater();
}

} // namespace wharf::test
