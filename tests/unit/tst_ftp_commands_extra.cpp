// SYST, TYPE A transfers (the line-end conversion and the TYPE switching), the NLST
// fallback after an unreadable LIST, and MLST of a single file: the pure parsers as tables,
// the commands against scripted servers, and FileTransfer's ASCII mode.

#include "FtpTestSupport.h"
#include "controllers/FileTransfer.h"
#include "controllers/FtpConnectionPool.h"
#include "protocols/ftp/AsciiConversion.h"
#include "protocols/ftp/commands/SimpleCommands.h"
#include "protocols/ftp/commands/TransferCommands.h"

#include <QBuffer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace wharf;
using namespace wharf::ftp;
using namespace wharf::test;
using namespace Qt::StringLiterals;

class TestFtpCommandsExtra : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void systReply_data();
    void systReply();
    void asciiConversion_data();
    void asciiConversion();
    void asciiConversionSplitAnywhere();
    void asciiDownloadsSwitchType();
    void asciiUpload();
    void asciiResumeRefused();
    void fileTransferAsciiRestoresBinary();
    void nlstLine_data();
    void nlstLine();
    void nlstListingRefusals();
    void nlstAfterUnreadableList();
    void emptyListOfMissingFolder();
    void mlstReply_data();
    void mlstReply();
    void mlstCommand();
};

namespace {

QByteArray convert(AsciiConversion::Direction direction, const QByteArrayList &chunks)
{
    AsciiConversion conversion(direction);
    QByteArray out;
    for (const QByteArray &chunk : chunks)
        out += conversion(chunk);
    return out + conversion.finish();
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<missing>");
}

constexpr int kToLocal = int(AsciiConversion::Direction::ToLocal);
constexpr int kToNetwork = int(AsciiConversion::Direction::ToNetwork);

} // namespace

void TestFtpCommandsExtra::systReply_data()
{
    QTest::addColumn<QString>("reply");
    QTest::addColumn<QByteArray>("systemType");
    QTest::newRow("unix") << QStringLiteral("215 UNIX Type: L8") << QByteArray("UNIX Type: L8");
    QTest::newRow("windows") << QStringLiteral("215 Windows_NT") << QByteArray("Windows_NT");
    QTest::newRow("not implemented")
        << QStringLiteral("502 Command not implemented.") << QByteArray();
    QTest::newRow("unknown command") << QStringLiteral("500 Unknown command.") << QByteArray();
}

