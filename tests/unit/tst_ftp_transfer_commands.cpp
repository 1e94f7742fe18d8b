// The FTP commands with a data connection (MLSD/LIST, RETR, STOR/APPE) against scripted
// servers: EPSV and the PASV fallback, a PASV reply naming another host, failures of the
// data connection (425, 426, 421, a port nobody listens on), cancel with ABOR, the listing
// size limit and the size check after an upload. FTPS data connections: tst_ftp_tls.

#include "FtpTestSupport.h"
#include "protocols/ftp/commands/SimpleCommands.h"
#include "protocols/ftp/commands/TransferCommands.h"

#include <QBuffer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace wharf;
using namespace wharf::ftp;
using namespace wharf::test;

Q_DECLARE_METATYPE(wharf::ErrorKind)

class TestFtpTransferCommands : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void mlsdListingRefusesUnsafeNames();
    void listWithPasvFallback();
    void pasvAddressIgnored();
    void download();
    void downloadFromOffset();
    void downloadFailures_data();
    void downloadFailures();
    void closingReplyMidTransfer();
    void dataConnectionNeverMade();
    void cancelRunningDownload();
    void listingLimit();
    void upload();
    void uploadSizeCheck_data();
    void uploadSizeCheck();
    void resumedUpload_data();
    void resumedUpload();
};

namespace {

// Bytes that must survive unchanged: CRLF, NUL, 0xff and more than one read's worth.
QByteArray binaryPayload()
{
    return QByteArray("head\r\n\0\xff\n", 9) + QByteArray(300'000, 'z') + QByteArray("tail");
}

QString scenarioHex(const QByteArray &bytes)
{
    QString text;
    for (const char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x20 && byte < 0x7f && byte != '\\')
            text += QLatin1Char(c);
        else
            text += QStringLiteral("\\x%1").arg(byte, 2, 16, QLatin1Char('0'));
    }
    return text;
}

// A port on 127.0.0.1 where nothing listens (it did a moment ago).
quint16 deadPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost))
        return 0;
    return probe.serverPort();
}

} // namespace

