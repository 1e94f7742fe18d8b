#include "net/TlsConfiguration.h"

#include "net/Connection.h"

#include <QDateTime>
#include <QFileInfo>
#include <QHash>
#include <QMutex>
#include <QSslCertificate>
#include <QSslSocket>

namespace wharf::net {

namespace {

// Parsing a PEM file cost a sixth of the CPU time of an FTPS tree copy, where every file
// opens a data connection: the certificates are read once per file version.
QList<QSslCertificate> extraCaCertificates(const QString &path)
{
    struct Parsed
    {
        QDateTime modified;
        qint64 size = -1;
        QList<QSslCertificate> certificates;
    };
    static QMutex mutex;
    static QHash<QString, Parsed> cache;
    const QFileInfo info(path);
    const QMutexLocker lock(&mutex);
    Parsed &parsed = cache[path];
    if (parsed.certificates.isEmpty() || parsed.modified != info.lastModified() ||
        parsed.size != info.size()) {
        parsed.modified = info.lastModified();
        parsed.size = info.size();
        parsed.certificates =
            QSslCertificate::fromPath(path, QSsl::Pem, QSslCertificate::PatternSyntax::FixedString);
    }
    return parsed.certificates;
}

} // namespace

QSslConfiguration tlsConfigurationFor(const ConnectionSettings &settings, Error *error)
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    configuration.setPeerVerifyMode(QSslSocket::VerifyPeer);
    if (settings.keepTlsSession || !settings.resumeTlsSession.isEmpty())
        configuration.setSslOption(QSsl::SslOptionDisableSessionPersistence, false);
    if (!settings.resumeTlsSession.isEmpty())
        configuration.setSessionTicket(settings.resumeTlsSession);
    if (!settings.extraCaFile.isEmpty()) {
        const QList<QSslCertificate> extra = extraCaCertificates(settings.extraCaFile);
        if (extra.isEmpty()) {
            *error = Error(
                ErrorKind::LocalFile,
                QStringLiteral("Cannot read a PEM certificate from %1").arg(settings.extraCaFile));
            return configuration;
        }
        configuration.addCaCertificates(extra);
    }
    return configuration;
}

} // namespace wharf::net
