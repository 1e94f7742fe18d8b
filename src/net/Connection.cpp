#include "net/Connection.h"

#include "core/Logging.h"
#include "net/TlsConfiguration.h"

#include <QMetaMethod>
#include <QSocketNotifier>
#include <QSslSocket>
#include <QTcpSocket>

#include <algorithm>
#include <utility>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace wharf::net {

namespace {

constexpr qint64 kReadBufferBytes = 256 * 1024;

QString hostPort(const ConnectionSettings &settings)
{
    return QStringLiteral("%1:%2").arg(settings.host).arg(settings.port);
}

int seconds(int ms)
{
    return (ms + 999) / 1000;
}

} // namespace

ConnectionSettings settingsFor(const ServerEndpoint &endpoint)
{
    ConnectionSettings settings;
    settings.host = endpoint.host;
    settings.port = endpoint.port;
    settings.tlsMode = endpoint.tlsMode;
    return settings;
}

Connection::Connection(const ConnectionSettings &settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_reader(settings.maxLineLength)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &Connection::onTimeout);
}

Connection::~Connection()
{
    releaseDrain();
    releaseAccepted();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

void Connection::open()
{
    Q_ASSERT(m_state == State::Idle);
    m_state = State::Connecting;
    m_socket = new QSslSocket(this);
    // Qt reads whatever the kernel has, and a server streaming 100,000 headers while we
    // write to the store has megabytes there (twice: ciphertext and plaintext). A bounded
    // buffer leaves the rest in the kernel, where TCP's flow control slows the sender.
    m_socket->setReadBufferSize(kReadBufferBytes);
    Error configurationError;
    const QSslConfiguration configuration = tlsConfigurationFor(m_settings, &configurationError);
    if (configurationError) {
        QMetaObject::invokeMethod(
            this, [this, configurationError] { abort(configurationError); }, Qt::QueuedConnection);
        return;
    }
    m_socket->setSslConfiguration(configuration);

    connect(m_socket, &QSslSocket::connected, this, &Connection::onConnected);
    connect(m_socket, &QSslSocket::encrypted, this, &Connection::onEncrypted);
    connect(m_socket, &QSslSocket::readyRead, this, &Connection::onReadyRead);
    connect(m_socket, &QSslSocket::disconnected, this, &Connection::onDisconnected);
    connect(m_socket, &QSslSocket::errorOccurred, this, &Connection::onSocketError);
    connect(m_socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        // Decided after the handshake, against the pin, before a byte is exchanged.
        m_sslErrors = errors;
        m_socket->ignoreSslErrors();
    });
    connect(m_socket, &QSslSocket::bytesWritten, this, [this](qint64 bytes) {
        touch();
        Q_EMIT bytesWritten(bytes);
    });
    // Over TLS the plaintext is encrypted into the TCP socket's buffer at once; what drains
    // it is reported here.
    connect(m_socket, &QSslSocket::encryptedBytesWritten, this, [this](qint64 bytes) {
        touch();
        Q_EMIT bytesWritten(bytes);
    });
    connect(m_socket, &QSslSocket::newSessionTicketReceived, this,
            &Connection::sessionTicketReceived);

    m_timer.start(m_settings.connectTimeoutMs);
    if (m_acceptedDescriptor >= 0) {
        adoptAccepted();
        return;
    }
    qCDebug(lcNet) << "connecting to" << hostPort(m_settings) << tlsModeName(m_settings.tlsMode);
    if (m_settings.tlsMode == TlsMode::Implicit && !m_settings.tlsPeerName.isEmpty())
        m_socket->connectToHostEncrypted(m_settings.host, m_settings.port, m_settings.tlsPeerName);
    else if (m_settings.tlsMode == TlsMode::Implicit)
        m_socket->connectToHostEncrypted(m_settings.host, m_settings.port);
    else
        m_socket->connectToHost(m_settings.host, m_settings.port);
}

