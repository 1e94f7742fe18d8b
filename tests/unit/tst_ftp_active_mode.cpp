// FTP active mode (FtpSessionSettings::activeMode) against scripted servers that connect
// back with CONNECT-DATA: EPRT, PORT when EPRT is refused (and from then on), a connection
// from another address ignored while the server's is awaited, nobody connecting at all,
// uploads, and FTPS data connections the server opens (Wharf stays the TLS client, and the
// control connection's certificate is still required).

#include "FtpTestSupport.h"
#include "protocols/ftp/commands/SimpleCommands.h"
#include "protocols/ftp/commands/TransferCommands.h"

#include <QBuffer>
#include <QTest>

using namespace wharf;
using namespace wharf::ftp;
using namespace wharf::test;

class TestFtpActiveMode : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void eprtListingThenDownload();
    void portWhenEprtRefused();
    void otherRefusalFails();
    void foreignPeerIgnored();
    void nobodyConnects();
    void upload();
    void protectedDownload();
    void protectedWrongCertificate();
};

namespace {

FtpSessionSettings activeSettings(FtpSessionSettings settings)
{
    settings.activeMode = true;
    return settings;
}

// Greeting, FEAT, AUTH TLS and the FEAT after it, which lists `features`.
QString authTlsScenario(const QStringList &features)
{
    return QStringLiteral(R"(
        S: 220 ready
        C: FEAT
        S: 211 no features before TLS
        C: AUTH TLS
        S: 234 Proceed with negotiation.
        STARTTLS
    )") + featScenario(features).section(u'\n', 1);
}

// The EPRT the client must send: its control connection's local address, never 0.0.0.0.
QString eprtScenario()
{
    return QStringLiteral("C~ EPRT \\|1\\|127\\.0\\.0\\.1\\|[0-9]+\\|\nS: 200 EPRT command "
                          "successful.\n");
}

} // namespace

