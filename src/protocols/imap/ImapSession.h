#pragma once

#include "core/Error.h"
#include "net/Connection.h"
#include "protocols/imap/ImapCommand.h"
#include "protocols/imap/ResponseParser.h"

#include <QByteArrayList>
#include <QList>
#include <QObject>
#include <QPointer>

namespace wharf::net {
class OpeningHandshake;
struct ServerInfo;
} // namespace wharf::net

namespace wharf::imap {

struct FetchData;
struct VanishedData;

struct ImapSessionSettings
{
    net::ConnectionSettings connection;
    QString user;
    QString password;
    // Extensions turned on with ENABLE when the server offers them.
    bool enableCondstore = true;
    bool enableQresync = true;
    bool enableUtf8 = true;
    qint64 maxMessageSize = 256ll * 1024 * 1024;
    // Commands sent ahead of their predecessors' completion.
    int maxPipelined = 64;
};

// What SELECT or EXAMINE told about the open mailbox, kept current by EXISTS and EXPUNGE.
struct SelectedMailbox
{
    QByteArray wireName;
    bool readOnly = false;
    quint32 exists = 0;
    quint32 uidValidity = 0;
    quint32 uidNext = 0;
    quint64 highestModSeq = 0;
    bool noModSeq = false; // [NOMODSEQ]: CONDSTORE is off for this mailbox
    QByteArrayList flags;
    QByteArrayList permanentFlags;

    bool isValid() const { return !wireName.isEmpty(); }
};

// One IMAP connection: greeting, STARTTLS and capabilities (ImapOpening), login, ENABLE,
// then a queue of commands sent with pipelining where RFC 3501 5.5 allows it. Untagged data
// goes to the running commands first (in the order they were sent), and what none of them
// takes is announced by the session's signals. Asynchronous: nothing here blocks.
class ImapSession : public QObject
{
    Q_OBJECT
public:
    enum class State
    {
        Disconnected,
        Connecting,
        Authenticating,
        Ready,
        LoggingOut,
        Closed,
    };
    Q_ENUM(State)

    explicit ImapSession(const ImapSessionSettings &settings, QObject *parent = nullptr);
    ~ImapSession() override;

    void open();
    void acceptCertificate();
    void rejectCertificate();
    // Queues LOGOUT and closes once the server confirmed (or at once if not connected).
    void logout();
    // Drops the connection at once; queued and running commands fail with Cancelled.
    void abort(const Error &error = {});

    // The session takes ownership (as QObject parent) and sends it when its turn comes.
    void enqueue(ImapCommand *command);

    State state() const { return m_state; }
    const ImapSessionSettings &settings() const { return m_settings; }
    net::Connection *connection() const { return m_connection; }
    const QByteArrayList &capabilities() const { return m_capabilities; }
    bool hasCapability(QByteArrayView name) const;
    bool isEnabled(QByteArrayView extension) const;
    bool utf8Enabled() const { return isEnabled("UTF8=ACCEPT"); }
    const SelectedMailbox &selectedMailbox() const { return m_selected; }
    bool isIdle() const;
    qsizetype pendingCommands() const { return m_queue.size() + m_running.size(); }
    bool isRunning(const ImapCommand *command) const;

    // Wire form of a mailbox name: modified UTF-7, or UTF-8 once UTF8=ACCEPT is enabled.
    QByteArray mailboxWireName(const QString &name) const;
    // A builder that quotes 8-bit text when UTF8=ACCEPT is on.
    CommandBuilder builder(QByteArrayView verb) const;

Q_SIGNALS:
    void certificateDecisionRequested(const wharf::net::CertificateDecision &decision);
    void protocolLog(wharf::net::Connection::Direction direction, const QByteArray &line);
    // Logged in, capabilities known, extensions enabled: commands are being sent.
    void ready();
    // The session ended without being asked to (connection lost, BYE, parse error).
    void errorOccurred(const wharf::Error &error);
    // After logout() or abort(), or after errorOccurred().
    void closed();

    // Unsolicited data no running command took.
    void exists(quint32 count);
    void expunged(quint32 sequence);
    void vanished(const wharf::imap::VanishedData &data);
    void messageChanged(const wharf::imap::FetchData &data);
    // [ALERT] texts must reach the user (RFC 3501 7.1).
    void alert(const QString &text);

private:
    friend class ImapCommand;
    friend class SelectCommand;
    friend class IdleCommand;

    void onOpened(const net::ServerInfo &info);
    void onConnectionError(const Error &error);
    void onConnectionClosed();
    void onReadyRead();
    void authenticate();
    void afterAuthentication(const ImapCommand &login);
    void afterCapabilities();
    void becomeReady();
    void sendInternal(ImapCommand *command);
    void pump();
    void send(ImapCommand *command);
    void writePieces();
    void dispatch(const Response &response);
    void dispatchUntagged(const Response &response);
    void announceUntagged(const Response &response);
    void dispatchChunk(const LiteralChunk &chunk);
    void complete(ImapCommand *command, const Response &response);
    void failEverything(const Error &error);
    void updateLimits();
    void track(ImapCommand *command);
    void forget(ImapCommand *command);
    void setState(State state);

    ImapSessionSettings m_settings;
    State m_state = State::Disconnected;
    QPointer<net::Connection> m_connection;
    QPointer<net::OpeningHandshake> m_opening;
    ResponseParser *m_parser = nullptr;

    QByteArrayList m_capabilities;
    QByteArrayList m_enabled;
    SelectedMailbox m_selected;
    bool m_preauthenticated = false;
    QByteArray m_byeText;

    QList<ImapCommand *> m_queue;
    QList<ImapCommand *> m_running; // in the order sent
    int m_nextTag = 1;

    // A command whose pieces are not all on the wire: it waits for "+" before a literal.
    struct Sending
    {
        ImapCommand *command = nullptr;
        CommandText text;
        qsizetype nextPiece = 0;
        bool awaitingContinuation = false;
    };
    Sending m_sending;
    bool m_dispatching = false;
};

} // namespace wharf::imap
