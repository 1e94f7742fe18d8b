#include "controllers/FtpConnectionPool.h"

namespace wharf::controllers {

ftp::FtpSessionSettings sessionSettingsFor(const FtpSiteSettings &settings)
{
    ftp::FtpSessionSettings result;
    result.connection = net::settingsFor(settings.endpoint);
    result.connection.extraCaFile = settings.extraCaFile;
    result.connection.pinnedPublicKey = settings.pinnedPublicKey;
    result.connection.connectTimeoutMs = settings.timeoutMs;
    result.connection.idleTimeoutMs = std::max(settings.timeoutMs, 60'000);
    result.user = settings.endpoint.user;
    result.password = settings.password;
    result.activeMode = settings.activeMode;
    return result;
}

FtpConnectionPool::FtpConnectionPool(const FtpSiteSettings &settings, QObject *parent)
    : SessionPool(settings.maxConnections, parent)
    , m_settings(settings)
{}

void FtpConnectionPool::acquire(QObject *context, ReadyCallback onReady, ErrorCallback onError)
{
    request(
        context,
        [onReady = std::move(onReady)](QObject *session) {
            onReady(static_cast<ftp::FtpSession *>(session));
        },
        std::move(onError), true);
}

QObject *FtpConnectionPool::createSession()
{
    auto *session = new ftp::FtpSession(sessionSettingsFor(m_settings), this);
    watchSession(session, m_settings.endpoint.host);
    return session;
}

void FtpConnectionPool::openSession(QObject *session)
{
    static_cast<ftp::FtpSession *>(session)->open();
}

qsizetype FtpConnectionPool::pendingWork(QObject *session) const
{
    return static_cast<ftp::FtpSession *>(session)->pendingCommands();
}

void FtpConnectionPool::closeSession(QObject *session)
{
    static_cast<ftp::FtpSession *>(session)->quit();
}

void FtpConnectionPool::abortSession(QObject *session)
{
    static_cast<ftp::FtpSession *>(session)->abort();
}

void FtpConnectionPool::answerCertificate(QObject *session, bool accept)
{
    auto *ftpSession = static_cast<ftp::FtpSession *>(session);
    if (accept)
        ftpSession->acceptCertificate();
    else
        ftpSession->rejectCertificate();
}

} // namespace wharf::controllers
