// The opening dialogue of each protocol (greeting, capabilities, STARTTLS) against scripted
// servers, including every way a server or an attacker can try to keep the session in
// plaintext.

#include "ScriptedServer.h"
#include "controllers/OpeningFactory.h"
#include "net/Connection.h"

#include <QSignalSpy>
#include <QTest>

using namespace wharf;
using namespace wharf::net;
using wharf::test::ScriptedServer;

Q_DECLARE_METATYPE(wharf::Protocol)
Q_DECLARE_METATYPE(wharf::TlsMode)
Q_DECLARE_METATYPE(wharf::ErrorKind)

class TestOpenings : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void succeeds_data();
    void succeeds();
    void failsClosed_data();
    void failsClosed();
};

namespace {

struct Run
{
    std::unique_ptr<Connection> connection;
    QList<ServerInfo> finished;
    QList<Error> errors;
};

std::unique_ptr<Run> runOpening(Protocol protocol, TlsMode mode, quint16 port)
{
    auto run = std::make_unique<Run>();
    ConnectionSettings settings;
    settings.host = QStringLiteral("localhost");
    settings.port = port;
    settings.tlsMode = mode;
    settings.extraCaFile = wharf::test::testPkiFile(QStringLiteral("ca.pem"));
    settings.connectTimeoutMs = 10'000;
    run->connection = std::make_unique<Connection>(settings);
    auto *opening =
        controllers::createOpening(protocol, run->connection.get(), run->connection.get());
    Run *raw = run.get();
    QObject::connect(opening, &OpeningHandshake::finished,
                     [raw](const ServerInfo &info) { raw->finished.append(info); });
    QObject::connect(opening, &OpeningHandshake::errorOccurred,
                     [raw](const Error &error) { raw->errors.append(error); });
    opening->start();
    return run;
}

const char *kImapStartTls = R"(
S: * OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] plain greeting
C: W1 STARTTLS
S: W1 OK Begin TLS negotiation now
STARTTLS
C: W2 CAPABILITY
S: * CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR
S: W2 OK done
EXPECT-CLOSE
)";

const char *kImapAskCapabilities = R"(
S: * OK no capabilities in the greeting
C: W1 CAPABILITY
S: * CAPABILITY IMAP4rev1 STARTTLS
S: W1 OK done
C: W2 STARTTLS
S: W2 OK go
STARTTLS
C: W3 CAPABILITY
S: * CAPABILITY IMAP4rev1 AUTH=PLAIN
S: W3 OK done
EXPECT-CLOSE
)";

const char *kPop3StartTls = R"(
S: +OK POP3 ready
C: CAPA
S: +OK list follows
S: USER
S: STLS
S: .
C: STLS
S: +OK Begin TLS
STARTTLS
C: CAPA
S: +OK
S: USER
S: SASL PLAIN LOGIN
S: .
EXPECT-CLOSE
)";

const char *kSmtpStartTls = R"(
S: 220-mx.example ESMTP
S: 220 second greeting line
C~ EHLO \[127\.0\.0\.1\]
S: 250-mx.example
S: 250-PIPELINING
S: 250 STARTTLS
C: STARTTLS
S: 220 Ready to start TLS
STARTTLS
C~ EHLO \[127\.0\.0\.1\]
S: 250-mx.example
S: 250-AUTH PLAIN LOGIN
S: 250 SIZE 35882577
EXPECT-CLOSE
)";

const char *kFtpAuthTls = R"(
S: 220-Welcome
S: 220 ready
C: FEAT
S: 211-Features:
S:  UTF8
S: 211 End
C: AUTH TLS
S: 234 Proceed with negotiation.
STARTTLS
C: FEAT
S: 211-Features:
S:  MLST type*;size*;modify*;
S:  UTF8
S: 211 End
EXPECT-CLOSE
)";

const char *kFtpPreliminaryGreeting = R"(
S: 120 Service ready in 1 minute
S: 220 ready now
C: FEAT
S: 502 no FEAT
C: AUTH TLS
S: 234 go
STARTTLS
C: FEAT
S: 502 still no FEAT
EXPECT-CLOSE
)";

const char *kImapImplicit = R"(
S: * PREAUTH [CAPABILITY IMAP4rev1] already logged in over TLS
EXPECT-CLOSE
)";

} // namespace

