// FTPS against scripted servers: explicit (AUTH TLS) and implicit TLS logins with PBSZ 0 and
// PROT P, a refused AUTH TLS that must not leak the login, and protected data connections,
// which must present exactly the control connection's certificate.

#include "FtpTestSupport.h"
#include "protocols/ftp/commands/TransferCommands.h"

#include <QBuffer>
#include <QTest>

using namespace wharf;
using namespace wharf::ftp;
using namespace wharf::test;

class TestFtpTls : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void explicitTls();
    void authTlsRefused();
    void implicitTls();
    void protectedListing();
    void protectedUpload();
    void protectedDataWithOtherCertificate();
};

namespace {

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

} // namespace

void TestFtpTls::explicitTls()
{
    ScriptedServer server(QStringLiteral(R"(
        S: 220 ready
        C: FEAT
        S: 211-Features:
        S:  AUTH TLS
        S: 211 End
        C: AUTH TLS
        S: 234 Proceed with negotiation.
        STARTTLS
        C: FEAT
        S: 211-Features:
        S:  PBSZ
        S:  PROT
        S:  UTF8
        S: 211 End
    )") + loginScenario({QStringLiteral("UTF8")}, true) +
                          QStringLiteral("EXPECT-CLOSE\n"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(explicitTlsSettings(server.port()));
    WHARF_TRY_FTP_READY(run);
    QVERIFY(run->session->isProtected());
    QVERIFY(run->session->connection()->isEncrypted());
    // What FEAT said before TLS is forgotten: AUTH was listed only then.
    QVERIFY(!run->session->features().has("AUTH"));
    QVERIFY(run->session->features().has("PROT"));
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpTls::authTlsRefused()
{
    // TLS required and refused: no USER, let alone a password, goes out in plaintext.
    ScriptedServer server(QStringLiteral(R"(
        S: 220 ready
        C: FEAT
        S: 211 no features
        C: AUTH TLS
        S: 534 Policy requires no TLS
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(explicitTlsSettings(server.port()));
    QTRY_COMPARE(run->errors.size(), 1);
    QVERIFY(!run->ready);
    QCOMPARE(run->errors.first().kind(), ErrorKind::SecurityViolation);
    QVERIFY2(run->errors.first().message().contains(QStringLiteral("Policy requires no TLS")),
             qPrintable(run->errors.first().message()));
    WHARF_TRY_VERIFY_SCENARIO(server);
    for (const QByteArray &line : server.receivedLines())
        QVERIFY2(!line.startsWith("USER") && !line.startsWith("PASS"), line.constData());
}

void TestFtpTls::implicitTls()
{
    // TLS from the first byte: no AUTH TLS, but PBSZ and PROT all the same.
    const QStringList features{QStringLiteral("UTF8")};
    ScriptedServer server(featScenario(features) + loginScenario(features, true) +
                              QStringLiteral("EXPECT-CLOSE\n"),
                          {.implicitTls = true});
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    FtpSessionSettings settings = explicitTlsSettings(server.port());
    settings.connection.tlsMode = TlsMode::Implicit;
    auto run = openFtp(settings);
    WHARF_TRY_FTP_READY(run);
    QVERIFY(run->session->isProtected());
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpTls::protectedListing()
{
    const QStringList features{QStringLiteral("MLST type*;size*;")};
    ScriptedServer server(authTlsScenario(features) + loginScenario(features, true) +
                          epsvScenario() + QStringLiteral(R"(
        C: MLSD
        S: 150 Here comes the directory listing.
        DATA-TLS
        ACCEPT-DATA
        D: type=file;size=3; secret.txt
        DX
        S: 226 Directory send OK.
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(explicitTlsSettings(server.port()));
    auto *list = enqueueKept(run->session.get(), new ListingCommand);
    WHARF_TRY_FINISHED(list);
    QVERIFY2(!list->error(), qPrintable(list->error().message()));
    QVERIFY(run->session->isProtected());
    QCOMPARE(entryNames(list->listing()), QStringList{QStringLiteral("secret.txt")});
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpTls::protectedUpload()
{
    // The end of a TLS upload is the close_notify after the last byte: all of it arrives.
    const QStringList features{QStringLiteral("SIZE")};
    QByteArray payload;
    for (int i = 0; payload.size() < 1'500'000; ++i)
        payload += QByteArray::number(i) + ',';
    ScriptedServer server(authTlsScenario(features) + loginScenario(features, true) +
                          epsvScenario() +
                          QStringLiteral(R"(
        C: STOR up.bin
        S: 150 Ok to send data.
        DATA-TLS
        ACCEPT-DATA
        DC: %1
        S: 226 Transfer complete.
        C: SIZE up.bin
        S: 213 %2
        EXPECT-CLOSE
    )")
                              .arg(QString::fromLatin1(payload))
                              .arg(payload.size()));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(explicitTlsSettings(server.port()));
    QBuffer source(&payload);
    source.open(QIODevice::ReadOnly);
    auto *stor = enqueueKept(run->session.get(), new UploadCommand("up.bin", &source));
    WHARF_TRY_FINISHED(stor);
    QVERIFY2(!stor->error(), qPrintable(stor->error().message()));
    QCOMPARE(stor->remoteSize(), qint64(payload.size()));
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
    QVERIFY(server.receivedData() == payload);
}

void TestFtpTls::protectedDataWithOtherCertificate()
{
    // Someone else answered on the data port: its certificate is not the control
    // connection's, so nothing is read from it, however valid it may be elsewhere.
    const QStringList features{QStringLiteral("MLST type*;size*;")};
    ScriptedServer server(authTlsScenario(features) + loginScenario(features, true) +
                              epsvScenario() + QStringLiteral(R"(
        C: MLSD
        S: 150 Here comes the directory listing.
        DATA-TLS
        ACCEPT-DATA
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
    auto run = openFtp(explicitTlsSettings(server.port()));
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

QTEST_GUILESS_MAIN(TestFtpTls)
#include "tst_ftp_tls.moc"
