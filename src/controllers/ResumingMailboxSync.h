#pragma once

#include "controllers/MailboxSync.h"
#include "controllers/ReconnectBackoff.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace wharf::store {
class MailStore;
}

namespace wharf::controllers {

class ImapConnectionPool;

struct SyncResumeSettings
{
    // Attempts in all, the first included; 1: never resume.
    int maxAttempts = 6;
    ReconnectSettings reconnect;
};

// A MailboxSync that comes back when the connection does: a server restarted, a network
// that dropped for a moment. A lost connection is followed, after the shared backoff, by a
// fresh MailboxSync of the same mailbox; since a sync saves its state only at the end and
// the store keeps a server message once, the new attempt repeats some work and neither
// loses nor duplicates anything. Failures a reconnect would only repeat (a refused login,
// an untrusted certificate, a full disk) end it at once. The report adds up the attempts.
class ResumingMailboxSync : public QObject
{
    Q_OBJECT
public:
    ResumingMailboxSync(ImapConnectionPool *pool, store::MailStore *store,
                        const SyncResumeSettings &settings = {}, QObject *parent = nullptr);
    ~ResumingMailboxSync() override;

    void start(const QString &mailbox, const MailboxSyncOptions &options = {});
    void cancel();

    const MailboxSyncReport &report() const { return m_report; }
    const Error &error() const { return m_error; }
    qint64 folderId() const { return m_folderId; }
    int attempts() const { return m_attempts; }

Q_SIGNALS:
    void actionRefused(const wharf::Error &error);
    // Of the running attempt.
    void progress(qint64 done, qint64 total);
    void bodyProgress(qint64 done, qint64 total);
    // The connection went away mid-sync; the next attempt starts in `retryInMs`.
    void connectionLost(const wharf::Error &reason, int retryInMs);
    void finished();

private:
    void attempt();
    void onAttemptFinished();
    void addToReport(const MailboxSyncReport &part);

    QPointer<ImapConnectionPool> m_pool;
    store::MailStore *m_store;
    SyncResumeSettings m_settings;
    ReconnectBackoff m_backoff;
    QString m_mailbox;
    MailboxSyncOptions m_options;
    QPointer<MailboxSync> m_sync;
    QTimer m_retryTimer;
    QElapsedTimer m_clock;
    MailboxSyncReport m_report;
    Error m_error;
    qint64 m_folderId = 0;
    int m_attempts = 0;
    bool m_running = false;
};

} // namespace wharf::controllers
