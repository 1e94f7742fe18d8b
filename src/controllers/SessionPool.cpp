#include "controllers/SessionPool.h"

#include <QTimer>

namespace wharf::controllers {

SessionPool::SessionPool(int maxConnections, QObject *parent)
    : QObject(parent)
    , m_maxConnections(std::max(1, maxConnections))
{}

SessionPool::~SessionPool()
{
    // Sessions are children; their closed() must not reach a half-destroyed pool.
    for (const Entry &entry : std::as_const(m_sessions))
        entry.session->disconnect(this);
}

void SessionPool::request(QObject *context, ReadyCallback onReady, ErrorCallback onError,
                          bool exclusive)
{
    m_requests.append({context, std::move(onReady), std::move(onError), exclusive});
    serve();
}

void SessionPool::giveBack(QObject *session)
{
    if (Entry *entry = entryFor(session))
        entry->exclusive = false;
    serve();
}

SessionPool::Entry *SessionPool::entryFor(QObject *session)
{
    for (Entry &entry : m_sessions) {
        if (entry.session == session)
            return &entry;
    }
    return nullptr;
}

void SessionPool::serve()
{
    while (!m_requests.isEmpty() && !m_closing) {
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
            const bool idle = pendingWork(entry.session) == 0;
            if (request.exclusive && !idle)
                continue;
            if (!best || pendingWork(entry.session) < pendingWork(best->session))
                best = &entry;
        }
        const bool bestIsIdle = best && pendingWork(best->session) == 0;
        const bool mayOpen = m_sessions.size() < m_maxConnections && !anyConnecting;
        if (!bestIsIdle && mayOpen) {
            startSession();
            return; // served when it is ready
        }
        if (!best)
            return; // wait for a session to connect or be released
        best->exclusive = request.exclusive;
        const Request taken = m_requests.takeFirst();
        deliver(taken, best->session);
    }
}

void SessionPool::deliver(const Request &request, QObject *session)
{
    // Never call back from inside request(): the caller may not be ready for it.
    QPointer<QObject> guarded(session);
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

void SessionPool::startSession()
{
    QObject *session = createSession();
    m_sessions.append({session, false, false});
    openSession(session);
}

void SessionPool::askCertificate(QObject *session, const net::CertificateDecision &decision)
{
    m_decisionAsker = session;
    Q_EMIT certificateDecisionRequested(decision);
}

void SessionPool::sessionReady(QObject *session)
{
    if (Entry *entry = entryFor(session))
        entry->ready = true;
    serve();
}

void SessionPool::sessionEnded(QObject *session, const Error &error)
{
    Entry *entry = entryFor(session);
    if (!entry)
        return;
    const bool wasReady = entry->ready;
    m_sessions.removeIf([session](const Entry &e) { return e.session == session; });
    session->disconnect(this);
    session->deleteLater();
    if (m_closing) {
        if (m_sessions.isEmpty())
            Q_EMIT closed();
        return;
    }
    if (!wasReady && !m_sessions.isEmpty()) {
        // An extra connection was refused (servers cap connections per user): make do with
        // the ones that work.
        m_maxConnections = std::max(1, int(m_sessions.size()));
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

void SessionPool::acceptCertificate()
{
    if (m_decisionAsker)
        answerCertificate(m_decisionAsker, true);
}

void SessionPool::rejectCertificate()
{
    if (m_decisionAsker)
        answerCertificate(m_decisionAsker, false);
}

void SessionPool::cancel()
{
    const QList<Request> waiting = m_requests;
    m_requests.clear();
    const QList<Entry> sessions = m_sessions;
    m_sessions.clear();
    for (const Entry &entry : sessions) {
        entry.session->disconnect(this);
        abortSession(entry.session);
        entry.session->deleteLater();
    }
    for (const Request &request : waiting) {
        if (request.context)
            request.onError(Error(ErrorKind::Cancelled, QStringLiteral("Cancelled")));
    }
}

void SessionPool::closeAll()
{
    m_closing = true;
    m_requests.clear();
    if (m_sessions.isEmpty()) {
        Q_EMIT closed();
        return;
    }
    const QList<Entry> sessions = m_sessions;
    for (const Entry &entry : sessions)
        closeSession(entry.session);
}

} // namespace wharf::controllers