void Connection::openAccepted(qintptr socketDescriptor)
{
    m_acceptedDescriptor = socketDescriptor;
    open();
}

void Connection::adoptAccepted()
{
    if (!m_socket->setSocketDescriptor(m_acceptedDescriptor)) {
        const Error error(ErrorKind::NetworkError,
                          QStringLiteral("Cannot take the connection from %1: %2")
                              .arg(hostPort(m_settings), m_socket->errorString()));
        QMetaObject::invokeMethod(
            this, [this, error] { abort(error); }, Qt::QueuedConnection);
        return;
    }
    m_acceptedDescriptor = -1;
    // Messages name the peer that did connect.
    m_settings.host = m_socket->peerAddress().toString();
    m_settings.port = m_socket->peerPort();
    qCDebug(lcNet) << "accepted a connection from" << hostPort(m_settings)
                   << tlsModeName(m_settings.tlsMode);
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (m_state != State::Connecting)
                return; // refused by the caller
            onConnected();
            if (m_state != State::Handshaking)
                return;
            if (!m_settings.tlsPeerName.isEmpty())
                m_socket->setPeerVerifyName(m_settings.tlsPeerName);
            m_socket->startClientEncryption();
        },
        Qt::QueuedConnection);
}

void Connection::releaseAccepted()
{
    if (m_acceptedDescriptor < 0)
        return;
    // Never adopted (open() failed first): closed the portable way.
    QTcpSocket owner;
    owner.setSocketDescriptor(std::exchange(m_acceptedDescriptor, -1));
    owner.abort();
}

void Connection::onConnected()
{
    m_socket->setSocketOption(QAbstractSocket::KeepAliveOption, 1);
    if (m_settings.lowDelay)
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (m_settings.tlsMode == TlsMode::Implicit) {
        m_state = State::Handshaking;
        return;
    }
    m_state = State::Ready;
    touch();
    Q_EMIT ready();
    onReadyRead();
}

void Connection::startTls()
{
    if (m_state != State::Ready || m_settings.tlsMode != TlsMode::StartTls || isEncrypted())
        return;
    const qint64 early = m_reader.buffered() + m_socket->bytesAvailable();
    if (early > 0) {
        abort(Error(ErrorKind::SecurityViolation,
                    QStringLiteral("%1 sent %2 bytes after agreeing to STARTTLS, before "
                                   "encryption began; they may have been injected, so the "
                                   "connection was closed")
                        .arg(hostPort(m_settings))
                        .arg(early)));
        return;
    }
    m_upgrading = true;
    m_state = State::Handshaking;
    m_sslErrors.clear();
    m_timer.start(m_settings.connectTimeoutMs);
    m_socket->startClientEncryption();
}

void Connection::onEncrypted()
{
    const QSslCertificate leaf = m_socket->peerCertificate();
    if (!m_settings.requiredPeerCertificate.isNull()) {
        // Not a decision for the user: the control connection's certificate was decided
        // already, and a different one here means someone else answered.
        if (leaf == m_settings.requiredPeerCertificate) {
            finishTrustCheck();
        } else {
            abort(Error(ErrorKind::SecurityViolation,
                        QStringLiteral("%1 presented a different certificate than the "
                                       "connection it belongs to; refusing it")
                            .arg(hostPort(m_settings))));
        }
        return;
    }
    const QByteArray key = publicKeySha256(leaf);
    const bool pinned = !m_settings.pinnedPublicKey.isEmpty();
    const bool pinMatches = pinned && key == m_settings.pinnedPublicKey.toLower();
    if (pinMatches || (!pinned && m_sslErrors.isEmpty())) {
        finishTrustCheck();
        return;
    }
    m_pendingDecision = {};
    m_pendingDecision.host = m_settings.host;
    m_pendingDecision.port = m_settings.port;
    m_pendingDecision.chain = m_socket->peerCertificateChain();
    m_pendingDecision.publicKeySha256 = key;
    m_pendingDecision.errors = m_sslErrors;
    m_pendingDecision.keyChanged = pinned;
    m_state = State::AwaitingDecision;
    m_timer.stop();
    if (!isSignalConnected(QMetaMethod::fromSignal(&Connection::certificateDecisionRequested))) {
        rejectCertificate();
        return;
    }
    Q_EMIT certificateDecisionRequested(m_pendingDecision);
}

