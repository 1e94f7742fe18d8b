// The transport against a scripted server: byte-exact TLS, certificate, limit and error cases.

#include "ScriptedServer.h"
#include "net/Connection.h"

#include <QFile>
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

QString pkiFile(const char *name)
{
    return wharf::test::testPkiFile(QString::fromLatin1(name));
}

ScriptedServer::Options implicitTls(TestCertificate certificate = TestCertificate::Server)
{
    ScriptedServer::Options options;
    options.implicitTls = true;
    options.certificate = certificate;
    return options;
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

// A connection under test with everything it reports recorded. With an answer set it
// answers certificate questions; without one, nobody listens and the transport decides.
struct Client
{
    enum class Answer
    {
        Nobody,
        Accept,
        Reject
    };

    explicit Client(const ConnectionSettings &settings, Answer answer = Answer::Nobody)
        : connection(settings)
    {
        QObject::connect(&connection, &Connection::readyRead, &connection, [this] {
            QByteArray line;
            while (connection.readLine(line) == Connection::ReadResult::Line) {
                lines.append(line);
                onLine(line);
            }
        });
        QObject::connect(&connection, &Connection::ready, &connection, [this] { ++readyCount; });
        QObject::connect(&connection, &Connection::errorOccurred, &connection,
                         [this](const Error &error) { errors.append(error); });
        if (answer == Answer::Nobody)
            return;
        QObject::connect(&connection, &Connection::certificateDecisionRequested, &connection,
                         [this, answer](const CertificateDecision &decision) {
                             decisions.append(decision);
                             if (answer == Answer::Accept)
                                 connection.acceptCertificate();
                             else
                                 connection.rejectCertificate();
                         });
    }

    Error error() const { return errors.value(0); }

    Connection connection;
    QByteArrayList lines;
    QList<Error> errors;
    QList<CertificateDecision> decisions;
    int readyCount = 0;
    std::function<void(const QByteArray &)> onLine = [](const QByteArray &) {
    };
};

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
    Client client(settingsFor(server, TlsMode::None));
    client.connection.open();
    QTRY_COMPARE(client.lines, QByteArrayList{"+OK hello"});
    QCOMPARE(client.readyCount, 1);
    QVERIFY(!client.connection.isEncrypted());
    client.connection.sendLine("QUIT");
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestConnection::implicitTlsWithTrustedCa()
{
    ScriptedServer server(QStringLiteral("S: * OK secure\nEXPECT-CLOSE\n"), implicitTls());
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    ConnectionSettings settings = settingsFor(server, TlsMode::Implicit);
    settings.extraCaFile = pkiFile("ca.pem");
    Client client(settings, Client::Answer::Reject);
    client.connection.open();
    QTRY_COMPARE(client.lines, QByteArrayList{"* OK secure"});
    QVERIFY(client.connection.isEncrypted());
    const QSsl::SslProtocol protocol = client.connection.tlsProtocol();
    QVERIFY(protocol == QSsl::TlsV1_2 || protocol == QSsl::TlsV1_3);
    QCOMPARE(client.decisions.size(), 0);
    client.connection.abort({});
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestConnection::untrustedCertificateIsRejectedWithoutAnswer()
{
    ScriptedServer server(QStringLiteral("EXPECT-CLOSE\n"), implicitTls());
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    Client client(settingsFor(server, TlsMode::Implicit)); // system CAs only, nobody to ask
    client.connection.open();
    QTRY_COMPARE(client.errors.size(), 1);
    QCOMPARE(client.error().kind(), ErrorKind::CertificateUntrusted);
    QVERIFY2(client.error().message().contains(QString::fromLatin1(pkiText("server.spki-sha256"))),
             qPrintable(client.error().message()));
    QCOMPARE(client.readyCount, 0); // nothing from an untrusted server reached the protocol
    QVERIFY(client.lines.isEmpty());
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestConnection::untrustedCertificateAskedAndRejected()
{
    ScriptedServer server(QStringLiteral("EXPECT-CLOSE\n"), implicitTls());
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    Client client(settingsFor(server, TlsMode::Implicit), Client::Answer::Reject);
    client.connection.open();
    QTRY_COMPARE(client.errors.size(), 1);
    QCOMPARE(client.error().kind(), ErrorKind::CertificateUntrusted);
    QCOMPARE(client.decisions.size(), 1);
    const CertificateDecision &asked = client.decisions.first();
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
    ScriptedServer server(QStringLiteral("S: * OK hi\nEXPECT-CLOSE\n"), implicitTls());
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    Client client(settingsFor(server, TlsMode::Implicit), Client::Answer::Accept);
    client.connection.open();
    QTRY_COMPARE(client.lines, QByteArrayList{"* OK hi"});
    QCOMPARE(client.decisions.size(), 1);
    QCOMPARE(client.connection.settings().pinnedPublicKey, pkiText("server.spki-sha256"));
    client.connection.abort({});
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestConnection::pinnedKeyNeedsNoQuestion()
{
    ScriptedServer server(QStringLiteral("S: * OK pinned\nEXPECT-CLOSE\n"), implicitTls());
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    ConnectionSettings settings = settingsFor(server, TlsMode::Implicit);
    settings.pinnedPublicKey = pkiText("server.spki-sha256");
    Client client(settings, Client::Answer::Reject);
    client.connection.open();
    QTRY_COMPARE(client.lines, QByteArrayList{"* OK pinned"});
    QCOMPARE(client.decisions.size(), 0);
    client.connection.abort({});
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestConnection::changedKeyIsAHardWarning()
{
    ScriptedServer server(QStringLiteral("EXPECT-CLOSE\n"),
                          implicitTls(TestCertificate::OtherServer));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    ConnectionSettings settings = settingsFor(server, TlsMode::Implicit);
    // Even a CA the user trusts does not hide that the pinned key changed.
    settings.extraCaFile = pkiFile("other-ca.pem");
    settings.pinnedPublicKey = pkiText("server.spki-sha256");
    Client client(settings, Client::Answer::Reject);
    client.connection.open();
    QTRY_COMPARE(client.errors.size(), 1);
    QCOMPARE(client.decisions.size(), 1);
    const CertificateDecision &asked = client.decisions.first();
    QVERIFY(asked.keyChanged);
    QCOMPARE(asked.publicKeySha256, pkiText("other-server.spki-sha256"));
    QVERIFY(asked.summary().startsWith(QStringLiteral("Changed certificate")));
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestConnection::hostNameIsAlwaysVerified()
{
    // A certificate from a trusted CA, but for another name: still a question for the user.
    ScriptedServer::Options options = implicitTls();
    options.certificatePath = pkiFile("wrong-host.pem");
    options.keyPath = pkiFile("wrong-host.key");
    ScriptedServer server(QStringLiteral("EXPECT-CLOSE\n"), options);
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    ConnectionSettings settings = settingsFor(server, TlsMode::Implicit);
    settings.extraCaFile = pkiFile("ca.pem");
    Client client(settings, Client::Answer::Reject);
    client.connection.open();
    QTRY_COMPARE(client.errors.size(), 1);
    QCOMPARE(client.decisions.size(), 1);
    const QList<QSslError> reported = client.decisions.first().errors;
    QCOMPARE(reported.size(), 1);
    QCOMPARE(reported.first().error(), QSslError::HostNameMismatch);
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestConnection::overlongLineAborts()
{
    ScriptedServer server(QStringLiteral("S* 70000 a\nEXPECT-CLOSE\n"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    Client client(settingsFor(server, TlsMode::None));
    client.connection.open();
    QTRY_COMPARE(client.errors.size(), 1);
    QCOMPARE(client.error().kind(), ErrorKind::LimitExceeded);
    QVERIFY(client.error().message().contains(QStringLiteral("65536")));
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestConnection::absurdLiteralLengthAborts()
{
    ScriptedServer server(QStringLiteral("S: * 1 FETCH (BODY[] {99999999999999}\nEXPECT-CLOSE\n"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    Client client(settingsFor(server, TlsMode::None));
    client.onLine = [&client](const QByteArray &line) {
        const qsizetype open = line.lastIndexOf('{');
        const qint64 announced = line.mid(open + 1, line.size() - open - 2).toLongLong();
        client.connection.beginCounted(announced, 50 * 1024 * 1024);
    };
    client.connection.open();
    QTRY_COMPARE(client.errors.size(), 1);
    QCOMPARE(client.error().kind(), ErrorKind::LimitExceeded);
    QVERIFY2(client.error().message().contains(QStringLiteral("99999999999999")),
             qPrintable(client.error().message()));
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestConnection::closedByPeer()
{
    ScriptedServer server(QStringLiteral("S: * OK hi\nX\n"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    Client client(settingsFor(server, TlsMode::None));
    client.connection.open();
    QTRY_COMPARE(client.errors.size(), 1);
    QCOMPARE(client.error().kind(), ErrorKind::ClosedByPeer);
    QCOMPARE(client.lines, QByteArrayList{"* OK hi"}); // what came before the close arrives
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
    Client client(settings);
    client.connection.open();
    QTRY_COMPARE(client.errors.size(), 1);
    QCOMPARE(client.error().kind(), ErrorKind::ConnectionRefused);
    QVERIFY(client.error().message().contains(QString::number(port)));
}

void TestConnection::idleTimeout()
{
    ScriptedServer server(QStringLiteral("S: * OK then silence\nEXPECT-CLOSE\n"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    ConnectionSettings settings = settingsFor(server, TlsMode::None);
    settings.idleTimeoutMs = 300;
    Client client(settings);
    client.connection.open();
    QTRY_COMPARE(client.errors.size(), 1);
    QCOMPARE(client.error().kind(), ErrorKind::Timeout);
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestConnection::protocolLogRedactsCredentials()
{
    ScriptedServer server(QStringLiteral("S: * OK\nC: a1 LOGIN alice s3cret\nC: c2lnbmVk\n"
                                         "S: a1 OK\nEXPECT-CLOSE\n"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    Client client(settingsFor(server, TlsMode::None));
    Connection &connection = client.connection;
    QByteArrayList logged;
    connect(&connection, &Connection::protocolLog, this,
            [&](Connection::Direction direction, const QByteArray &line) {
                logged.append((direction == Connection::Direction::Sent ? "C: " : "S: ") + line);
            });
    connect(&connection, &Connection::ready, this, [&] {
        connection.sendLine("a1 LOGIN alice s3cret");
        connection.sendLine("c2lnbmVk", Connection::Secrecy::Secret);
    });
    connection.open();
    QTRY_COMPARE(logged.size(), 4);
    QCOMPARE(logged,
             (QByteArrayList{"C: a1 LOGIN <redacted>", "C: <redacted>", "S: * OK", "S: a1 OK"}));
    connection.abort({});
    WHARF_TRY_VERIFY_SCENARIO(server);
}

QTEST_GUILESS_MAIN(TestConnection)
#include "tst_connection.moc"
