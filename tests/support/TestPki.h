// Access to the per-run test PKI (directory in $WHARF_TEST_PKI, made by
// tests/servers/make-test-pki.sh: ca.pem, server.pem/.key, other-ca.pem, other-server.pem/.key).
#pragma once

#include <QList>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QString>

namespace wharf::test {

enum class TestCertificate
{
    Server,      // server.pem / server.key (valid for localhost and 127.0.0.1)
    OtherServer, // other-server.pem / other-server.key (same names, signed by other-ca: a
                 // client trusting only ca.pem must reject it)
};

// $WHARF_TEST_PKI, or an empty string when it is not set.
QString testPkiDirectory();

// Absolute path of a file in the test PKI, or an empty string when WHARF_TEST_PKI is not set.
QString testPkiFile(const QString &fileName);

// The certificates in ca.pem (empty when WHARF_TEST_PKI is unset or the file is unreadable).
QList<QSslCertificate> testCaCertificates();

// Builds a server-side TLS configuration. Explicit paths win over `which`; otherwise the files
// come from $WHARF_TEST_PKI. Returns false and sets *error (a complete sentence) on failure.
bool loadServerTlsConfiguration(TestCertificate which, const QString &certificatePath,
                                const QString &keyPath, QSslConfiguration *configuration,
                                QString *error);

} // namespace wharf::test
