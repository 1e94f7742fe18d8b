#include "store/TrustedCertificates.h"

#include "store/DurableFiles.h"
#include "store/StoragePaths.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QUrl>
#include <algorithm>

namespace wharf::store {

namespace {

const auto kFormat = QLatin1StringView("wharf-trusted-certificates");
constexpr int kVersion = 1;
// Thousands of entries fit in a few hundred KiB; anything this big was not written by us.
constexpr qint64 kMaxFileSize = 8 * 1024 * 1024;
// Another Wharf holds the lock only while it rewrites a small file.
constexpr int kLockWaitMs = 5000;

const auto kHost = QLatin1StringView("host");
const auto kPort = QLatin1StringView("port");
const auto kKey = QLatin1StringView("public_key_sha256");
const auto kCertificate = QLatin1StringView("certificate_sha256");
const auto kSubject = QLatin1StringView("subject");
const auto kIssuer = QLatin1StringView("issuer");
const auto kExpires = QLatin1StringView("expires");
const auto kAcceptedAt = QLatin1StringView("accepted_at");
const auto kReason = QLatin1StringView("reason");

QString isoUtc(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODate) : QString();
}

// What the ACE form of a name or an IP address (with an IPv6 zone, "%25eth0") is made of.
bool isHostCharacter(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'-' || c == u'.' ||
           c == u'_' || c == u':' || c == u'%';
}

bool sameServer(const TrustedCertificate &entry, const QString &host, quint16 port)
{
    return entry.port == port && entry.host == host;
}

bool byServer(const TrustedCertificate &a, const TrustedCertificate &b)
{
    return a.host != b.host ? a.host < b.host : a.port < b.port;
}

QJsonObject toJson(const TrustedCertificate &entry)
{
    return QJsonObject{
        {kHost, entry.host},
        {kPort, int(entry.port)},
        {kKey, QString::fromLatin1(entry.publicKeySha256)},
        {kCertificate, QString::fromLatin1(entry.certificateSha256)},
        {kSubject, entry.subject},
        {kIssuer, entry.issuer},
        {kExpires, isoUtc(entry.expiry)},
        {kAcceptedAt, isoUtc(entry.acceptedAt)},
        {kReason, entry.reason},
    };
}

// A missing member is an empty string; a member of another type is damage.
bool optionalString(const QJsonObject &object, QLatin1StringView key, QString *value)
{
    const QJsonValue member = object.value(key);
    if (member.isUndefined() || member.isNull()) {
        value->clear();
        return true;
    }
    if (!member.isString())
        return false;
    *value = member.toString();
    return true;
}

// Empty when the entry is sound, else what is wrong with it.
QString fromJson(const QJsonObject &object, TrustedCertificate *entry)
{
    QString text;
    if (!optionalString(object, kHost, &text) || (entry->host = normalizedHost(text)).isEmpty())
        return QStringLiteral("no valid \"host\"");
    const double port = object.value(kPort).toDouble(-1);
    if (port < 1 || port > 65535 || port != double(int(port)))
        return QStringLiteral("no valid \"port\"");
    entry->port = quint16(port);
    if (!optionalString(object, kKey, &text) ||
        (entry->publicKeySha256 = normalizedSha256(text)).isEmpty())
        return QStringLiteral("no valid \"%1\"").arg(kKey);
    if (!optionalString(object, kCertificate, &text))
        return QStringLiteral("\"%1\" is not a string").arg(kCertificate);
    entry->certificateSha256 = normalizedSha256(text);
    if (entry->certificateSha256.isEmpty() && !text.isEmpty())
        return QStringLiteral("\"%1\" is not a SHA-256").arg(kCertificate);
    if (!optionalString(object, kSubject, &entry->subject) ||
        !optionalString(object, kIssuer, &entry->issuer) ||
        !optionalString(object, kReason, &entry->reason))
        return QStringLiteral("a text field is not a string");
    if (!optionalString(object, kExpires, &text))
        return QStringLiteral("\"%1\" is not a string").arg(kExpires);
    entry->expiry = QDateTime::fromString(text, Qt::ISODate).toUTC();
    if (!text.isEmpty() && !entry->expiry.isValid())
        return QStringLiteral("\"%1\" is not a date").arg(kExpires);
    if (!optionalString(object, kAcceptedAt, &text))
        return QStringLiteral("\"%1\" is not a string").arg(kAcceptedAt);
    entry->acceptedAt = QDateTime::fromString(text, Qt::ISODate).toUTC();
    if (!entry->acceptedAt.isValid())
        return QStringLiteral("no valid \"%1\"").arg(kAcceptedAt);
    return {};
}

Error unreadable(const QString &file, const QString &why)
{
    return Error(ErrorKind::LocalFile,
                 QStringLiteral("The trusted certificates file %1 is damaged (%2). Wharf leaves "
                                "it as it is and changes no trusted certificate until you repair "
                                "it or move it away.")
                     .arg(file, why));
}

} // namespace

