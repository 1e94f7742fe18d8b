#include "controllers/CertificateTrust.h"

#include <QStringList>

namespace wharf::controllers {

namespace {

// "CN, O, C": the organisation is what people compare, more than the host name alone.
QString distinguishedName(const QSslCertificate &certificate, bool issuer)
{
    QStringList parts;
    for (auto info : {QSslCertificate::CommonName, QSslCertificate::Organization,
                      QSslCertificate::CountryName}) {
        const QStringList values =
            issuer ? certificate.issuerInfo(info) : certificate.subjectInfo(info);
        if (!values.isEmpty())
            parts.append(values.join(QStringLiteral(", ")));
    }
    if (parts.isEmpty())
        return issuer ? certificate.issuerDisplayName() : certificate.subjectDisplayName();
    return parts.join(QStringLiteral(", "));
}

} // namespace

CertificateTrust::CertificateTrust(const QString &filePath)
    : m_store(filePath)
{}

Error CertificateTrust::load()
{
    return m_store.load();
}

std::optional<store::TrustedCertificate> CertificateTrust::pinFor(const QString &host,
                                                                  quint16 port) const
{
    return m_store.find(host, port);
}

QByteArray CertificateTrust::pinnedKeyFor(const ServerEndpoint &endpoint) const
{
    if (endpoint.tlsMode == TlsMode::None)
        return {};
    const auto pin = m_store.find(endpoint.host, endpoint.port);
    return pin ? pin->publicKeySha256 : QByteArray();
}

Error CertificateTrust::trust(const net::CertificateDecision &decision, const QString &reason)
{
    if (decision.chain.isEmpty()) {
        return Error(ErrorKind::CertificateUntrusted,
                     QStringLiteral("%1:%2 presented no certificate; there is nothing to trust.")
                         .arg(decision.host)
                         .arg(decision.port));
    }
    return m_store.pin(trustedCertificateFor(decision.host, decision.port, decision.chain, reason));
}

Error CertificateTrust::trust(const ProbeReport &report, const QString &reason)
{
    if (!report.encrypted || report.chain.isEmpty()) {
        return Error(ErrorKind::Usage,
                     QStringLiteral("The connection to %1:%2 was not encrypted; there is no key "
                                    "to trust.")
                         .arg(report.endpoint.host)
                         .arg(report.endpoint.port));
    }
    return m_store.pin(
        trustedCertificateFor(report.endpoint.host, report.endpoint.port, report.chain, reason));
}

bool CertificateTrust::remove(const QString &host, quint16 port, Error *error)
{
    return m_store.remove(host, port, error);
}

store::TrustedCertificate trustedCertificateFor(const QString &host, quint16 port,
                                                const QList<QSslCertificate> &chain,
                                                const QString &reason)
{
    store::TrustedCertificate entry;
    entry.host = host;
    entry.port = port;
    entry.reason = reason;
    if (chain.isEmpty())
        return entry;
    const QSslCertificate &leaf = chain.first();
    entry.publicKeySha256 = net::publicKeySha256(leaf);
    entry.certificateSha256 = net::certificateSha256(leaf);
    entry.subject = distinguishedName(leaf, false);
    entry.issuer = distinguishedName(leaf, true);
    entry.expiry = leaf.expiryDate().toUTC();
    entry.acceptedAt = QDateTime::currentDateTimeUtc();
    return entry;
}

QString changedKeyMessage(const store::TrustedCertificate &pin,
                          const QByteArray &presentedKeySha256)
{
    return QStringLiteral("The key of %1:%2 CHANGED since you trusted it on %3: someone may be "
                          "intercepting the connection. Trusted key SHA-256 %4, presented key "
                          "SHA-256 %5.")
        .arg(pin.host)
        .arg(pin.port)
        .arg(pinDate(pin.acceptedAt), QString::fromLatin1(pin.publicKeySha256),
             QString::fromLatin1(presentedKeySha256));
}

QString pinDate(const QDateTime &time)
{
    return time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
}

} // namespace wharf::controllers
