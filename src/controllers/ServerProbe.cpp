#include "controllers/ServerProbe.h"

#include "controllers/OpeningFactory.h"

#include <QMetaMethod>

namespace wharf::controllers {

QString tlsProtocolName(QSsl::SslProtocol protocol)
{
    switch (protocol) {
    case QSsl::TlsV1_2:
        return QStringLiteral("TLSv1.2");
    case QSsl::TlsV1_3:
        return QStringLiteral("TLSv1.3");
    default:
        return QStringLiteral("unknown");
    }
}

ServerProbe::ServerProbe(QObject *parent)
    : QObject(parent)
{}

void ServerProbe::start(const ServerEndpoint &endpoint, const ProbeOptions &options)
{
    cancel();
    m_endpoint = endpoint;
    net::ConnectionSettings settings = net::settingsFor(endpoint);
    settings.extraCaFile = options.extraCaFile;
    settings.pinnedPublicKey = options.pinnedPublicKey;
    settings.connectTimeoutMs = options.timeoutMs;
    settings.idleTimeoutMs = options.timeoutMs;

    m_connection = new net::Connection(settings, this);
    connect(m_connection, &net::Connection::protocolLog, this, &ServerProbe::protocolLog);
    // Only a listener can answer; without one the transport rejects on its own.
    if (isSignalConnected(QMetaMethod::fromSignal(&ServerProbe::certificateDecisionRequested))) {
        connect(m_connection, &net::Connection::certificateDecisionRequested, this,
                &ServerProbe::certificateDecisionRequested);
    }
    auto *opening = createOpening(endpoint.protocol, m_connection, m_connection);
    connect(opening, &net::OpeningHandshake::finished, this, &ServerProbe::onOpened);
    connect(opening, &net::OpeningHandshake::errorOccurred, this, &ServerProbe::onFailed);
    opening->start();
}

void ServerProbe::acceptCertificate()
{
    if (m_connection)
        m_connection->acceptCertificate();
}

void ServerProbe::rejectCertificate()
{
    if (m_connection)
        m_connection->rejectCertificate();
}

void ServerProbe::cancel()
{
    if (!m_connection)
        return;
    m_connection->disconnect(this);
    m_connection->abort({});
    m_connection->deleteLater();
    m_connection = nullptr;
}

void ServerProbe::onOpened(const net::ServerInfo &info)
{
    ProbeReport report;
    report.endpoint = m_endpoint;
    report.server = info;
    report.encrypted = m_connection->isEncrypted();
    if (report.encrypted) {
        report.tlsProtocol = tlsProtocolName(m_connection->tlsProtocol());
        report.cipher = m_connection->cipher().name();
        report.chain = m_connection->peerChain();
        if (!report.chain.isEmpty())
            report.publicKeySha256 = net::publicKeySha256(report.chain.first());
    }
    m_connection->close();
    m_connection->disconnect(this);
    m_connection->deleteLater();
    m_connection = nullptr;
    Q_EMIT finished(report);
}

void ServerProbe::onFailed(const Error &error)
{
    if (m_connection) {
        m_connection->disconnect(this);
        m_connection->deleteLater();
        m_connection = nullptr;
    }
    Q_EMIT errorOccurred(error);
}

} // namespace wharf::controllers