QString normalizedHost(const QString &host)
{
    QString text = host.trimmed();
    if (text.size() > 2 && text.startsWith(u'[') && text.endsWith(u']'))
        text = text.mid(1, text.size() - 2);
    else if (text.endsWith(u'.'))
        text.chop(1);
    if (text.isEmpty())
        return {};
    // QUrl maps case and IDN (Bücher.example -> xn--bcher-kva.example), writes an IPv6
    // address one way (0:0::1 -> ::1) and refuses what cannot be a host.
    QUrl url;
    url.setHost(text);
    const QString normalized = url.host(QUrl::FullyEncoded).toLower();
    if (!url.isValid() || normalized.isEmpty() ||
        !std::all_of(normalized.begin(), normalized.end(), isHostCharacter))
        return {};
    return normalized;
}

QByteArray normalizedSha256(QStringView text)
{
    QByteArray hex;
    for (QChar c : text) {
        if (c == u':' || c.isSpace())
            continue;
        const char16_t lower = c.toLower().unicode();
        if (!((lower >= u'0' && lower <= u'9') || (lower >= u'a' && lower <= u'f')))
            return {};
        hex.append(char(lower));
    }
    return hex.size() == 64 ? hex : QByteArray();
}

PinnedKeyMatch classifyKey(const std::optional<TrustedCertificate> &pin,
                           QByteArrayView presentedKeySha256)
{
    if (!pin)
        return PinnedKeyMatch::Unknown;
    const QByteArray presented = normalizedSha256(QString::fromLatin1(presentedKeySha256));
    return !presented.isEmpty() && presented == pin->publicKeySha256 ? PinnedKeyMatch::Matches
                                                                     : PinnedKeyMatch::Changed;
}

TrustedCertificates::TrustedCertificates()
    : TrustedCertificates(defaultFilePath())
{}

TrustedCertificates::TrustedCertificates(QString filePath)
    : m_filePath(std::move(filePath))
{}

QString TrustedCertificates::defaultFilePath()
{
    return configDirectory() + QStringLiteral("/trusted-certificates.json");
}

Error TrustedCertificates::load()
{
    QList<TrustedCertificate> entries;
    const Error error = readFile(&entries);
    // What cannot be read is not known: an old list would hide the failure.
    m_entries = error ? QList<TrustedCertificate>() : entries;
    return error;
}

QList<TrustedCertificate> TrustedCertificates::list() const
{
    return m_entries;
}

std::optional<TrustedCertificate> TrustedCertificates::find(const QString &host, quint16 port) const
{
    const QString key = normalizedHost(host);
    for (const TrustedCertificate &entry : m_entries) {
        if (sameServer(entry, key, port))
            return entry;
    }
    return std::nullopt;
}

PinnedKeyMatch TrustedCertificates::classify(const QString &host, quint16 port,
                                             QByteArrayView presentedKeySha256) const
{
    return classifyKey(find(host, port), presentedKeySha256);
}

Error TrustedCertificates::pin(const TrustedCertificate &entry)
{
    TrustedCertificate pinned = entry;
    pinned.host = normalizedHost(entry.host);
    if (pinned.host.isEmpty()) {
        return Error(ErrorKind::Usage,
                     QStringLiteral("\"%1\" is not a host name or address").arg(entry.host));
    }
    if (pinned.port == 0)
        return Error(ErrorKind::Usage, QStringLiteral("A trusted certificate needs a port."));
    pinned.publicKeySha256 = normalizedSha256(QString::fromLatin1(entry.publicKeySha256));
    if (pinned.publicKeySha256.isEmpty()) {
        return Error(ErrorKind::Usage,
                     QStringLiteral("\"%1\" is not a SHA-256 of a public key (64 hex digits)")
                         .arg(QString::fromLatin1(entry.publicKeySha256)));
    }
    pinned.certificateSha256 = normalizedSha256(QString::fromLatin1(entry.certificateSha256));
    pinned.expiry = entry.expiry.toUTC();
    // Whole seconds: what the file keeps is what the caller sees after the next load().
    const QDateTime acceptedAt =
        entry.acceptedAt.isValid() ? entry.acceptedAt : QDateTime::currentDateTimeUtc();
    pinned.acceptedAt = QDateTime::fromSecsSinceEpoch(acceptedAt.toSecsSinceEpoch(), Qt::UTC);
    return modify([&pinned](QList<TrustedCertificate> &entries) {
        entries.removeIf([&pinned](const TrustedCertificate &existing) {
            return sameServer(existing, pinned.host, pinned.port);
        });
        entries.append(pinned);
        return true;
    });
}

