// The transport against a scripted server: byte-exact TLS, certificate, limit and error cases.

#include "ScriptedServer.h"
#include "net/Connection.h"

#include <QFile>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace wharf;
using namespace wharf::net;
using wharf::test::ScriptedServer;
using wharf::test::TestCertificate;

namespace {

QByteArray pkiText(const char *name)
{
    QFile file(wharf::test::testPkiFile(QString::fromLatin1(name)));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll().trimmed();
}

ConnectionSettings settingsFor(const ScriptedServer &server, TlsMode mode)
{
    ConnectionSettings settings;
    settings.host = QStringLiteral("localhost");
    settings.port = server.port();
    settings.tlsMode = mode;
    settings.connectTimeoutMs = 10'000;
    settings.idleTimeoutMs = 10'000;
    return settings;
}

// Reads every complete line the connection has, in order.
QByteArrayList drainLines(Connection &connection)
{
    QByteArrayList lines;
    QByteArray line;
    while (connection.readLine(line) == Connection::ReadResult::Line)
        lines.append(line);
    return lines;
}

} // namespace

class TestConnection : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void plaintextWhenChosen();
    void implicitTlsWithTrustedCa();
    void untrustedCertificateIsRejectedWithoutAnswer();
    void untrustedCertificateAskedAndRejected();
    void acceptedCertificateIsPinned();
    void pinnedKeyNeedsNoQuestion();
    void changedKeyIsAHardWarning();
    void hostNameIsAlwaysVerified();
    void overlongLineAborts();
    void absurdLiteralLengthAborts();
    void closedByPeer();
    void connectionRefused();
    void idleTimeout();
    void protocolLogRedactsCredentials();
};

