#include "controllers/ResumingMailboxSync.h"

#include "controllers/ImapConnectionPool.h"
#include "core/Logging.h"

namespace wharf::controllers {

ResumingMailboxSync::ResumingMailboxSync(ImapConnectionPool *pool, store::MailStore *store,
                                         const SyncResumeSettings &settings, QObject *parent)
    : QObject(parent)
    , m_pool(pool)
    , m_store(store)
    , m_settings(settings)
    , m_backoff(settings.reconnect)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &ResumingMailboxSync::attempt);
}

ResumingMailboxSync::~ResumingMailboxSync() = default;

void ResumingMailboxSync::start(const QString &mailbox, const MailboxSyncOptions &options)
{
    if (m_running)
        return;
    m_mailbox = mailbox;
    m_options = options;
    m_report = {};
    m_error = {};
    m_attempts = 0;
    m_backoff.reset();
    m_running = true;
    m_clock.start();
    attempt();
}

void ResumingMailboxSync::cancel()
{
    if (!m_running)
        return;
    if (m_sync) {
        m_sync->cancel(); // finishes the attempt, and with it this
        return;
    }
    m_retryTimer.stop();
    m_running = false;
    m_error = Error(ErrorKind::Cancelled,
                    QStringLiteral("Synchronisation of %1 cancelled").arg(m_mailbox));
    m_report.elapsedMs = m_clock.elapsed();
    Q_EMIT finished();
}

void ResumingMailboxSync::attempt()
{
    if (!m_pool) {
        m_running = false;
        m_error = Error(ErrorKind::Cancelled, QStringLiteral("The account's connections are gone"));
        Q_EMIT finished();
        return;
    }
    ++m_attempts;
    m_sync = new MailboxSync(m_pool, m_store, this);
    connect(m_sync, &MailboxSync::actionRefused, this, &ResumingMailboxSync::actionRefused);
    connect(m_sync, &MailboxSync::progress, this, &ResumingMailboxSync::progress);
    connect(m_sync, &MailboxSync::bodyProgress, this, &ResumingMailboxSync::bodyProgress);
    connect(m_sync, &MailboxSync::finished, this, &ResumingMailboxSync::onAttemptFinished);
    m_backoff.connected();
    m_sync->start(m_mailbox, m_options);
}

void ResumingMailboxSync::onAttemptFinished()
{
    MailboxSync *sync = m_sync;
    m_sync = nullptr;
    sync->deleteLater();
    addToReport(sync->report());
    if (sync->folderId() != 0)
        m_folderId = sync->folderId();
    const Error error = sync->error();
    if (error && !ReconnectBackoff::isPermanent(error) && m_attempts < m_settings.maxAttempts) {
        const int delay = m_backoff.delayAfterLoss();
        qCInfo(lcController) << "sync of" << m_mailbox << "lost the connection:" << error.message()
                             << "- attempt" << m_attempts + 1 << "in" << delay << "ms";
        Q_EMIT connectionLost(error, delay);
        if (m_running) // a slot may have cancelled
            m_retryTimer.start(delay);
        return;
    }
    m_running = false;
    m_error = error;
    m_report.elapsedMs = m_clock.elapsed();
    Q_EMIT finished();
}

void ResumingMailboxSync::addToReport(const MailboxSyncReport &part)
{
    // How the last attempt went is how the folder was brought up to date.
    m_report.method = part.method;
    m_report.uidValidityChanged = m_report.uidValidityChanged || part.uidValidityChanged;
    m_report.added += part.added;
    m_report.flagsChanged += part.flagsChanged;
    m_report.actionsReplayed += part.actionsReplayed;
    m_report.actionsRefused += part.actionsRefused;
    m_report.removed += part.removed;
    m_report.bodies += part.bodies;
}

} // namespace wharf::controllers
