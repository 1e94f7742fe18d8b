#pragma once

#include "controllers/SessionPool.h"
#include "core/ServerEndpoint.h"
#include "protocols/ftp/FtpSession.h"

namespace wharf::controllers {

// How to reach one FTP site.
struct FtpSiteSettings
{
    ServerEndpoint endpoint;
    QString password;
    QString extraCaFile;
    QByteArray pinnedPublicKey; // hex SHA-256 of a key the user chose to trust
    int timeoutMs = 30'000;
    int maxConnections = 4;
    bool activeMode = false; // the site's "passive" unchecked
};

ftp::FtpSessionSettings sessionSettingsFor(const FtpSiteSettings &settings);

// The sessions of one FTP site (SessionPool's rules). An FTP session does one thing at a
// time and has a current directory, so a session is never shared: each caller has it until
// release().
class FtpConnectionPool : public SessionPool
{
    Q_OBJECT
public:
    using ReadyCallback = std::function<void(ftp::FtpSession *session)>;

    explicit FtpConnectionPool(const FtpSiteSettings &settings, QObject *parent = nullptr);

    const FtpSiteSettings &settings() const { return m_settings; }

    void acquire(QObject *context, ReadyCallback onReady, ErrorCallback onError);
    void release(ftp::FtpSession *session) { giveBack(session); }

protected:
    QObject *createSession() override;
    void openSession(QObject *session) override;
    qsizetype pendingWork(QObject *session) const override;
    void closeSession(QObject *session) override;
    void abortSession(QObject *session) override;
    void answerCertificate(QObject *session, bool accept) override;

private:
    FtpSiteSettings m_settings;
};

} // namespace wharf::controllers
