// The transfer queue's bookkeeping that needs no server: what it saves for a restart, what
// a restart queues again, and the saved file's format.
#include "controllers/FtpConnectionPool.h"
#include "controllers/TransferQueue.h"
#include "store/SavedTransfers.h"

#include <QFile>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace wharf;
using controllers::TransferItem;
using controllers::TransferSpec;

namespace {

// A server that accepts connections and never greets: every session waits for its
// greeting for as long as the test looks, so items stay queued or running. (A closed port
// could be taken by another test's server meanwhile.)
controllers::FtpSiteSettings silentSite(quint16 port)
{
    controllers::FtpSiteSettings settings;
    settings.endpoint.protocol = Protocol::Ftp;
    settings.endpoint.host = QStringLiteral("127.0.0.1");
    settings.endpoint.port = port;
    settings.endpoint.tlsMode = TlsMode::None;
    settings.endpoint.user = QStringLiteral("nobody");
    settings.timeoutMs = 120'000;
    return settings;
}

TransferSpec download(const QByteArray &remote, const QString &local)
{
    TransferSpec spec;
    spec.direction = TransferSpec::Direction::Download;
    spec.remotePath = remote;
    spec.localPath = local;
    spec.size = 1234;
    spec.modified = QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5), Qt::UTC);
    return spec;
}

} // namespace

class TestTransferQueue : public QObject
{
    Q_OBJECT

    QTcpServer m_silent;

