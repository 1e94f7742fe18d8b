#pragma once

#include "controllers/ServerProbe.h"
#include "core/Error.h"
#include "core/ServerEndpoint.h"
#include "net/CertificateDecision.h"
#include "store/TrustedCertificates.h"

#include <optional>

namespace wharf::controllers {

// The certificates the user chose to trust, as the GUI and wharf-cli use them: the key to
// pin for a connection, what to keep when the user accepts one, and what to forget.
class CertificateTrust
{
public:
    CertificateTrust() = default; // the user's store
    explicit CertificateTrust(const QString &filePath);

    // A store that cannot be read is an error: without it, a changed key would go unnoticed.
    Error load();
    QString filePath() const { return m_store.filePath(); }
    QList<store::TrustedCertificate> list() const { return m_store.list(); }
    std::optional<store::TrustedCertificate> pinFor(const QString &host, quint16 port) const;
    // What ProbeOptions::pinnedPublicKey takes for this endpoint; empty when nothing is
    // pinned there (or the connection is plaintext, where there is no key).
    QByteArray pinnedKeyFor(const ServerEndpoint &endpoint) const;

    // Pins the key the server presented for its host and port, for good, replacing what was
    // pinned there before.
    Error trust(const net::CertificateDecision &decision, const QString &reason);
    // Pins the key of a finished probe (the connection was encrypted).
    Error trust(const ProbeReport &report, const QString &reason);
    bool remove(const QString &host, quint16 port, Error *error = nullptr);

private:
    store::TrustedCertificates m_store;
};

// The entry that pins the leaf of `chain` (leaf first) for host and port.
store::TrustedCertificate trustedCertificateFor(const QString &host, quint16 port,
                                                const QList<QSslCertificate> &chain,
                                                const QString &reason);

// One sentence for the hard warning: the key CHANGED since it was trusted on <date>,
// possible interception, with the trusted and the presented key.
QString changedKeyMessage(const store::TrustedCertificate &pin,
                          const QByteArray &presentedKeySha256);

// "2024-05-06 07:08 UTC": when a pin was made, as people read it in both front ends.
QString pinDate(const QDateTime &time);

} // namespace wharf::controllers
