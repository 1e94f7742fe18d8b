// MessageOpening against scripted servers: a headers-only row's body fetched read-only
// (EXAMINE, UID FETCH BODY.PEEK[]) into a real MailStore, a big one streamed to disk; a
// renumbered folder and a message gone from the server leave the row headers-only; a row
// that is here already needs no connection; cancel stops a transfer and leaves no file.

#include "ImapControllerTestSupport.h"
#include "ImapSessionTestSupport.h"
#include "MailStoreTestSupport.h"
#include "controllers/ImapConnectionPool.h"
#include "controllers/MessageOpening.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>

#include <algorithm>

using namespace wharf;
using namespace wharf::controllers;
using wharf::test::ScriptedServer;

namespace {

constexpr quint32 kValidity = 7;
constexpr quint32 kUid = 42;
constexpr char kDate[] = "Tue, 3 Mar 2026 10:00:00 +0000";

// Login, then the EXAMINE of the folder's wire name, answered with `validity`.
QString examineScenario(quint32 validity)
{
    return test::modernLoginScenario() + QStringLiteral(R"(
        C: A3 EXAMINE "Archive/Old Mail"
        S: * 12 EXISTS
        S: * OK [UIDVALIDITY %1] UIDs valid
        S: * OK [UIDNEXT 50] Predicted next UID
        S: A3 OK [READ-ONLY] Examine completed
    )")
                                             .arg(validity);
}

const QString kFetch = QStringLiteral("C: A4 UID FETCH 42 (UID BODY.PEEK[])\n");

// The FETCH response carrying `body` as a literal, as scenario lines: one S: per line of
// the body (its CRLF added by S:), S-: for the head and for a last line without CRLF.
QString literalResponse(const QByteArray &body)
{
    QString text =
        QStringLiteral("S-: * 1 FETCH (UID %1 BODY[] {%2}\\r\\n\n").arg(kUid).arg(body.size());
    qsizetype start = 0;
    while (start < body.size()) {
        qsizetype end = body.indexOf("\r\n", start);
        const bool terminated = end >= 0;
        if (!terminated)
            end = body.size();
        QString line = QString::fromLatin1(body.mid(start, end - start));
        line.replace(u'\\', QStringLiteral("\\\\"));
        text += (terminated ? QStringLiteral("S: ") : QStringLiteral("S-: ")) + line + u'\n';
        start = terminated ? end + 2 : end;
    }
    return text + QStringLiteral("S: )\n");
}

QByteArray smallBody()
{
    return testing::makeMessage("Minutes", kDate, "minutes@example.org",
                                "The zeppelin lands at noon.\r\n  Indented, with a \\ in it.");
}

// Above the parser's inline limit (1 MiB), so it arrives as several 256 KiB chunks.
QByteArray largeBody()
{
    QByteArray text;
    for (int line = 0; text.size() < 1536 * 1024; ++line)
        text += "Line " + QByteArray::number(line) + " of the yearly report, kept whole\r\n";
    return testing::makeMessage("Yearly report", kDate, "report@example.org", text);
}

QByteArray contentsOf(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<unreadable>");
}

// A port nothing listens on: a pool pointed there fails whoever makes it connect.
quint16 closedPort()
{
    QTcpServer server;
    return server.listen(QHostAddress::LocalHost, 0) ? server.serverPort() : 1;
}

} // namespace

class TestMessageOpening : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void fetchesTheBodyOfAHeadersOnlyRow();
    void aLargeBodyIsStreamedInPieces();
    void aRenumberedFolderIsRefused();
    void aMessageGoneFromTheServerIsAnError();
    void aLocalCopyNeedsNoConnection();
    void anUnknownIdIsAUsageError();
    void cancelWhileTheBodyArrivesLeavesNoFile();
    void cancelBeforeTheSessionArrivesGivesItBack();

private:
    qint64 addHeadersOnly();
    store::MessageRecord row(qint64 id);
    bool searchFinds(const QString &word, qint64 id);
    // Files in the tmp/ of every Maildir folder of the store and in the spool directory.
    QStringList leftovers() const;

    std::unique_ptr<QTemporaryDir> m_spoolDir; // TMPDIR while a test runs
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<store::MailStore> m_store;
    qint64 m_folder = 0;
    QByteArray m_savedTmpDir;
};

