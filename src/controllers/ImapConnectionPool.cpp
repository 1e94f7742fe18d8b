#include "controllers/ImapConnectionPool.h"

#include <QTimer>

namespace wharf::controllers {

imap::ImapSessionSettings sessionSettingsFor(const ImapAccountSettings &settings)
{
    imap::ImapSessionSettings result;
    result.connection = net::settingsFor(settings.endpoint);
    result.connection.extraCaFile = settings.extraCaFile;
    result.connection.pinnedPublicKey = settings.pinnedPublicKey;
    result.connection.connectTimeoutMs = settings.timeoutMs;
    result.connection.idleTimeoutMs = std::max(settings.timeoutMs, 60'000);
    result.user = settings.endpoint.user;
    result.password = settings.password;
    result.maxMessageSize = settings.maxMessageSize;
    return result;
}

ImapConnectionPool::ImapConnectionPool(const ImapAccountSettings &settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
{
    m_settings.maxConnections = std::max(1, m_settings.maxConnections);
}

ImapConnectionPool::~ImapConnectionPool()
{
    // Sessions are children; their closed() must not reach a half-destroyed pool.
    for (const Entry &entry : std::as_const(m_sessions))
        entry.session->disconnect(this);
}

void ImapConnectionPool::acquire(QObject *context, ReadyCallback onReady, ErrorCallback onError)
{
    m_requests.append({context, std::move(onReady), std::move(onError), false});
    serve();
}

void ImapConnectionPool::acquireExclusive(QObject *context, ReadyCallback onReady,
                                          ErrorCallback onError)
{
    m_requests.append({context, std::move(onReady), std::move(onError), true});
    serve();
}

void ImapConnectionPool::release(imap::ImapSession *session)
{
    if (Entry *entry = entryFor(session))
        entry->exclusive = false;
    serve();
}

ImapConnectionPool::Entry *ImapConnectionPool::entryFor(imap::ImapSession *session)
{
    for (Entry &entry : m_sessions) {
        if (entry.session == session)
            return &entry;
    }
    return nullptr;
}

void ImapConnectionPool::serve()
{
    while (!m_requests.isEmpty() && !m_loggingOut) {
        if (!m_requests.first().context) {
            m_requests.removeFirst();
            continue;
        }
        const Request &request = m_requests.first();
        bool anyConnecting = false;
        Entry *best = nullptr;
        for (Entry &entry : m_sessions) {
            if (!entry.ready) {
                anyConnecting = true;
                continue;
            }
            if (entry.exclusive)
                continue;
            const bool idle = entry.session->pendingCommands() == 0;
            if (request.exclusive && !idle)
                continue;
            if (!best || entry.session->pendingCommands() < best->session->pendingCommands())
                best = &entry;
        }
        const bool bestIsIdle = best && best->session->pendingCommands() == 0;
        const bool mayOpen = m_sessions.size() < m_settings.maxConnections && !anyConnecting;
        if (!bestIsIdle && mayOpen) {
            openSession();
            return; // served when it is ready
        }
        if (!best)
            return; // wait for a session to connect or be released
        best->exclusive = request.exclusive;
        const Request taken = m_requests.takeFirst();
        deliver(taken, best->session);
    }
}

void ImapConnectionPool::deliver(const Request &request, imap::ImapSession *session)
{
    // Never call back from inside acquire(): the caller may not be ready for it.
    QPointer<imap::ImapSession> guarded(session);
    QTimer::singleShot(0, this, [request, guarded] {
        if (!request.context)
            return;
        if (!guarded) {
            request.onError(Error(ErrorKind::ClosedByPeer, QStringLiteral("Connection lost")));
            return;
        }
        request.onReady(guarded);
    });
}

imap::ImapSession *ImapConnectionPool::openSession()
{
    auto *session = new imap::ImapSession(sessionSettingsFor(m_settings), this);
    m_sessions.append({session, false, false});
    connect(session, &imap::ImapSession::protocolLog, this, &ImapConnectionPool::protocolLog);
    connect(session, &imap::ImapSession::alert, this, &ImapConnectionPool::alert);
    connect(session, &imap::ImapSession::certificateDecisionRequested, this,
            [this, session](const net::CertificateDecision &decision) {
                m_decisionAsker = session;
                Q_EMIT certificateDecisionRequested(decision);
            });
    connect(session, &imap::ImapSession::ready, this, [this, session] { onSessionReady(session); });
    connect(session, &imap::ImapSession::errorOccurred, this,
            [this, session](const Error &error) { onSessionEnded(session, error); });
    connect(session, &imap::ImapSession::closed, this, [this, session] {
        onSessionEnded(
            session,
            Error(ErrorKind::ClosedByPeer,
                  QStringLiteral("The connection to %1 was closed").arg(m_settings.endpoint.host)));
    });
    session->open();
    return session;
}

void ImapConnectionPool::onSessionReady(imap::ImapSession *session)
{
    if (Entry *entry = entryFor(session))
        entry->ready = true;
    serve();
}

void ImapConnectionPool::onSessionEnded(imap::ImapSession *session, const Error &error)
{
    Entry *entry = entryFor(session);
    if (!entry)
        return;
    const bool wasReady = entry->ready;
    m_sessions.removeIf([session](const Entry &e) { return e.session == session; });
    session->disconnect(this);
    session->deleteLater();
    if (m_loggingOut) {
        if (m_sessions.isEmpty())
            Q_EMIT closed();
        return;
    }
    if (!wasReady && !m_sessions.isEmpty()) {
        // An extra connection was refused (servers cap connections per user): make do with
        // the ones that work.
        m_settings.maxConnections = std::max(1, int(m_sessions.size()));
    } else if (!wasReady) {
        // The first session never logged in: fail everyone waiting, since the next attempt
        // would fail the same way (wrong password, certificate refused, server down).
        const QList<Request> waiting = m_requests;
        m_requests.clear();
        for (const Request &request : waiting) {
            if (request.context)
                request.onError(error);
        }
        return;
    }
    serve();
}

void ImapConnectionPool::acceptCertificate()
{
    if (m_decisionAsker)
        m_decisionAsker->acceptCertificate();
}

void ImapConnectionPool::rejectCertificate()
{
    if (m_decisionAsker)
        m_decisionAsker->rejectCertificate();
}

void ImapConnectionPool::cancel()
{
    const QList<Request> waiting = m_requests;
    m_requests.clear();
    const QList<Entry> sessions = m_sessions;
    m_sessions.clear();
    for (const Entry &entry : sessions) {
        entry.session->disconnect(this);
        entry.session->abort();
        entry.session->deleteLater();
    }
    for (const Request &request : waiting) {
        if (request.context)
            request.onError(Error(ErrorKind::Cancelled, QStringLiteral("Cancelled")));
    }
}

void ImapConnectionPool::logoutAll()
{
    m_loggingOut = true;
    m_requests.clear();
    if (m_sessions.isEmpty()) {
        Q_EMIT closed();
        return;
    }
    for (const Entry &entry : std::as_const(m_sessions))
        entry.session->logout();
}

} // namespace wharf::controllers
