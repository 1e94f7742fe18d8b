#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QSslCertificate>
#include <QSslError>
#include <QString>

namespace wharf::net {

// Lowercase hex SHA-256 of the DER SubjectPublicKeyInfo: what an exception is pinned to,
// so a renewed certificate with the same key stays trusted and any other key does not.
QByteArray publicKeySha256(const QSslCertificate &certificate);
QByteArray certificateSha256(const QSslCertificate &certificate);

// What the transport asks its owner when a certificate is not trusted (or not the pinned
// one). The owner answers with Connection::acceptCertificate() or rejectCertificate(); the
// core never shows UI.
struct CertificateDecision
{
    QString host;
    quint16 port = 0;
    QList<QSslCertificate> chain; // leaf first
    QByteArray publicKeySha256;
    QList<QSslError> errors;
    // A different key than the one pinned for this host: always a hard warning.
    bool keyChanged = false;

    // One line: "untrusted certificate for host:port (subject ...; SHA-256 key ...): errors".
    QString summary() const;
};

} // namespace wharf::net

Q_DECLARE_METATYPE(wharf::net::CertificateDecision)
