#pragma once

#include "core/Error.h"
#include "core/ServerEndpoint.h"
#include "net/Connection.h"
#include "net/OpeningHandshake.h"

#include <QObject>
#include <QPointer>

namespace wharf::controllers {

// What a probe learned: the server's own words and the state of the TLS session.
struct ProbeReport
{
    ServerEndpoint endpoint;
    net::ServerInfo server;
    bool encrypted = false;
    QString tlsProtocol; // "TLSv1.3"
    QString cipher;
    QList<QSslCertificate> chain; // leaf first
    QByteArray publicKeySha256;
};

struct ProbeOptions
{
    QString extraCaFile;
    QByteArray pinnedPublicKey;
    int timeoutMs = 30'000;
};

QString tlsProtocolName(QSsl::SslProtocol protocol);

// Connects to a server, negotiates TLS as asked and reports greeting, capabilities and
// certificate: what "check connection" in the account dialog and `wharf-cli probe` show.
class ServerProbe : public QObject
{
    Q_OBJECT
public:
    explicit ServerProbe(QObject *parent = nullptr);

    void start(const ServerEndpoint &endpoint, const ProbeOptions &options = {});
    void acceptCertificate();
    void rejectCertificate();
    void cancel();
    bool isRunning() const { return !m_connection.isNull(); }

Q_SIGNALS:
    // Unanswered, the certificate is rejected: connect this to offer the user a choice.
    void certificateDecisionRequested(const wharf::net::CertificateDecision &decision);
    void protocolLog(wharf::net::Connection::Direction direction, const QByteArray &line);
    void finished(const wharf::controllers::ProbeReport &report);
    void errorOccurred(const wharf::Error &error);

private:
    void onOpened(const net::ServerInfo &info);
    void onFailed(const Error &error);

    ServerEndpoint m_endpoint;
    QPointer<net::Connection> m_connection;
};

} // namespace wharf::controllers

Q_DECLARE_METATYPE(wharf::controllers::ProbeReport)