void TestConnection::plaintextWhenChosen()
{
    ScriptedServer server(QStringLiteral("S: +OK hello\nC: QUIT\nS: +OK bye\nX\n"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    Connection connection(settingsFor(server, TlsMode::None));
    QSignalSpy ready(&connection, &Connection::ready);
    QByteArrayList lines;
    connect(&connection, &Connection::readyRead, this, [&] { lines += drainLines(connection); });
    connection.open();
    QTRY_COMPARE(lines, QByteArrayList{"+OK hello"});
    QCOMPARE(ready.size(), 1);
    QVERIFY(!connection.isEncrypted());
    connection.sendLine("QUIT");
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestConnection::implicitTlsWithTrustedCa()
{
    ScriptedServer::Options options;
    options.implicitTls = true;
    ScriptedServer server(QStringLiteral("S: * OK secure\nEXPECT-CLOSE\n"), options);
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    ConnectionSettings settings = settingsFor(server, TlsMode::Implicit);
    settings.extraCaFile = wharf::test::testPkiFile(QStringLiteral("ca.pem"));
    Connection connection(settings);
    QSignalSpy decisions(&connection, &Connection::certificateDecisionRequested);
    QByteArrayList lines;
    connect(&connection, &Connection::readyRead, this, [&] { lines += drainLines(connection); });
    connection.open();
    QTRY_COMPARE(lines, QByteArrayList{"* OK secure"});
    QVERIFY(connection.isEncrypted());
    QVERIFY(connection.tlsProtocol() == QSsl::TlsV1_2 || connection.tlsProtocol() == QSsl::TlsV1_3);
    QCOMPARE(decisions.size(), 0);
    connection.abort({});
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestConnection::untrustedCertificateIsRejectedWithoutAnswer()
{
    ScriptedServer::Options options;
    options.implicitTls = true;
    ScriptedServer server(QStringLiteral("EXPECT-CLOSE\n"), options);
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    Connection connection(settingsFor(server, TlsMode::Implicit)); // system CAs only
    QSignalSpy errors(&connection, &Connection::errorOccurred);
    QSignalSpy readyRead(&connection, &Connection::readyRead);
    connection.open();
    QTRY_COMPARE(errors.size(), 1);
    const auto error = errors.first().first().value<Error>();
    QCOMPARE(error.kind(), ErrorKind::CertificateUntrusted);
    QVERIFY2(error.message().contains(QString::fromLatin1(pkiText("server.spki-sha256"))),
             qPrintable(error.message()));
    QCOMPARE(readyRead.size(), 0); // nothing from an untrusted server reached the protocol
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestConnection::untrustedCertificateAskedAndRejected()
{
    ScriptedServer::Options options;
    options.implicitTls = true;
    ScriptedServer server(QStringLiteral("EXPECT-CLOSE\n"), options);
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    Connection connection(settingsFor(server, TlsMode::Implicit));
    CertificateDecision asked;
    connect(&connection, &Connection::certificateDecisionRequested, this,
            [&](const CertificateDecision &decision) {
                asked = decision;
                connection.rejectCertificate();
            });
    QSignalSpy errors(&connection, &Connection::errorOccurred);
    connection.open();
    QTRY_COMPARE(errors.size(), 1);
    QCOMPARE(errors.first().first().value<Error>().kind(), ErrorKind::CertificateUntrusted);
    QCOMPARE(asked.host, QStringLiteral("localhost"));
    QCOMPARE(asked.port, server.port());
    QCOMPARE(asked.publicKeySha256, pkiText("server.spki-sha256"));
    QVERIFY(!asked.errors.isEmpty());
    QVERIFY(!asked.chain.isEmpty());
    QVERIFY(!asked.keyChanged);
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestConnection::acceptedCertificateIsPinned()
{
    ScriptedServer::Options options;
    options.implicitTls = true;
    ScriptedServer server(QStringLiteral("S: * OK hi\nEXPECT-CLOSE\n"), options);
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    Connection connection(settingsFor(server, TlsMode::Implicit));
    connect(&connection, &Connection::certificateDecisionRequested, &connection,
            &Connection::acceptCertificate);
    QByteArrayList lines;
    connect(&connection, &Connection::readyRead, this, [&] { lines += drainLines(connection); });
    connection.open();
    QTRY_COMPARE(lines, QByteArrayList{"* OK hi"});
    QCOMPARE(connection.settings().pinnedPublicKey, pkiText("server.spki-sha256"));
    connection.abort({});
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestConnection::pinnedKeyNeedsNoQuestion()
{
    ScriptedServer::Options options;
    options.implicitTls = true;
    ScriptedServer server(QStringLiteral("S: * OK pinned\nEXPECT-CLOSE\n"), options);
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    ConnectionSettings settings = settingsFor(server, TlsMode::Implicit);
    settings.pinnedPublicKey = pkiText("server.spki-sha256");
    Connection connection(settings);
    QSignalSpy decisions(&connection, &Connection::certificateDecisionRequested);
    QByteArrayList lines;
    connect(&connection, &Connection::readyRead, this, [&] { lines += drainLines(connection); });
    connection.open();
    QTRY_COMPARE(lines, QByteArrayList{"* OK pinned"});
    QCOMPARE(decisions.size(), 0);
    connection.abort({});
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestConnection::changedKeyIsAHardWarning()
{
    ScriptedServer::Options options;
    options.implicitTls = true;
    options.certificate = TestCertificate::OtherServer;
    ScriptedServer server(QStringLiteral("EXPECT-CLOSE\n"), options);
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    ConnectionSettings settings = settingsFor(server, TlsMode::Implicit);
    // Even a CA the user trusts does not hide that the pinned key changed.
    settings.extraCaFile = wharf::test::testPkiFile(QStringLiteral("other-ca.pem"));
    settings.pinnedPublicKey = pkiText("server.spki-sha256");
    Connection connection(settings);
    CertificateDecision asked;
    connect(&connection, &Connection::certificateDecisionRequested, this,
            [&](const CertificateDecision &decision) {
                asked = decision;
                connection.rejectCertificate();
            });
    QSignalSpy errors(&connection, &Connection::errorOccurred);
    connection.open();
    QTRY_COMPARE(errors.size(), 1);
    QVERIFY(asked.keyChanged);
    QCOMPARE(asked.publicKeySha256, pkiText("other-server.spki-sha256"));
    QVERIFY(asked.summary().startsWith(QStringLiteral("Changed certificate")));
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestConnection::hostNameIsAlwaysVerified()
{
    // A certificate from a trusted CA, but for another name: still a question for the user.
    ScriptedServer::Options options;
    options.implicitTls = true;
    options.certificatePath = wharf::test::testPkiFile(QStringLiteral("wrong-host.pem"));
    options.keyPath = wharf::test::testPkiFile(QStringLiteral("wrong-host.key"));
    ScriptedServer server(QStringLiteral("EXPECT-CLOSE\n"), options);
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    ConnectionSettings settings = settingsFor(server, TlsMode::Implicit);
    settings.extraCaFile = wharf::test::testPkiFile(QStringLiteral("ca.pem"));
    Connection connection(settings);
    QList<QSslError> reported;
    connect(&connection, &Connection::certificateDecisionRequested, this,
            [&](const CertificateDecision &decision) {
                reported = decision.errors;
                connection.rejectCertificate();
            });
    QSignalSpy errors(&connection, &Connection::errorOccurred);
    connection.open();
    QTRY_COMPARE(errors.size(), 1);
    QCOMPARE(reported.size(), 1);
    QCOMPARE(reported.first().error(), QSslError::HostNameMismatch);
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestConnection::overlongLineAborts()
{
    ScriptedServer server(QStringLiteral("S* 70000 a\nEXPECT-CLOSE\n"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    Connection connection(settingsFor(server, TlsMode::None));
    QSignalSpy errors(&connection, &Connection::errorOccurred);
    connect(&connection, &Connection::readyRead, this, [&] { drainLines(connection); });
    connection.open();
    QTRY_COMPARE(errors.size(), 1);
    const auto error = errors.first().first().value<Error>();
    QCOMPARE(error.kind(), ErrorKind::LimitExceeded);
    QVERIFY(error.message().contains(QStringLiteral("65536")));
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestConnection::absurdLiteralLengthAborts()
{
    ScriptedServer server(QStringLiteral("S: * 1 FETCH (BODY[] {99999999999999}\nEXPECT-CLOSE\n"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    Connection connection(settingsFor(server, TlsMode::None));
    QSignalSpy errors(&connection, &Connection::errorOccurred);
    connect(&connection, &Connection::readyRead, this, [&] {
        for (const QByteArray &line : drainLines(connection)) {
            const qsizetype open = line.lastIndexOf('{');
            const qint64 announced = line.mid(open + 1, line.size() - open - 2).toLongLong();
            connection.beginCounted(announced, 50 * 1024 * 1024);
        }
    });
    connection.open();
    QTRY_COMPARE(errors.size(), 1);
    const auto error = errors.first().first().value<Error>();
    QCOMPARE(error.kind(), ErrorKind::LimitExceeded);
    QVERIFY2(error.message().contains(QStringLiteral("99999999999999")),
             qPrintable(error.message()));
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestConnection::closedByPeer()
{
    ScriptedServer server(QStringLiteral("S: * OK hi\nX\n"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    Connection connection(settingsFor(server, TlsMode::None));
    QSignalSpy errors(&connection, &Connection::errorOccurred);
    QByteArrayList lines;
    connect(&connection, &Connection::readyRead, this, [&] { lines += drainLines(connection); });
    connection.open();
    QTRY_COMPARE(errors.size(), 1);
    QCOMPARE(errors.first().first().value<Error>().kind(), ErrorKind::ClosedByPeer);
    QCOMPARE(lines, QByteArrayList{"* OK hi"}); // what came before the close still arrives
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestConnection::connectionRefused()
{
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        port = probe.serverPort();
    }
    ConnectionSettings settings;
    settings.host = QStringLiteral("127.0.0.1");
    settings.port = port;
    settings.tlsMode = TlsMode::None;
    Connection connection(settings);
    QSignalSpy errors(&connection, &Connection::errorOccurred);
    connection.open();
    QTRY_COMPARE(errors.size(), 1);
    const auto error = errors.first().first().value<Error>();
    QCOMPARE(error.kind(), ErrorKind::ConnectionRefused);
    QVERIFY(error.message().contains(QString::number(port)));
}

void TestConnection::idleTimeout()
{
    ScriptedServer server(QStringLiteral("S: * OK then silence\nEXPECT-CLOSE\n"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    ConnectionSettings settings = settingsFor(server, TlsMode::None);
    settings.idleTimeoutMs = 300;
    Connection connection(settings);
    QSignalSpy errors(&connection, &Connection::errorOccurred);
    connect(&connection, &Connection::readyRead, this, [&] { drainLines(connection); });
    connection.open();
    QTRY_COMPARE(errors.size(), 1);
    QCOMPARE(errors.first().first().value<Error>().kind(), ErrorKind::Timeout);
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestConnection::protocolLogRedactsCredentials()
{
    ScriptedServer server(QStringLiteral("S: * OK\nC: a1 LOGIN alice s3cret\nC: c2lnbmVk\n"
                                         "S: a1 OK\nEXPECT-CLOSE\n"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    Connection connection(settingsFor(server, TlsMode::None));
    QByteArrayList logged;
    connect(&connection, &Connection::protocolLog, this,
            [&](Connection::Direction direction, const QByteArray &line) {
                logged.append((direction == Connection::Direction::Sent ? "C: " : "S: ") + line);
            });
    connect(&connection, &Connection::ready, this, [&] {
        connection.sendLine("a1 LOGIN alice s3cret");
        connection.sendLine("c2lnbmVk", Connection::Secrecy::Secret);
    });
    connect(&connection, &Connection::readyRead, this, [&] { drainLines(connection); });
    connection.open();
    QTRY_COMPARE(logged.size(), 4);
    QCOMPARE(logged,
             (QByteArrayList{"C: a1 LOGIN <redacted>", "C: <redacted>", "S: * OK", "S: a1 OK"}));
    connection.abort({});
    WHARF_TRY_VERIFY_SCENARIO(server);
}

QTEST_GUILESS_MAIN(TestConnection)
#include "tst_connection.moc"
