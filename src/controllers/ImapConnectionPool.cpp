#include "controllers/ImapConnectionPool.h"

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
    : SessionPool(settings.maxConnections, parent)
    , m_settings(settings)
{}

void ImapConnectionPool::acquire(QObject *context, ReadyCallback onReady, ErrorCallback onError)
{
    request(
        context,
        [onReady = std::move(onReady)](QObject *session) {
            onReady(static_cast<imap::ImapSession *>(session));
        },
        std::move(onError), false);
}

void ImapConnectionPool::acquireExclusive(QObject *context, ReadyCallback onReady,
                                          ErrorCallback onError)
{
    request(
        context,
        [onReady = std::move(onReady)](QObject *session) {
            onReady(static_cast<imap::ImapSession *>(session));
        },
        std::move(onError), true);
}

QObject *ImapConnectionPool::createSession()
{
    auto *session = new imap::ImapSession(sessionSettingsFor(m_settings), this);
    connect(session, &imap::ImapSession::alert, this, &ImapConnectionPool::alert);
    watchSession(session, m_settings.endpoint.host);
    return session;
}

void ImapConnectionPool::openSession(QObject *session)
{
    static_cast<imap::ImapSession *>(session)->open();
}

qsizetype ImapConnectionPool::pendingWork(QObject *session) const
{
    return static_cast<imap::ImapSession *>(session)->pendingCommands();
}

void ImapConnectionPool::closeSession(QObject *session)
{
    static_cast<imap::ImapSession *>(session)->logout();
}

void ImapConnectionPool::abortSession(QObject *session)
{
    static_cast<imap::ImapSession *>(session)->abort();
}

void ImapConnectionPool::answerCertificate(QObject *session, bool accept)
{
    auto *imapSession = static_cast<imap::ImapSession *>(session);
    if (accept)
        imapSession->acceptCertificate();
    else
        imapSession->rejectCertificate();
}

} // namespace wharf::controllers
