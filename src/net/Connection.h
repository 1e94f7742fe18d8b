#pragma once

#include "core/Error.h"
#include "core/ServerEndpoint.h"
#include "net/CertificateDecision.h"
#include "net/LineReader.h"

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QSslCipher>
#include <QTimer>

class QSocketNotifier;
class QSslSocket;

namespace wharf::net {

// Everything the transport needs to reach a server the way the user asked.
struct ConnectionSettings
{
    QString host;
    quint16 port = 0;
    TlsMode tlsMode = TlsMode::Implicit;
    QString extraCaFile;           // trusted in addition to the system CAs
    QByteArray pinnedPublicKey;    // hex SHA-256 of an accepted exception's key, if any
    int connectTimeoutMs = 30'000; // TCP connect plus, for implicit TLS, the handshake
    int idleTimeoutMs = 120'000;   // no byte either way while a reply is awaited; 0: never
    qsizetype maxLineLength = LineReader::kDefaultMaxLineLength;

    // FTPS needs these; other protocols leave them alone.
    // Keep the TLS session so another connection can resume it (sessionTicket()).
    bool keepTlsSession = false;
    // Resume this session (a serialized ticket from another connection's sessionTicket()).
    QByteArray resumeTlsSession;
    // The server must present exactly this certificate (an FTPS data connection presents
    // its control connection's): no decision is asked, any other is a SecurityViolation.
    QSslCertificate requiredPeerCertificate = QSslCertificate();
    // Bytes stay in the socket for readRaw() instead of the line reader, and the peer
    // closing is the end of the stream (closed()), not an error: FTP data connections.
    bool rawStream = false;
    // TCP_NODELAY: small writes go out at once (FTP data connections, the last bytes of a
    // file are not held back waiting for an ACK).
    bool lowDelay = false;
    // The name TLS checks and sends (SNI) when `host` is an address: a data connection goes
    // to the control connection's peer address but resumes a session made for its name.
    QString tlsPeerName;
};

ConnectionSettings settingsFor(const ServerEndpoint &endpoint);

// One connection to a server over QSslSocket, shared by every protocol: TLS policy,
// certificate decisions, STARTTLS upgrade, limits, timeouts and the protocol log live
// here once. Protocol engines read lines through it and never touch the socket.
class Connection : public QObject
{
    Q_OBJECT
public:
    enum class Direction
    {
        Sent,
        Received
    };
    enum class Secrecy
    {
        Plain,
        Secret
    };
    enum class ReadResult
    {
        Line,
        NeedMore,
        Failed
    };

    explicit Connection(const ConnectionSettings &settings, QObject *parent = nullptr);
    ~Connection() override;

    const ConnectionSettings &settings() const { return m_settings; }

    void open();
    // Takes a connection the server made to us (FTP active mode) instead of making one. The
    // socket is adopted at once (peerAddress() is known on return); the rest (ready(), or
    // for Implicit TLS the handshake, where Wharf is still the client) follows from the
    // event loop, so the caller may still refuse the peer with abort() before a byte goes out.
    void openAccepted(qintptr socketDescriptor);
    // The server agreed to STARTTLS. Any byte already received after its go-ahead was not
    // protected by TLS and may be injected: that aborts the connection.
    void startTls();
    void acceptCertificate();
    void rejectCertificate();

    // Sends a command line (CRLF added) and logs it with credentials redacted; a Secret line
    // (a SASL response) is logged as "<redacted>".
    void sendLine(const QByteArray &line, Secrecy secrecy = Secrecy::Plain);
    void sendBytes(const QByteArray &bytes);
    void sendBytes(const char *bytes, qint64 size);

    ReadResult readLine(QByteArray &line);
    // rawStream: up to `maxBytes` received bytes, empty when none are waiting.
    QByteArray readRaw(qint64 maxBytes);
    // The same into the caller's buffer (a transfer reuses one): the count read, 0 if none.
    qint64 readRaw(char *into, qint64 maxBytes);
    qint64 rawBytesAvailable() const;
    // Bytes handed to sendBytes()/sendLine() and not yet written to the kernel.
    qint64 bytesToWrite() const;
    // Another channel of the same session is busy (an FTP transfer on the data connection
    // while the control connection waits for its reply): restart the idle limit.
    void noteActivity() { touch(); }
    // For protocols that read reader() directly (IMAP's parser): logs a received line.
    void noteReceived(const QByteArray &line);
    // Starts a counted run (IMAP literal, message body) of `length` bytes; a length above
    // `maximum` aborts the connection with LimitExceeded.
    bool beginCounted(qint64 length, qint64 maximum);
    LineReader &reader() { return m_reader; }

    // Polite close after the protocol's goodbye has been sent.
    void close();
    // IMAP IDLE and similar long waits need a longer (or no) idle limit.
    void setIdleTimeout(int ms);
    // Ends the connection at once; errorOccurred(error) follows unless the error is empty.
    void abort(const Error &error);

    bool isOpen() const { return m_state == State::Ready; }
    bool isEncrypted() const;
    QSsl::SslProtocol tlsProtocol() const;
    QSslCipher cipher() const;
    QList<QSslCertificate> peerChain() const;
    QHostAddress localAddress() const;
    QHostAddress peerAddress() const;
    QSslCertificate peerCertificate() const;
    // The current TLS session, serialized, for resumeTlsSession (keepTlsSession only).
    QByteArray sessionTicket() const;

Q_SIGNALS:
    // TCP is up and, for implicit TLS, the certificate was accepted: read the greeting.
    void ready();
    // The STARTTLS handshake finished and the certificate was accepted: forget everything
    // learned before it and ask the server again.
    void encrypted();
    void readyRead();
    // Some of what was sent reached the kernel: a sender with more to write goes on.
    void bytesWritten(qint64 bytes);
    // The server sent a new TLS session ticket (TLS 1.3 sends them after the handshake).
    void sessionTicketReceived();
    void certificateDecisionRequested(const wharf::net::CertificateDecision &decision);
    // The connection is gone; nothing more is emitted after this.
    void errorOccurred(const wharf::Error &error);
    void closed();
    void protocolLog(wharf::net::Connection::Direction direction, const QByteArray &line);

private:
    enum class State
    {
        Idle,
        Connecting,
        Handshaking,
        AwaitingDecision,
        Ready,
        Closing,
        Closed
    };

    void onConnected();
    void adoptAccepted();
    void releaseAccepted();
    void onEncrypted();
    void onReadyRead();
    void onDisconnected();
    void onSocketError();
    void onTimeout();
    void finishTrustCheck();
    void touch();
    void drainUntilPeerCloses();
    void releaseDrain();

    ConnectionSettings m_settings;
    QPointer<QSslSocket> m_socket;
    LineReader m_reader;
    QTimer m_timer;
    State m_state = State::Idle;
    QList<QSslError> m_sslErrors;
    CertificateDecision m_pendingDecision;
    bool m_upgrading = false;
    // close() of a raw TLS stream: our reference to the socket after Qt closed its own.
    int m_drainFd = -1;
    // openAccepted(): the descriptor until the socket owns it.
    qintptr m_acceptedDescriptor = -1;
    QPointer<QSocketNotifier> m_drainNotifier;
};

} // namespace wharf::net