void Connection::acceptCertificate()
{
    if (m_state != State::AwaitingDecision)
        return;
    m_settings.pinnedPublicKey = m_pendingDecision.publicKeySha256;
    finishTrustCheck();
}

void Connection::rejectCertificate()
{
    if (m_state != State::AwaitingDecision)
        return;
    abort(Error(ErrorKind::CertificateUntrusted, m_pendingDecision.summary()));
}

void Connection::finishTrustCheck()
{
    m_state = State::Ready;
    touch();
    if (m_upgrading) {
        m_upgrading = false;
        Q_EMIT encrypted();
    } else {
        Q_EMIT ready();
    }
    onReadyRead();
}

void Connection::onReadyRead()
{
    // Bytes wait in the socket until the certificate is accepted.
    if (m_state != State::Ready || !m_socket)
        return;
    if (m_settings.rawStream) {
        touch();
        Q_EMIT readyRead();
        return;
    }
    const QByteArray data = m_socket->readAll();
    if (data.isEmpty())
        return;
    m_reader.append(data);
    touch();
    Q_EMIT readyRead();
}

Connection::ReadResult Connection::readLine(QByteArray &line)
{
    if (m_state != State::Ready && m_state != State::Closing)
        return ReadResult::Failed;
    switch (m_reader.takeLine(line)) {
    case LineReader::Status::Ok:
        Q_EMIT protocolLog(Direction::Received, line);
        return ReadResult::Line;
    case LineReader::Status::NeedMore:
        return ReadResult::NeedMore;
    case LineReader::Status::LineTooLong:
        break;
    }
    abort(Error(ErrorKind::LimitExceeded,
                QStringLiteral("%1 sent a line longer than the limit of %2 bytes")
                    .arg(hostPort(m_settings))
                    .arg(m_reader.maxLineLength())));
    return ReadResult::Failed;
}

QByteArray Connection::readRaw(qint64 maxBytes)
{
    if (!m_socket || (m_state != State::Ready && m_state != State::Closing))
        return {};
    return m_socket->read(maxBytes);
}

qint64 Connection::readRaw(char *into, qint64 maxBytes)
{
    if (!m_socket || (m_state != State::Ready && m_state != State::Closing))
        return 0;
    return std::max<qint64>(m_socket->read(into, maxBytes), 0);
}

qint64 Connection::rawBytesAvailable() const
{
    return m_socket && (m_state == State::Ready || m_state == State::Closing)
               ? m_socket->bytesAvailable()
               : 0;
}

qint64 Connection::bytesToWrite() const
{
    // QSslSocket encrypts at once into the TCP socket's buffer: count both, or a fast
    // sender queues the whole file there.
    return m_socket ? m_socket->bytesToWrite() + m_socket->encryptedBytesToWrite() : 0;
}

void Connection::noteReceived(const QByteArray &line)
{
    Q_EMIT protocolLog(Direction::Received, line);
}

bool Connection::beginCounted(qint64 length, qint64 maximum)
{
    if (m_reader.beginCounted(length, maximum))
        return true;
    abort(Error(ErrorKind::LimitExceeded,
                QStringLiteral("%1 announced %2 bytes, more than the limit of %3 bytes")
                    .arg(hostPort(m_settings))
                    .arg(length)
                    .arg(maximum)));
    return false;
}

