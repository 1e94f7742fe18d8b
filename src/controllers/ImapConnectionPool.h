#pragma once

#include "core/Error.h"
#include "core/ServerEndpoint.h"
#include "net/CertificateDecision.h"
#include "net/Connection.h"
#include "protocols/imap/ImapSession.h"

#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>

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

// Up to N logged-in sessions to one account, so that a long fetch on one connection does
// not hold up a flag change on another. A second connection is opened only once the first
// has logged in: a certificate question or a wrong password comes up once, not N times.
class ImapConnectionPool : public QObject
{
    Q_OBJECT
public:
    using ReadyCallback = std::function<void(imap::ImapSession *session)>;
    using ErrorCallback = std::function<void(const Error &error)>;

    explicit ImapConnectionPool(const ImapAccountSettings &settings, QObject *parent = nullptr);
    ~ImapConnectionPool() override;

    const ImapAccountSettings &settings() const { return m_settings; }

    // Calls onReady with a logged-in session: an idle one, a new one while fewer than
    // maxConnections exist, else the least busy. `context` going away cancels the request.
    // A session that ends later is not the caller's problem until it uses it again: the
    // commands it queued fail with the session's error.
    void acquire(QObject *context, ReadyCallback onReady, ErrorCallback onError);
    // The same, but never shares: waits for (or opens) a session nobody else is using, for
    // a mailbox that must stay selected (IDLE, a sync).
    void acquireExclusive(QObject *context, ReadyCallback onReady, ErrorCallback onError);
    void release(imap::ImapSession *session);

    void acceptCertificate();
    void rejectCertificate();
    // Drops every connection; pending requests fail with Cancelled.
    void cancel();
    // LOGOUT on every session; closed() once all are gone.
    void logoutAll();
    int sessionCount() const { return int(m_sessions.size()); }

Q_SIGNALS:
    void certificateDecisionRequested(const wharf::net::CertificateDecision &decision);
    void protocolLog(wharf::net::Connection::Direction direction, const QByteArray &line);
    void alert(const QString &text);
    void closed();

private:
    struct Request
    {
        QPointer<QObject> context;
        ReadyCallback onReady;
        ErrorCallback onError;
        bool exclusive = false;
    };
    struct Entry
    {
        imap::ImapSession *session = nullptr;
        bool ready = false;
        bool exclusive = false; // handed out with acquireExclusive
    };

    void serve();
    imap::ImapSession *openSession();
    void onSessionReady(imap::ImapSession *session);
    void onSessionEnded(imap::ImapSession *session, const Error &error);
    Entry *entryFor(imap::ImapSession *session);
    void deliver(const Request &request, imap::ImapSession *session);

    ImapAccountSettings m_settings;
    QList<Entry> m_sessions;
    QList<Request> m_requests;
    QPointer<imap::ImapSession> m_decisionAsker;
    bool m_loggingOut = false;
};

} // namespace wharf::controllers
