#include "TestPki.h"

#include <QDir>
#include <QFile>
#include <QSslKey>
#include <QSslSocket>

namespace wharf::test {

namespace {

bool readFile(const QString &path, QByteArray *contents, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return false;
    }
    *contents = file.readAll();
    return true;
}

} // namespace

QString testPkiDirectory()
{
    return qEnvironmentVariable("WHARF_TEST_PKI");
}

QString testPkiFile(const QString &fileName)
{
    const QString directory = testPkiDirectory();
    if (directory.isEmpty())
        return {};
    return QDir(directory).absoluteFilePath(fileName);
}

QList<QSslCertificate> testCaCertificates()
{
    const QString path = testPkiFile(QStringLiteral("ca.pem"));
    if (path.isEmpty())
        return {};
    return QSslCertificate::fromPath(path, QSsl::Pem);
}

bool loadServerTlsConfiguration(TestCertificate which, const QString &certificatePath,
                                const QString &keyPath, QSslConfiguration *configuration,
                                QString *error)
{
    if (!QSslSocket::supportsSsl()) {
        *error = QStringLiteral("TLS was requested but Qt has no working TLS backend (%1)")
                     .arg(QSslSocket::activeBackend());
        return false;
    }
    QString certPath = certificatePath;
    QString privateKeyPath = keyPath;
    if (certPath.isEmpty() || privateKeyPath.isEmpty()) {
        if (testPkiDirectory().isEmpty()) {
            *error = QStringLiteral(
                "TLS was requested but WHARF_TEST_PKI is not set. Run the test through ctest "
                "(fixture `pki` from tests/servers) or export WHARF_TEST_PKI=<directory made by "
                "tests/servers/make-test-pki.sh>.");
            return false;
        }
        const QString base = which == TestCertificate::OtherServer ? QStringLiteral("other-server")
                                                                   : QStringLiteral("server");
        if (certPath.isEmpty())
            certPath = testPkiFile(base + QStringLiteral(".pem"));
        if (privateKeyPath.isEmpty())
            privateKeyPath = testPkiFile(base + QStringLiteral(".key"));
    }

    QByteArray certData;
    QByteArray keyData;
    if (!readFile(certPath, &certData, error) || !readFile(privateKeyPath, &keyData, error))
        return false;
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certData, QSsl::Pem);
    if (chain.isEmpty()) {
        *error = QStringLiteral("no PEM certificate in %1").arg(certPath);
        return false;
    }
    QSslKey key;
    for (QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        key = QSslKey(keyData, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            break;
    }
    if (key.isNull()) {
        *error = QStringLiteral("cannot load the private key in %1 (PEM RSA/EC/DSA, unencrypted)")
                     .arg(privateKeyPath);
        return false;
    }

    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificateChain(chain);
    config.setPrivateKey(key);
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    *configuration = config;
    return true;
}

} // namespace wharf::test