void TestMessageOpening::init()
{
    m_spoolDir = std::make_unique<QTemporaryDir>();
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_spoolDir->isValid() && m_dir->isValid());
    // The download spools to a QTemporaryFile (unnamed where O_TMPFILE works): into this
    // directory, where a named one left behind would show.
    m_savedTmpDir = qgetenv("TMPDIR");
    qputenv("TMPDIR", QFile::encodeName(m_spoolDir->path()));
    m_store = std::make_unique<store::MailStore>();
    VERIFY_OK(m_store->open(m_dir->path()));
    VERIFY_OK(m_store->createFolder(QStringLiteral("Old Mail"), &m_folder));
    store::RemoteFolderState state;
    state.remoteName = "Archive/Old Mail";
    state.uidValidity = kValidity;
    VERIFY_OK(m_store->setRemoteFolderState(m_folder, state));
}

void TestMessageOpening::cleanup()
{
    m_store.reset();
    m_dir.reset();
    m_spoolDir.reset();
    if (m_savedTmpDir.isEmpty())
        qunsetenv("TMPDIR");
    else
        qputenv("TMPDIR", m_savedTmpDir);
}

qint64 TestMessageOpening::addHeadersOnly()
{
    QList<store::RemoteHeaders> batch(1);
    store::MessageRecord &record = batch[0].record;
    record.remote.uidValidity = kValidity;
    record.remote.uid = kUid;
    record.flags = MessageFlag::Flagged;
    record.extraFlags = QStringLiteral("$Work");
    record.internalDate = 1'772'532'000'000LL;
    record.size = 1000;
    record.subject = QStringLiteral("Minutes");
    record.from = QStringLiteral("Alice Example <alice@example.org>");
    const Error error = m_store->addRemoteHeaders(m_folder, batch);
    return error ? 0 : record.id;
}

store::MessageRecord TestMessageOpening::row(qint64 id)
{
    std::optional<store::MessageRecord> record;
    const Error error = m_store->message(id, &record);
    return !error && record ? *record : store::MessageRecord{};
}

bool TestMessageOpening::searchFinds(const QString &word, qint64 id)
{
    QList<store::MessageRecord> records;
    if (m_store->search(word, 0, 10, &records))
        return false;
    return std::any_of(records.cbegin(), records.cend(),
                       [id](const store::MessageRecord &record) { return record.id == id; });
}

QStringList TestMessageOpening::leftovers() const
{
    const QString root = m_dir->path();
    QStringList folders{root};
    for (const QString &name : QDir(root).entryList(
             {QStringLiteral(".*")}, QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot))
        folders.append(root + u'/' + name);
    QStringList files;
    for (const QString &folder : std::as_const(folders)) {
        for (const QString &file : testing::filesIn(folder + QStringLiteral("/tmp")))
            files.append(folder + QStringLiteral("/tmp/") + file);
    }
    for (const QString &file : testing::filesIn(m_spoolDir->path()))
        files.append(m_spoolDir->path() + u'/' + file);
    return files;
}