void TestFtpActiveMode::eprtListingThenDownload()
{
    // Each transfer listens on a port of its own.
    ScriptedServer server(modernLogin() + eprtScenario() + QStringLiteral(R"(
        C: MLSD pub
        S: 150 Here comes the directory listing.
        CONNECT-DATA
        D: type=file;size=12;modify=20240102030405; a.txt
        D: type=dir;modify=20240101000000; sub
        DX
        S: 226 Directory send OK.
    )") + eprtScenario() + QStringLiteral(R"(
        C: RETR pub/a.txt
        S: 150 Opening BINARY mode data connection (12 bytes).
        CONNECT-DATA
        D-: hello\r\nworld
        DX
        S: 226 Transfer complete.
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(activeSettings(plainFtpSettings(server.port())));
    auto *list = enqueueKept(run->session.get(), new ListingCommand("pub"));
    QBuffer sink;
    sink.open(QIODevice::WriteOnly);
    auto *retr = enqueueKept(run->session.get(), new DownloadCommand("pub/a.txt", &sink));
    WHARF_TRY_FINISHED(retr);
    QVERIFY2(!list->error(), qPrintable(list->error().message()));
    QCOMPARE(entryNames(list->listing()),
             QStringList({QStringLiteral("a.txt"), QStringLiteral("sub")}));
    QVERIFY2(!retr->error(), qPrintable(retr->error().message()));
    QCOMPARE(sink.data(), QByteArray("hello\r\nworld"));
    QVERIFY(!run->session->eprtRefused());
    QVERIFY(run->errors.isEmpty());
    const QByteArrayList lines = server.receivedLines();
    QByteArrayList eprts;
    for (const QByteArray &line : lines) {
        QVERIFY2(!line.startsWith("EPSV") && !line.startsWith("PASV"), line.constData());
        if (line.startsWith("EPRT"))
            eprts.append(line);
    }
    QCOMPARE(eprts.size(), 2);
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpActiveMode::portWhenEprtRefused()
{
    // 500: PORT at once, and for the rest of the session without asking EPRT again.
    ScriptedServer server(modernLogin() + QStringLiteral(R"(
        C~ EPRT \|1\|127\.0\.0\.1\|[0-9]+\|
        S: 500 'EPRT': command not understood.
        C~ PORT 127,0,0,1,[0-9]+,[0-9]+
        S: 200 PORT command successful.
        C: RETR one.bin
        S: 150 Opening BINARY mode data connection.
        CONNECT-DATA
        D-: first
        DX
        S: 226 Transfer complete.
        C~ PORT 127,0,0,1,[0-9]+,[0-9]+
        S: 200 PORT command successful.
        C: MLSD
        S: 150 Here comes the directory listing.
        CONNECT-DATA
        D: type=file;size=5; one.bin
        DX
        S: 226 Directory send OK.
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(activeSettings(plainFtpSettings(server.port())));
    QBuffer sink;
    sink.open(QIODevice::WriteOnly);
    auto *retr = enqueueKept(run->session.get(), new DownloadCommand("one.bin", &sink));
    auto *list = enqueueKept(run->session.get(), new ListingCommand);
    WHARF_TRY_FINISHED(list);
    QVERIFY2(!retr->error(), qPrintable(retr->error().message()));
    QCOMPARE(sink.data(), QByteArray("first"));
    QVERIFY2(!list->error(), qPrintable(list->error().message()));
    QCOMPARE(entryNames(list->listing()), QStringList{QStringLiteral("one.bin")});
    QVERIFY(run->session->eprtRefused());
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpActiveMode::otherRefusalFails()
{
    // 421/501 and the like are not "EPRT unknown": the command fails, the session goes on.
    ScriptedServer server(modernLogin() + QStringLiteral(R"(
        C~ EPRT .*
        S: 501 Rejected data connection to foreign address.
        C: NOOP
        S: 200 NOOP ok.
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(activeSettings(plainFtpSettings(server.port())));
    auto *list = enqueueKept(run->session.get(), new ListingCommand);
    auto *noop = enqueueKept(run->session.get(), new NoopCommand);
    WHARF_TRY_FINISHED(noop);
    QVERIFY(list->error());
    QVERIFY2(list->error().message().contains(QStringLiteral("501")),
             qPrintable(list->error().message()));
    QVERIFY(!noop->error());
    QVERIFY(!run->session->eprtRefused());
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpActiveMode::foreignPeerIgnored()
{
    // 127.0.0.2 is loopback too, but not the server's address: closed without a byte, and
    // the server's own connection is still taken.
    ScriptedServer server(modernLogin() + eprtScenario() + QStringLiteral(R"(
        C: RETR file.bin
        S: 150 Opening BINARY mode data connection.
        CONNECT-DATA FROM 127.0.0.2
        DC:
        CONNECT-DATA
        D-: the real file
        DX
        S: 226 Transfer complete.
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(activeSettings(plainFtpSettings(server.port())));
    QBuffer sink;
    sink.open(QIODevice::WriteOnly);
    auto *retr = enqueueKept(run->session.get(), new DownloadCommand("file.bin", &sink));
    WHARF_TRY_FINISHED(retr);
    QVERIFY2(!retr->error(), qPrintable(retr->error().message()));
    QCOMPARE(sink.data(), QByteArray("the real file"));
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpActiveMode::nobodyConnects()
{
    // The connect timeout runs out: ABOR, NOOP, and an error that says what to try.
    ScriptedServer server(modernLogin() + eprtScenario() + QStringLiteral(R"(
        C: RETR file.bin
        S: 150 Opening BINARY mode data connection.
        C: ABOR
        S: 426 Failure writing network stream.
        S: 226 ABOR successful.
        C: NOOP
        S: 200 NOOP ok.
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    FtpSessionSettings settings = activeSettings(plainFtpSettings(server.port()));
    settings.connection.connectTimeoutMs = 300;
    auto run = openFtp(settings);
    QBuffer sink;
    sink.open(QIODevice::WriteOnly);
    auto *retr = enqueueKept(run->session.get(), new DownloadCommand("file.bin", &sink));
    WHARF_TRY_FINISHED(retr);
    QCOMPARE(retr->error().kind(), ErrorKind::NetworkError);
    QVERIFY2(retr->error().message().contains(QStringLiteral("did not open the data connection")),
             qPrintable(retr->error().message()));
    QVERIFY2(retr->error().message().contains(QStringLiteral("passive")),
             qPrintable(retr->error().message()));
    QVERIFY(sink.data().isEmpty());
    QVERIFY(run->errors.isEmpty());
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpActiveMode::upload()
{
    QByteArray payload;
    for (int i = 0; payload.size() < 200'000; ++i)
        payload += QByteArray::number(i) + ',';
    ScriptedServer server(modernLogin() + eprtScenario() +
                          QStringLiteral(R"(
        C: STOR up.bin
        S: 150 Ok to send data.
        CONNECT-DATA
        DC: %1
        S: 226 Transfer complete.
        C: SIZE up.bin
        S: 213 %2
        EXPECT-CLOSE
    )")
                              .arg(QString::fromLatin1(payload))
                              .arg(payload.size()));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(activeSettings(plainFtpSettings(server.port())));
    QBuffer source(&payload);
    source.open(QIODevice::ReadOnly);
    auto *stor = enqueueKept(run->session.get(), new UploadCommand("up.bin", &source));
    WHARF_TRY_FINISHED(stor);
    QVERIFY2(!stor->error(), qPrintable(stor->error().message()));
    QCOMPARE(stor->remoteSize(), qint64(payload.size()));
    QVERIFY(server.receivedData() == payload);
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpActiveMode::protectedDownload()
{
    // PROT P: the server connects, Wharf starts TLS on that connection as the client.
    const QStringList features{QStringLiteral("SIZE")};
    ScriptedServer server(authTlsScenario(features) + loginScenario(features, true) +
                          eprtScenario() + QStringLiteral(R"(
        C: RETR secret.txt
        S: 150 Opening BINARY mode data connection.
        DATA-TLS
        CONNECT-DATA
        D-: top secret
        DX
        S: 226 Transfer complete.
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(activeSettings(explicitTlsSettings(server.port())));
    QBuffer sink;
    sink.open(QIODevice::WriteOnly);
    auto *retr = enqueueKept(run->session.get(), new DownloadCommand("secret.txt", &sink));
    WHARF_TRY_FINISHED(retr);
    QVERIFY2(!retr->error(), qPrintable(retr->error().message()));
    QVERIFY(run->session->isProtected());
    QCOMPARE(sink.data(), QByteArray("top secret"));
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpActiveMode::protectedWrongCertificate()
{
    // Whoever connects must present the control connection's certificate, as in passive
    // mode: another one (even one the CA signed) is refused.
    const QStringList features{QStringLiteral("SIZE")};
    ScriptedServer server(authTlsScenario(features) + loginScenario(features, true) +
                              eprtScenario() + QStringLiteral(R"(
        C: LIST
        S: 150 Here comes the directory listing.
        DATA-TLS
        CONNECT-DATA
        DX
        C: ABOR
        S: 426 Connection closed; transfer aborted.
        S: 226 Closing data connection.
        C: NOOP
        S: 200 NOOP ok.
        EXPECT-CLOSE
    )"),
                          {.dataCertificate = TestCertificate::OtherServer});
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(activeSettings(explicitTlsSettings(server.port())));
    auto *list = enqueueKept(run->session.get(), new ListingCommand);
    WHARF_TRY_FINISHED(list);
    QCOMPARE(list->error().kind(), ErrorKind::SecurityViolation);
    QVERIFY2(list->error().message().contains(QStringLiteral("different certificate")),
             qPrintable(list->error().message()));
    QVERIFY(list->listing().entries.isEmpty());
    QVERIFY(run->errors.isEmpty());
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

QTEST_GUILESS_MAIN(TestFtpActiveMode)
#include "tst_ftp_active_mode.moc"