void TestFtpCommandsExtra::systReply()
{
    QFETCH(QString, reply);
    QFETCH(QByteArray, systemType);
    // A refused SYST is no reason to give up the session.
    ScriptedServer server(featScenario({}) + QStringLiteral(R"(
        C: USER user
        S: 230 OK
        C: SYST
        S: %1
        C: TYPE I
        S: 200 OK
        C: PWD
        S: 257 "/"
        EXPECT-CLOSE
    )")
                                                 .arg(reply));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(plainFtpSettings(server.port()));
    WHARF_TRY_FTP_READY(run);
    QCOMPARE(run->session->systemType(), systemType);
    QCOMPARE(run->session->transferType(), TransferType::Binary);
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpCommandsExtra::asciiConversion_data()
{
    QTest::addColumn<int>("direction");
    QTest::addColumn<QByteArrayList>("chunks");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("down: CRLF to LF")
        << kToLocal << QByteArrayList{"a\r\nb\r\n"} << QByteArray("a\nb\n");
    QTest::newRow("down: LF alone stays")
        << kToLocal << QByteArrayList{"a\nb"} << QByteArray("a\nb");
    QTest::newRow("down: lone CR is data")
        << kToLocal << QByteArrayList{"a\rb\r\n"} << QByteArray("a\rb\n");
    QTest::newRow("down: CR ends a chunk, LF starts the next")
        << kToLocal << QByteArrayList{"a\r", "\nb"} << QByteArray("a\nb");
    QTest::newRow("down: CR ends a chunk, a letter follows")
        << kToLocal << QByteArrayList{"a\r", "b"} << QByteArray("a\rb");
    QTest::newRow("down: CR ends a chunk, CRLF follows")
        << kToLocal << QByteArrayList{"a\r", "\r\n"} << QByteArray("a\r\n");
    QTest::newRow("down: CR ends the file")
        << kToLocal << QByteArrayList{"a\r\nb\r"} << QByteArray("a\nb\r");
    QTest::newRow("down: CR CR LF") << kToLocal << QByteArrayList{"\r\r\n"} << QByteArray("\r\n");
    QTest::newRow("down: empty chunks between CR and LF")
        << kToLocal << QByteArrayList{"x\r", "", "", "\n"} << QByteArray("x\n");
    QTest::newRow("down: nothing") << kToLocal << QByteArrayList{} << QByteArray();
    QTest::newRow("down: NUL and high bytes pass")
        << kToLocal << QByteArrayList{QByteArray("\0\xff\r\n", 4)} << QByteArray("\0\xff\n", 3);

    QTest::newRow("up: LF to CRLF")
        << kToNetwork << QByteArrayList{"a\nb\n"} << QByteArray("a\r\nb\r\n");
    QTest::newRow("up: CRLF stays CRLF")
        << kToNetwork << QByteArrayList{"a\r\nb"} << QByteArray("a\r\nb");
    QTest::newRow("up: CR ends a chunk, LF starts the next")
        << kToNetwork << QByteArrayList{"a\r", "\nb"} << QByteArray("a\r\nb");
    QTest::newRow("up: LF starts a chunk after a letter")
        << kToNetwork << QByteArrayList{"a", "\nb"} << QByteArray("a\r\nb");
    QTest::newRow("up: lone CR is data")
        << kToNetwork << QByteArrayList{"a\rb"} << QByteArray("a\rb");
    QTest::newRow("up: empty lines")
        << kToNetwork << QByteArrayList{"\n\n"} << QByteArray("\r\n\r\n");
    QTest::newRow("up: CR at the very end")
        << kToNetwork << QByteArrayList{"a\r"} << QByteArray("a\r");
}

void TestFtpCommandsExtra::asciiConversion()
{
    QFETCH(int, direction);
    QFETCH(QByteArrayList, chunks);
    QFETCH(QByteArray, expected);
    QCOMPARE(convert(AsciiConversion::Direction(direction), chunks), expected);
}

void TestFtpCommandsExtra::asciiConversionSplitAnywhere()
{
    // However the socket or the file cuts the bytes, the result is the same.
    const QByteArray sample("one\r\ntwo\nthree\r\r\nfour\rfive\n\r\n\r");
    for (const auto direction :
         {AsciiConversion::Direction::ToLocal, AsciiConversion::Direction::ToNetwork}) {
        const QByteArray whole = convert(direction, {sample});
        for (qsizetype cut = 0; cut <= sample.size(); ++cut) {
            QCOMPARE(convert(direction, {sample.first(cut), sample.sliced(cut)}), whole);
        }
        QByteArrayList bytes;
        for (const char c : sample)
            bytes.append(QByteArray(1, c));
        QCOMPARE(convert(direction, bytes), whole);
    }
    QCOMPARE(convert(AsciiConversion::Direction::ToLocal, {sample}),
             QByteArray("one\ntwo\nthree\r\nfour\rfive\n\n\r"));
    QCOMPARE(convert(AsciiConversion::Direction::ToNetwork, {sample}),
             QByteArray("one\r\ntwo\r\nthree\r\r\nfour\rfive\r\n\r\n\r"));
}

void TestFtpCommandsExtra::asciiDownloadsSwitchType()
{
    // TYPE A once for two text downloads in a row, TYPE I again for the binary one.
    ScriptedServer server(modernLogin() + QStringLiteral(R"(
        C: TYPE A
        S: 200 Switching to ASCII mode.
        C: EPSV
        S: 229 Entering Extended Passive Mode (|||${DATA_PORT}|)
        C: RETR a.txt
        S: 150 Opening ASCII mode data connection for a.txt (20 bytes).
        ACCEPT-DATA
        D-: one\r\ntwo\r\n\r\nlone\rcr\r\n
        DX
        S: 226 Transfer complete.
        C: EPSV
        S: 229 Entering Extended Passive Mode (|||${DATA_PORT}|)
        C: RETR b.txt
        S: 150 Opening ASCII mode data connection for b.txt (4 bytes).
        ACCEPT-DATA
        D-: end\r
        DX
        S: 226 Transfer complete.
        C: TYPE I
        S: 200 Switching to Binary mode.
        C: EPSV
        S: 229 Entering Extended Passive Mode (|||${DATA_PORT}|)
        C: RETR c.bin
        S: 150 Opening BINARY mode data connection for c.bin (4 bytes).
        ACCEPT-DATA
        D-: x\r\ny
        DX
        S: 226 Transfer complete.
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(plainFtpSettings(server.port()));
    QByteArray a, b, c;
    QBuffer sinkA(&a), sinkB(&b), sinkC(&c);
    for (QBuffer *sink : {&sinkA, &sinkB, &sinkC})
        sink->open(QIODevice::WriteOnly);
    auto *retrA = enqueueKept(run->session.get(), new DownloadCommand("a.txt", &sinkA));
    retrA->setAscii(true);
    auto *retrB = enqueueKept(run->session.get(), new DownloadCommand("b.txt", &sinkB));
    retrB->setAscii(true);
    auto *retrC = enqueueKept(run->session.get(), new DownloadCommand("c.bin", &sinkC));
    WHARF_TRY_FINISHED(retrC);
    for (const DownloadCommand *retr : {retrA, retrB, retrC})
        QVERIFY2(!retr->error(), qPrintable(retr->error().message()));
    QCOMPARE(a, QByteArray("one\ntwo\n\nlone\rcr\n"));
    QCOMPARE(b, QByteArray("end\r"));
    QCOMPARE(c, QByteArray("x\r\ny"));
    QCOMPARE(run->session->transferType(), TransferType::Binary);
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpCommandsExtra::asciiUpload()
{
    // LF goes out as CRLF, a CRLF already there as it is; no SIZE check afterwards, as the
    // server stores text its own way.
    ScriptedServer server(modernLogin() + QStringLiteral(R"(
        C: TYPE A
        S: 200 Switching to ASCII mode.
        C: EPSV
        S: 229 Entering Extended Passive Mode (|||${DATA_PORT}|)
        C: STOR notes.txt
        S: 150 Ok to send data.
        ACCEPT-DATA
        DC: first\r\nsecond\r\nthird\r\n\r\nlone\rcr
        S: 226 Transfer complete.
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(plainFtpSettings(server.port()));
    QByteArray text("first\nsecond\r\nthird\n\nlone\rcr");
    QBuffer source(&text);
    source.open(QIODevice::ReadOnly);
    auto *stor = enqueueKept(run->session.get(), new UploadCommand("notes.txt", &source));
    stor->setAscii(true);
    WHARF_TRY_FINISHED(stor);
    QVERIFY2(!stor->error(), qPrintable(stor->error().message()));
    QCOMPARE(stor->remoteSize(), -1);
    QCOMPARE(run->session->transferType(), TransferType::Ascii);
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
    QCOMPARE(server.receivedData(), QByteArray("first\r\nsecond\r\nthird\r\n\r\nlone\rcr"));
}

void TestFtpCommandsExtra::asciiResumeRefused()
{
    // Offsets count different bytes on the two sides: refused before anything is sent.
    ScriptedServer server(modernLogin() + QStringLiteral("EXPECT-CLOSE\n"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(plainFtpSettings(server.port()));
    QByteArray sinkBytes, sourceBytes("0123456789");
    QBuffer sink(&sinkBytes), source(&sourceBytes);
    sink.open(QIODevice::WriteOnly);
    source.open(QIODevice::ReadOnly);
    auto *retr = enqueueKept(run->session.get(), new DownloadCommand("a.txt", &sink, 5));
    retr->setAscii(true);
    auto *stor = enqueueKept(run->session.get(), new UploadCommand("b.txt", &source, 3));
    stor->setAscii(true);
    WHARF_TRY_FINISHED(stor);
    QVERIFY(retr->isFinished());
    for (const DataCommand *command :
         {static_cast<DataCommand *>(retr), static_cast<DataCommand *>(stor)}) {
        QCOMPARE(command->error().kind(), ErrorKind::Usage);
        QVERIFY2(command->error().message().contains(QStringLiteral("ASCII")),
                 qPrintable(command->error().message()));
    }
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpCommandsExtra::fileTransferAsciiRestoresBinary()
{
    // The session goes back to the pool in TYPE I; the local copy has LF line ends and is
    // not held to the server's (TYPE I) size.
    ScriptedServer server(modernLogin() + QStringLiteral(R"(
        C: SIZE t.txt
        S: 213 12
        C: MDTM t.txt
        S: 213 20200102030405
        C: TYPE A
        S: 200 Switching to ASCII mode.
        C: EPSV
        S: 229 Entering Extended Passive Mode (|||${DATA_PORT}|)
        C: RETR t.txt
        S: 150 Opening ASCII mode data connection for t.txt (12 bytes).
        ACCEPT-DATA
        D-: a\r\nbb\r\nccc\r\n
        DX
        S: 226 Transfer complete.
        C: TYPE I
        S: 200 Switching to Binary mode.
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    QTemporaryDir dir;
    const QString local = dir.filePath(QStringLiteral("t.txt"));
    controllers::FtpSiteSettings site;
    site.endpoint.protocol = Protocol::Ftp;
    site.endpoint.host = QStringLiteral("127.0.0.1");
    site.endpoint.port = server.port();
    site.endpoint.tlsMode = TlsMode::None;
    site.endpoint.user = QStringLiteral("user");
    site.password = QStringLiteral("secret");
    site.timeoutMs = 10'000;
    site.maxConnections = 1;
    auto pool = std::make_unique<controllers::FtpConnectionPool>(site);
    controllers::TransferOptions options;
    options.existing = controllers::ExistingTargetAction::Overwrite;
    options.ascii = true;
    controllers::FileTransfer transfer(
        pool.get(), {controllers::TransferSpec::Direction::Download, "t.txt", local, -1, {}},
        options);
    transfer.start();
    QTRY_VERIFY(transfer.isFinished());
    QVERIFY2(!transfer.error(), qPrintable(transfer.error().message()));
    QCOMPARE(readFile(local), QByteArray("a\nbb\nccc\n"));
    QTRY_COMPARE(server.receivedLines().count("TYPE I"), qsizetype(2));

    // --resume with ASCII: refused with a reason, nothing sent.
    options.existing = controllers::ExistingTargetAction::Resume;
    controllers::FileTransfer resumed(
        pool.get(), {controllers::TransferSpec::Direction::Download, "t.txt", local, -1, {}},
        options);
    resumed.start();
    QVERIFY(resumed.isFinished());
    QCOMPARE(resumed.error().kind(), ErrorKind::Usage);
    QVERIFY2(resumed.error().message().contains(QStringLiteral("ASCII mode")),
             qPrintable(resumed.error().message()));
    pool.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpCommandsExtra::nlstLine_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QByteArray>("directory");
    QTest::addColumn<QString>("name");
    QTest::newRow("plain name") << QByteArray("report.pdf") << QByteArray() << u"report.pdf"_s;
    QTest::newRow("CR dropped") << QByteArray("report.pdf\r") << QByteArray() << u"report.pdf"_s;
    QTest::newRow("blanks kept") << QByteArray(" lead and trail ") << QByteArray()
                                 << u" lead and trail "_s;
    QTest::newRow("directory prefix dropped")
        << QByteArray("pub/report.pdf") << QByteArray("pub") << u"report.pdf"_s;
    QTest::newRow("prefix with trailing slash")
        << QByteArray("/pub/x/a") << QByteArray("/pub/x/") << u"a"_s;
    QTest::newRow("root prefix") << QByteArray("/etc") << QByteArray("/") << u"etc"_s;
    QTest::newRow("other prefix kept (refused later)")
        << QByteArray("other/a") << QByteArray("pub") << u"other/a"_s;
    QTest::newRow("prefix not at a slash kept")
        << QByteArray("public") << QByteArray("pub") << u"public"_s;
    QTest::newRow("deeper path kept (refused later)")
        << QByteArray("pub/a/b") << QByteArray("pub") << u"a/b"_s;
    QTest::newRow("UTF-8") << QByteArray("\xc3\xbcnic\xc3\xb6"
                                         "de")
                           << QByteArray() << u"ünicöde"_s;
}

void TestFtpCommandsExtra::nlstLine()
{
    QFETCH(QByteArray, line);
    QFETCH(QByteArray, directory);
    QFETCH(QString, name);
    const std::optional<RemoteEntry> entry = ListingParser::parseNlstLine(line, directory);
    QVERIFY(entry);
    QCOMPARE(entry->name, name);
    QCOMPARE(entry->type, RemoteEntry::Type::Other);
    QCOMPARE(entry->size, -1);
    QVERIFY(!entry->modified.isValid());
}

void TestFtpCommandsExtra::nlstListingRefusals()
{
    static const char raw[] = "a\r\n.\r\n..\r\n\r\nx/y\r\nnul\0z\r\ntab\there\r\n ok \r\n";
    const Listing listing = parseListing(QByteArray(raw, sizeof(raw) - 1), ListingFormat::Nlst);
    QCOMPARE(entryNames(listing), QStringList({u"a"_s, u" ok "_s}));
    QCOMPARE(listing.refused.size(), 6);
    QCOMPARE(listing.refused.at(0).line, QByteArray("."));
    QCOMPARE(listing.refused.at(1).line, QByteArray(".."));
    QVERIFY(listing.refused.at(2).reason.contains(u"empty"));
    QVERIFY(listing.refused.at(3).reason.contains(u"'/'"));
    QVERIFY(listing.refused.at(4).reason.contains(u"control character"));
    QVERIFY(listing.refused.at(5).reason.contains(u"control character"));
    QVERIFY(listing.unparsed.isEmpty());
}

void TestFtpCommandsExtra::nlstAfterUnreadableList()
{
    // Not one LIST line readable: NLST gives the names; the LIST lines stay reported, and
    // NLST's unusable names are refused like a listing's.
    const QStringList features{QStringLiteral("SIZE")};
    ScriptedServer server(featScenario(features) + loginScenario(features) + epsvScenario() +
                          QStringLiteral(R"(
        C: LIST pub
        S: 150 Here comes the directory listing.
        ACCEPT-DATA
        D: ~~~ what a listing ~~~
        D: ~~~ no format at all ~~~
        DX
        S: 226 Directory send OK.
        C: EPSV
        S: 229 Entering Extended Passive Mode (|||${DATA_PORT}|)
        C: NLST pub
        S: 150 Here comes the name list.
        ACCEPT-DATA
        D: pub/report.pdf
        D: notes.txt
        D: ..
        D: pub/a/b
        DX
        S: 226 Transfer complete.
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(plainFtpSettings(server.port()));
    auto *list = enqueueKept(run->session.get(), new ListingCommand("pub"));
    WHARF_TRY_FINISHED(list);
    QVERIFY2(!list->error(), qPrintable(list->error().message()));
    QCOMPARE(list->format(), ListingFormat::Nlst);
    const Listing &listing = list->listing();
    QCOMPARE(entryNames(listing), QStringList({u"report.pdf"_s, u"notes.txt"_s}));
    QCOMPARE(listing.entries.first().type, RemoteEntry::Type::Other);
    QCOMPARE(listing.entries.first().wireName, QByteArray("report.pdf"));
    QCOMPARE(listing.refused.size(), 2);
    QCOMPARE(listing.unparsed.size(), 2);
    QCOMPARE(listing.unparsed.first().line, QByteArray("~~~ what a listing ~~~"));
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpCommandsExtra::emptyListOfMissingFolder()
{
    // vsftpd answers LIST of a missing folder with nothing and 226: CWD tells.
    const QStringList features{QStringLiteral("SIZE")};
    ScriptedServer server(featScenario(features) + loginScenario(features) + epsvScenario() +
                          QStringLiteral(R"(
        C: LIST gone
        S: 150 Here comes the directory listing.
        ACCEPT-DATA
        DX
        S: 226 Directory send OK.
        C: CWD gone
        S: 550 Failed to change directory.
        C: NOOP
        S: 200 NOOP ok.
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(plainFtpSettings(server.port()));
    auto *list = enqueueKept(run->session.get(), new ListingCommand("gone"));
    // The session goes on: nothing was entered, so there is nothing to come back from.
    auto *noop = enqueueKept(run->session.get(), new NoopCommand);
    WHARF_TRY_FINISHED(noop);
    QCOMPARE(list->error().kind(), ErrorKind::ProtocolError);
    QVERIFY2(list->error().message().contains(u"gone"), qPrintable(list->error().message()));
    QVERIFY2(list->error().message().contains(u"550"), qPrintable(list->error().message()));
    QVERIFY2(!noop->error(), qPrintable(noop->error().message()));
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFtpCommandsExtra::mlstReply_data()
{
    QTest::addColumn<QByteArrayList>("lines");
    QTest::addColumn<QStringList>("entries");
    QTest::addColumn<qint64>("size");
    QTest::addColumn<int>("refused");
    QTest::addColumn<int>("unparsed");

    QTest::newRow("pyftpdlib, relative path")
        << QByteArrayList{"Listing \"pub/file.txt\":",
                          " type=file;size=42;modify=20240102030405;unique=801g4; pub/file.txt",
                          "End MLST."}
        << QStringList{u"file.txt"_s} << qint64(42) << 0 << 0;
    QTest::newRow("absolute path")
        << QByteArrayList{"Listing /home/u/a b.txt", " Type=file;Size=7; /home/u/a b.txt", "End"}
        << QStringList{u"a b.txt"_s} << qint64(7) << 0 << 0;
    QTest::newRow("plain name") << QByteArrayList{"-", " type=file;size=0; f", "End"}
                                << QStringList{u"f"_s} << qint64(0) << 0 << 0;
    QTest::newRow("directory with a trailing slash")
        << QByteArrayList{"Listing", " type=dir;modify=20240102030405; pub/sub/", "End"}
        << QStringList{u"sub"_s} << qint64(-1) << 0 << 0;
    QTest::newRow("the root: no name to use") << QByteArrayList{"Listing", " type=dir; /", "End"}
                                              << QStringList{} << qint64(-1) << 1 << 0;
    QTest::newRow("parent: refused") << QByteArrayList{"Listing", " type=dir; a/..", "End"}
                                     << QStringList{} << qint64(-1) << 1 << 0;
    QTest::newRow("control character: refused")
        << QByteArrayList{"Listing", " type=file;size=1; a\tb", "End"} << QStringList{}
        << qint64(-1) << 1 << 0;
    QTest::newRow("no leading space") << QByteArrayList{"Listing", "type=file;size=1; f", "End"}
                                      << QStringList{} << qint64(-1) << 0 << 1;
    QTest::newRow("no facts") << QByteArrayList{"Listing", " just a name", "End"} << QStringList{}
                              << qint64(-1) << 0 << 1;
    QTest::newRow("single-line reply")
        << QByteArrayList{"type=file;size=1; f"} << QStringList{} << qint64(-1) << 0 << 0;
}

void TestFtpCommandsExtra::mlstReply()
{
    QFETCH(QByteArrayList, lines);
    QFETCH(QStringList, entries);
    QFETCH(qint64, size);
    QFETCH(int, refused);
    QFETCH(int, unparsed);
    const Listing listing = parseMlstReply(lines);
    QCOMPARE(entryNames(listing), entries);
    if (!entries.isEmpty())
        QCOMPARE(listing.entries.first().size, size);
    QCOMPARE(listing.refused.size(), refused);
    QCOMPARE(listing.unparsed.size(), unparsed);
}

void TestFtpCommandsExtra::mlstCommand()
{
    ScriptedServer server(modernLogin() + QStringLiteral(R"(
        C: MLST pub/file.txt
        S: 250-Listing pub/file.txt
        S:  type=file;size=42;modify=20240102030405;UNIX.mode=0644; pub/file.txt
        S: 250 End
        C: MLST missing
        S: 550 No such file or directory.
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openFtp(plainFtpSettings(server.port()));
    auto *found = enqueueKept(run->session.get(), new MlstCommand("pub/file.txt"));
    auto *missing = enqueueKept(run->session.get(), new MlstCommand("missing"));
    WHARF_TRY_FINISHED(missing);
    QVERIFY2(!found->error(), qPrintable(found->error().message()));
    QCOMPARE(entryNames(found->listing()), QStringList{u"file.txt"_s});
    const RemoteEntry &entry = found->listing().entries.first();
    QCOMPARE(entry.type, RemoteEntry::Type::File);
    QCOMPARE(entry.size, 42);
    QCOMPARE(entry.unixMode, 0644);
    QCOMPARE(entry.modified, QDateTime(QDate(2024, 1, 2), QTime(3, 4, 5), Qt::UTC));
    QCOMPARE(missing->error().kind(), ErrorKind::ProtocolError);
    QVERIFY(missing->error().message().contains(QStringLiteral("550")));
    run->session.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

QTEST_MAIN(TestFtpCommandsExtra)
#include "tst_ftp_commands_extra.moc"
