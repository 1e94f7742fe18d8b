// FtpSession and its one-line commands against scripted servers: login in its variants,
// explicit FTPS, every class of reply, 421 at any time, and names that would smuggle a
// second command onto the control connection.

#include "FtpTestSupport.h"
#include "protocols/ftp/commands/SimpleCommands.h"

#include <QSignalSpy>
#include <QTest>

using namespace wharf;
using namespace wharf::ftp;
using namespace wharf::test;

Q_DECLARE_METATYPE(wharf::ErrorKind)

class TestFtpSession : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void login();
    void loginToleratesRefusedOptions();
    void loginWithoutPassword();
    void loginRefused_data();
    void loginRefused();
    void replyClasses_data();
    void replyClasses();
    void closingReply_data();
    void closingReply();
    void simpleCommands();
    void renameRefusedBeforeRnto();
    void lineBreaksNeverSent_data();
    void lineBreaksNeverSent();
    void queuedCommandCancelled();
    void quitRunsQueuedCommandsFirst();
    void commandAfterCloseFails();
    void malformedReply();
    void abortFailsEverything();
};

void TestFtpSession::login()
{
    // The FEAT lines in between carry no code (RFC 2389); one has trailing blanks.
    const QString scenario = QStringLiteral(R"(
        S: 220-Welcome to the scripted server
        S: 220 ready
        C: FEAT
        S: 211-Features:
        S:  EPSV
        S:  MLST type*;size*;modify*;
        S:  REST STREAM
        S:  SIZE   
        S:  UTF8
        S: 211 End
        C: USER user
        S: 331 Please specify the password.
        C: PASS secret
        S: 230 Login successful.
        C: SYST
        S: 215 UNIX Type: L8
        C: OPTS UTF8 ON
        S: 200 Always in UTF8 mode.
        C: TYPE I
        S: 200 Switching to Binary mode.
        C: PWD
        S: 257 "/home/user/with ""quotes""" is the current directory
        C: QUIT
        S: 221 Goodbye.
        EXPECT-CLOSE
    )");
    ScriptedServer server(scenario);
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(plainFtpSettings(server.port()));
    WHARF_TRY_FTP_READY(run);
    FtpSession *session = run->session.get();
    QCOMPARE(session->state(), FtpSession::State::Ready);
    QCOMPARE(session->homeDirectory(), QByteArray("/home/user/with \"quotes\""));
    QVERIFY(!session->isProtected());
    QVERIFY(session->features().has("UTF8"));
    QVERIFY(session->features().has("SIZE"));
    QVERIFY(session->features().supportsMlsd());
    QVERIFY(session->features().supportsRestStream());
    QVERIFY(!session->features().has("MDTM"));

    session->quit();
    QTRY_COMPARE(run->closed, 1);
    QVERIFY(run->errors.isEmpty());
    QCOMPARE(session->state(), FtpSession::State::Closed);
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpSession::loginToleratesRefusedOptions()
{
    // OPTS UTF8 ON refused and PWD refused: neither stops the login.
    ScriptedServer server(featScenario({QStringLiteral("UTF8")}) + QStringLiteral(R"(
        C: USER user
        S: 331 Password please
        C: PASS secret
        S: 230 OK
        C: SYST
        S: 502 Command not implemented
        C: OPTS UTF8 ON
        S: 501 Unknown option
        C: TYPE I
        S: 200 OK
        C: PWD
        S: 550 Not telling
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(plainFtpSettings(server.port()));
    WHARF_TRY_FTP_READY(run);
    QVERIFY(run->session->homeDirectory().isEmpty());
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpSession::loginWithoutPassword()
{
    // 230 straight after USER: no PASS goes out (anonymous servers, key-based logins).
    ScriptedServer server(featScenario({}) + QStringLiteral(R"(
        C: USER user
        S: 230 Already logged in
        C: SYST
        S: 215 UNIX Type: L8
        C: TYPE I
        S: 200 OK
        C: PWD
        S: 257 "/" is current directory
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(plainFtpSettings(server.port()));
    WHARF_TRY_FTP_READY(run);
    QCOMPARE(run->session->homeDirectory(), QByteArray("/"));
    QVERIFY(run->session->features().isEmpty());
    QVERIFY(!server.receivedLines().contains("PASS secret"));
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpSession::loginRefused_data()
{
    QTest::addColumn<QString>("dialogue");
    QTest::addColumn<ErrorKind>("kind");
    QTest::addColumn<QString>("message");

    QTest::newRow("530 on PASS") << QStringLiteral("C: USER user\nS: 331 Password\n"
                                                   "C: PASS secret\nS: 530 Login incorrect.\n")
                                 << ErrorKind::AuthenticationFailed
                                 << QStringLiteral("Login incorrect");
    QTest::newRow("530 on USER") << QStringLiteral("C: USER user\nS: 530 No such user\n")
                                 << ErrorKind::AuthenticationFailed
                                 << QStringLiteral("No such user");
    QTest::newRow("332 wants ACCT")
        << QStringLiteral("C: USER user\nS: 331 Password\nC: PASS secret\n"
                          "S: 332 Need account for login.\n")
        << ErrorKind::AuthenticationFailed << QStringLiteral("ACCT");
    QTest::newRow("TYPE I refused")
        << QStringLiteral("C: USER user\nS: 230 OK\nC: SYST\nS: 215 UNIX\nC: TYPE I\n"
                          "S: 504 No binary here\n")
        << ErrorKind::ProtocolError << QStringLiteral("No binary here");
}

void TestFtpSession::loginRefused()
{
    QFETCH(QString, dialogue);
    QFETCH(ErrorKind, kind);
    QFETCH(QString, message);

    ScriptedServer server(featScenario({}) + dialogue + QStringLiteral("EXPECT-CLOSE\n"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(plainFtpSettings(server.port()));
    QTRY_COMPARE(run->errors.size(), 1);
    QVERIFY(!run->ready);
    QCOMPARE(run->errors.first().kind(), kind);
    QVERIFY2(run->errors.first().message().contains(message),
             qPrintable(run->errors.first().message()));
    QCOMPARE(run->closed, 1);
    QCOMPARE(run->session->state(), FtpSession::State::Closed);
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpSession::replyClasses_data()
{
    QTest::addColumn<QString>("replies");
    QTest::addColumn<bool>("succeeds");
    QTest::addColumn<ErrorKind>("kind");
    QTest::addColumn<int>("finalCode");

    QTest::newRow("1yz then 2yz") << QStringLiteral(
                                         "S: 150 Working on it\nS: 257 \"/new\" created\n")
                                  << true << ErrorKind::ProtocolError << 257;
    QTest::newRow("2yz multi-line") << QStringLiteral("S: 257-Creating\nS:  still\nS: 257 Done\n")
                                    << true << ErrorKind::ProtocolError << 257;
    QTest::newRow("3yz unexpected")
        << QStringLiteral("S: 350 Waiting for more\n") << false << ErrorKind::ProtocolError << 350;
    QTest::newRow("4yz") << QStringLiteral("S: 450 Busy, try later\n") << false
                         << ErrorKind::ProtocolError << 450;
    QTest::newRow("5yz") << QStringLiteral("S: 550 Permission denied\n") << false
                         << ErrorKind::ProtocolError << 550;
    QTest::newRow("530 logged out") << QStringLiteral("S: 530 Not logged in\n") << false
                                    << ErrorKind::AuthenticationFailed << 530;
}

void TestFtpSession::replyClasses()
{
    QFETCH(QString, replies);
    QFETCH(bool, succeeds);
    QFETCH(ErrorKind, kind);
    QFETCH(int, finalCode);

    // Whatever MKD gets, the session stays in step: the NOOP after it gets its own 200.
    ScriptedServer server(modernLogin() + QStringLiteral("C: MKD new\n") + replies +
                          QStringLiteral("C: NOOP\nS: 200 NOOP ok\nEXPECT-CLOSE\n"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(plainFtpSettings(server.port()));
    auto *mkd = enqueueKept(run->session.get(), new MakeDirectoryCommand("new"));
    auto *noop = enqueueKept(run->session.get(), new NoopCommand);
    WHARF_TRY_FINISHED(noop);
    QVERIFY(mkd->isFinished());
    QCOMPARE(mkd->lastReply().code, finalCode);
    if (succeeds) {
        QVERIFY2(!mkd->error(), qPrintable(mkd->error().message()));
    } else {
        QVERIFY(mkd->error());
        QCOMPARE(mkd->error().kind(), kind);
        QVERIFY2(mkd->error().message().contains(QString::number(finalCode)),
                 qPrintable(mkd->error().message()));
    }
    QVERIFY(!noop->error());
    QCOMPARE(noop->lastReply().code, 200);
    QVERIFY(run->errors.isEmpty());
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpSession::closingReply_data()
{
    QTest::addColumn<QString>("dialogue");
    QTest::addColumn<bool>("loggedIn");

    QTest::newRow("during login") << QStringLiteral("C: USER user\nS: 421 Too many users\n")
                                  << false;
    QTest::newRow("instead of a reply") << modernLogin() + QStringLiteral("C: DELE a\n"
                                                                          "S: 421 Timeout\n")
                                        << true;
    QTest::newRow("after a preliminary reply")
        << modernLogin() + QStringLiteral("C: DELE a\nS: 150 Deleting\nS: 421 Shutting down\n")
        << true;
}

void TestFtpSession::closingReply()
{
    QFETCH(QString, dialogue);
    QFETCH(bool, loggedIn);

    const QString opening = loggedIn ? QString() : featScenario({});
    ScriptedServer server(opening + dialogue + QStringLiteral("EXPECT-CLOSE\n"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(plainFtpSettings(server.port()));
    auto *dele = enqueueKept(run->session.get(), new DeleteFileCommand("a"));
    auto *queued = enqueueKept(run->session.get(), new DeleteFileCommand("b"));
    QTRY_COMPARE(run->errors.size(), 1);
    QCOMPARE(run->ready, loggedIn);
    QCOMPARE(run->errors.first().kind(), ErrorKind::ClosedByPeer);
    QVERIFY2(run->errors.first().message().contains(QStringLiteral("421")),
             qPrintable(run->errors.first().message()));
    QCOMPARE(run->closed, 1);
    for (DeleteFileCommand *command : {dele, queued}) {
        QVERIFY(command->isFinished());
        QCOMPARE(command->error().kind(), ErrorKind::ClosedByPeer);
    }
    WHARF_TRY_VERIFY_SCENARIO(server);
    QVERIFY(!server.receivedLines().contains("DELE b"));
}

void TestFtpSession::simpleCommands()
{
    ScriptedServer server(modernLogin() + QStringLiteral(R"(
        C: MKD dir
        S: 257 "/home/user/dir" created
        C: CWD dir
        S: 250 Directory successfully changed.
        C: CDUP
        S: 200 OK
        C: RNFR old name
        S: 350 Ready for RNTO.
        C: RNTO new name
        S: 250 Rename successful.
        C: SITE CHMOD 644 new name
        S: 200 SITE CHMOD command ok.
        C: SITE CHMOD 007 x
        S: 200 SITE CHMOD command ok.
        C: MFMT 20240229123456 new name
        S: 213 Modify=20240229123456; new name
        C: SIZE big.iso
        S: 213 5000000000
        C: MDTM big.iso
        S: 213 20240229123456.250
        C: DELE new name
        S: 250 Delete operation successful.
        C: RMD dir
        S: 250 Remove directory operation successful.
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(plainFtpSettings(server.port()));
    FtpSession *session = run->session.get();
    const QDateTime time(QDate(2024, 2, 29), QTime(12, 34, 56), Qt::UTC);
    QList<FtpCommand *> commands{
        enqueueKept(session, new MakeDirectoryCommand("dir")),
        enqueueKept(session, new ChangeDirectoryCommand("dir")),
        enqueueKept(session, new ParentDirectoryCommand),
        enqueueKept(session, new RenameCommand("old name", "new name")),
        enqueueKept(session, new ChmodCommand(0644, "new name")),
        enqueueKept(session, new ChmodCommand(07, "x")),
        enqueueKept(session, new SetModificationTimeCommand(time.toLocalTime(), "new name")),
    };
    auto *size = enqueueKept(session, new SizeCommand("big.iso"));
    auto *mdtm = enqueueKept(session, new ModificationTimeCommand("big.iso"));
    commands << size << mdtm;
    commands << enqueueKept(session, new DeleteFileCommand("new name"));
    commands << enqueueKept(session, new RemoveDirectoryCommand("dir"));
    WHARF_TRY_FINISHED(commands.last());
    for (FtpCommand *command : commands) {
        QVERIFY(command->isFinished());
        QVERIFY2(!command->error(), qPrintable(command->error().message()));
    }
    QCOMPARE(commands.first()->lastReply().code, 257);
    QCOMPARE(size->size(), Q_INT64_C(5000000000));
    QCOMPARE(mdtm->time(), time.addMSecs(250));
    QCOMPARE(session->pendingCommands(), 0);
    QVERIFY(run->errors.isEmpty());
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpSession::renameRefusedBeforeRnto()
{
    ScriptedServer server(modernLogin() + QStringLiteral(R"(
        C: RNFR missing
        S: 550 No such file or directory.
        C: SIZE x
        S: 213 12 bytes
        C: NOOP
        S: 200 OK
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(plainFtpSettings(server.port()));
    auto *rename = enqueueKept(run->session.get(), new RenameCommand("missing", "target"));
    auto *size = enqueueKept(run->session.get(), new SizeCommand("x"));
    auto *noop = enqueueKept(run->session.get(), new NoopCommand);
    WHARF_TRY_FINISHED(noop);
    QCOMPARE(rename->error().kind(), ErrorKind::ProtocolError);
    QVERIFY2(rename->error().message().startsWith(QStringLiteral("RNFR")),
             qPrintable(rename->error().message()));
    QCOMPARE(rename->lastReply().code, 550);
    // "12 bytes" is not a bare number: refused rather than guessed.
    QCOMPARE(size->error().kind(), ErrorKind::ProtocolError);
    QCOMPARE(size->size(), qint64(-1));
    QVERIFY(!noop->error());
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
    QVERIFY(!server.receivedLines().contains("RNTO target"));
}

void TestFtpSession::lineBreaksNeverSent_data()
{
    QTest::addColumn<QByteArray>("from");
    QTest::addColumn<QByteArray>("to");
    QTest::addColumn<QString>("dialogue");

    QTest::newRow("CRLF in the first name")
        << QByteArray("a\r\nDELE b") << QByteArray("c") << QString();
    QTest::newRow("LF in the first name")
        << QByteArray("a\nDELE b") << QByteArray("c") << QString();
    QTest::newRow("NUL in the first name") << QByteArray("a\0b", 3) << QByteArray("c") << QString();
    QTest::newRow("CR in the second name") << QByteArray("a") << QByteArray("c\rDELE b")
                                           << QStringLiteral("C: RNFR a\nS: 350 Ready for RNTO.\n");
}

void TestFtpSession::lineBreaksNeverSent()
{
    QFETCH(QByteArray, from);
    QFETCH(QByteArray, to);
    QFETCH(QString, dialogue);

    ScriptedServer server(modernLogin() + dialogue +
                          QStringLiteral("C: NOOP\nS: 200 OK\nEXPECT-CLOSE\n"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(plainFtpSettings(server.port()));
    auto *rename = enqueueKept(run->session.get(), new RenameCommand(from, to));
    auto *noop = enqueueKept(run->session.get(), new NoopCommand);
    WHARF_TRY_FINISHED(noop);
    QVERIFY(rename->isFinished());
    QCOMPARE(rename->error().kind(), ErrorKind::Usage);
    QVERIFY(!noop->error());
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
    for (const QByteArray &line : server.receivedLines())
        QVERIFY2(!line.startsWith("DELE") && !line.startsWith("RNTO"), line.constData());
}

void TestFtpSession::queuedCommandCancelled()
{
    ScriptedServer server(modernLogin() + QStringLiteral(R"(
        C: MKD a
        S: 257 "a" created
        C: MKD c
        S: 257 "c" created
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(plainFtpSettings(server.port()));
    auto *first = enqueueKept(run->session.get(), new MakeDirectoryCommand("a"));
    auto *second = enqueueKept(run->session.get(), new MakeDirectoryCommand("b"));
    auto *third = enqueueKept(run->session.get(), new MakeDirectoryCommand("c"));
    QSignalSpy cancelled(second, &FtpCommand::finished);
    second->cancel();
    QCOMPARE(cancelled.size(), 1);
    QCOMPARE(second->error().kind(), ErrorKind::Cancelled);
    WHARF_TRY_FINISHED(third);
    QVERIFY(!first->error());
    QVERIFY(!third->error());
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpSession::quitRunsQueuedCommandsFirst()
{
    ScriptedServer server(modernLogin() + QStringLiteral(R"(
        C: DELE a
        S: 250 Deleted
        C: QUIT
        S: 221 Goodbye.
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(plainFtpSettings(server.port()));
    auto *dele = enqueueKept(run->session.get(), new DeleteFileCommand("a"));
    run->session->quit();
    QTRY_COMPARE(run->closed, 1);
    QVERIFY(dele->isFinished());
    QVERIFY(!dele->error());
    QVERIFY(run->errors.isEmpty());
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpSession::commandAfterCloseFails()
{
    ScriptedServer server(modernLogin() + QStringLiteral("X\n"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(plainFtpSettings(server.port()));
    QTRY_COMPARE(run->closed, 1);
    // Lost while idle: reported once, and a later command fails at once.
    QCOMPARE(run->errors.size(), 1);
    QCOMPARE(run->errors.first().kind(), ErrorKind::ClosedByPeer);
    auto *dele = enqueueKept(run->session.get(), new DeleteFileCommand("a"));
    QVERIFY(dele->isFinished());
    QCOMPARE(dele->error().kind(), ErrorKind::ClosedByPeer);
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpSession::malformedReply()
{
    // Not a reply at all (an HTTP server, a proxy's page): the session ends, it does not
    // guess where the next reply starts.
    ScriptedServer server(modernLogin() + QStringLiteral(R"(
        C: CWD x
        S: HTTP/1.1 400 Bad Request
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(plainFtpSettings(server.port()));
    auto *cwd = enqueueKept(run->session.get(), new ChangeDirectoryCommand("x"));
    QTRY_COMPARE(run->errors.size(), 1);
    QCOMPARE(run->errors.first().kind(), ErrorKind::ProtocolError);
    QVERIFY2(run->errors.first().message().contains(QStringLiteral("HTTP/1.1")),
             qPrintable(run->errors.first().message()));
    QCOMPARE(cwd->error().kind(), ErrorKind::ProtocolError);
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpSession::abortFailsEverything()
{
    ScriptedServer server(modernLogin() + QStringLiteral("C: DELE a\nEXPECT-CLOSE\n"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(plainFtpSettings(server.port()));
    auto *running = enqueueKept(run->session.get(), new DeleteFileCommand("a"));
    auto *queued = enqueueKept(run->session.get(), new DeleteFileCommand("b"));
    QTRY_VERIFY(server.receivedLines().contains("DELE a"));
    run->session->abort();
    // Asked for: no error, but nothing is left waiting either.
    QCOMPARE(run->closed, 1);
    QVERIFY(run->errors.isEmpty());
    QCOMPARE(running->error().kind(), ErrorKind::Cancelled);
    QCOMPARE(queued->error().kind(), ErrorKind::Cancelled);
    QCOMPARE(run->session->pendingCommands(), 0);
    WHARF_TRY_VERIFY_SCENARIO(server);
}

QTEST_GUILESS_MAIN(TestFtpSession)
#include "tst_ftp_session.moc"
