// ResumingMailboxSync against scripted servers behind a Relay: a connection dropped in the
// middle of the header download is followed by a second attempt that stores each message
// once; a refused login is not retried; the attempts end when the server stays away.

#include "ConnectionRelay.h"
#include "ImapControllerTestSupport.h"
#include "ImapSessionTestSupport.h"
#include "MailStoreTestSupport.h"
#include "controllers/ImapConnectionPool.h"
#include "controllers/ResumingMailboxSync.h"

#include <QSignalSpy>
#include <QTemporaryDir>

using namespace wharf;
using namespace wharf::controllers;
using wharf::test::fetchLine;
using wharf::test::headerResponse;
using wharf::test::Relay;
using wharf::test::ScriptedServer;

namespace {

SyncResumeSettings quickRetries(int attempts)
{
    SyncResumeSettings settings;
    settings.maxAttempts = attempts;
    settings.reconnect.initialMs = 1;
    settings.reconnect.maxMs = 4;
    settings.reconnect.jitter = 0;
    return settings;
}

MailboxSyncOptions fixedBatches()
{
    MailboxSyncOptions options;
    options.firstBatch = 2;
    options.maxBatch = 2; // the scenario knows what comes
    return options;
}

} // namespace

class TestResumingMailboxSync : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_store = std::make_unique<store::MailStore>();
        VERIFY_OK(m_store->open(m_dir->path()));
        m_inbox = testing::folderIdOf(*m_store, QStringLiteral("INBOX"));
        QVERIFY(m_inbox > 0);
    }

    void aDroppedConnectionIsFollowedByASecondAttempt()
    {
        // The first server answers one batch, then goes away with the second in flight.
        ScriptedServer first(
            test::firstSyncOfThree() + headerResponse(3, 3, QStringLiteral("\\\\Seen")) +
            headerResponse(2, 2, QString()) + QStringLiteral("S: A5 OK done\nX\n"));
        ScriptedServer second(test::firstSyncOfThree() +
                              headerResponse(3, 3, QStringLiteral("\\\\Seen")) +
                              headerResponse(2, 2, QString()) + QStringLiteral("S: A5 OK done\n") +
                              headerResponse(1, 1, QStringLiteral("\\\\Flagged")) +
                              QStringLiteral("S: A6 OK done\n"));
        QVERIFY2(first.listen(), qPrintable(first.failure()));
        QVERIFY2(second.listen(), qPrintable(second.failure()));
        Relay relay({first.port(), second.port()});
        QVERIFY(relay.listen());
        ImapConnectionPool pool(test::accountOn(relay.port(), 1));
        ResumingMailboxSync sync(&pool, m_store.get(), quickRetries(3));
        QSignalSpy lost(&sync, &ResumingMailboxSync::connectionLost);
        QSignalSpy finished(&sync, &ResumingMailboxSync::finished);
        sync.start(QStringLiteral("INBOX"), fixedBatches());
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        QVERIFY2(!sync.error(), qPrintable(sync.error().message()));
        QCOMPARE(sync.attempts(), 2);
        QCOMPARE(lost.size(), 1);
        QCOMPARE(relay.connections(), 2);
        // Each message counted once, though the second attempt fetched 2 and 3 again.
        QCOMPARE(sync.report().added, 3);

        QHash<quint32, store::RemoteMessageState> uids;
        VERIFY_OK(m_store->remoteUids(m_inbox, 7, &uids));
        QCOMPARE(uids.size(), 3);
        QCOMPARE(uids.value(1).flags, MessageFlags(MessageFlag::Flagged));
        qint64 total = 0;
        VERIFY_OK(m_store->count(m_inbox, &total));
        QCOMPARE(total, 3);
        store::RemoteFolderState state;
        VERIFY_OK(m_store->remoteFolderState(m_inbox, &state));
        QCOMPARE(state.uidValidity, 7u); // saved by the attempt that finished
        WHARF_TRY_VERIFY_SCENARIO(first);
        WHARF_TRY_VERIFY_SCENARIO(second);
    }

    void aRefusedLoginIsNotRetried()
    {
        ScriptedServer server(QStringLiteral(R"(
            S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready
            C: A1 AUTHENTICATE PLAIN AHVzZXIAc2VjcmV0
            S: A1 NO [AUTHENTICATIONFAILED] Authentication failed.
            EXPECT-CLOSE
        )"));
        QVERIFY2(server.listen(), qPrintable(server.failure()));
        Relay relay({server.port()});
        QVERIFY(relay.listen());
        ImapConnectionPool pool(test::accountOn(relay.port(), 1));
        ResumingMailboxSync sync(&pool, m_store.get(), quickRetries(5));
        QSignalSpy lost(&sync, &ResumingMailboxSync::connectionLost);
        QSignalSpy finished(&sync, &ResumingMailboxSync::finished);
        sync.start(QStringLiteral("INBOX"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        QCOMPARE(sync.error().kind(), ErrorKind::AuthenticationFailed);
        QCOMPARE(sync.attempts(), 1);
        QCOMPARE(lost.size(), 0);
        QCOMPARE(relay.connections(), 1);
        WHARF_TRY_VERIFY_SCENARIO(server);
    }

    void theAttemptsEndWhenTheServerStaysAway()
    {
        Relay relay({0, 0, 0, 0});
        QVERIFY(relay.listen());
        ImapConnectionPool pool(test::accountOn(relay.port(), 1));
        ResumingMailboxSync sync(&pool, m_store.get(), quickRetries(3));
        QSignalSpy lost(&sync, &ResumingMailboxSync::connectionLost);
        QSignalSpy finished(&sync, &ResumingMailboxSync::finished);
        sync.start(QStringLiteral("INBOX"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        QVERIFY(sync.error());
        QVERIFY(!controllers::ReconnectBackoff::isPermanent(sync.error()));
        QCOMPARE(sync.attempts(), 3);
        QCOMPARE(lost.size(), 2);
        QCOMPARE(relay.connections(), 3);
    }

    void cancelBetweenAttemptsStopsTheRetries()
    {
        Relay relay({0, 0});
        QVERIFY(relay.listen());
        ImapConnectionPool pool(test::accountOn(relay.port(), 1));
        SyncResumeSettings settings = quickRetries(5);
        settings.reconnect.initialMs = 3'600'000; // the retry would come in an hour
        settings.reconnect.maxMs = 3'600'000;
        ResumingMailboxSync sync(&pool, m_store.get(), settings);
        QSignalSpy lost(&sync, &ResumingMailboxSync::connectionLost);
        QSignalSpy finished(&sync, &ResumingMailboxSync::finished);
        sync.start(QStringLiteral("INBOX"));
        QTRY_COMPARE_WITH_TIMEOUT(lost.size(), 1, 10000);
        QCOMPARE(lost.first().at(1).toInt(), 3'600'000);
        sync.cancel();
        QCOMPARE(finished.size(), 1);
        QCOMPARE(sync.error().kind(), ErrorKind::Cancelled);
        QCOMPARE(sync.attempts(), 1);
        QCOMPARE(relay.connections(), 1);
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<store::MailStore> m_store;
    qint64 m_inbox = 0;
};

QTEST_GUILESS_MAIN(TestResumingMailboxSync)
#include "tst_resuming_mailbox_sync.moc"