void TestOpenings::succeeds_data()
{
    QTest::addColumn<Protocol>("protocol");
    QTest::addColumn<TlsMode>("mode");
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QByteArrayList>("capabilities");
    QTest::addColumn<QByteArray>("greetingBeforeTls");

    QTest::newRow("imap starttls, capabilities in greeting")
        << Protocol::Imap << TlsMode::StartTls << QString::fromUtf8(kImapStartTls)
        << QByteArrayList{"IMAP4rev1", "AUTH=PLAIN", "SASL-IR"}
        << QByteArray("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] plain greeting");
    QTest::newRow("imap starttls, capabilities asked")
        << Protocol::Imap << TlsMode::StartTls << QString::fromUtf8(kImapAskCapabilities)
        << QByteArrayList{"IMAP4rev1", "AUTH=PLAIN"}
        << QByteArray("* OK no capabilities in the greeting");
    QTest::newRow("imap implicit preauth")
        << Protocol::Imap << TlsMode::Implicit << QString::fromUtf8(kImapImplicit)
        << QByteArrayList{"IMAP4rev1"} << QByteArray();
    QTest::newRow("pop3 stls") << Protocol::Pop3 << TlsMode::StartTls
                               << QString::fromUtf8(kPop3StartTls)
                               << QByteArrayList{"USER", "SASL PLAIN LOGIN"}
                               << QByteArray("+OK POP3 ready");
    QTest::newRow("smtp starttls")
        << Protocol::Smtp << TlsMode::StartTls << QString::fromUtf8(kSmtpStartTls)
        << QByteArrayList{"AUTH PLAIN LOGIN", "SIZE 35882577"}
        << QByteArray("220 mx.example ESMTP second greeting line");
    QTest::newRow("ftp auth tls") << Protocol::Ftp << TlsMode::StartTls
                                  << QString::fromUtf8(kFtpAuthTls)
                                  << QByteArrayList{"MLST type*;size*;modify*;", "UTF8"}
                                  << QByteArray("220 Welcome ready");
    QTest::newRow("ftp preliminary greeting")
        << Protocol::Ftp << TlsMode::StartTls << QString::fromUtf8(kFtpPreliminaryGreeting)
        << QByteArrayList{} << QByteArray("220 ready now");
}

