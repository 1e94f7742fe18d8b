#pragma once

#include "core/Error.h"
#include "net/Connection.h"
#include "net/NumericReply.h"

#include <QByteArrayList>
#include <QObject>

namespace wharf::net {

// What a server said about itself before login.
struct ServerInfo
{
    QByteArray greeting;
    // A greeting received in plaintext before STARTTLS: shown to the user, never trusted.
    QByteArray greetingBeforeTls;
    // One entry per capability as the server wrote it ("AUTH=PLAIN", "SASL PLAIN LOGIN",
    // "SIZE 35882577", "MLST type*;size*;").
    QByteArrayList capabilities;
    bool preauthenticated = false;

    // Matches the first word of an entry, case-insensitively ("AUTH" matches "AUTH PLAIN").
    bool hasCapability(QByteArrayView name) const;
    // The words after a capability's name ("SASL PLAIN LOGIN" -> {"PLAIN", "LOGIN"}).
    QByteArrayList capabilityArguments(QByteArrayView name) const;
};

// The first step of every session: greeting, capabilities and, when TLS is required by
// STARTTLS, the upgrade. The order and the security rules live here once; each protocol
// supplies its dialogue by overriding the hooks. Rules: without TLS the session never goes
// on when STARTTLS was required (missing capability, refusal, PREAUTH greeting); after the
// upgrade everything learned before it is forgotten and asked again.
class OpeningHandshake : public QObject
{
    Q_OBJECT
public:
    explicit OpeningHandshake(Connection *connection, QObject *parent = nullptr);

    // Opens the connection and runs the dialogue.
    void start();
    Connection *connection() const { return m_connection; }
    const ServerInfo &serverInfo() const { return m_info; }

Q_SIGNALS:
    // The server is ready for login; the connection stays open for the next command.
    void finished(const wharf::net::ServerInfo &info);
    void errorOccurred(const wharf::Error &error);

protected:
    enum class Outcome
    {
        NeedMore,
        Done,
        Preauthenticated,
        Refused
    };

    virtual Outcome onGreetingLine(const QByteArray &line) = 0;
    // Returns false when nothing needs sending (the greeting already listed them).
    virtual bool requestCapabilities() = 0;
    virtual Outcome onCapabilityLine(const QByteArray &line) = 0;
    virtual bool offersStartTls() const = 0;
    virtual void requestStartTls() = 0;
    virtual Outcome onStartTlsLine(const QByteArray &line) = 0;
    // Protocols with more state than ServerInfo clear it too, then call this.
    virtual void forgetServerState();

    // For the hooks: records why the server's answer ends the session.
    Outcome refuse(ErrorKind kind, const QString &message);
    // For the three-digit protocols (SMTP, FTP): Done once `reply` is complete.
    Outcome collectReply(const QByteArray &line, NumericReply &reply);
    // Done when the complete reply has the expected code, Refused ("refused <what>") when it
    // has another; a 1yz preliminary reply (RFC 959 4.2) means the real one is still to come.
    Outcome expectReply(const QByteArray &line, int expected, const QString &what,
                        NumericReply *reply = nullptr);
    QString serverName() const;

    ServerInfo m_info;

private:
    enum class Step
    {
        Idle,
        Greeting,
        Capabilities,
        StartTls,
        Upgrading,
        Done
    };

    void processLines();
    void afterGreeting();
    void afterCapabilities();
    void onEncrypted();
    void fail(const Error &error);
    void finish();

    Connection *m_connection;
    NumericReplyParser m_replyParser;
    Step m_step = Step::Idle;
    Error m_refusal;
};

} // namespace wharf::net

Q_DECLARE_METATYPE(wharf::net::ServerInfo)