void TestFtpTransferCommands::mlsdListingRefusesUnsafeNames()
{
    ScriptedServer server(modernLogin() + epsvScenario() + QStringLiteral(R"(
        C: MLSD pub
        S: 150 Here comes the directory listing.
        ACCEPT-DATA
        D: type=cdir;modify=20240101000000; .
        D: type=file;size=12;modify=20240102030405; a.txt
        D: type=dir;modify=20240101000000; sub
        D: type=file;size=1; ../../x
        D: type=file;size=1; a/b
        D: type=file;size=1; /etc/passwd
        D: type=dir; ..
        D: garbage without facts
        DX
        S: 226 Directory send OK.
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(plainFtpSettings(server.port()));
    auto *list = enqueueKept(run->session.get(), new ListingCommand("pub"));
    WHARF_TRY_FINISHED(list);
    QVERIFY2(!list->error(), qPrintable(list->error().message()));
    QCOMPARE(list->format(), ListingFormat::Mlsd);
    const Listing &listing = list->listing();
    QCOMPARE(entryNames(listing), QStringList({QStringLiteral("a.txt"), QStringLiteral("sub")}));
    QCOMPARE(listing.entries.first().size, 12);
    QCOMPARE(listing.entries.last().type, RemoteEntry::Type::Directory);
    QStringList refused;
    for (const ListingProblem &problem : listing.refused)
        refused.append(QString::fromUtf8(problem.line));
    QCOMPARE(refused.size(), 3);
    QVERIFY(refused.at(0).endsWith(QStringLiteral(" ../../x")));
    QVERIFY(refused.at(1).endsWith(QStringLiteral(" a/b")));
    QVERIFY(refused.at(2).endsWith(QStringLiteral(" /etc/passwd")));
    QCOMPARE(listing.unparsed.size(), 1);
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpTransferCommands::listWithPasvFallback()
{
    // No MLST in FEAT: LIST. EPSV refused once: PASV from then on, without asking again.
    // An empty LIST of a path is checked by entering the folder (and coming back).
    const QStringList features{QStringLiteral("SIZE")};
    ScriptedServer server(featScenario(features) + loginScenario(features) + QStringLiteral(R"(
        C: EPSV
        S: 500 EPSV not understood
        C: PASV
        S: 227 Entering Passive Mode (${PASV}).
        C: LIST
        S: 150 Here comes the directory listing.
        ACCEPT-DATA
        D: -rw-r--r--    1 1000     1000         4096 Jan 05  2019 report.pdf
        D: drwxr-xr-x    2 1000     1000         4096 Jan 05  2019 ..
        D: -rw-r--r--    1 1000     1000            1 Jan 05  2019 a/b
        DX
        S: 226 Directory send OK.
        C: PASV
        S: 227 Entering Passive Mode (${PASV}).
        C: LIST sub
        S: 150 Here comes the directory listing.
        ACCEPT-DATA
        DX
        S: 226 Directory send OK.
        C: CWD sub
        S: 250 Directory successfully changed.
        C: CWD /home/user
        S: 250 Directory successfully changed.
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(plainFtpSettings(server.port()));
    auto *first = enqueueKept(run->session.get(), new ListingCommand);
    auto *second = enqueueKept(run->session.get(), new ListingCommand("sub"));
    WHARF_TRY_FINISHED(second);
    QVERIFY2(!first->error(), qPrintable(first->error().message()));
    QVERIFY2(!second->error(), qPrintable(second->error().message()));
    QCOMPARE(first->format(), ListingFormat::List);
    QCOMPARE(entryNames(first->listing()), QStringList{QStringLiteral("report.pdf")});
    QCOMPARE(first->listing().refused.size(), 1);
    QVERIFY(second->listing().entries.isEmpty());
    QVERIFY(run->session->epsvRefused());
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpTransferCommands::pasvAddressIgnored()
{
    // The reply names 10.1.2.3: Wharf connects to the control connection's peer anyway, so
    // the transfer works (and a hostile server cannot aim it elsewhere).
    ScriptedServer server(modernLogin() + QStringLiteral(R"(
        C: EPSV
        S: 502 Not implemented
        C: PASV
        S: 227 Entering Passive Mode (10,1,2,3,${PASV_PORT})
        C: RETR f
        S: 150 Opening BINARY mode data connection.
        ACCEPT-DATA
        D-: hello
        DX
        S: 226 Transfer complete.
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(plainFtpSettings(server.port()));
    QBuffer sink;
    sink.open(QIODevice::WriteOnly);
    auto *retr = enqueueKept(run->session.get(), new DownloadCommand("f", &sink));
    WHARF_TRY_FINISHED(retr);
    QVERIFY2(!retr->error(), qPrintable(retr->error().message()));
    QCOMPARE(sink.data(), QByteArray("hello"));
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpTransferCommands::download()
{
    const QByteArray payload = binaryPayload();
    ScriptedServer server(modernLogin() + epsvScenario() +
                          QStringLiteral(R"(
        C: RETR dir/file.bin
        S: 150 Opening BINARY mode data connection for dir/file.bin (%1 bytes).
        ACCEPT-DATA
        D-: %2
        DX
        S: 226 Transfer complete.
        C: NOOP
        S: 200 NOOP ok.
        EXPECT-CLOSE
    )")
                              .arg(payload.size())
                              .arg(scenarioHex(payload)));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(plainFtpSettings(server.port()));
    QBuffer sink;
    sink.open(QIODevice::WriteOnly);
    auto *retr = enqueueKept(run->session.get(), new DownloadCommand("dir/file.bin", &sink));
    QSignalSpy progress(retr, &DataCommand::progress);
    auto *noop = enqueueKept(run->session.get(), new NoopCommand);
    WHARF_TRY_FINISHED(noop);
    QVERIFY2(!retr->error(), qPrintable(retr->error().message()));
    QCOMPARE(sink.data().size(), payload.size());
    QVERIFY(sink.data() == payload);
    QCOMPARE(retr->bytesTransferred(), payload.size());
    QVERIFY(!progress.isEmpty());
    // The "(N bytes)" of the 150 is the total.
    QCOMPARE(progress.last().at(0).toLongLong(), payload.size());
    QCOMPARE(progress.last().at(1).toLongLong(), payload.size());
    QVERIFY(!noop->error());
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpTransferCommands::downloadFromOffset()
{
    ScriptedServer server(modernLogin() + epsvScenario() + QStringLiteral(R"(
        C: REST 100
        S: 350 Restart position accepted (100).
        C: RETR f
        S: 150 Opening BINARY mode data connection for f (5 bytes).
        ACCEPT-DATA
        D-: 12345
        DX
        S: 226 Transfer complete.
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(plainFtpSettings(server.port()));
    QBuffer sink;
    sink.open(QIODevice::WriteOnly);
    sink.write(QByteArray(100, 'a'));
    auto *retr = enqueueKept(run->session.get(), new DownloadCommand("f", &sink, 100));
    QSignalSpy progress(retr, &DataCommand::progress);
    WHARF_TRY_FINISHED(retr);
    QVERIFY2(!retr->error(), qPrintable(retr->error().message()));
    QCOMPARE(sink.data(), QByteArray(100, 'a') + "12345");
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last().at(0).toLongLong(), 105);
    QCOMPARE(progress.last().at(1).toLongLong(), 105);
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpTransferCommands::downloadFailures_data()
{
    QTest::addColumn<QString>("dialogue");
    QTest::addColumn<ErrorKind>("kind");
    QTest::addColumn<int>("code");

    QTest::newRow("425") << QStringLiteral("ACCEPT-DATA\nS: 425 Failed to establish connection.\n")
                         << ErrorKind::NetworkError << 425;
    QTest::newRow("426 with the data open")
        << QStringLiteral("S: 150 Opening\nACCEPT-DATA\nD: part\n"
                          "S: 426 Failure writing network stream.\n")
        << ErrorKind::NetworkError << 426;
    QTest::newRow("data closed early, then 426")
        << QStringLiteral("S: 150 Opening\nACCEPT-DATA\nD: part\nDX\n"
                          "S: 426 Connection closed; transfer aborted.\n")
        << ErrorKind::NetworkError << 426;
    QTest::newRow("550") << QStringLiteral("ACCEPT-DATA\nDX\nS: 550 Failed to open file.\n")
                         << ErrorKind::ProtocolError << 550;
    QTest::newRow("451 after the data")
        << QStringLiteral("S: 125 Data connection already open\nACCEPT-DATA\nD: all\nDX\n"
                          "S: 451 Local error in processing.\n")
        << ErrorKind::ProtocolError << 451;
}

void TestFtpTransferCommands::downloadFailures()
{
    QFETCH(QString, dialogue);
    QFETCH(ErrorKind, kind);
    QFETCH(int, code);

    // The session stays usable after each: the SIZE after it gets its own reply.
    ScriptedServer server(modernLogin() + epsvScenario() + QStringLiteral("C: RETR f\n") +
                          dialogue + QStringLiteral("C: SIZE f\nS: 213 9\nEXPECT-CLOSE\n"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(plainFtpSettings(server.port()));
    QBuffer sink;
    sink.open(QIODevice::WriteOnly);
    auto *retr = enqueueKept(run->session.get(), new DownloadCommand("f", &sink));
    auto *size = enqueueKept(run->session.get(), new SizeCommand("f"));
    WHARF_TRY_FINISHED(size);
    QVERIFY(retr->isFinished());
    QCOMPARE(retr->error().kind(), kind);
    QCOMPARE(retr->lastReply().code, code);
    QVERIFY2(retr->error().message().contains(QString::number(code)),
             qPrintable(retr->error().message()));
    QCOMPARE(size->size(), 9);
    QVERIFY(run->errors.isEmpty());
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpTransferCommands::closingReplyMidTransfer()
{
    ScriptedServer server(modernLogin() + epsvScenario() + QStringLiteral(R"(
        C: RETR f
        S: 150 Opening BINARY mode data connection for f (1000 bytes).
        ACCEPT-DATA
        D: part of it
        S: 421 Timeout.
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(plainFtpSettings(server.port()));
    QBuffer sink;
    sink.open(QIODevice::WriteOnly);
    auto *retr = enqueueKept(run->session.get(), new DownloadCommand("f", &sink));
    auto *queued = enqueueKept(run->session.get(), new NoopCommand);
    QTRY_COMPARE(run->errors.size(), 1);
    QCOMPARE(run->errors.first().kind(), ErrorKind::ClosedByPeer);
    QVERIFY(retr->isFinished());
    QCOMPARE(retr->error().kind(), ErrorKind::ClosedByPeer);
    QVERIFY(queued->isFinished());
    QCOMPARE(queued->error().kind(), ErrorKind::ClosedByPeer);
    QCOMPARE(run->closed, 1);
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpTransferCommands::dataConnectionNeverMade()
{
    // The server says 150 but nothing listens where EPSV pointed: the command must not wait
    // for data that cannot come. ABOR and the NOOP fence bring the session back in step.
    const quint16 port = deadPort();
    QVERIFY(port != 0);
    ScriptedServer server(modernLogin() + QStringLiteral(R"(
        C: EPSV
        S: 229 Entering Extended Passive Mode (|||%1|)
        C: RETR f
        S: 150 Opening BINARY mode data connection for f (3 bytes).
        C: ABOR
        S: 426 Connection closed; transfer aborted.
        S: 226 Closing data connection.
        C: NOOP
        S: 200 NOOP ok.
        C: SIZE f
        S: 213 3
        EXPECT-CLOSE
    )")
                                              .arg(port));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(plainFtpSettings(server.port()));
    QBuffer sink;
    sink.open(QIODevice::WriteOnly);
    auto *retr = enqueueKept(run->session.get(), new DownloadCommand("f", &sink));
    auto *size = enqueueKept(run->session.get(), new SizeCommand("f"));
    WHARF_TRY_FINISHED(size);
    QVERIFY(retr->isFinished());
    QCOMPARE(retr->error().kind(), ErrorKind::ConnectionRefused);
    QVERIFY2(retr->error().message().contains(QStringLiteral("data connection")),
             qPrintable(retr->error().message()));
    QVERIFY(sink.data().isEmpty());
    QVERIFY2(!size->error(), qPrintable(size->error().message()));
    QCOMPARE(size->size(), 3);
    QVERIFY(run->errors.isEmpty());
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpTransferCommands::cancelRunningDownload()
{
    ScriptedServer server(modernLogin() + epsvScenario() + QStringLiteral(R"(
        C: RETR big
        S: 150 Opening BINARY mode data connection for big (100000000 bytes).
        ACCEPT-DATA
        D: the first bytes
        C: ABOR
        S: 426 Connection closed; transfer aborted.
        S: 226 Abort successful
        C: NOOP
        S: 200 NOOP ok.
        C: MKD next
        S: 257 "next" created
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(plainFtpSettings(server.port()));
    QBuffer sink;
    sink.open(QIODevice::WriteOnly);
    auto *retr = enqueueKept(run->session.get(), new DownloadCommand("big", &sink));
    auto *next = enqueueKept(run->session.get(), new MakeDirectoryCommand("next"));
    QTRY_VERIFY(!sink.data().isEmpty());
    retr->cancel();
    WHARF_TRY_FINISHED(next);
    QVERIFY(retr->isFinished());
    QCOMPARE(retr->error().kind(), ErrorKind::Cancelled);
    QVERIFY2(!next->error(), qPrintable(next->error().message()));
    QCOMPARE(next->lastReply().code, 257);
    QVERIFY(run->errors.isEmpty());
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpTransferCommands::listingLimit()
{
    // A listing that never ends is cut off at the limit; the session stays usable.
    ScriptedServer server(modernLogin() + epsvScenario() + QStringLiteral(R"(
        C: MLSD
        S: 150 Here comes the directory listing.
        ACCEPT-DATA
        D* 5000 x
        C: ABOR
        S: 426 Connection closed; transfer aborted.
        S: 226 Abort successful
        C: NOOP
        S: 200 NOOP ok.
        C: NOOP
        S: 200 NOOP ok.
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    FtpSessionSettings settings = plainFtpSettings(server.port());
    settings.maxListingBytes = 1000;
    auto run = openFtp(settings);
    auto *list = enqueueKept(run->session.get(), new ListingCommand);
    auto *noop = enqueueKept(run->session.get(), new NoopCommand);
    WHARF_TRY_FINISHED(noop);
    QCOMPARE(list->error().kind(), ErrorKind::LimitExceeded);
    QVERIFY2(list->error().message().contains(QStringLiteral("1000")),
             qPrintable(list->error().message()));
    QVERIFY(list->listing().entries.isEmpty());
    QVERIFY(!noop->error());
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpTransferCommands::upload()
{
    // More than the command keeps queued in the socket, so it must wait for the writes.
    QByteArray payload;
    for (int i = 0; payload.size() < 2'500'000; ++i)
        payload += QByteArray::number(i) + ' ';
    payload += "end";
    ScriptedServer server(modernLogin() + epsvScenario() +
                          QStringLiteral(R"(
        C: STOR up.bin
        S: 150 Ok to send data.
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
    auto run = openFtp(plainFtpSettings(server.port()));
    QBuffer source(&payload);
    source.open(QIODevice::ReadOnly);
    auto *stor = enqueueKept(run->session.get(), new UploadCommand("up.bin", &source));
    QSignalSpy progress(stor, &DataCommand::progress);
    WHARF_TRY_FINISHED(stor);
    QVERIFY2(!stor->error(), qPrintable(stor->error().message()));
    QCOMPARE(stor->remoteSize(), payload.size());
    QCOMPARE(stor->lastReply().code, 226);
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last().at(0).toLongLong(), payload.size());
    QCOMPARE(progress.last().at(1).toLongLong(), payload.size());
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
    QVERIFY(server.receivedData() == payload);
}

void TestFtpTransferCommands::uploadSizeCheck_data()
{
    QTest::addColumn<QString>("sizeReply");
    QTest::addColumn<bool>("succeeds");
    QTest::addColumn<qint64>("remoteSize");

    QTest::newRow("short file") << QStringLiteral("213 7") << false << qint64(7);
    QTest::newRow("no size to tell")
        << QStringLiteral("550 Could not get file size.") << true << qint64(-1);
}

void TestFtpTransferCommands::uploadSizeCheck()
{
    QFETCH(QString, sizeReply);
    QFETCH(bool, succeeds);
    QFETCH(qint64, remoteSize);

    // vsftpd with TLS 1.3 may say 226 over a truncated file: only SIZE tells.
    ScriptedServer server(modernLogin() + epsvScenario() +
                          QStringLiteral(R"(
        C: STOR f
        S: 150 Ok to send data.
        ACCEPT-DATA
        DC: 0123456789
        S: 226 Transfer complete.
        C: SIZE f
        S: %1
        EXPECT-CLOSE
    )")
                              .arg(sizeReply));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(plainFtpSettings(server.port()));
    QByteArray payload("0123456789");
    QBuffer source(&payload);
    source.open(QIODevice::ReadOnly);
    auto *stor = enqueueKept(run->session.get(), new UploadCommand("f", &source));
    WHARF_TRY_FINISHED(stor);
    QCOMPARE(stor->remoteSize(), remoteSize);
    if (succeeds) {
        QVERIFY2(!stor->error(), qPrintable(stor->error().message()));
        QCOMPARE(stor->lastReply().code, 226);
    } else {
        QCOMPARE(stor->error().kind(), ErrorKind::NetworkError);
        QVERIFY2(stor->error().message().contains(QStringLiteral("7 of the file's 10 bytes")),
                 qPrintable(stor->error().message()));
    }
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpTransferCommands::resumedUpload_data()
{
    QTest::addColumn<bool>("restStream");
    QTest::addColumn<QString>("dialogue");

    QTest::newRow("REST STREAM: REST and STOR")
        << true << QStringLiteral("C: REST 4\nS: 350 Restart position accepted (4).\nC: STOR f\n");
    QTest::newRow("no REST STREAM: APPE") << false << QStringLiteral("C: APPE f\n");
}

void TestFtpTransferCommands::resumedUpload()
{
    QFETCH(bool, restStream);
    QFETCH(QString, dialogue);

    QStringList features{QStringLiteral("SIZE")};
    if (restStream)
        features << QStringLiteral("REST STREAM");
    ScriptedServer server(featScenario(features) + loginScenario(features) + epsvScenario() +
                          dialogue + QStringLiteral(R"(
        S: 150 Ok to send data.
        ACCEPT-DATA
        DC: 456789
        S: 226 Transfer complete.
        C: SIZE f
        S: 213 10
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(plainFtpSettings(server.port()));
    QByteArray payload("0123456789");
    QBuffer source(&payload);
    source.open(QIODevice::ReadOnly);
    auto *stor = enqueueKept(run->session.get(), new UploadCommand("f", &source, 4));
    WHARF_TRY_FINISHED(stor);
    QVERIFY2(!stor->error(), qPrintable(stor->error().message()));
    QCOMPARE(stor->remoteSize(), 10);
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

QTEST_GUILESS_MAIN(TestFtpTransferCommands)
#include "tst_ftp_transfer_commands.moc"