void Connection::sendLine(const QByteArray &line, Secrecy secrecy)
{
    if (m_state != State::Ready)
        return;
    const QByteArray logged =
        secrecy == Secrecy::Secret ? kRedacted.toByteArray() : redactCredentials(line);
    Q_EMIT protocolLog(Direction::Sent, logged);
    m_socket->write(line + "\r\n");
    touch();
}

void Connection::sendBytes(const QByteArray &bytes)
{
    sendBytes(bytes.constData(), bytes.size());
}

void Connection::sendBytes(const char *bytes, qint64 size)
{
    if (m_state != State::Ready)
        return;
    m_socket->write(bytes, size);
    touch();
}

void Connection::close()
{
    if (m_state == State::Closed || m_state == State::Closing)
        return;
    if (!m_socket || m_state != State::Ready) {
        abort({});
        Q_EMIT closed();
        return;
    }
    m_state = State::Closing;
    m_timer.start(m_settings.connectTimeoutMs);
#ifdef Q_OS_UNIX
    // The end of an FTPS upload: the server may still be sending (TLS 1.3 session tickets
    // come after the handshake, its close_notify after ours). Qt closes the socket right
    // after our close_notify, and the kernel answers what arrives after that with a reset,
    // which costs the server the part of the upload it has not read yet. A second
    // descriptor keeps the socket open: drainUntilPeerCloses() takes over from there.
    if (m_settings.rawStream && isEncrypted() && m_socket->socketDescriptor() >= 0)
        m_drainFd = ::dup(int(m_socket->socketDescriptor()));
#endif
    m_socket->disconnectFromHost();
}

void Connection::drainUntilPeerCloses()
{
#ifdef Q_OS_UNIX
    // Qt has flushed our bytes and close_notify and closed its descriptor: send FIN, then
    // read and drop whatever comes until the server closes too (or the close times out).
    ::shutdown(m_drainFd, SHUT_WR);
    m_drainNotifier = new QSocketNotifier(m_drainFd, QSocketNotifier::Read, this);
    connect(m_drainNotifier, &QSocketNotifier::activated, this, [this] {
        char scratch[16 * 1024];
        const ssize_t got = ::read(m_drainFd, scratch, sizeof scratch);
        if (got > 0 || (got < 0 && (errno == EINTR || errno == EAGAIN)))
            return;
        abort({});
        Q_EMIT closed();
    });
#endif
}

void Connection::releaseDrain()
{
    if (m_drainNotifier) {
        m_drainNotifier->setEnabled(false);
        m_drainNotifier->deleteLater();
    }
#ifdef Q_OS_UNIX
    if (m_drainFd >= 0)
        ::close(m_drainFd);
#endif
    m_drainFd = -1;
}

void Connection::abort(const Error &error)
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    m_timer.stop();
    releaseDrain();
    releaseAccepted();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    if (error) {
        qCDebug(lcNet) << "connection to" << hostPort(m_settings) << "failed:" << error.message();
        Q_EMIT errorOccurred(error);
    }
}

void Connection::onDisconnected()
{
    if (m_state == State::Closing || (m_settings.rawStream && m_state == State::Ready)) {
        // A raw stream ends when the peer closes: what it sent is read before the socket
        // goes.
        if (m_settings.rawStream && m_state == State::Ready)
            Q_EMIT readyRead();
        if (m_state == State::Closing && m_drainFd >= 0) {
            drainUntilPeerCloses();
            return;
        }
        abort({});
        Q_EMIT closed();
        return;
    }
    onReadyRead();
    abort(Error(ErrorKind::ClosedByPeer,
                QStringLiteral("%1 closed the connection").arg(hostPort(m_settings))));
}

