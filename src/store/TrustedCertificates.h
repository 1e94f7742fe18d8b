#pragma once

#include "core/Error.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <optional>

namespace wharf::store {

// An exception the user made for one server: this public key is trusted for this host and
// port whatever the system's CAs say, and any other key there is a hard warning. The key,
// not the certificate, is pinned, so a renewal with the same key stays trusted.
struct TrustedCertificate
{
    QString host; // as normalizedHost() returns it
    quint16 port = 0;
    QByteArray publicKeySha256;   // lowercase hex SHA-256 of the SubjectPublicKeyInfo: the pin
    QByteArray certificateSha256; // the certificate seen when it was accepted (informational)
    QString subject;
    QString issuer;
    QDateTime expiry;     // of that certificate, UTC; invalid when unknown
    QDateTime acceptedAt; // UTC
    QString reason;       // the user's words, or how it was accepted
};

// What a presented key means for a host and port.
enum class PinnedKeyMatch
{
    Unknown, // nothing pinned: the system's CAs decide
    Matches, // the pinned key: trusted
    Changed, // pinned, but another key: always a hard warning
};

// The one spelling a host is stored and compared in: ASCII lower case, an IDN in its ACE
// form (xn--), no trailing dot, an IP address in canonical form. Empty when the text is no
// usable host name.
QString normalizedHost(const QString &host);

// A SHA-256 in lowercase hex. Accepts upper case and the usual separators (colons, spaces);
// empty when the text is not 64 hex digits.
QByteArray normalizedSha256(QStringView text);

PinnedKeyMatch classifyKey(const std::optional<TrustedCertificate> &pin,
                           QByteArrayView presentedKeySha256);

// The pinned-exception store: one versioned JSON file, written atomically and readable by
// the user only. A file it cannot read (damaged, or from a newer Wharf) is reported and
// never overwritten: every change is refused until the user repairs or removes it.
class TrustedCertificates
{
public:
    // The user's store, configDirectory() + "/trusted-certificates.json".
    TrustedCertificates();
    explicit TrustedCertificates(QString filePath);

    static QString defaultFilePath();
    const QString &filePath() const { return m_filePath; }

    // Reads the file; a missing one is an empty store.
    Error load();

    QList<TrustedCertificate> list() const; // by host, then port
    std::optional<TrustedCertificate> find(const QString &host, quint16 port) const;
    PinnedKeyMatch classify(const QString &host, quint16 port,
                            QByteArrayView presentedKeySha256) const;

    // Both re-read the file first (another Wharf may have changed it), change it and write
    // it back. pin() replaces what was pinned for the entry's host and port; an invalid
    // acceptedAt becomes now. remove() is false when nothing was pinned there (error empty)
    // or the change failed (error set).
    Error pin(const TrustedCertificate &entry);
    bool remove(const QString &host, quint16 port, Error *error = nullptr);

private:
    Error readFile(QList<TrustedCertificate> *entries) const;
    Error writeFile(const QList<TrustedCertificate> &entries) const;
    template <typename Change> Error modify(Change change);

    QString m_filePath;
    QList<TrustedCertificate> m_entries;
};

} // namespace wharf::store
