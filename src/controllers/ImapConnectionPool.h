#pragma once

#include "controllers/SessionPool.h"
#include "core/Error.h"
#include "core/ServerEndpoint.h"
#include "net/CertificateDecision.h"
#include "net/Connection.h"
#include "protocols/imap/ImapSession.h"

namespace wharf::controllers {

// How to reach one IMAP account.
struct ImapAccountSettings
{
    ServerEndpoint endpoint;
    QString password;
    QString extraCaFile;
    QByteArray pinnedPublicKey; // hex SHA-256 of a key the user chose to trust
    int timeoutMs = 30'000;
    int maxConnections = 3;
    qint64 maxMessageSize = 256ll * 1024 * 1024;
};

imap::ImapSessionSettings sessionSettingsFor(const ImapAccountSettings &settings);

// The sessions of one IMAP account (SessionPool's rules), so that a long fetch on one
// connection does not hold up a flag change on another.
class ImapConnectionPool : public SessionPool
{
    Q_OBJECT
public:
    using ReadyCallback = std::function<void(imap::ImapSession *session)>;

    explicit ImapConnectionPool(const ImapAccountSettings &settings, QObject *parent = nullptr);

    const ImapAccountSettings &settings() const { return m_settings; }

    // Calls onReady with a logged-in session: an idle one, a new one while fewer than
    // maxConnections exist, else the least busy. `context` going away cancels the request.
    // A session that ends later is not the caller's problem until it uses it again: the
    // commands it queued fail with the session's error.
    void acquire(QObject *context, ReadyCallback onReady, ErrorCallback onError);
    // The same, but never shares: waits for (or opens) a session nobody else is using, for
    // a mailbox that must stay selected (IDLE, a sync).
    void acquireExclusive(QObject *context, ReadyCallback onReady, ErrorCallback onError);
    void release(imap::ImapSession *session) { giveBack(session); }
    // LOGOUT on every session; closed() once all are gone.
    void logoutAll() { closeAll(); }

Q_SIGNALS:
    void alert(const QString &text);

protected:
    QObject *createSession() override;
    void openSession(QObject *session) override;
    qsizetype pendingWork(QObject *session) const override;
    void closeSession(QObject *session) override;
    void abortSession(QObject *session) override;
    void answerCertificate(QObject *session, bool accept) override;

private:
    ImapAccountSettings m_settings;
};

} // namespace wharf::controllers
