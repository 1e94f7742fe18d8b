// MailboxSync against scripted servers: the first visit, QRESYNC, CONDSTORE and plain
// resyncs, and a UIDVALIDITY change, each checked in a real MailStore.

#include "ImapControllerTestSupport.h"
#include "ImapSessionTestSupport.h"
#include "MailStoreTestSupport.h"
#include "controllers/ImapConnectionPool.h"
#include "controllers/MailboxSync.h"

#include <QSignalSpy>
#include <QTemporaryDir>

using namespace wharf;
using namespace wharf::controllers;
using wharf::test::fetchLine;
using wharf::test::headerResponse;
using wharf::test::ScriptedServer;

class TestMailboxSync : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void firstSyncStoresHeadersNewestFirst();
    void qresyncAppliesVanishedAndFlags();
    void condstoreFetchesChangedFlagsAndSearchesForExpunges();
    void fullDiffWithoutCondstore();
    void uidValidityChangeStartsOverAndKeepsLocalMessages();

private:
    static std::unique_ptr<ImapConnectionPool> poolFor(const ScriptedServer &server)
    {
        return std::make_unique<ImapConnectionPool>(test::accountOn(server.port()));
    }
    void runSync(ImapConnectionPool &pool, MailboxSync &sync);
    // Rows for UIDs 1..3 of UIDVALIDITY 7, as a first sync left them, state saved.
    void seedInbox(quint64 highestModSeq);
    QHash<quint32, store::RemoteMessageState> inboxUids(quint32 validity = 7);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<store::MailStore> m_store;
    qint64 m_inbox = 0;
};

void TestMailboxSync::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_store = std::make_unique<store::MailStore>();
    VERIFY_OK(m_store->open(m_dir->path()));
    m_inbox = testing::folderIdOf(*m_store, QStringLiteral("INBOX"));
    QVERIFY(m_inbox > 0);
}

void TestMailboxSync::runSync(ImapConnectionPool &pool, MailboxSync &sync)
{
    Q_UNUSED(pool);
    QSignalSpy finished(&sync, &MailboxSync::finished);
    MailboxSyncOptions options;
    options.firstBatch = 2;
    options.maxBatch = 2; // fixed batches: the scenario knows what comes
    sync.start(QStringLiteral("INBOX"), options);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QVERIFY2(!sync.error(), qPrintable(sync.error().message()));
}

void TestMailboxSync::seedInbox(quint64 highestModSeq)
{
    QList<store::RemoteHeaders> rows;
    for (quint32 uid = 1; uid <= 3; ++uid) {
        store::RemoteHeaders row;
        row.record.remote = {7, uid, {}};
        row.record.flags = MessageFlag::Seen;
        row.record.subject = QStringLiteral("Subject %1").arg(uid);
        rows.append(row);
    }
    VERIFY_OK(m_store->addRemoteHeaders(m_inbox, rows));
    VERIFY_OK(m_store->setRemoteFolderState(m_inbox, {"INBOX", 7, 4, highestModSeq, 1}));
}

QHash<quint32, store::RemoteMessageState> TestMailboxSync::inboxUids(quint32 validity)
{
    QHash<quint32, store::RemoteMessageState> uids;
    const Error error = m_store->remoteUids(m_inbox, validity, &uids);
    if (error)
        qWarning() << error.message();
    return uids;
}