bool TrustedCertificates::remove(const QString &host, quint16 port, Error *error)
{
    const QString key = normalizedHost(host);
    bool removed = false;
    const Error failure = modify([&](QList<TrustedCertificate> &entries) {
        removed = entries.removeIf([&](const TrustedCertificate &existing) {
            return sameServer(existing, key, port);
        }) > 0;
        return removed;
    });
    if (error)
        *error = failure;
    return removed && !failure;
}

template <typename Change> Error TrustedCertificates::modify(Change change)
{
    const QString directory = QFileInfo(m_filePath).absolutePath();
    if (Error error = makePrivateDirectory(directory))
        return error;
    // The GUI and a script may change the store at the same time: neither may lose the
    // other's change, so the file is re-read and rewritten under one lock.
    QLockFile lock(m_filePath + QStringLiteral(".lock"));
    if (!lock.tryLock(kLockWaitMs)) {
        return Error(ErrorKind::LocalFile,
                     QStringLiteral("Another Wharf program is changing the trusted certificates "
                                    "(lock file %1.lock); try again.")
                         .arg(m_filePath));
    }
    if (Error error = load())
        return error;
    QList<TrustedCertificate> entries = m_entries;
    if (!change(entries))
        return {};
    std::sort(entries.begin(), entries.end(), byServer);
    if (Error error = writeFile(entries))
        return error;
    m_entries = entries;
    return {};
}

Error TrustedCertificates::readFile(QList<TrustedCertificate> *entries) const
{
    entries->clear();
    QFile file(m_filePath);
    if (!file.exists())
        return {};
    if (!file.open(QIODevice::ReadOnly)) {
        return Error(ErrorKind::LocalFile, QStringLiteral("Cannot read trusted certificates from "
                                                          "%1: %2")
                                               .arg(m_filePath, file.errorString()));
    }
    if (file.size() > kMaxFileSize)
        return unreadable(m_filePath, QStringLiteral("larger than 8 MiB"));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return unreadable(m_filePath, QStringLiteral("not valid JSON: %1 at byte %2")
                                          .arg(parseError.errorString())
                                          .arg(parseError.offset));
    }
    const QJsonObject root = document.object();
    if (!document.isObject() || root.value(QLatin1StringView("format")).toString() != kFormat)
        return unreadable(m_filePath, QStringLiteral("not a Wharf trusted-certificates file"));
    const int version = root.value(QLatin1StringView("version")).toInt(0);
    if (version > kVersion) {
        return Error(ErrorKind::LocalFile,
                     QStringLiteral("The trusted certificates file %1 was written by a newer "
                                    "Wharf (format version %2; this one reads version %3). "
                                    "Wharf leaves it as it is and changes no trusted "
                                    "certificate.")
                         .arg(m_filePath)
                         .arg(version)
                         .arg(kVersion));
    }
    if (version < 1)
        return unreadable(m_filePath, QStringLiteral("no valid \"version\""));
    const QJsonValue certificates = root.value(QLatin1StringView("certificates"));
    if (!certificates.isArray())
        return unreadable(m_filePath, QStringLiteral("no \"certificates\" list"));

    const QJsonArray array = certificates.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        TrustedCertificate entry;
        const QString problem = array.at(i).isObject() ? fromJson(array.at(i).toObject(), &entry)
                                                       : QStringLiteral("not an object");
        if (!problem.isEmpty())
            return unreadable(m_filePath, QStringLiteral("entry %1: %2").arg(i + 1).arg(problem));
        // Two pins for one server would leave it to chance which one holds.
        for (const TrustedCertificate &earlier : std::as_const(*entries)) {
            if (sameServer(earlier, entry.host, entry.port)) {
                return unreadable(m_filePath, QStringLiteral("entry %1 repeats %2:%3")
                                                  .arg(i + 1)
                                                  .arg(entry.host)
                                                  .arg(entry.port));
            }
        }
        entries->append(entry);
    }
    std::sort(entries->begin(), entries->end(), byServer);
    return {};
}

Error TrustedCertificates::writeFile(const QList<TrustedCertificate> &entries) const
{
    QJsonArray array;
    for (const TrustedCertificate &entry : entries)
        array.append(toJson(entry));
    const QJsonObject root{{QLatin1StringView("format"), kFormat},
                           {QLatin1StringView("version"), kVersion},
                           {QLatin1StringView("certificates"), array}};
    const QByteArray bytes = QJsonDocument(root).toJson(QJsonDocument::Indented);

    if (Error error = writePrivateFileAtomically(m_filePath, bytes))
        return Error(ErrorKind::LocalFile,
                     QStringLiteral("Cannot save trusted certificates: %1").arg(error.message()));
    return {};
}

} // namespace wharf::store
