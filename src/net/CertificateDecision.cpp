#include "net/CertificateDecision.h"

#include <QCryptographicHash>
#include <QSslKey>
#include <QStringList>

namespace wharf::net {

QByteArray publicKeySha256(const QSslCertificate &certificate)
{
    // QSslKey::toDer() of a public key is its SubjectPublicKeyInfo (as `openssl pkey -pubin`).
    const QByteArray spki = certificate.publicKey().toDer();
    if (spki.isEmpty())
        return {};
    return QCryptographicHash::hash(spki, QCryptographicHash::Sha256).toHex();
}

QByteArray certificateSha256(const QSslCertificate &certificate)
{
    return certificate.digest(QCryptographicHash::Sha256).toHex();
}

QString CertificateDecision::summary() const
{
    QStringList reasons;
    for (const QSslError &error : errors)
        reasons.append(error.errorString());
    if (keyChanged)
        reasons.prepend(QStringLiteral("the server's key is not the one you accepted before"));
    const QString subject = chain.isEmpty() ? QString() : chain.first().subjectDisplayName();
    return QStringLiteral("%1 certificate for %2:%3 (subject \"%4\", SHA-256 key %5): %6")
        .arg(keyChanged ? QStringLiteral("Changed") : QStringLiteral("Untrusted"), host)
        .arg(port)
        .arg(subject, QString::fromLatin1(publicKeySha256), reasons.join(QStringLiteral("; ")));
}

} // namespace wharf::net
