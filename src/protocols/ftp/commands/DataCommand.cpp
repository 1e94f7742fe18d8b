#include "protocols/ftp/commands/DataCommand.h"

#include "core/Logging.h"
#include "net/Connection.h"
#include "protocols/ftp/FtpSession.h"
#include "protocols/ftp/ReplyData.h"

#include <QTcpServer>

namespace wharf::ftp {

namespace {

constexpr qint64 kProgressIntervalMs = 100;

} // namespace

DataCommand::DataCommand(QObject *parent)
    : FtpCommand(parent)
{
    m_acceptTimer.setSingleShot(true);
    connect(&m_acceptTimer, &QTimer::timeout, this, &DataCommand::onAcceptTimeout);
}

void DataCommand::start()
{
    m_sinceProgress.start();
    m_active = session()->settings().activeMode;
    m_usingPort = session()->eprtRefused();
    m_usingPasv = session()->epsvRefused();
    if (m_type && session()->transferType() != *m_type) {
        m_step = Step::Type;
        send(*m_type == TransferType::Ascii ? QByteArray("TYPE A") : QByteArray("TYPE I"));
        return;
    }
    requestDataConnection();
}

void DataCommand::requestDataConnection()
{
    if (m_active)
        sendActive();
    else
        sendPassive();
}

void DataCommand::sendPassive()
{
    m_step = Step::Passive;
    send(m_usingPasv ? QByteArray("PASV") : QByteArray("EPSV"));
}

void DataCommand::sendActive()
{
    m_step = Step::Passive;
    if (!m_listener) {
        Error error;
        m_listener = session()->listenForData(
            this, [this](qintptr descriptor) { onActiveConnection(descriptor); }, &error);
        if (!m_listener) {
            fail(error);
            return;
        }
    }
    const QHostAddress address = m_listener->serverAddress();
    const quint16 port = m_listener->serverPort();
    if (!m_usingPort) {
        const QByteArray argument = eprtArgument(address, port);
        if (argument.isEmpty()) {
            closeListener();
            fail(Error(ErrorKind::NetworkError,
                       QStringLiteral("%1: cannot tell the server where to connect (listening "
                                      "on %2); use passive mode")
                           .arg(QString::fromLatin1(name()), address.toString())));
            return;
        }
        send("EPRT " + argument);
        return;
    }
    const std::optional<QByteArray> argument = portArgument(address, port);
    if (!argument) {
        closeListener();
        fail(Error(ErrorKind::ProtocolError,
                   QStringLiteral("%1: the server refused EPRT, and PORT cannot name the IPv6 "
                                  "address %2; use passive mode")
                       .arg(QString::fromLatin1(name()), address.toString())));
        return;
    }
    send("PORT " + *argument);
}

void DataCommand::handleActiveReply(const net::NumericReply &reply)
{
    if (reply.category() == 2) {
        afterDataAddress();
        return;
    }
    if (!m_usingPort && (reply.code == 500 || reply.code == 502)) {
        // Not implemented: PORT, for the rest of the session too.
        session()->setEprtRefused();
        m_usingPort = true;
        sendActive();
        return;
    }
    closeListener();
    fail(refusal(reply), reply);
}

void DataCommand::onActiveConnection(qintptr socketDescriptor)
{
    Error refusal;
    net::Connection *connection = session()->adoptDataConnection(socketDescriptor, this, &refusal);
    if (!connection) {
        // Someone else raced the server to the port: ignored, the server may still come.
        qCWarning(lcFtp).noquote() << name() << refusal.message();
        return;
    }
    closeListener();
    m_data = connection;
    watchData();
}

void DataCommand::onAcceptTimeout()
{
    if (m_data || !m_listener)
        return;
    const QString where = QStringLiteral("%1:%2")
                              .arg(m_listener->serverAddress().toString())
                              .arg(m_listener->serverPort());
    abortTransfer(Error(ErrorKind::NetworkError,
                        QStringLiteral("%1: the server did not open the data connection to %2 "
                                       "within %3 s (active mode; a firewall or NAT in between "
                                       "stops it, passive mode may work)")
                            .arg(QString::fromLatin1(name()), where)
                            .arg((m_acceptTimer.interval() + 999) / 1000)));
}

void DataCommand::closeListener()
{
    m_acceptTimer.stop();
    if (!m_listener)
        return;
    m_listener->close();
    m_listener->deleteLater();
    m_listener = nullptr;
}

void DataCommand::handleReply(const net::NumericReply &reply)
{
    const int category = reply.category();
    switch (m_step) {
    case Step::Type:
        if (category == 1)
            return;
        if (m_localError) {
            fail(m_localError, reply);
            return;
        }
        if (category != 2) {
            fail(refusal(reply), reply);
            return;
        }
        session()->setTransferType(*m_type);
        requestDataConnection();
        return;
    case Step::Passive:
        if (category == 1)
            return;
        if (m_localError) {
            closeData();
            fail(m_localError, reply);
            return;
        }
        if (m_active) {
            handleActiveReply(reply);
            return;
        }
        if (!m_usingPasv) {
            if (reply.code == 229) {
                const auto port = parseEpsvReply(reply);
                if (!port) {
                    fail(
                        Error(ErrorKind::ProtocolError,
                              QStringLiteral("EPSV: the reply names no port: %1").arg(said(reply))),
                        reply);
                    return;
                }
                onPassivePort(*port);
                return;
            }
            if (category == 5) {
                // 500/502: not implemented; 522: not this network protocol. PASV it is, for
                // the rest of the session too.
                session()->setEpsvRefused();
                m_usingPasv = true;
                sendPassive();
                return;
            }
            fail(refusal(reply), reply);
            return;
        }
        if (reply.code == 227) {
            const auto address = parsePasvReply(reply);
            if (!address) {
                fail(Error(ErrorKind::ProtocolError,
                           QStringLiteral("PASV: the reply names no address: %1").arg(said(reply))),
                     reply);
                return;
            }
            onPassivePort(address->port);
            return;
        }
        fail(refusal(reply), reply);
        return;
    case Step::Restart:
        if (category == 1)
            return;
        if (m_localError) {
            closeData();
            fail(m_localError, reply);
            return;
        }
        if (reply.code == 350) {
            sendTransfer();
            return;
        }
        closeData();
        fail(refusal(reply), reply);
        return;
    case Step::Transfer:
        if (category == 1) {
            transferStarted(reply);
            return;
        }
        if (category == 2) {
            m_serverDone = true;
            m_transferReply = reply;
            maybeComplete();
            return;
        }
        failTransfer(reply);
        return;
    case Step::Aborting:
        if (category == 1)
            return;
        if (m_transferFinal.code == 0)
            m_transferFinal = reply;
        if (reply.code == 200) {
            // The NOOP after ABOR: nothing else of this transfer is coming.
            m_step = Step::Done;
            Error error = m_localError;
            if (error.kind() != ErrorKind::Cancelled && m_transferFinal.category() >= 4) {
                error = Error(error.kind(), QStringLiteral("%1 (the server said %2)")
                                                .arg(error.message(), said(m_transferFinal)));
            }
            fail(error, m_transferFinal);
        }
        return;
    case Step::FollowUp:
        if (category == 1)
            return;
        handleFollowUpReply(reply);
        return;
    case Step::Done:
        return;
    }
}

void DataCommand::onPassivePort(quint16 port)
{
    m_data = session()->openDataConnection(port, this);
    watchData();
    afterDataAddress();
}

void DataCommand::watchData()
{
    connect(m_data, &net::Connection::ready, this, &DataCommand::dataConnectionReady);
    connect(m_data, &net::Connection::readyRead, this, [this] {
        if (m_step != Step::Done)
            consumeData();
        else
            discardData();
    });
    connect(m_data, &net::Connection::closed, this, &DataCommand::onDataClosed);
    connect(m_data, &net::Connection::errorOccurred, this, &DataCommand::onDataError);
}

void DataCommand::afterDataAddress()
{
    // The command goes out while the data connection is being made: the server accepts it
    // when the command arrives, so the two round trips overlap.
    if (restartOffset() > 0) {
        m_step = Step::Restart;
        send("REST " + QByteArray::number(restartOffset()));
        return;
    }
    sendTransfer();
}

void DataCommand::sendTransfer()
{
    m_step = Step::Transfer;
    // Active mode: the server connects once it has the command (pyftpdlib already did at
    // EPRT). It gets as long as a connection Wharf makes.
    if (m_listener && !m_data)
        m_acceptTimer.start(session()->connection()->settings().connectTimeoutMs);
    send(transferLine());
}

QByteArray DataCommand::readData(qint64 maxBytes)
{
    if (!m_data)
        return {};
    if (session() && session()->connection())
        session()->connection()->noteActivity();
    return m_data->readRaw(maxBytes);
}

qint64 DataCommand::readData(char *into, qint64 maxBytes)
{
    if (!m_data)
        return 0;
    if (session() && session()->connection())
        session()->connection()->noteActivity();
    return m_data->readRaw(into, maxBytes);
}

void DataCommand::discardData()
{
    // Left unread, bytes (TLS tickets on an upload) make the close a reset that can cost
    // the server the end of the file.
    while (!readData(256 * 1024).isEmpty()) {
    }
}

void DataCommand::countBytes(qint64 bytes, qint64 total)
{
    m_bytes += bytes;
    m_lastTotal = total;
    if (m_sinceProgress.elapsed() >= kProgressIntervalMs) {
        m_sinceProgress.restart();
        Q_EMIT progress(restartOffset() + m_bytes, total);
    }
}

void DataCommand::onDataClosed()
{
    m_dataEnded = true;
    maybeComplete();
}

void DataCommand::onDataError(const Error &error)
{
    if (m_step == Step::Done || m_dataEnded)
        return;
    abortTransfer(Error(error.kind(), QStringLiteral("%1: the data connection failed: %2")
                                          .arg(QString::fromLatin1(name()), error.message())));
}

void DataCommand::maybeComplete()
{
    if (m_step != Step::Transfer || !m_serverDone || !m_dataEnded)
        return;
    m_step = Step::Done;
    Q_EMIT progress(restartOffset() + m_bytes, m_lastTotal);
    transferCompleted(m_transferReply);
}

void DataCommand::failTransfer(const net::NumericReply &reply)
{
    m_step = Step::Done;
    closeData();
    if (m_localError) {
        fail(m_localError, reply);
        return;
    }
    if (reply.code == 425 || reply.code == 426 || reply.code == 522) {
        fail(Error(ErrorKind::NetworkError, QStringLiteral("%1: the data connection failed: %2")
                                                .arg(QString::fromLatin1(name()), said(reply))),
             reply);
        return;
    }
    fail(refusal(reply), reply);
}

void DataCommand::abortTransfer(const Error &error)
{
    if (isFinished())
        return;
    if (!m_localError)
        m_localError = error;
    closeData();
    switch (m_step) {
    case Step::Type:
    case Step::Passive:
    case Step::Restart:
        return; // fails when the awaited reply arrives
    case Step::Transfer:
        if (m_serverDone) {
            m_step = Step::Done;
            fail(m_localError, m_transferReply);
            return;
        }
        m_step = Step::Aborting;
        send("ABOR");
        send("NOOP");
        return;
    case Step::FollowUp:
    case Step::Aborting:
    case Step::Done:
        return;
    }
}

void DataCommand::cancel()
{
    if (isFinished())
        return;
    if (!session() || !session()->isRunning(this)) {
        FtpCommand::cancel();
        return;
    }
    if (m_step == Step::FollowUp || m_step == Step::Done)
        return;
    abortTransfer(Error(ErrorKind::Cancelled,
                        QStringLiteral("%1 was cancelled").arg(QString::fromLatin1(name()))));
}

void DataCommand::finishSending()
{
    if (m_data)
        m_data->close();
}

void DataCommand::sendFollowUp(const QByteArray &line)
{
    m_step = Step::FollowUp;
    send(line);
}

void DataCommand::startAnotherTransfer()
{
    closeData();
    m_dataEnded = false;
    m_serverDone = false;
    m_transferReply = {};
    m_bytes = 0;
    m_lastTotal = -1;
    requestDataConnection();
}

void DataCommand::closeData()
{
    closeListener();
    if (!m_data)
        return;
    m_data->disconnect(this);
    m_data->abort({});
    m_data->deleteLater();
    m_data = nullptr;
}

void DataCommand::handleAbort(const Error &error)
{
    closeData();
    m_step = Step::Done;
    fail(m_localError ? m_localError : error);
}

} // namespace wharf::ftp
