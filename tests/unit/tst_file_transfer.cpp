// controllers::FileTransfer through an FtpConnectionPool against scripted servers: the
// existing-target decisions, resuming with REST from the bytes really on disk (or on the
// server), retries after failures that may pass and none after those that will not.

#include "ConnectionRelay.h"
#include "FtpTestSupport.h"
#include "controllers/FileTransfer.h"
#include "controllers/FtpConnectionPool.h"
#include "controllers/TransferQueue.h"
#include "controllers/TreeTransfer.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace wharf;
using namespace wharf::controllers;
using namespace wharf::test;

class TestFileTransfer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void downloadResumesExistingTarget();
    void askThenSkip();
    void askThenRename();
    void shortDownloadResumedFromDisk();
    void failedAttemptResumedFromDisk();
    void refusalNotRetried();
    void refusedDownloadKeepsTheExistingFile();
    void shortUploadResumed();
    void droppedConnectionResumed();
    void cancelThenNextTransfer();
    void cancelDuringQuery();
    void treeDownloadStaysInsideTarget();
    void skippedLinkIsNotAnOmission();
};

namespace {

const QDateTime kRemoteTime(QDate(2020, 1, 2), QTime(3, 4, 5), Qt::UTC);

FtpSiteSettings siteFor(quint16 port)
{
    FtpSiteSettings site;
    site.endpoint.protocol = Protocol::Ftp;
    site.endpoint.host = QStringLiteral("127.0.0.1");
    site.endpoint.port = port;
    site.endpoint.tlsMode = TlsMode::None;
    site.endpoint.user = QStringLiteral("user");
    site.password = QStringLiteral("secret");
    site.timeoutMs = 10'000;
    site.maxConnections = 1;
    return site;
}

TransferOptions quickRetries(ExistingTargetAction existing)
{
    TransferOptions options;
    options.existing = existing;
    options.retryDelays = {10, 50, 0, 60'000};
    return options;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<missing>");
}

// The queries a download starts with when neither size nor time is known.
QString sizeAndTime(const QByteArray &path, qint64 size)
{
    return QStringLiteral("C: SIZE %1\nS: 213 %2\nC: MDTM %1\nS: 213 20200102030405\n")
        .arg(QString::fromUtf8(path))
        .arg(size);
}

struct Fixture
{
    explicit Fixture(ScriptedServer &server)
        : pool(siteFor(server.port()))
    {}
    FtpConnectionPool pool;
};

} // namespace

void TestFileTransfer::downloadResumesExistingTarget()
{
    ScriptedServer server(modernLogin() + sizeAndTime("f.bin", 10) + epsvScenario() +
                          QStringLiteral(R"(
        C: REST 4
        S: 350 Restart position accepted (4).
        C: RETR f.bin
        S: 150 Opening BINARY mode data connection for f.bin (6 bytes).
        ACCEPT-DATA
        D-: 456789
        DX
        S: 226 Transfer complete.
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    QTemporaryDir dir;
    const QString local = dir.filePath(QStringLiteral("f.bin"));
    QVERIFY(writeFile(local, "0123"));
    auto fixture = std::make_unique<Fixture>(server);
    FileTransfer transfer(&fixture->pool,
                          {TransferSpec::Direction::Download, "f.bin", local, -1, {}},
                          quickRetries(ExistingTargetAction::Resume));
    transfer.start();
    QTRY_VERIFY(transfer.isFinished());
    QVERIFY2(!transfer.error(), qPrintable(transfer.error().message()));
    QVERIFY(!transfer.wasSkipped());
    QCOMPARE(readFile(local), QByteArray("0123456789"));
    QCOMPARE(QFileInfo(local).lastModified().toUTC(), kRemoteTime);
    QCOMPARE(transfer.bytesDone(), 10);
    QCOMPARE(transfer.bytesTotal(), 10);
    QCOMPARE(transfer.attempts(), 1);
    fixture.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFileTransfer::askThenSkip()
{
    ScriptedServer server(modernLogin() + sizeAndTime("f.bin", 10) +
                          QStringLiteral("EXPECT-CLOSE\n"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    QTemporaryDir dir;
    const QString local = dir.filePath(QStringLiteral("f.bin"));
    QVERIFY(writeFile(local, "mine"));
    auto fixture = std::make_unique<Fixture>(server);
    FileTransfer transfer(&fixture->pool,
                          {TransferSpec::Direction::Download, "f.bin", local, -1, {}},
                          quickRetries(ExistingTargetAction::Ask));
    QList<ExistingTarget> asked;
    connect(&transfer, &FileTransfer::existingTargetFound,
            [&asked](const ExistingTarget &target) { asked.append(target); });
    transfer.start();
    QTRY_COMPARE(asked.size(), 1);
    QVERIFY(!transfer.isFinished());
    QCOMPARE(asked.first().path, local);
    QCOMPARE(asked.first().targetSize, 4);
    QCOMPARE(asked.first().sourceSize, 10);
    QCOMPARE(asked.first().sourceModified, kRemoteTime);
    transfer.decideExistingTarget(ExistingTargetAction::Skip);
    QTRY_VERIFY(transfer.isFinished());
    QVERIFY(!transfer.error());
    QVERIFY(transfer.wasSkipped());
    QCOMPARE(readFile(local), QByteArray("mine"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("f.bin")});
    fixture.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFileTransfer::askThenRename()
{
    ScriptedServer server(modernLogin() + sizeAndTime("docs/report.pdf", 3) + epsvScenario() +
                          QStringLiteral(R"(
        C: RETR docs/report.pdf
        S: 150 Opening BINARY mode data connection.
        ACCEPT-DATA
        D-: new
        DX
        S: 226 Transfer complete.
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    QTemporaryDir dir;
    const QString local = dir.filePath(QStringLiteral("report.pdf"));
    QVERIFY(writeFile(local, "old"));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("report (1).pdf")), "older"));
    auto fixture = std::make_unique<Fixture>(server);
    FileTransfer transfer(&fixture->pool,
                          {TransferSpec::Direction::Download, "docs/report.pdf", local, -1, {}},
                          quickRetries(ExistingTargetAction::Ask));
    connect(&transfer, &FileTransfer::existingTargetFound, &transfer,
            [&transfer] { transfer.decideExistingTarget(ExistingTargetAction::Rename); });
    transfer.start();
    QTRY_VERIFY(transfer.isFinished());
    QVERIFY2(!transfer.error(), qPrintable(transfer.error().message()));
    const QString renamed = dir.filePath(QStringLiteral("report (2).pdf"));
    QCOMPARE(transfer.targetPath(), renamed);
    QCOMPARE(readFile(renamed), QByteArray("new"));
    QCOMPARE(readFile(local), QByteArray("old"));
    QCOMPARE(readFile(dir.filePath(QStringLiteral("report (1).pdf"))), QByteArray("older"));
    fixture.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFileTransfer::shortDownloadResumedFromDisk()
{
    // The server says 226 after 4 of 10 bytes: the size check catches it and the next
    // attempt asks for the rest from what is on disk.
    ScriptedServer server(modernLogin() + sizeAndTime("f.bin", 10) + epsvScenario() +
                          QStringLiteral(R"(
        C: RETR f.bin
        S: 150 Opening BINARY mode data connection.
        ACCEPT-DATA
        D-: 0123
        DX
        S: 226 Transfer complete.
    )") + epsvScenario() + QStringLiteral(R"(
        C: REST 4
        S: 350 Restart position accepted (4).
        C: RETR f.bin
        S: 150 Opening BINARY mode data connection.
        ACCEPT-DATA
        D-: 456789
        DX
        S: 226 Transfer complete.
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    QTemporaryDir dir;
    const QString local = dir.filePath(QStringLiteral("f.bin"));
    auto fixture = std::make_unique<Fixture>(server);
    FileTransfer transfer(&fixture->pool,
                          {TransferSpec::Direction::Download, "f.bin", local, -1, {}},
                          quickRetries(ExistingTargetAction::Ask));
    transfer.start();
    QTRY_VERIFY(transfer.isFinished());
    QVERIFY2(!transfer.error(), qPrintable(transfer.error().message()));
    QCOMPARE(readFile(local), QByteArray("0123456789"));
    QCOMPARE(transfer.attempts(), 2);
    fixture.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFileTransfer::failedAttemptResumedFromDisk()
{
    // A partial copy is resumed; the attempt fails with 426 and the next one resumes from
    // the bytes on disk again, on the same connection.
    ScriptedServer server(modernLogin() + sizeAndTime("f.bin", 10) + epsvScenario() +
                          QStringLiteral(R"(
        C: REST 4
        S: 350 Restart position accepted (4).
        C: RETR f.bin
        S: 150 Opening BINARY mode data connection.
        ACCEPT-DATA
        DX
        S: 426 Failure writing network stream.
    )") + epsvScenario() + QStringLiteral(R"(
        C: REST 4
        S: 350 Restart position accepted (4).
        C: RETR f.bin
        S: 150 Opening BINARY mode data connection.
        ACCEPT-DATA
        D-: 456789
        DX
        S: 226 Transfer complete.
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    QTemporaryDir dir;
    const QString local = dir.filePath(QStringLiteral("f.bin"));
    QVERIFY(writeFile(local, "0123"));
    auto fixture = std::make_unique<Fixture>(server);
    FileTransfer transfer(&fixture->pool,
                          {TransferSpec::Direction::Download, "f.bin", local, -1, {}},
                          quickRetries(ExistingTargetAction::Resume));
    transfer.start();
    QTRY_VERIFY(transfer.isFinished());
    QVERIFY2(!transfer.error(), qPrintable(transfer.error().message()));
    QCOMPARE(readFile(local), QByteArray("0123456789"));
    QCOMPARE(transfer.attempts(), 2);
    fixture.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFileTransfer::refusalNotRetried()
{
    ScriptedServer server(modernLogin() + sizeAndTime("f.bin", 10) + epsvScenario() +
                          QStringLiteral(R"(
        C: RETR f.bin
        S: 550 Permission denied.
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    QTemporaryDir dir;
    const QString local = dir.filePath(QStringLiteral("f.bin"));
    auto fixture = std::make_unique<Fixture>(server);
    FileTransfer transfer(&fixture->pool,
                          {TransferSpec::Direction::Download, "f.bin", local, -1, {}},
                          quickRetries(ExistingTargetAction::Ask));
    transfer.start();
    QTRY_VERIFY(transfer.isFinished());
    QCOMPARE(transfer.error().kind(), ErrorKind::ProtocolError);
    QVERIFY2(transfer.error().message().contains(QStringLiteral("Permission denied")),
             qPrintable(transfer.error().message()));
    QCOMPARE(transfer.attempts(), 1);
    fixture.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFileTransfer::refusedDownloadKeepsTheExistingFile()
{
    // Overwrite replaces the file only once the server sends one: a 550 leaves it alone.
    ScriptedServer server(modernLogin() + sizeAndTime("f.bin", 10) + epsvScenario() +
                          QStringLiteral(R"(
        C: RETR f.bin
        S: 550 Permission denied.
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    QTemporaryDir dir;
    const QString local = dir.filePath(QStringLiteral("f.bin"));
    QVERIFY(writeFile(local, "keep me"));
    auto fixture = std::make_unique<Fixture>(server);
    FileTransfer transfer(&fixture->pool,
                          {TransferSpec::Direction::Download, "f.bin", local, -1, {}},
                          quickRetries(ExistingTargetAction::Overwrite));
    transfer.start();
    QTRY_VERIFY(transfer.isFinished());
    QCOMPARE(transfer.error().kind(), ErrorKind::ProtocolError);
    QCOMPARE(readFile(local), QByteArray("keep me"));
    fixture.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFileTransfer::shortUploadResumed()
{
    // The server keeps 7 of 10 bytes and says 226: SIZE tells, the next attempt sends the
    // rest after REST 7, and the local time is kept with MFMT.
    ScriptedServer server(modernLogin() + epsvScenario() + QStringLiteral(R"(
        C: STOR up/f.txt
        S: 150 Ok to send data.
        ACCEPT-DATA
        DC: 0123456789
        S: 226 Transfer complete.
        C: SIZE up/f.txt
        S: 213 7
        C: SIZE up/f.txt
        S: 213 7
    )") + epsvScenario() + QStringLiteral(R"(
        C: REST 7
        S: 350 Restart position accepted (7).
        C: STOR up/f.txt
        S: 150 Ok to send data.
        ACCEPT-DATA
        DC: 789
        S: 226 Transfer complete.
        C: SIZE up/f.txt
        S: 213 10
        C: MFMT 20200102030405 up/f.txt
        S: 213 Modify=20200102030405; up/f.txt
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    QTemporaryDir dir;
    const QString local = dir.filePath(QStringLiteral("f.txt"));
    QVERIFY(writeFile(local, "0123456789"));
    {
        QFile file(local);
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.setFileTime(kRemoteTime, QFileDevice::FileModificationTime));
    }
    auto fixture = std::make_unique<Fixture>(server);
    FileTransfer transfer(&fixture->pool,
                          {TransferSpec::Direction::Upload, "up/f.txt", local, -1, {}},
                          quickRetries(ExistingTargetAction::Overwrite));
    transfer.start();
    QTRY_VERIFY(transfer.isFinished());
    QVERIFY2(!transfer.error(), qPrintable(transfer.error().message()));
    QCOMPARE(transfer.attempts(), 2);
    fixture.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFileTransfer::droppedConnectionResumed()
{
    // The control connection drops during the transfer of a partial copy; the next attempt
    // logs in again on a new connection and resumes from the bytes on disk.
    ScriptedServer first(modernLogin() + sizeAndTime("f.bin", 10) + epsvScenario() +
                         QStringLiteral(R"(
        C: REST 4
        S: 350 Restart position accepted (4).
        C: RETR f.bin
        ACCEPT-DATA
        S: 150 Opening BINARY mode data connection.
        X
    )"));
    ScriptedServer second(modernLogin() + epsvScenario() + QStringLiteral(R"(
        C: REST 4
        S: 350 Restart position accepted (4).
        C: RETR f.bin
        S: 150 Opening BINARY mode data connection.
        ACCEPT-DATA
        D-: 456789
        DX
        S: 226 Transfer complete.
        EXPECT-CLOSE
    )"));
    QVERIFY2(first.listen(), qPrintable(first.failure()));
    QVERIFY2(second.listen(), qPrintable(second.failure()));
    Relay relay({first.port(), second.port()});
    QVERIFY(relay.listen());
    QTemporaryDir dir;
    const QString local = dir.filePath(QStringLiteral("f.bin"));
    QVERIFY(writeFile(local, "0123"));
    auto pool = std::make_unique<FtpConnectionPool>(siteFor(relay.port()));
    FileTransfer transfer(pool.get(), {TransferSpec::Direction::Download, "f.bin", local, -1, {}},
                          quickRetries(ExistingTargetAction::Resume));
    transfer.start();
    QTRY_VERIFY(transfer.isFinished());
    QVERIFY2(!transfer.error(), qPrintable(transfer.error().message()));
    QCOMPARE(readFile(local), QByteArray("0123456789"));
    QCOMPARE(transfer.attempts(), 2);
    QCOMPARE(relay.connections(), 2);
    pool.reset();
    WHARF_TRY_VERIFY_SCENARIO(first);
    WHARF_TRY_VERIFY_SCENARIO(second);
}

void TestFileTransfer::cancelThenNextTransfer()
{
    // The cancelled transfer's session is busy with ABOR until the server is back in step;
    // the next transfer waiting for the pool's only session gets it then.
    ScriptedServer server(modernLogin() + sizeAndTime("big", 1000) + epsvScenario() +
                          QStringLiteral(R"(
        C: RETR big
        ACCEPT-DATA
        S: 150 Opening BINARY mode data connection for big (1000 bytes).
        C: ABOR
        S: 426 Connection closed; transfer aborted.
        S: 226 Abort successful
        C: NOOP
        S: 200 NOOP ok.
    )") + sizeAndTime("small", 2) +
                          epsvScenario() + QStringLiteral(R"(
        C: RETR small
        S: 150 Opening BINARY mode data connection.
        ACCEPT-DATA
        D-: ok
        DX
        S: 226 Transfer complete.
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    QTemporaryDir dir;
    auto fixture = std::make_unique<Fixture>(server);
    FileTransfer big(
        &fixture->pool,
        {TransferSpec::Direction::Download, "big", dir.filePath(QStringLiteral("big")), -1, {}},
        quickRetries(ExistingTargetAction::Ask));
    FileTransfer small(
        &fixture->pool,
        {TransferSpec::Direction::Download, "small", dir.filePath(QStringLiteral("small")), -1, {}},
        quickRetries(ExistingTargetAction::Ask));
    big.start();
    QTRY_VERIFY(server.receivedLines().contains("RETR big"));
    big.cancel();
    QVERIFY(big.isFinished());
    QCOMPARE(big.error().kind(), ErrorKind::Cancelled);
    small.start();
    QTRY_VERIFY(small.isFinished());
    QVERIFY2(!small.error(), qPrintable(small.error().message()));
    QCOMPARE(readFile(dir.filePath(QStringLiteral("small"))), QByteArray("ok"));
    fixture.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFileTransfer::cancelDuringQuery()
{
    // Cancelled while its SIZE is unanswered: the session is handed on once the reply came.
    // The server holds the reply until the test connects to its data port (a sync point,
    // not a transfer), so the cancel surely comes first.
    ScriptedServer server(modernLogin() + QStringLiteral(R"(
        C: SIZE big
        ACCEPT-DATA
        DX
        S: 213 1000
    )") + sizeAndTime("small", 2) +
                          epsvScenario() + QStringLiteral(R"(
        C: RETR small
        S: 150 Opening BINARY mode data connection.
        ACCEPT-DATA
        D-: ok
        DX
        S: 226 Transfer complete.
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    QTemporaryDir dir;
    auto fixture = std::make_unique<Fixture>(server);
    FileTransfer big(
        &fixture->pool,
        {TransferSpec::Direction::Download, "big", dir.filePath(QStringLiteral("big")), -1, {}},
        quickRetries(ExistingTargetAction::Ask));
    FileTransfer small(
        &fixture->pool,
        {TransferSpec::Direction::Download, "small", dir.filePath(QStringLiteral("small")), -1, {}},
        quickRetries(ExistingTargetAction::Ask));
    big.start();
    QTRY_VERIFY(server.receivedLines().contains("SIZE big"));
    big.cancel();
    QCOMPARE(big.error().kind(), ErrorKind::Cancelled);
    small.start();
    QTcpSocket release;
    release.connectToHost(server.address(), server.dataPort());
    QTRY_VERIFY(small.isFinished());
    QVERIFY2(!small.error(), qPrintable(small.error().message()));
    QCOMPARE(readFile(dir.filePath(QStringLiteral("small"))), QByteArray("ok"));
    QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("big"))));
    fixture.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFileTransfer::treeDownloadStaysInsideTarget()
{
    // A hostile listing: names that climb out, name a subfolder or an absolute path. They
    // are reported and nothing lands outside the target folder.
    ScriptedServer server(modernLogin() + epsvScenario() + QStringLiteral(R"(
        C: MLSD pub
        S: 150 Here comes the directory listing.
        ACCEPT-DATA
        D: type=file;size=2;modify=20200102030405; ok.txt
        D: type=file;size=1;modify=20200102030405; ../../x
        D: type=file;size=1;modify=20200102030405; a/b
        D: type=file;size=1;modify=20200102030405; /tmp/wharf-absolute
        D: type=dir;modify=20200102030405; ../up
        DX
        S: 226 Directory send OK.
    )") + epsvScenario() + QStringLiteral(R"(
        C: RETR pub/ok.txt
        S: 150 Opening BINARY mode data connection.
        ACCEPT-DATA
        D-: ok
        DX
        S: 226 Transfer complete.
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    QTemporaryDir dir;
    const QString target = dir.filePath(QStringLiteral("deep/target"));
    auto fixture = std::make_unique<Fixture>(server);
    TransferQueue queue(&fixture->pool);
    queue.setOptions(quickRetries(ExistingTargetAction::Ask));
    TreeTransfer tree(&fixture->pool, &queue, TransferSpec::Direction::Download, "pub", target);
    tree.start();
    QTRY_VERIFY(tree.isFinished());
    QVERIFY2(!tree.error(), qPrintable(tree.error().message()));
    QCOMPARE(tree.filesQueued(), 1);
    QCOMPARE(tree.problems().size(), 4);
    QCOMPARE(tree.entriesNotCopied(), 4);
    for (const QString &name : {QStringLiteral("../../x"), QStringLiteral("a/b"),
                                QStringLiteral("/tmp/wharf-absolute"), QStringLiteral("../up")}) {
        QVERIFY2(tree.problems().filter(name).size() == 1, qPrintable(tree.problems().join(u'\n')));
    }
    QTRY_VERIFY(queue.isIdle());
    QCOMPARE(readFile(target + QStringLiteral("/ok.txt")), QByteArray("ok"));
    QStringList written;
    QDirIterator files(dir.path(), QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden,
                       QDirIterator::Subdirectories);
    while (files.hasNext())
        written.append(QDir(dir.path()).relativeFilePath(files.next()));
    written.sort();
    QCOMPARE(written, QStringList({QStringLiteral("deep"), QStringLiteral("deep/target"),
                                   QStringLiteral("deep/target/ok.txt")}));
    QVERIFY(!QFileInfo::exists(QStringLiteral("/tmp/wharf-absolute")));
    fixture.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestFileTransfer::skippedLinkIsNotAnOmission()
{
    // A link left out because links are not followed is the user's choice: reported, but
    // the copy is complete.
    ScriptedServer server(modernLogin() + epsvScenario() + QStringLiteral(R"(
        C: MLSD pub
        S: 150 Here comes the directory listing.
        ACCEPT-DATA
        D: type=OS.unix=symlink;modify=20200102030405; elsewhere
        DX
        S: 226 Directory send OK.
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    QTemporaryDir dir;
    auto fixture = std::make_unique<Fixture>(server);
    TransferQueue queue(&fixture->pool);
    TreeTransfer tree(&fixture->pool, &queue, TransferSpec::Direction::Download, "pub",
                      dir.filePath(QStringLiteral("target")));
    tree.start();
    QTRY_VERIFY(tree.isFinished());
    QVERIFY2(!tree.error(), qPrintable(tree.error().message()));
    QCOMPARE(tree.filesQueued(), 0);
    QCOMPARE(tree.problems(), QStringList{QStringLiteral("pub/elsewhere: a link, skipped")});
    QCOMPARE(tree.entriesNotCopied(), 0);
    fixture.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

QTEST_GUILESS_MAIN(TestFileTransfer)
#include "tst_file_transfer.moc"