void TestOpenings::succeeds()
{
    QFETCH(Protocol, protocol);
    QFETCH(TlsMode, mode);
    QFETCH(QString, scenario);
    QFETCH(QByteArrayList, capabilities);
    QFETCH(QByteArray, greetingBeforeTls);

    ScriptedServer::Options options;
    options.implicitTls = mode == TlsMode::Implicit;
    ScriptedServer server(scenario, options);
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = runOpening(protocol, mode, server.port());
    QTRY_COMPARE(run->finished.size() + run->errors.size(), 1);
    QVERIFY2(run->errors.isEmpty(), qPrintable(run->errors.value(0).message()));
    const ServerInfo &info = run->finished.first();
    QCOMPARE(info.capabilities, capabilities);
    QCOMPARE(info.greetingBeforeTls, greetingBeforeTls);
    QVERIFY(run->connection->isEncrypted());
    QVERIFY(run->connection->isOpen()); // left open for login
    run->connection->abort({});
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestOpenings::failsClosed_data()
{
    QTest::addColumn<Protocol>("protocol");
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<ErrorKind>("kind");
    QTest::addColumn<QString>("message");

    // A man in the middle appends a response to the go-ahead, in the same TCP segment.
    QTest::newRow("imap injection after go-ahead")
        << Protocol::Imap
        << QStringLiteral("S: * OK [CAPABILITY IMAP4rev1 STARTTLS] hi\nC: W1 STARTTLS\n"
                          "S: W1 OK Begin TLS\nS: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] "
                          "injected\nEXPECT-CLOSE\n")
        << ErrorKind::SecurityViolation << QStringLiteral("injected");
    QTest::newRow("pop3 injection after go-ahead")
        << Protocol::Pop3
        << QStringLiteral("S: +OK\nC: CAPA\nS: +OK\nS: STLS\nS: .\nC: STLS\nS: +OK go\n"
                          "S: +OK injected\nEXPECT-CLOSE\n")
        << ErrorKind::SecurityViolation << QStringLiteral("injected");
    QTest::newRow("smtp injection after go-ahead")
        << Protocol::Smtp
        << QStringLiteral("S: 220 mx\nC~ EHLO .*\nS: 250-mx\nS: 250 STARTTLS\nC: STARTTLS\n"
                          "S: 220 go\nS: 250 injected\nEXPECT-CLOSE\n")
        << ErrorKind::SecurityViolation << QStringLiteral("injected");
    QTest::newRow("imap preauth before tls")
        << Protocol::Imap
        << QStringLiteral("S: * PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] welcome\nEXPECT-CLOSE\n")
        << ErrorKind::SecurityViolation << QStringLiteral("PREAUTH");
    QTest::newRow("imap starttls not offered")
        << Protocol::Imap
        << QStringLiteral("S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi\nEXPECT-CLOSE\n")
        << ErrorKind::SecurityViolation << QStringLiteral("does not offer STARTTLS");
    QTest::newRow("imap starttls refused")
        << Protocol::Imap
        << QStringLiteral("S: * OK [CAPABILITY IMAP4rev1 STARTTLS] hi\nC: W1 STARTTLS\n"
                          "S: W1 NO not today\nEXPECT-CLOSE\n")
        << ErrorKind::SecurityViolation << QStringLiteral("not today");
    QTest::newRow("imap bye greeting")
        << Protocol::Imap << QStringLiteral("S: * BYE too many connections\nEXPECT-CLOSE\n")
        << ErrorKind::ProtocolError << QStringLiteral("too many connections");
    QTest::newRow("pop3 without capa")
        << Protocol::Pop3
        << QStringLiteral("S: +OK old server\nC: CAPA\nS: -ERR unknown command\nEXPECT-CLOSE\n")
        << ErrorKind::SecurityViolation << QStringLiteral("does not offer STARTTLS");
    QTest::newRow("pop3 stls refused")
        << Protocol::Pop3
        << QStringLiteral("S: +OK\nC: CAPA\nS: +OK\nS: STLS\nS: .\nC: STLS\nS: -ERR no\n"
                          "EXPECT-CLOSE\n")
        << ErrorKind::SecurityViolation << QStringLiteral("refused STLS");
    QTest::newRow("smtp starttls stripped")
        << Protocol::Smtp
        << QStringLiteral("S: 220 mx\nC~ EHLO .*\nS: 250-mx\nS: 250 AUTH PLAIN\nEXPECT-CLOSE\n")
        << ErrorKind::SecurityViolation << QStringLiteral("does not offer STARTTLS");
    QTest::newRow("smtp service unavailable")
        << Protocol::Smtp << QStringLiteral("S: 554 no service for you\nEXPECT-CLOSE\n")
        << ErrorKind::ProtocolError << QStringLiteral("no service for you");
    QTest::newRow("smtp garbage greeting")
        << Protocol::Smtp << QStringLiteral("S: SSH-2.0-OpenSSH_9.2\nEXPECT-CLOSE\n")
        << ErrorKind::ProtocolError << QStringLiteral("malformed");
    QTest::newRow("ftp auth tls refused")
        << Protocol::Ftp
        << QStringLiteral("S: 220 hi\nC: FEAT\nS: 502 no FEAT\nC: AUTH TLS\n"
                          "S: 530 TLS not available\nEXPECT-CLOSE\n")
        << ErrorKind::SecurityViolation << QStringLiteral("TLS not available");
}

void TestOpenings::failsClosed()
{
    QFETCH(Protocol, protocol);
    QFETCH(QString, scenario);
    QFETCH(ErrorKind, kind);
    QFETCH(QString, message);

    ScriptedServer server(scenario);
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = runOpening(protocol, TlsMode::StartTls, server.port());
    QTRY_COMPARE(run->finished.size() + run->errors.size(), 1);
    QCOMPARE(run->finished.size(), 0);
    const Error error = run->errors.first();
    QCOMPARE(error.kind(), kind);
    QVERIFY2(error.message().contains(message), qPrintable(error.message()));
    QVERIFY(!run->connection->isOpen());
    WHARF_TRY_VERIFY_SCENARIO(server);
}

QTEST_GUILESS_MAIN(TestOpenings)
#include "tst_openings.moc"