void Connection::onSocketError()
{
    const QAbstractSocket::SocketError code = m_socket->error();
    const QString where = hostPort(m_settings);
    switch (code) {
    case QAbstractSocket::RemoteHostClosedError:
        if (m_state == State::Handshaking) {
            abort(Error(ErrorKind::TlsHandshakeFailed,
                        QStringLiteral("TLS handshake with %1 failed: the server closed the "
                                       "connection")
                            .arg(where)));
        } else {
            onDisconnected();
        }
        return;
    case QAbstractSocket::HostNotFoundError:
        abort(Error(ErrorKind::HostNotFound,
                    QStringLiteral("Host %1 not found").arg(m_settings.host)));
        return;
    case QAbstractSocket::ConnectionRefusedError:
        abort(Error(ErrorKind::ConnectionRefused,
                    QStringLiteral("Connection to %1 refused").arg(where)));
        return;
    case QAbstractSocket::SocketTimeoutError:
        onTimeout();
        return;
    case QAbstractSocket::SslHandshakeFailedError:
    case QAbstractSocket::SslInternalError:
    case QAbstractSocket::SslInvalidUserDataError:
        if (m_state == State::Ready) {
            // Long after the handshake, a record that does not decrypt is a broken stream,
            // not a TLS policy matter: vsftpd's session process dies and its parent writes
            // "500 OOPS" in plaintext. Whoever reconnects (and verifies again) may.
            abort(Error(
                ErrorKind::NetworkError,
                QStringLiteral("Connection to %1 broke: %2").arg(where, m_socket->errorString())));
            return;
        }
        abort(
            Error(ErrorKind::TlsHandshakeFailed, QStringLiteral("TLS handshake with %1 failed: %2")
                                                     .arg(where, m_socket->errorString())));
        return;
    default:
        abort(Error(
            ErrorKind::NetworkError,
            QStringLiteral("Connection to %1 failed: %2").arg(where, m_socket->errorString())));
        return;
    }
}

void Connection::onTimeout()
{
    const QString where = hostPort(m_settings);
    switch (m_state) {
    case State::Connecting:
    case State::Handshaking:
        abort(Error(ErrorKind::Timeout, QStringLiteral("Connecting to %1 timed out after %2 s")
                                            .arg(where)
                                            .arg(seconds(m_settings.connectTimeoutMs))));
        return;
    case State::Closing:
        abort({});
        Q_EMIT closed();
        return;
    default:
        abort(Error(ErrorKind::Timeout, QStringLiteral("%1 did not answer for %2 s")
                                            .arg(where)
                                            .arg(seconds(m_settings.idleTimeoutMs))));
        return;
    }
}

void Connection::touch()
{
    if (m_state == State::Ready && m_settings.idleTimeoutMs > 0)
        m_timer.start(m_settings.idleTimeoutMs);
}

void Connection::setIdleTimeout(int ms)
{
    m_settings.idleTimeoutMs = ms;
    if (ms <= 0 && m_state == State::Ready)
        m_timer.stop();
    touch();
}

bool Connection::isEncrypted() const
{
    return m_socket && m_socket->isEncrypted();
}

QSsl::SslProtocol Connection::tlsProtocol() const
{
    return m_socket ? m_socket->sessionProtocol() : QSsl::UnknownProtocol;
}

QSslCipher Connection::cipher() const
{
    return m_socket ? m_socket->sessionCipher() : QSslCipher();
}

QList<QSslCertificate> Connection::peerChain() const
{
    return m_socket ? m_socket->peerCertificateChain() : QList<QSslCertificate>();
}

} // namespace wharf::net

namespace wharf::net {

QHostAddress Connection::localAddress() const
{
    return m_socket ? m_socket->localAddress() : QHostAddress();
}

QHostAddress Connection::peerAddress() const
{
    return m_socket ? m_socket->peerAddress() : QHostAddress();
}

QSslCertificate Connection::peerCertificate() const
{
    return m_socket ? m_socket->peerCertificate() : QSslCertificate();
}

QByteArray Connection::sessionTicket() const
{
    return m_socket ? m_socket->sslConfiguration().sessionTicket() : QByteArray();
}

} // namespace wharf::net
