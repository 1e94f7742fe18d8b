#pragma once

#include "core/Error.h"
#include "net/CertificateDecision.h"
#include "net/Connection.h"

#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>

namespace wharf::controllers {

// Up to N logged-in sessions to one server, handed out to whoever needs one (IMAP's pool of
// an account, FTP's of a site). A second connection is opened only once the first has
// logged in: a certificate question or a wrong password comes up once, not N times. A
// server that refuses an extra connection leaves the pool at the size that worked.
// Subclasses make the sessions and say how busy one is; the rules live here.
class SessionPool : public QObject
{
    Q_OBJECT
public:
    using ReadyCallback = std::function<void(QObject *session)>;
    using ErrorCallback = std::function<void(const Error &error)>;

    explicit SessionPool(int maxConnections, QObject *parent = nullptr);
    ~SessionPool() override;

    void acceptCertificate();
    void rejectCertificate();
    // Drops every connection; pending requests fail with Cancelled.
    void cancel();
    // Ends every session politely (LOGOUT, QUIT); closed() once all are gone.
    void closeAll();
    int sessionCount() const { return int(m_sessions.size()); }
    int maxConnections() const { return m_maxConnections; }

Q_SIGNALS:
    void certificateDecisionRequested(const wharf::net::CertificateDecision &decision);
    void protocolLog(wharf::net::Connection::Direction direction, const QByteArray &line);
    void closed();

protected:
    // A new session, not yet opened, parented to the pool. The subclass connects its own
    // signals; the pool connects ready/ended through sessionReady()/sessionEnded().
    virtual QObject *createSession() = 0;
    virtual void openSession(QObject *session) = 0;
    virtual qsizetype pendingWork(QObject *session) const = 0;
    virtual void closeSession(QObject *session) = 0;
    virtual void abortSession(QObject *session) = 0;
    virtual void answerCertificate(QObject *session, bool accept) = 0;

    // For subclasses: the session logged in, or ended (after errorOccurred or closed).
    void sessionReady(QObject *session);
    void sessionEnded(QObject *session, const Error &error);
    void askCertificate(QObject *session, const net::CertificateDecision &decision);

    // Connects what every session type reports (log, certificate question, ready, error,
    // closed) to the pool's rules.
    template <class Session> void watchSession(Session *session, const QString &host)
    {
        connect(session, &Session::protocolLog, this, &SessionPool::protocolLog);
        connect(session, &Session::certificateDecisionRequested, this,
                [this, session](const net::CertificateDecision &decision) {
                    askCertificate(session, decision);
                });
        connect(session, &Session::ready, this, [this, session] { sessionReady(session); });
        connect(session, &Session::errorOccurred, this,
                [this, session](const Error &error) { sessionEnded(session, error); });
        connect(session, &Session::closed, this, [this, session, host] {
            sessionEnded(session,
                         Error(ErrorKind::ClosedByPeer,
                               QStringLiteral("The connection to %1 was closed").arg(host)));
        });
    }

    // `exclusive`: nobody else gets the session until release(); otherwise the least busy
    // session may be shared.
    void request(QObject *context, ReadyCallback onReady, ErrorCallback onError, bool exclusive);
    void giveBack(QObject *session);

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
        QObject *session = nullptr;
        bool ready = false;
        bool exclusive = false;
    };

    void serve();
    void startSession();
    Entry *entryFor(QObject *session);
    void deliver(const Request &request, QObject *session);

    int m_maxConnections;
    QList<Entry> m_sessions;
    QList<Request> m_requests;
    QPointer<QObject> m_decisionAsker;
    bool m_closing = false;
};

} // namespace wharf::controllers
