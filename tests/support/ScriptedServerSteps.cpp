// Scenario execution of ScriptedServer: one function per kind of directive.
#include "ScriptedServer.h"

#include <QSslSocket>

namespace wharf::test {

using Kind = ScenarioStep::Kind;

void ScriptedServer::fail(const QString &message)
{
    if (!m_failure.isEmpty())
        return;
    m_failure = message;
    Q_EMIT failed(message);
    // Let the client notice at once instead of waiting for replies that will never come.
    if (m_control)
        m_control->abort();
    if (m_data)
        m_data->abort();
    if (m_connecting)
        m_connecting->abort();
}

ScriptedServer::Progress ScriptedServer::failStep(const ScenarioStep &step, const QString &message)
{
    fail(QStringLiteral("%1:%2: `%3`: %4").arg(m_name).arg(step.line).arg(step.source, message));
    return Progress::Wait;
}

QByteArray ScriptedServer::expand(const QByteArray &bytes) const
{
    if (!bytes.contains("${"))
        return bytes;
    const QByteArray portPair =
        QByteArray::number(dataPort() / 256) + ',' + QByteArray::number(dataPort() % 256);
    QByteArray out = bytes;
    out.replace("${PASV_PORT}", portPair);
    out.replace("${PASV}", QByteArrayLiteral("127,0,0,1,") + portPair);
    out.replace("${PORT}", QByteArray::number(port()));
    out.replace("${DATA_PORT}", QByteArray::number(dataPort()));
    return out;
}

void ScriptedServer::advance()
{
    if (!m_control)
        return;
    if (m_running) {
        m_runAgain = true; // a socket signal fired synchronously inside a step
        return;
    }
    m_running = true;
    do {
        m_runAgain = false;
        while (!hasFailed() && m_next < m_scenario.steps.size()) {
            if (runStep(m_scenario.steps.at(m_next)) == Progress::Wait)
                break;
            ++m_next;
            m_stepEntered = false;
        }
    } while (m_runAgain && !hasFailed());
    m_running = false;
    if (isFinished() && !m_finishedEmitted) {
        m_finishedEmitted = true;
        Q_EMIT finished();
    }
}

ScriptedServer::Progress ScriptedServer::runStep(const ScenarioStep &step)
{
    switch (step.kind) {
    case Kind::Send:
        if (m_controlClosed)
            return failStep(step, QStringLiteral("cannot send: the client closed the connection"));
        m_control->write(expand(step.bytes)); // one write call for a whole group of S: lines
        return Progress::Done;
    case Kind::ExpectLine:
    case Kind::ExpectMatch:
        return expectLine(step);
    case Kind::StartTls:
        return runStartTls(step);
    case Kind::Close:
        m_control->disconnectFromHost();
        return Progress::Done;
    case Kind::ExpectClose:
        if (!m_lines.isEmpty())
            return failStep(step, QStringLiteral("unexpected client line while waiting for the "
                                                 "client to close: ") +
                                      describeBytes(m_lines.first()));
        if (!m_controlClosed && m_controlTls != Tls::Failed)
            return Progress::Wait;
        if (!m_inBuffer.isEmpty())
            return failStep(step, QStringLiteral("the client closed after an unterminated line: ") +
                                      describeBytes(m_inBuffer));
        return Progress::Done;
    case Kind::DataTls:
        m_dataTls = true;
        return Progress::Done;
    case Kind::AcceptData:
        return runAcceptData(step);
    case Kind::ConnectData:
        return runConnectData(step);
    case Kind::DataSend:
        if (!m_data)
            return failStep(step, QStringLiteral("no data connection (missing ACCEPT-DATA?)"));
        if (m_dataClosed)
            return failStep(step, QStringLiteral("the client closed the data connection"));
        m_data->write(expand(step.bytes));
        return Progress::Done;
    case Kind::DataClose:
        if (!m_data)
            return failStep(step, QStringLiteral("no data connection (missing ACCEPT-DATA?)"));
        retireDataSocket();
        return Progress::Done;
    case Kind::DataExpect:
        return runDataExpect(step);
    }
    return failStep(step, QStringLiteral("internal error: unknown step kind"));
}

ScriptedServer::Progress ScriptedServer::expectLine(const ScenarioStep &step)
{
    if (m_lines.isEmpty()) {
        if (!m_controlClosed)
            return Progress::Wait;
        QString message = QStringLiteral("the client closed the connection instead of sending "
                                         "the expected line");
        if (!m_inBuffer.isEmpty())
            message += QStringLiteral(" (unterminated input: ") + describeBytes(m_inBuffer) + u')';
        return failStep(step, message);
    }
    const QByteArray actual = m_lines.takeFirst();
    if (step.kind == Kind::ExpectLine) {
        const QByteArray expected = expand(step.bytes);
        if (actual != expected)
            return failStep(step, QStringLiteral("client line mismatch\n   expected: ") +
                                      describeBytes(expected) + QStringLiteral("\n   actual:   ") +
                                      describeBytes(actual));
    } else if (!step.pattern.match(QString::fromUtf8(actual)).hasMatch()) {
        return failStep(step, QStringLiteral("client line does not match\n   pattern: ") +
                                  step.pattern.pattern() + QStringLiteral("\n   actual:  ") +
                                  describeBytes(actual));
    }
    return Progress::Done;
}

ScriptedServer::Progress ScriptedServer::runStartTls(const ScenarioStep &step)
{
    if (!m_stepEntered) {
        m_stepEntered = true;
        if (!m_tlsLoaded)
            return failStep(step, QStringLiteral("TLS is not configured"));
        if (m_controlTls != Tls::Off)
            return failStep(step, QStringLiteral("TLS is already active on this connection"));
        if (!m_lines.isEmpty() || !m_inBuffer.isEmpty()) {
            // Command injection the other way round: the client pipelined cleartext after the
            // command that starts TLS.
            QByteArray pending = m_lines.join("\r\n");
            if (!m_lines.isEmpty())
                pending += "\r\n";
            pending += m_inBuffer;
            return failStep(step, QStringLiteral("the client sent cleartext before the TLS "
                                                 "handshake: ") +
                                      describeBytes(pending));
        }
        if (m_controlClosed) {
            m_controlTls = Tls::Failed;
            m_tlsError = QStringLiteral("the client closed the connection before the handshake");
        } else {
            m_controlTls = Tls::Handshaking;
            m_control->startServerEncryption();
        }
    }
    switch (m_controlTls) {
    case Tls::Encrypted:
        return Progress::Done;
    case Tls::Failed:
        if (m_next + 1 < m_scenario.steps.size() &&
            m_scenario.steps.at(m_next + 1).kind == Kind::ExpectClose)
            return Progress::Done; // the client was expected to give up (e.g. bad certificate)
        return failStep(step, QStringLiteral("TLS handshake failed: ") + m_tlsError);
    default:
        return Progress::Wait;
    }
}

ScriptedServer::Progress ScriptedServer::runAcceptData(const ScenarioStep &step)
{
    if (!m_stepEntered) {
        m_stepEntered = true;
        retireDataSocket(); // the previous transfer's connection, if still open
    }
    if (!m_data) {
        while (!m_pendingData.isEmpty() && !m_pendingData.first())
            m_pendingData.removeFirst();
        if (m_pendingData.isEmpty())
            return Progress::Wait;
        claimDataSocket(m_pendingData.takeFirst());
        if (m_dataTls && m_dataClosed)
            return failStep(step, QStringLiteral("the client closed the data connection "
                                                 "before the TLS handshake"));
    }
    return dataTlsProgress(step);
}

std::optional<std::pair<QHostAddress, quint16>> ScriptedServer::activeTarget() const
{
    for (auto line = m_receivedLines.crbegin(); line != m_receivedLines.crend(); ++line) {
        const QByteArray upper = line->toUpper();
        if (upper.startsWith("EPRT ")) {
            // EPRT |1|127.0.0.1|4242| (RFC 2428; the first character is the delimiter)
            const QByteArray argument = line->mid(5);
            const QList<QByteArray> fields =
                argument.split(argument.isEmpty() ? '|' : argument.at(0));
            if (fields.size() != 5)
                return std::nullopt;
            const QHostAddress address(QString::fromLatin1(fields.at(2)));
            bool ok = false;
            const uint port = fields.at(3).toUInt(&ok);
            if (address.isNull() || !ok || port == 0 || port > 65535)
                return std::nullopt;
            return std::pair(address, quint16(port));
        }
        if (upper.startsWith("PORT ")) {
            // PORT h1,h2,h3,h4,p1,p2 (RFC 959)
            const QList<QByteArray> fields = line->mid(5).split(',');
            if (fields.size() != 6)
                return std::nullopt;
            const QHostAddress address(QString::fromLatin1(fields.mid(0, 4).join('.')));
            bool okHigh = false;
            bool okLow = false;
            const uint port = fields.at(4).toUInt(&okHigh) * 256 + fields.at(5).toUInt(&okLow);
            if (address.isNull() || !okHigh || !okLow || port == 0 || port > 65535)
                return std::nullopt;
            return std::pair(address, quint16(port));
        }
    }
    return std::nullopt;
}

ScriptedServer::Progress ScriptedServer::runConnectData(const ScenarioStep &step)
{
    if (!m_stepEntered) {
        m_stepEntered = true;
        retireDataSocket();
        const auto target = activeTarget();
        if (!target)
            return failStep(step, QStringLiteral("the client sent no usable EPRT or PORT line"));
        auto *socket = new QSslSocket(this);
        if (m_tlsLoaded)
            socket->setSslConfiguration(m_dataTlsLoaded ? m_dataTlsConfiguration
                                                        : m_tlsConfiguration);
        const QHostAddress from = step.bytes.isEmpty()
                                      ? QHostAddress(QHostAddress::LocalHost)
                                      : QHostAddress(QString::fromLatin1(step.bytes));
        if (!socket->bind(from, 0)) {
            const QString error = socket->errorString();
            delete socket;
            return failStep(step,
                            QStringLiteral("cannot bind to %1: %2").arg(from.toString(), error));
        }
        m_connecting = socket;
        connect(socket, &QSslSocket::connected, this, [this] { advance(); });
        connect(socket, &QAbstractSocket::errorOccurred, this, [this, socket, step] {
            if (m_connecting == socket)
                failStep(step,
                         QStringLiteral("cannot connect to the client: ") + socket->errorString());
        });
        socket->connectToHost(target->first, target->second);
    }
    if (m_connecting) {
        if (m_connecting->state() != QAbstractSocket::ConnectedState)
            return Progress::Wait;
        claimDataSocket(std::exchange(m_connecting, nullptr));
    }
    return dataTlsProgress(step);
}

void ScriptedServer::claimDataSocket(QSslSocket *socket)
{
    m_data = socket;
    m_dataBuffer.clear();
    m_dataTlsState = Tls::Off;
    m_dataClosed = m_data->state() == QAbstractSocket::UnconnectedState;
    connect(m_data, &QSslSocket::readyRead, this, [this] {
        readData();
        advance();
    });
    connect(m_data, &QSslSocket::disconnected, this, [this] {
        readData();
        m_dataClosed = true;
        if (m_dataTlsState == Tls::Handshaking)
            onTlsFailure(m_data, &m_dataTlsState,
                         QStringLiteral("the client closed the data connection during the "
                                        "handshake"));
        advance();
    });
    watchTls(m_data, &m_dataTlsState);
    if (!m_dataTls) {
        readData(); // bytes that arrived before the data connection was claimed
    } else if (!m_dataClosed) {
        m_dataTlsState = Tls::Handshaking;
        m_data->startServerEncryption();
    }
}

ScriptedServer::Progress ScriptedServer::dataTlsProgress(const ScenarioStep &step)
{
    switch (m_dataTlsState) {
    case Tls::Handshaking:
        return Progress::Wait;
    case Tls::Failed:
        if (m_next + 1 < m_scenario.steps.size() &&
            m_scenario.steps.at(m_next + 1).kind == Kind::DataClose)
            return Progress::Done; // the client was expected to refuse the data certificate
        return failStep(step,
                        QStringLiteral("data connection TLS handshake failed: ") + m_tlsError);
    default:
        return Progress::Done;
    }
}

ScriptedServer::Progress ScriptedServer::runDataExpect(const ScenarioStep &step)
{
    if (!m_data)
        return failStep(step, QStringLiteral("no data connection (missing ACCEPT-DATA?)"));
    const QByteArray expected = expand(step.bytes);
    if (!expected.startsWith(m_dataBuffer) || (m_dataClosed && m_dataBuffer != expected))
        return failStep(step, QStringLiteral("data connection bytes mismatch\n   expected: ") +
                                  describeBytes(expected) + QStringLiteral("\n   actual:   ") +
                                  describeBytes(m_dataBuffer));
    if (!m_dataClosed)
        return Progress::Wait;
    retireDataSocket();
    return Progress::Done;
}

} // namespace wharf::test