    controllers::FtpSiteSettings site() const { return silentSite(m_silent.serverPort()); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_silent.listen(QHostAddress::LocalHost)); }

    void savedTransfersRoundTrip()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("transfers.json"));
        store::SavedTransfer a;
        a.remotePath = QByteArray("caf\xe9/r\xe9sum\xe9.txt"); // Latin-1 bytes, kept exactly
        a.localPath = QStringLiteral("/home/u/résumé.txt");
        a.size = 5'000'000'000;
        a.state = QStringLiteral("paused");
        a.done = 4096;
        a.started = true;
        store::SavedTransfer b;
        b.upload = true;
        b.remotePath = "up/file.bin";
        b.localPath = QStringLiteral("/tmp/file.bin");
        b.state = QStringLiteral("failed");
        b.error = QStringLiteral("STOR: the server refused: 553 Not allowed");
        QVERIFY(!store::saveSavedTransfers(path, QStringLiteral("site-1"), {a, b}));
        store::SavedTransfer other;
        other.remotePath = "x";
        other.localPath = QStringLiteral("/x");
        other.state = QStringLiteral("queued");
        QVERIFY(!store::saveSavedTransfers(path, QStringLiteral("site-2"), {other}));

        Error error;
        const auto loaded = store::loadSavedTransfers(path, &error);
        QVERIFY2(loaded, qPrintable(error.message()));
        QCOMPARE(loaded->size(), 3);
        const store::SavedTransfer &first = loaded->at(0);
        QCOMPARE(first.siteKey, QStringLiteral("site-1"));
        QCOMPARE(first.remotePath, a.remotePath);
        QCOMPARE(first.localPath, a.localPath);
        QCOMPARE(first.size, a.size);
        QCOMPARE(first.done, 4096);
        QVERIFY(first.started);
        QVERIFY(!first.upload);
        QVERIFY(loaded->at(1).upload);
        QCOMPARE(loaded->at(1).error, b.error);
        QCOMPARE(loaded->at(2).siteKey, QStringLiteral("site-2"));
        // Local paths are private.
        const QFile::Permissions permissions = QFile::permissions(path);
        QVERIFY(permissions.testFlags(QFile::ReadOwner | QFile::WriteOwner));
        QCOMPARE(permissions & 0x00ff, 0); // nothing for the group or others

        // Saving one site again replaces its entries only.
        QVERIFY(!store::saveSavedTransfers(path, QStringLiteral("site-1"), {}));
        const auto after = store::loadSavedTransfers(path, &error);
        QVERIFY(after);
        QCOMPARE(after->size(), 1);
        QCOMPARE(after->at(0).siteKey, QStringLiteral("site-2"));
    }

    void damagedFileIsAnErrorAndStaysUntouched()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("transfers.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{ not json");
        file.close();
        Error error;
        QVERIFY(!store::loadSavedTransfers(path, &error));
        QCOMPARE(error.kind(), ErrorKind::LocalFile);
        QVERIFY(error.message().contains(QStringLiteral("damaged")));
        // A missing file is no error: nothing was saved yet.
        QVERIFY(store::loadSavedTransfers(dir.filePath(QStringLiteral("none.json")), &error));
    }

    void unfinishedItemsSurviveARestart()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("transfers.json"));
        {
            controllers::FtpConnectionPool pool(site());
            controllers::TransferQueue queue(&pool);
            queue.setParallel(1);
            queue.persistTo(path, QStringLiteral("site-a"));
            const int first = queue.add(download("a.bin", dir.filePath(QStringLiteral("a.bin"))));
            const int second = queue.add(download("b.bin", dir.filePath(QStringLiteral("b.bin"))));
            queue.add(download("c.bin", dir.filePath(QStringLiteral("c.bin"))));
            queue.pause(second);
            queue.cancel(first);
            QCOMPARE(queue.item(second)->state, TransferItem::State::Paused);
            QTRY_VERIFY(QFile::exists(path));
        } // the queue goes away with the app

        controllers::FtpConnectionPool pool(site());
        controllers::TransferQueue queue(&pool);
        queue.setParallel(1);
        queue.persistTo(path, QStringLiteral("site-a"));
        QSignalSpy added(&queue, &controllers::TransferQueue::itemAdded);
        QVERIFY(!queue.restoreSaved());
        // The cancelled one is over; the paused one stays paused; the queued one runs.
        QCOMPARE(added.size(), 2);
        const QList<TransferItem> items = queue.items();
        QCOMPARE(items.size(), 2);
        QCOMPARE(items.at(0).spec.remotePath, QByteArray("b.bin"));
        QCOMPARE(items.at(0).state, TransferItem::State::Paused);
        QCOMPARE(items.at(0).spec.size, 1234);
        QCOMPARE(items.at(0).spec.modified, download("b", {}).modified);
        QCOMPARE(items.at(1).spec.remotePath, QByteArray("c.bin"));
        QCOMPARE(items.at(1).state, TransferItem::State::Running);

        // Another site's queue sees none of them.
        controllers::TransferQueue otherSite(&pool);
        otherSite.persistTo(path, QStringLiteral("site-b"));
        QVERIFY(!otherSite.restoreSaved());
        QVERIFY(otherSite.items().isEmpty());
    }

    void pausedItemResumesAndRetryRequeuesAFailedOne()
    {
        controllers::FtpConnectionPool pool(site());
        controllers::TransferQueue queue(&pool);
        queue.setParallel(1);
        QTemporaryDir dir;
        const int id = queue.add(download("a.bin", dir.filePath(QStringLiteral("a.bin"))));
        QCOMPARE(queue.item(id)->state, TransferItem::State::Running);
        queue.pause(id);
        QCOMPARE(queue.item(id)->state, TransferItem::State::Paused);
        QVERIFY(queue.isIdle());
        queue.resume(id);
        QCOMPARE(queue.item(id)->state, TransferItem::State::Running);
        queue.cancel(id);
        QCOMPARE(queue.item(id)->state, TransferItem::State::Cancelled);
        queue.retry(id);
        QCOMPARE(queue.item(id)->state, TransferItem::State::Running);
        queue.cancelAll();
        QVERIFY(queue.isIdle());
    }
};

QTEST_GUILESS_MAIN(TestTransferQueue)
#include "tst_transfer_queue.moc"
