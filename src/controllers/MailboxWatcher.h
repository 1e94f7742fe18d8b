#pragma once

#include "controllers/ReconnectBackoff.h"
#include "controllers/RemoteMessageSummary.h"
#include "core/Error.h"
#include "core/MessageFlags.h"
#include "protocols/imap/SequenceSet.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

namespace wharf::imap {
class IdleCommand;
class ImapCommand;
class ImapSession;
struct FetchData;
struct SelectedMailbox;
struct VanishedData;
} // namespace wharf::imap

namespace wharf::controllers {

class ImapConnectionPool;

struct MailboxWatcherSettings
{
    // RFC 2177: a server may drop an idler after 30 minutes of silence; renew well before.
    int idleRenewalMs = 25 * 60'000;
    // Leave IDLE for a NOOP this often, to notice a connection that died without a word (a
    // NAT box forgot it, the laptop slept). 0: never.
    int livenessIntervalMs = 10 * 60'000;
    // How long a NOOP, or the end of an IDLE, may take before the connection counts as dead.
    int replyTimeoutMs = 60'000;
    // Without IDLE: a NOOP this often (the account profile's check interval).
    int pollIntervalMs = 5 * 60'000;
    ReconnectSettings reconnect;
};

// Keeps one mailbox of an account under watch on a connection of its own (taken from the
// pool with acquireExclusive): EXAMINE, then IDLE when the server offers it (renewed every
// 25 minutes, left for a NOOP every 10), else a NOOP at the poll interval. Messages whose
// UID is above the highest one seen are fetched (UID FLAGS INTERNALDATE RFC822.SIZE
// ENVELOPE) and announced once; the highest UID survives reconnects, so mail that arrived
// while the connection was down is announced after it and old mail never is. A lost
// connection is retried with exponential backoff; a refused login, an untrusted
// certificate or a missing mailbox end the watch, since only the user can fix those.
//
// The mailbox is opened with EXAMINE: a watcher only reads, and a read-only open leaves
// \Recent to the client the user reads mail with and cannot change a flag by mistake.
class MailboxWatcher : public QObject
{
    Q_OBJECT
public:
    enum class State
    {
        Stopped,
        Connecting,   // the first connection
        Watching,     // the mailbox is open: IDLE or polling
        Reconnecting, // the connection was lost; waiting for or making the next attempt
    };
    Q_ENUM(State)

    MailboxWatcher(ImapConnectionPool *pool, const QString &mailbox,
                   const MailboxWatcherSettings &settings = {}, QObject *parent = nullptr);
    ~MailboxWatcher() override;

    void start();
    // Logs out (DONE first when idling) in the background; state() is Stopped on return.
    void stop();

    State state() const { return m_state; }
    const QString &mailbox() const { return m_mailbox; }
    // Messages above this UID are announced as new; 0 until the mailbox was first opened.
    quint32 highestUid() const { return m_highestUid; }
    // Whether the server pushes changes (IDLE) rather than being polled.
    bool usesIdle() const { return m_useIdle; }

Q_SIGNALS:
    void stateChanged(wharf::controllers::MailboxWatcher::State state);
    // Messages that arrived since the last announcement, in UID order.
    void newMail(const QList<wharf::controllers::RemoteMessageSummary> &messages);
    void expunged(const wharf::imap::SequenceSet &uids);
    void flagsChanged(quint32 uid, wharf::MessageFlags flags, const QStringList &keywords);
    // The connection went away; the next attempt is in `retryInMs`.
    void connectionLost(const wharf::Error &reason, int retryInMs);
    // The watch ended for good (state() is Stopped): the user has to act.
    void errorOccurred(const wharf::Error &error);

private:
    void setState(State state);
    void acquire();
    void attach(imap::ImapSession *session);
    void detach();
    void onSessionEnded(const Error &error);
    void onSelected(const imap::SelectedMailbox &mailbox);
    void send(imap::ImapCommand *command, std::function<void()> onFinished);
    void continueWatching();
    void loadUidMap();
    void fetchNew();
    void startIdle();
    void renewIdle();
    void sendNoop();
    void awaitReply(imap::ImapCommand *command);
    void setConnectionQuiet(bool quiet);
    void onExists(quint32 count);
    void onExpunged(quint32 sequence);
    void onVanished(const imap::VanishedData &data);
    void onMessageChanged(const imap::FetchData &data);
    void dropSession(const Error &reason);
    void lose(const Error &reason);
    void giveUp(const Error &error);
    bool isWatching() const;

    QPointer<ImapConnectionPool> m_pool;
    QString m_mailbox;
    MailboxWatcherSettings m_settings;
    State m_state = State::Stopped;

    QPointer<imap::ImapSession> m_session;
    QPointer<imap::IdleCommand> m_idle;
    QPointer<imap::ImapCommand> m_awaited; // the command m_replyTimer is running for
    // Bumped whenever a session is given up or requested: late answers for an older one
    // (a pool callback, a command's end) are recognised and dropped.
    quint64 m_generation = 0;
    int m_pending = 0; // our commands queued or running, IDLE aside
    bool m_useIdle = false;
    bool m_fetchWanted = false;

    bool m_haveBaseline = false;
    quint32 m_uidValidity = 0;
    quint32 m_highestUid = 0;
    quint32 m_knownExists = 0;
    // Without QRESYNC, EXPUNGE and flag changes name messages by sequence number: the
    // mailbox's UIDs in order turn them into UIDs.
    bool m_trackSequences = false;
    bool m_uidMapStale = false;
    bool m_searching = false;
    QList<quint32> m_uids;

    ReconnectBackoff m_backoff;
    QTimer m_reconnectTimer;
    QTimer m_renewTimer;
    QTimer m_livenessTimer;
    QTimer m_pollTimer;
    QTimer m_replyTimer;
};

} // namespace wharf::controllers