void TestMailboxSync::firstSyncStoresHeadersNewestFirst()
{
    ScriptedServer server(test::firstSyncOfThree() +
                          headerResponse(3, 3, QStringLiteral("\\\\Seen")) +
                          headerResponse(2, 2, QStringLiteral("\\\\Flagged $Work")) +
                          QStringLiteral("S: A5 OK done\n") + headerResponse(1, 1, QString()) +
                          QStringLiteral("S: A6 OK done\n"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto pool = poolFor(server);
    MailboxSync sync(pool.get(), m_store.get());
    QList<qint64> progress;
    connect(&sync, &MailboxSync::progress, [&](qint64 done, qint64) { progress.append(done); });
    runSync(*pool, sync);
    QCOMPARE(sync.report().method, MailboxSyncReport::Method::FirstSync);
    QCOMPARE(sync.report().added, 3);
    QCOMPARE(progress, (QList<qint64>{0, 2, 3}));

    const auto uids = inboxUids();
    QCOMPARE(uids.size(), 3);
    QCOMPARE(uids.value(3).flags, MessageFlags(MessageFlag::Seen));
    QCOMPARE(uids.value(2).flags, MessageFlags(MessageFlag::Flagged));
    QCOMPARE(uids.value(2).extraFlags, QStringLiteral("$Work"));
    QVERIFY(!uids.value(1).hasLocalCopy);
    std::optional<store::MessageRecord> record;
    VERIFY_OK(m_store->recordByUid(m_inbox, 7, 2, &record));
    QVERIFY(record.has_value());
    QCOMPARE(record->subject, QStringLiteral("Subject 2"));
    QCOMPARE(record->from, QStringLiteral("Ann <ann@example.org>"));
    QCOMPARE(record->messageId, QByteArray("m2@example.org"));
    QCOMPARE(record->references, QByteArrayList{"r2@example.org"});
    QCOMPARE(record->size, 1002);

    store::RemoteFolderState state;
    VERIFY_OK(m_store->remoteFolderState(m_inbox, &state));
    QCOMPARE(state.uidValidity, 7u);
    QCOMPARE(state.uidNext, 4u);
    QCOMPARE(state.highestModSeq, 100u);
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestMailboxSync::qresyncAppliesVanishedAndFlags()
{
    seedInbox(100);
    ScriptedServer server(test::modernLoginScenario() + QStringLiteral(R"(
        C: A3 SELECT INBOX (QRESYNC (7 100))
        S: * 3 EXISTS
        S: * OK [UIDVALIDITY 7] x
        S: * OK [UIDNEXT 5] x
        S: * OK [HIGHESTMODSEQ 120] x
        S: * VANISHED (EARLIER) 2
        S: * 1 FETCH (UID 1 FLAGS (\\Flagged) MODSEQ (110))
        S: A3 OK [READ-WRITE] selected
        C: A4 UID SEARCH RETURN (ALL) UID 4:4294967295
        S: * ESEARCH (TAG "A4") UID ALL 4
        S: A4 OK done
    )") + fetchLine(QStringLiteral("A5"), QStringLiteral("4")) +
                          headerResponse(3, 4, QString()) + QStringLiteral("S: A5 OK done\n"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto pool = poolFor(server);
    MailboxSync sync(pool.get(), m_store.get());
    runSync(*pool, sync);
    QCOMPARE(sync.report().method, MailboxSyncReport::Method::Qresync);
    QCOMPARE(sync.report().removed, 1);
    QCOMPARE(sync.report().flagsChanged, 1);
    QCOMPARE(sync.report().added, 1);
    const auto uids = inboxUids();
    QCOMPARE(uids.keys().size(), 3);
    QVERIFY(!uids.contains(2));
    QCOMPARE(uids.value(1).flags, MessageFlags(MessageFlag::Flagged));
    QCOMPARE(uids.value(3).flags, MessageFlags(MessageFlag::Seen));
    QVERIFY(uids.contains(4));
    store::RemoteFolderState state;
    VERIFY_OK(m_store->remoteFolderState(m_inbox, &state));
    QCOMPARE(state.uidNext, 5u);
    QCOMPARE(state.highestModSeq, 120u);
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestMailboxSync::condstoreFetchesChangedFlagsAndSearchesForExpunges()
{
    seedInbox(100);
    ScriptedServer server(
        test::loginScenario(QStringLiteral("IMAP4rev1 ENABLE CONDSTORE ESEARCH")) +
        QStringLiteral(R"(
        C: A2 ENABLE CONDSTORE
        S: * ENABLED CONDSTORE
        S: A2 OK done
        C: A3 SELECT INBOX (CONDSTORE)
        S: * 2 EXISTS
        S: * OK [UIDVALIDITY 7] x
        S: * OK [UIDNEXT 4] x
        S: * OK [HIGHESTMODSEQ 130] x
        S: A3 OK [READ-WRITE] selected
        C: A4 UID FETCH 1:3 (UID FLAGS) (CHANGEDSINCE 100)
        S: * 2 FETCH (UID 3 FLAGS () MODSEQ (125))
        S: A4 OK done
        C: A5 UID SEARCH RETURN (ALL) UID 1:3
        S: * ESEARCH (TAG "A5") UID ALL 1,3
        S: A5 OK done
        C: A6 UID SEARCH RETURN (ALL) UID 4:4294967295
        S: * ESEARCH (TAG "A6") UID
        S: A6 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto pool = poolFor(server);
    MailboxSync sync(pool.get(), m_store.get());
    runSync(*pool, sync);
    QCOMPARE(sync.report().method, MailboxSyncReport::Method::Condstore);
    const auto uids = inboxUids();
    QCOMPARE(uids.size(), 2);
    QVERIFY(!uids.contains(2));
    QCOMPARE(uids.value(3).flags, MessageFlags());
    QCOMPARE(sync.report().flagsChanged, 1);
    QCOMPARE(sync.report().removed, 1);
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestMailboxSync::fullDiffWithoutCondstore()
{
    seedInbox(0);
    ScriptedServer server(test::loginScenario(QStringLiteral("IMAP4rev1")) + QStringLiteral(R"(
        C: A2 SELECT INBOX
        S: * 2 EXISTS
        S: * OK [UIDVALIDITY 7] x
        S: * OK [UIDNEXT 4] x
        S: A2 OK [READ-WRITE] selected
        C: A3 UID FETCH 1:3 (UID FLAGS)
        S: * 1 FETCH (UID 1 FLAGS (\\Seen \\Answered))
        S: * 2 FETCH (UID 3 FLAGS (\\Seen))
        S: A3 OK done
        C: A4 UID SEARCH UID 4:4294967295
        S: * SEARCH
        S: A4 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto pool = poolFor(server);
    MailboxSync sync(pool.get(), m_store.get());
    runSync(*pool, sync);
    QCOMPARE(sync.report().method, MailboxSyncReport::Method::FullDiff);
    const auto uids = inboxUids();
    QCOMPARE(uids.size(), 2);
    QCOMPARE(uids.value(1).flags, MessageFlags(MessageFlag::Seen | MessageFlag::Answered));
    QCOMPARE(sync.report().removed, 1);
    QCOMPARE(sync.report().flagsChanged, 1);
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestMailboxSync::uidValidityChangeStartsOverAndKeepsLocalMessages()
{
    seedInbox(100);
    // A message written here and not uploaded yet has no UID: it must survive.
    VERIFY_OK(m_store->addMessage(
        m_inbox,
        testing::makeMessage("local", "Mon, 7 Feb 2022 21:52:25 +0000", "local@example.org", "x"),
        {}));
    ScriptedServer server(test::modernLoginScenario() + QStringLiteral(R"(
        C: A3 SELECT INBOX (QRESYNC (7 100))
        S: * 1 EXISTS
        S: * OK [UIDVALIDITY 9] x
        S: * OK [UIDNEXT 2] x
        S: * OK [HIGHESTMODSEQ 5] x
        S: A3 OK [READ-WRITE] selected
        C: A4 UID SEARCH RETURN (ALL) UID 1:4294967295
        S: * ESEARCH (TAG "A4") UID ALL 1
        S: A4 OK done
    )") + fetchLine(QStringLiteral("A5"), QStringLiteral("1")) +
                          headerResponse(1, 1, QString()) + QStringLiteral("S: A5 OK done\n"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto pool = poolFor(server);
    MailboxSync sync(pool.get(), m_store.get());
    runSync(*pool, sync);
    QVERIFY(sync.report().uidValidityChanged);
    QCOMPARE(sync.report().removed, 3);
    QCOMPARE(sync.report().added, 1);
    QVERIFY(inboxUids(7).isEmpty());
    QCOMPARE(inboxUids(9).size(), 1);
    QList<store::MessageRecord> local;
    VERIFY_OK(m_store->localOnlyMessages(m_inbox, &local));
    QCOMPARE(local.size(), 1);
    QCOMPARE(local.first().subject, QStringLiteral("local"));
    store::RemoteFolderState state;
    VERIFY_OK(m_store->remoteFolderState(m_inbox, &state));
    QCOMPARE(state.uidValidity, 9u);
    WHARF_TRY_VERIFY_SCENARIO(server);
}

QTEST_GUILESS_MAIN(TestMailboxSync)
#include "tst_mailbox_sync.moc"
