#pragma once

#include "core/Error.h"
#include "net/Connection.h"
#include "net/NumericReply.h"
#include "protocols/ftp/ReplyData.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

class QTcpServer;

namespace wharf::net {
class OpeningHandshake;
struct ServerInfo;
} // namespace wharf::net

namespace wharf::ftp {

class FtpCommand;

// RFC 959 TYPE: I moves bytes as they are; A is text with CRLF line ends on the wire.
enum class TransferType
{
    Binary,
    Ascii,
};

struct FtpSessionSettings
{
    net::ConnectionSettings connection;
    QString user;
    QString password;
    // A NOOP after this long without a command keeps NAT tables and the server's idle
    // limit from dropping the connection; 0: never.
    int keepAliveSeconds = 60;
    // Active mode (EPRT, else PORT): the server connects to Wharf for each transfer, within
    // connection.connectTimeoutMs. For servers whose passive mode is broken; it fails when
    // a firewall or NAT stands between.
    bool activeMode = false;
    // Largest directory listing accepted (a hostile server could send forever).
    qint64 maxListingBytes = 512ll * 1024 * 1024;
};

// One FTP control connection: greeting, FEAT and AUTH TLS (FtpOpening), USER/PASS, PBSZ 0
// and PROT P on TLS, SYST, OPTS UTF8 ON when offered, TYPE I and PWD; then a queue of commands
// run one at a time (FTP has no pipelining). Data connections are opened here for the
// commands that need one, so the FTPS rules live in one place: the control connection's
// peer address whatever PASV said (in active mode: the only peer accepted), the control
// connection's TLS session resumed, its certificate required. Asynchronous: nothing here blocks.
class FtpSession : public QObject
{
    Q_OBJECT
public:
    enum class State
    {
        Disconnected,
        Connecting,
        LoggingIn,
        Ready,
        Quitting,
        Closed,
    };
    Q_ENUM(State)

    explicit FtpSession(const FtpSessionSettings &settings, QObject *parent = nullptr);
    ~FtpSession() override;

    void open();
    void acceptCertificate();
    void rejectCertificate();
    // QUIT after the queued commands ran, then closed().
    void quit();
    // Drops the connection at once; running and queued commands fail with `error`, or with
    // Cancelled when it is empty.
    void abort(const Error &error = {});

    // The session takes ownership (as QObject parent) and runs it when its turn comes.
    void enqueue(FtpCommand *command);

    State state() const { return m_state; }
    const FtpSessionSettings &settings() const { return m_settings; }
    const FeatureSet &features() const { return m_features; }
    // PROT P is on: data connections use TLS too.
    bool isProtected() const { return m_protected; }
    // The server's home directory (PWD after login), as sent on the wire.
    const QByteArray &homeDirectory() const { return m_home; }
    // The text of the server's 215 to SYST ("UNIX Type: L8", "Windows_NT"); empty when it
    // refused SYST. For display: listings are recognised line by line whatever it says.
    const QByteArray &systemType() const { return m_systemType; }
    // The TYPE the server was last told (TYPE I at login), so a transfer sends TYPE only
    // when it needs the other one.
    TransferType transferType() const { return m_transferType; }
    void setTransferType(TransferType type) { m_transferType = type; }
    bool isRunning(const FtpCommand *command) const { return m_running == command; }
    qsizetype pendingCommands() const { return m_queue.size() + (m_running ? 1 : 0); }
    net::Connection *connection() const { return m_connection; }

    // How a path goes on the wire: UTF-8 (RFC 2640; what every current server expects).
    static QByteArray wirePath(const QString &path);

    // For data commands: a data connection to `port` on the control connection's peer,
    // TLS when protected, resuming the control connection's session. The caller owns it.
    net::Connection *openDataConnection(quint16 port, QObject *owner);
    // Active mode: a listener on the control connection's local address (the address the
    // server knows us by; never all interfaces), any port. Each connection it accepts goes
    // to `onConnection`. The caller owns it; nullptr and *error when it cannot listen.
    QTcpServer *listenForData(QObject *owner, std::function<void(qintptr)> onConnection,
                              Error *error);
    // The connection the listener accepted, with the same TLS rules as openDataConnection()
    // (Wharf is the TLS client still). Only the control connection's peer may connect:
    // anyone else gets the socket closed before a byte is sent, nullptr and *refusal.
    net::Connection *adoptDataConnection(qintptr socketDescriptor, QObject *owner, Error *refusal);
    // EPRT was refused once: later data commands go straight to PORT.
    bool eprtRefused() const { return m_eprtRefused; }
    void setEprtRefused() { m_eprtRefused = true; }
    // EPSV was refused once: later data commands go straight to PASV.
    bool epsvRefused() const { return m_epsvRefused; }
    void setEpsvRefused() { m_epsvRefused = true; }

Q_SIGNALS:
    void certificateDecisionRequested(const wharf::net::CertificateDecision &decision);
    void protocolLog(wharf::net::Connection::Direction direction, const QByteArray &line);
    // Logged in and set up: queued commands are running.
    void ready();
    // The session ended without being asked to (connection lost, 421, a bad reply).
    void errorOccurred(const wharf::Error &error);
    // After quit() or abort(), or after errorOccurred().
    void closed();

private:
    friend class FtpCommand;

    void onOpened(const net::ServerInfo &info);
    void onConnectionError(const Error &error);
    void onConnectionClosed();
    void onReadyRead();
    void runSetup();
    void setupStepFinished(FtpCommand *command, bool optional);
    void pump();
    void schedulePump();
    void sendLine(FtpCommand *command, const QByteArray &line);
    void commandFinished(FtpCommand *command);
    void cancelCommand(FtpCommand *command);
    void failEverything(const Error &error);
    void sendQuit();
    void onKeepAlive();
    void rememberTicket(const QByteArray &ticket);
    net::ConnectionSettings dataSettings() const;
    net::Connection *watchedDataConnection(const net::ConnectionSettings &settings, QObject *owner);
    void setState(State state);

    FtpSessionSettings m_settings;
    State m_state = State::Disconnected;
    QPointer<net::Connection> m_connection;
    QPointer<net::OpeningHandshake> m_opening;
    net::NumericReplyParser m_replyParser;
    FeatureSet m_features;
    QByteArray m_home;
    QByteArray m_systemType;
    TransferType m_transferType = TransferType::Binary; // setup's TYPE I must succeed
    QByteArray m_tlsTicket;
    bool m_protected = false;
    bool m_epsvRefused = false;
    bool m_eprtRefused = false;
    bool m_quitRequested = false;
    bool m_pumpScheduled = false;

    QList<FtpCommand *> m_setup; // login and options, before anything queued
    QList<FtpCommand *> m_queue;
    FtpCommand *m_running = nullptr;
    QTimer m_keepAlive;
};

} // namespace wharf::ftp