void TestMessageOpening::fetchesTheBodyOfAHeadersOnlyRow()
{
    const qint64 id = addHeadersOnly();
    QVERIFY(id > 0);
    QVERIFY(!searchFinds(QStringLiteral("zeppelin"), id)); // the headers do not say it
    const QByteArray body = smallBody();
    ScriptedServer server(examineScenario(kValidity) + kFetch + literalResponse(body) +
                          QStringLiteral("S: A4 OK Fetch completed\nEXPECT-CLOSE\n"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto pool = std::make_unique<ImapConnectionPool>(test::accountOn(server.port(), 1));
    MessageOpening opening(pool.get(), m_store.get(), id);
    QSignalSpy finished(&opening, &MessageOpening::finished);
    opening.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QVERIFY2(!opening.error(), qPrintable(opening.error().message()));
    QVERIFY(opening.downloaded());
    QCOMPARE(contentsOf(opening.filePath()), body);

    const store::MessageRecord record = row(id);
    QVERIFY(record.hasLocalCopy());
    QCOMPARE(opening.filePath(), m_store->messageFilePath(record));
    QVERIFY(opening.filePath().startsWith(m_dir->path() + u'/'));
    QCOMPARE(record.remote.uid, kUid);
    QCOMPARE(record.flags, MessageFlags(MessageFlag::Flagged)); // not \Seen: BODY.PEEK
    QCOMPARE(record.extraFlags, QStringLiteral("$Work"));
    QVERIFY(searchFinds(QStringLiteral("zeppelin"), id));
    QVERIFY2(leftovers().isEmpty(), qPrintable(leftovers().join(u' ')));
    pool.reset(); // the connection closes: the scenario saw nothing after the FETCH
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestMessageOpening::aLargeBodyIsStreamedInPieces()
{
    const qint64 id = addHeadersOnly();
    QVERIFY(id > 0);
    const QByteArray body = largeBody();
    // One send group of 1.5 MB: the client reads it in many pieces, the parser hands it on
    // in 256 KiB chunks whatever the reads were.
    ScriptedServer server(examineScenario(kValidity) + kFetch + literalResponse(body) +
                          QStringLiteral("S: A4 OK Fetch completed\nEXPECT-CLOSE\n"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto pool = std::make_unique<ImapConnectionPool>(test::accountOn(server.port(), 1));
    MessageOpening opening(pool.get(), m_store.get(), id);
    QSignalSpy progress(&opening, &MessageOpening::progress);
    QSignalSpy finished(&opening, &MessageOpening::finished);
    opening.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
    QVERIFY2(!opening.error(), qPrintable(opening.error().message()));
    QVERIFY(opening.downloaded());
    QVERIFY(contentsOf(opening.filePath()) == body); // QCOMPARE would print 1.5 MB
    QVERIFY(row(id).hasLocalCopy());

    QVERIFY2(progress.size() > 1, qPrintable(QString::number(progress.size())));
    qint64 received = 0;
    for (const QList<QVariant> &arguments : std::as_const(progress)) {
        QVERIFY(arguments.at(0).toLongLong() > received);
        received = arguments.at(0).toLongLong();
        QCOMPARE(arguments.at(1).toLongLong(), body.size());
    }
    QCOMPARE(received, body.size());
    QVERIFY2(leftovers().isEmpty(), qPrintable(leftovers().join(u' ')));
    pool.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestMessageOpening::aRenumberedFolderIsRefused()
{
    const qint64 id = addHeadersOnly();
    QVERIFY(id > 0);
    // EXPECT-CLOSE fails on any line the client sends before the pool closes the connection:
    // a FETCH after the wrong UIDVALIDITY would be caught.
    ScriptedServer server(examineScenario(kValidity + 1) + QStringLiteral("EXPECT-CLOSE\n"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto pool = std::make_unique<ImapConnectionPool>(test::accountOn(server.port(), 1));
    MessageOpening opening(pool.get(), m_store.get(), id);
    QSignalSpy finished(&opening, &MessageOpening::finished);
    opening.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QVERIFY(opening.error());
    QVERIFY2(opening.error().message().contains(QStringLiteral("UIDVALIDITY")),
             qPrintable(opening.error().message()));
    QVERIFY(!opening.downloaded());
    QVERIFY(!row(id).hasLocalCopy());
    QCOMPARE(row(id).remote.uidValidity, kValidity);
    pool.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
    QVERIFY(!server.receivedLines().join('\n').contains("FETCH"));
}

void TestMessageOpening::aMessageGoneFromTheServerIsAnError()
{
    const qint64 id = addHeadersOnly();
    QVERIFY(id > 0);
    ScriptedServer server(examineScenario(kValidity) + kFetch +
                          QStringLiteral("S: A4 OK Fetch completed\nEXPECT-CLOSE\n"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto pool = std::make_unique<ImapConnectionPool>(test::accountOn(server.port(), 1));
    MessageOpening opening(pool.get(), m_store.get(), id);
    QSignalSpy finished(&opening, &MessageOpening::finished);
    opening.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QVERIFY(opening.error());
    QVERIFY2(opening.error().message().contains(QString::number(kUid)),
             qPrintable(opening.error().message()));
    QVERIFY(!opening.downloaded());
    QVERIFY(opening.filePath().isEmpty());
    const store::MessageRecord record = row(id);
    QVERIFY(!record.hasLocalCopy());
    QCOMPARE(record.flags, MessageFlags(MessageFlag::Flagged));
    QVERIFY2(leftovers().isEmpty(), qPrintable(leftovers().join(u' ')));
    pool.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestMessageOpening::aLocalCopyNeedsNoConnection()
{
    store::AddOptions options;
    options.remote = {kValidity, kUid, {}};
    const QByteArray body = smallBody();
    qint64 id = 0;
    VERIFY_OK(m_store->addMessage(m_folder, body, options, &id));
    const QString existing = m_store->messageFilePath(row(id));
    QVERIFY(QFile::exists(existing));
    // Connecting there would fail the opening.
    ImapConnectionPool pool(test::accountOn(closedPort(), 1));
    MessageOpening opening(&pool, m_store.get(), id);
    QSignalSpy finished(&opening, &MessageOpening::finished);
    opening.start();
    QCOMPARE(finished.size(), 0); // never from inside start()
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QVERIFY2(!opening.error(), qPrintable(opening.error().message()));
    QVERIFY(!opening.downloaded());
    QCOMPARE(opening.filePath(), existing);
    QCOMPARE(contentsOf(opening.filePath()), body);
    QCOMPARE(pool.sessionCount(), 0);
}

void TestMessageOpening::anUnknownIdIsAUsageError()
{
    const qint64 id = addHeadersOnly();
    QVERIFY(id > 0);
    ImapConnectionPool pool(test::accountOn(closedPort(), 1));
    MessageOpening opening(&pool, m_store.get(), id + 1000);
    QSignalSpy finished(&opening, &MessageOpening::finished);
    opening.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QCOMPARE(opening.error().kind(), ErrorKind::Usage);
    QVERIFY(opening.filePath().isEmpty());
    QCOMPARE(pool.sessionCount(), 0);
}

void TestMessageOpening::cancelWhileTheBodyArrivesLeavesNoFile()
{
    const qint64 id = addHeadersOnly();
    QVERIFY(id > 0);
    // 600,000 bytes of 2,000,000 announced, then the server stalls until the client hangs up.
    ScriptedServer server(examineScenario(kValidity) + kFetch + QStringLiteral(R"(
        S-: * 1 FETCH (UID 42 BODY[] {2000000}\r\n
        S* 600000 a
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    ImapConnectionPool pool(test::accountOn(server.port(), 1));
    MessageOpening opening(&pool, m_store.get(), id);
    QSignalSpy progress(&opening, &MessageOpening::progress);
    QSignalSpy finished(&opening, &MessageOpening::finished);
    opening.start();
    QTRY_VERIFY_WITH_TIMEOUT(progress.size() >= 2, 10000);
    QCOMPARE(progress.last().at(1).toLongLong(), 2'000'000);
    QCOMPARE(finished.size(), 0);

    opening.cancel();
    QCOMPARE(finished.size(), 1);
    QCOMPARE(opening.error().kind(), ErrorKind::Cancelled);
    QVERIFY(!opening.downloaded());
    QVERIFY(!row(id).hasLocalCopy());
    QVERIFY2(leftovers().isEmpty(), qPrintable(leftovers().join(u' ')));
    WHARF_TRY_VERIFY_SCENARIO(server); // the transfer was stopped by closing the connection
}

void TestMessageOpening::cancelBeforeTheSessionArrivesGivesItBack()
{
    const qint64 id = addHeadersOnly();
    QVERIFY(id > 0);
    // Any command on the session after the cancel fails the scenario.
    ScriptedServer server(test::modernLoginScenario() + QStringLiteral("EXPECT-CLOSE\n"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto pool = std::make_unique<ImapConnectionPool>(test::accountOn(server.port(), 1));
    bool warm = false;
    pool->acquire(
        this,
        [&](imap::ImapSession *session) {
            warm = true;
            pool->release(session);
        },
        [](const Error &error) { QFAIL(qPrintable(error.message())); });
    QTRY_VERIFY_WITH_TIMEOUT(warm, 10000);

    // The idle session is handed over from the event loop after open() asked for it; the
    // cancel, queued right behind open(), comes first.
    MessageOpening opening(pool.get(), m_store.get(), id);
    QSignalSpy finished(&opening, &MessageOpening::finished);
    opening.start();
    QMetaObject::invokeMethod(&opening, &MessageOpening::cancel, Qt::QueuedConnection);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QCOMPARE(opening.error().kind(), ErrorKind::Cancelled);

    // With one connection allowed, the next user gets it only if the opening gave it back.
    bool served = false;
    pool->acquireExclusive(
        this,
        [&](imap::ImapSession *session) {
            served = true;
            pool->release(session);
        },
        [](const Error &error) { QFAIL(qPrintable(error.message())); });
    QTRY_VERIFY_WITH_TIMEOUT(served, 10000);
    QCOMPARE(pool->sessionCount(), 1);
    QVERIFY(!row(id).hasLocalCopy());
    pool.reset();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

QTEST_GUILESS_MAIN(TestMessageOpening)
#include "tst_message_opening.moc"
