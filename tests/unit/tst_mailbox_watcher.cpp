// The mailbox watcher against scripted servers through a real connection pool: IDLE and what
// it reports, renewal, the NOOP liveness check and its timeout, polling without IDLE (with
// sequence numbers mapped to UIDs), reconnecting after the connection dies or cannot be
// made, and the failures that must not be retried.
//
// A ScriptedServer serves exactly one connection, so reconnect tests put a Relay in front:
// each connection the watcher makes goes to the next server of its list (0: closed at once),
// and the relay counts them.

#include "ConnectionRelay.h"
#include "ImapControllerTestSupport.h"
#include "ImapSessionTestSupport.h"
#include "controllers/ImapConnectionPool.h"
#include "controllers/MailboxWatcher.h"

#include <memory>

using namespace wharf;
using controllers::MailboxWatcher;
using controllers::MailboxWatcherSettings;
using controllers::RemoteMessageSummary;
using wharf::test::Relay;
using wharf::test::ScriptedServer;

namespace {

// Nothing fires by itself unless a test asks for it: no renewal, no liveness check, no
// reconnect within a test's lifetime.
MailboxWatcherSettings quietSettings()
{
    MailboxWatcherSettings settings;
    settings.idleRenewalMs = 3'600'000;
    settings.livenessIntervalMs = 0;
    settings.pollIntervalMs = 3'600'000;
    settings.reconnect.initialMs = 3'600'000;
    settings.reconnect.maxMs = 3'600'000;
    settings.reconnect.jitter = 0;
    return settings;
}

struct Watch
{
    std::unique_ptr<controllers::ImapConnectionPool> pool;
    std::unique_ptr<MailboxWatcher> watcher;
    QList<MailboxWatcher::State> states;
    QList<QList<RemoteMessageSummary>> batches;
    QList<imap::SequenceSet> expunged;
    QList<QPair<quint32, MessageFlags>> flagChanges;
    QStringList keywords;
    QList<Error> losses;
    QList<Error> errors;

    QList<quint32> newUids() const
    {
        QList<quint32> uids;
        for (const QList<RemoteMessageSummary> &batch : batches) {
            for (const RemoteMessageSummary &summary : batch)
                uids.append(summary.uid);
        }
        return uids;
    }
};

std::unique_ptr<Watch> watch(quint16 port, const MailboxWatcherSettings &settings,
                             const QString &mailbox = QStringLiteral("INBOX"))
{
    auto run = std::make_unique<Watch>();
    run->pool = std::make_unique<controllers::ImapConnectionPool>(test::accountOn(port, 1));
    run->watcher = std::make_unique<MailboxWatcher>(run->pool.get(), mailbox, settings);
    Watch *raw = run.get();
    MailboxWatcher *watcher = run->watcher.get();
    QObject::connect(watcher, &MailboxWatcher::stateChanged,
                     [raw](MailboxWatcher::State state) { raw->states.append(state); });
    QObject::connect(
        watcher, &MailboxWatcher::newMail,
        [raw](const QList<RemoteMessageSummary> &messages) { raw->batches.append(messages); });
    QObject::connect(watcher, &MailboxWatcher::expunged,
                     [raw](const imap::SequenceSet &uids) { raw->expunged.append(uids); });
    QObject::connect(watcher, &MailboxWatcher::flagsChanged,
                     [raw](quint32 uid, MessageFlags flags, const QStringList &keywords) {
                         raw->flagChanges.append({uid, flags});
                         raw->keywords += keywords;
                     });
    QObject::connect(watcher, &MailboxWatcher::connectionLost,
                     [raw](const Error &reason, int) { raw->losses.append(reason); });
    QObject::connect(watcher, &MailboxWatcher::errorOccurred,
                     [raw](const Error &error) { raw->errors.append(error); });
    watcher->start();
    return run;
}

// EXAMINE INBOX answered with `exists` messages and UIDNEXT `uidNext`, at tag `tag`.
QString examine(const QString &tag, int exists, int uidNext, int uidValidity = 7)
{
    return QStringLiteral(R"(
        C: %1 EXAMINE INBOX
        S: * %2 EXISTS
        S: * 0 RECENT
        S: * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)
        S: * OK [UIDVALIDITY %4] UIDs valid
        S: * OK [UIDNEXT %3] Predicted next UID
        S: %1 OK [READ-ONLY] Examine completed
    )")
        .arg(tag)
        .arg(exists)
        .arg(uidNext)
        .arg(uidValidity);
}

QString fetchNewCommand(const QString &tag, int firstUid)
{
    return QStringLiteral(
               "C: %1 UID FETCH %2:4294967295 (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE)\n")
        .arg(tag)
        .arg(firstUid);
}

// One "* n FETCH" answer to the new-mail fetch.
QString fetchedMessage(int sequence, int uid, const QString &subject,
                       const QString &flags = QString())
{
    return QStringLiteral(
               "S: * %1 FETCH (UID %2 FLAGS (%4) INTERNALDATE \"26-Nov-2026 12:0%1:00 +0000\" "
               "RFC822.SIZE 1234 ENVELOPE (\"Thu, 26 Nov 2026 12:00:00 +0000\" \"%3\" "
               "((\"Ann Example\" NIL \"ann\" \"example.org\")) "
               "((\"Ann Example\" NIL \"ann\" \"example.org\")) "
               "((\"Ann Example\" NIL \"ann\" \"example.org\")) "
               "((NIL NIL \"user\" \"example.org\")) NIL NIL NIL \"<%2@example.org>\"))\n")
        .arg(sequence)
        .arg(uid)
        .arg(subject, flags);
}

const QString kLogoutWhileIdling = QStringLiteral(R"(
    C: DONE
    S: %1 OK Idle completed
    C: %2 LOGOUT
    S: * BYE Logging out
    S: %2 OK Logout completed
    EXPECT-CLOSE
)");

} // namespace

class TestMailboxWatcher : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void announcesNewMailSeenWhileIdling();
    void renewsIdle();
    void leavesIdleForALivenessNoop();
    void unansweredNoopCountsAsALostConnection();
    void pollsWithNoopWithoutIdle();
    void reconnectsWithoutAnnouncingOldMail();
    void newUidValidityAnnouncesNothing();
    void refusedLoginIsNotRetried();
    void missingMailboxEndsTheWatch();
    void stopWhileReconnectingMakesNoConnection();
};

void TestMailboxWatcher::announcesNewMailSeenWhileIdling()
{
    ScriptedServer server(test::modernLoginScenario() + examine(QStringLiteral("A3"), 3, 4) +
                          QStringLiteral(R"(
        C: A4 IDLE
        S: + idling
        S: * 2 FETCH (UID 2 FLAGS (\\Seen $Forwarded))
        S: * VANISHED 1
        S: * 3 EXISTS
        C: DONE
        S: A4 OK Idle completed
    )") + fetchNewCommand(QStringLiteral("A5"), 4) +
                          fetchedMessage(3, 4, QStringLiteral("Hello there")) + QStringLiteral(R"(
        S: A5 OK Fetch completed
        C: A6 IDLE
        S: + idling
    )") + kLogoutWhileIdling.arg(QStringLiteral("A6"), QStringLiteral("A7")));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = watch(server.port(), quietSettings());

    QTRY_COMPARE(run->batches.size(), 1);
    const RemoteMessageSummary &message = run->batches.first().value(0);
    QCOMPARE(run->batches.first().size(), 1);
    QCOMPARE(message.uid, 4u);
    QCOMPARE(message.subject, QStringLiteral("Hello there"));
    QCOMPARE(message.from, QStringLiteral("Ann Example <ann@example.org>"));
    QCOMPARE(message.size, quint64(1234));
    QCOMPARE(run->watcher->highestUid(), 4u);
    QVERIFY(run->watcher->usesIdle());
    QCOMPARE(run->expunged, QList<imap::SequenceSet>{imap::SequenceSet::fromList({1})});
    QCOMPARE(run->flagChanges.size(), 1);
    QCOMPARE(run->flagChanges.first().first, 2u);
    QCOMPARE(run->flagChanges.first().second,
             MessageFlags(MessageFlag::Seen) | MessageFlag::Forwarded);

    run->watcher->stop();
    QCOMPARE(run->watcher->state(), MailboxWatcher::State::Stopped);
    WHARF_TRY_VERIFY_SCENARIO(server);
    QCOMPARE(run->states, (QList<MailboxWatcher::State>{MailboxWatcher::State::Connecting,
                                                        MailboxWatcher::State::Watching,
                                                        MailboxWatcher::State::Stopped}));
    QVERIFY(run->losses.isEmpty());
    QVERIFY(run->errors.isEmpty());
}

void TestMailboxWatcher::renewsIdle()
{
    // Two renewals, then the server goes away: the scenario pins down the wire, whatever
    // the timing.
    ScriptedServer server(test::modernLoginScenario() + examine(QStringLiteral("A3"), 3, 4) +
                          QStringLiteral(R"(
        C: A4 IDLE
        S: + idling
        C: DONE
        S: A4 OK Idle completed
        C: A5 IDLE
        S: + idling
        C: DONE
        S: A5 OK Idle completed
        C: A6 IDLE
        S: + idling
        X
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    MailboxWatcherSettings settings = quietSettings();
    settings.idleRenewalMs = 20;
    auto run = watch(server.port(), settings);
    WHARF_TRY_VERIFY_SCENARIO(server);
    QTRY_COMPARE(run->watcher->state(), MailboxWatcher::State::Reconnecting);
    QCOMPARE(run->losses.size(), 1);
    QCOMPARE(run->losses.first().kind(), ErrorKind::ClosedByPeer);
    QVERIFY(run->batches.isEmpty());
    run->watcher->stop();
}

void TestMailboxWatcher::leavesIdleForALivenessNoop()
{
    ScriptedServer server(test::modernLoginScenario() + examine(QStringLiteral("A3"), 3, 4) +
                          QStringLiteral(R"(
        C: A4 IDLE
        S: + idling
        C: DONE
        S: A4 OK Idle completed
        C: A5 NOOP
        S: * 4 EXISTS
        S: A5 OK NOOP completed
    )") + fetchNewCommand(QStringLiteral("A6"), 4) +
                          fetchedMessage(4, 4, QStringLiteral("during the check")) +
                          QStringLiteral(R"(
        S: A6 OK Fetch completed
        C: A7 IDLE
        S: + idling
        X
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    MailboxWatcherSettings settings = quietSettings();
    settings.livenessIntervalMs = 20;
    auto run = watch(server.port(), settings);
    WHARF_TRY_VERIFY_SCENARIO(server);
    QTRY_COMPARE(run->watcher->state(), MailboxWatcher::State::Reconnecting);
    QCOMPARE(run->newUids(), QList<quint32>{4});
    run->watcher->stop();
}

void TestMailboxWatcher::unansweredNoopCountsAsALostConnection()
{
    ScriptedServer server(test::modernLoginScenario() + examine(QStringLiteral("A3"), 3, 4) +
                          QStringLiteral(R"(
        C: A4 IDLE
        S: + idling
        C: DONE
        S: A4 OK Idle completed
        C: A5 NOOP
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    MailboxWatcherSettings settings = quietSettings();
    settings.livenessIntervalMs = 20;
    settings.replyTimeoutMs = 300;
    auto run = watch(server.port(), settings);
    WHARF_TRY_VERIFY_SCENARIO(server);
    QTRY_COMPARE(run->watcher->state(), MailboxWatcher::State::Reconnecting);
    QCOMPARE(run->losses.size(), 1);
    QCOMPARE(run->losses.first().kind(), ErrorKind::Timeout);
    QVERIFY(run->errors.isEmpty());
    run->watcher->stop();
}

void TestMailboxWatcher::pollsWithNoopWithoutIdle()
{
    // No IDLE and no QRESYNC: NOOP at the poll interval, and EXPUNGE and FETCH name
    // messages by sequence number, which the watcher maps to UIDs (8 came after the
    // UIDNEXT the server predicted: only what is above the baseline counts as new).
    ScriptedServer server(test::loginScenario(QStringLiteral("IMAP4rev1")) +
                          examine(QStringLiteral("A2"), 3, 9) + QStringLiteral(R"(
        C: A3 UID SEARCH ALL
        S: * SEARCH 2 5 8
        S: A3 OK Search completed
        C: A4 NOOP
        S: * 2 EXPUNGE
        S: * 1 FETCH (FLAGS (\\Flagged $Label1))
        S: * 3 EXISTS
        S: A4 OK NOOP completed
    )") + fetchNewCommand(QStringLiteral("A5"), 9) +
                          fetchedMessage(3, 9, QStringLiteral("polled"),
                                         QStringLiteral("\\\\Seen")) +
                          QStringLiteral(R"(
        S: A5 OK Fetch completed
        C: A6 NOOP
        S: * 3 EXPUNGE
        S: * 2 FETCH (FLAGS ())
        S: A6 OK NOOP completed
        X
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    MailboxWatcherSettings settings = quietSettings();
    settings.pollIntervalMs = 20;
    auto run = watch(server.port(), settings);
    WHARF_TRY_VERIFY_SCENARIO(server);
    QTRY_COMPARE(run->watcher->state(), MailboxWatcher::State::Reconnecting);
    QVERIFY(!run->watcher->usesIdle());
    QCOMPARE(run->newUids(), QList<quint32>{9});
    QCOMPARE(run->batches.first().first().flags, MessageFlags(MessageFlag::Seen));
    QCOMPARE(run->expunged, (QList<imap::SequenceSet>{imap::SequenceSet::fromList({5}),
                                                      imap::SequenceSet::fromList({9})}));
    QCOMPARE(run->flagChanges.size(), 2);
    QCOMPARE(run->flagChanges.at(0).first, 2u);
    QCOMPARE(run->flagChanges.at(0).second, MessageFlags(MessageFlag::Flagged));
    QCOMPARE(run->keywords, QStringList{QStringLiteral("$Label1")});
    QCOMPARE(run->flagChanges.at(1).first, 8u);
    QCOMPARE(run->flagChanges.at(1).second, MessageFlags());
    run->watcher->stop();
}

void TestMailboxWatcher::reconnectsWithoutAnnouncingOldMail()
{
    // The first connection dies while idling, the second is closed before the greeting,
    // the third finds two messages that came meanwhile: those, and only those, are new.
    ScriptedServer first(test::modernLoginScenario() + examine(QStringLiteral("A3"), 3, 4) +
                         QStringLiteral(R"(
        C: A4 IDLE
        S: + idling
        X
    )"));
    ScriptedServer third(test::modernLoginScenario() + examine(QStringLiteral("A3"), 5, 6) +
                         fetchNewCommand(QStringLiteral("A4"), 4) +
                         fetchedMessage(4, 4, QStringLiteral("while away")) +
                         fetchedMessage(5, 5, QStringLiteral("also while away")) +
                         QStringLiteral(R"(
        S: A4 OK Fetch completed
        C: A5 IDLE
        S: + idling
    )") + kLogoutWhileIdling.arg(QStringLiteral("A5"), QStringLiteral("A6")));
    QVERIFY2(first.listen(), qPrintable(first.failure()));
    QVERIFY2(third.listen(), qPrintable(third.failure()));
    Relay relay({first.port(), 0, third.port()});
    QVERIFY(relay.listen());
    MailboxWatcherSettings settings = quietSettings();
    settings.reconnect.initialMs = 10;
    settings.reconnect.maxMs = 40;
    auto run = watch(relay.port(), settings);

    WHARF_TRY_VERIFY_SCENARIO(first);
    QTRY_COMPARE(run->batches.size(), 1);
    QCOMPARE(run->newUids(), (QList<quint32>{4, 5}));
    QCOMPARE(run->batches.first().at(1).subject, QStringLiteral("also while away"));
    QCOMPARE(relay.connections(), 3);
    QCOMPARE(run->losses.size(), 2);
    QCOMPARE(run->losses.first().kind(), ErrorKind::ClosedByPeer);
    QCOMPARE(run->states, (QList<MailboxWatcher::State>{MailboxWatcher::State::Connecting,
                                                        MailboxWatcher::State::Watching,
                                                        MailboxWatcher::State::Reconnecting,
                                                        MailboxWatcher::State::Watching}));
    run->watcher->stop();
    WHARF_TRY_VERIFY_SCENARIO(third);
    QVERIFY(run->errors.isEmpty());
}

void TestMailboxWatcher::newUidValidityAnnouncesNothing()
{
    // After the reconnect the mailbox was recreated: its UIDs start over, and nothing in
    // it can be told apart as new.
    ScriptedServer first(test::modernLoginScenario() + examine(QStringLiteral("A3"), 3, 40) +
                         QStringLiteral(R"(
        C: A4 IDLE
        S: + idling
        X
    )"));
    ScriptedServer second(test::modernLoginScenario() + examine(QStringLiteral("A3"), 2, 3, 8) +
                          QStringLiteral(R"(
        C: A4 IDLE
        S: + idling
        S: * 3 EXISTS
        C: DONE
        S: A4 OK Idle completed
    )") + fetchNewCommand(QStringLiteral("A5"), 3) +
                          fetchedMessage(3, 3, QStringLiteral("first in the new mailbox")) +
                          QStringLiteral(R"(
        S: A5 OK Fetch completed
        C: A6 IDLE
        S: + idling
    )") + kLogoutWhileIdling.arg(QStringLiteral("A6"), QStringLiteral("A7")));
    QVERIFY2(first.listen(), qPrintable(first.failure()));
    QVERIFY2(second.listen(), qPrintable(second.failure()));
    Relay relay({first.port(), second.port()});
    QVERIFY(relay.listen());
    MailboxWatcherSettings settings = quietSettings();
    settings.reconnect.initialMs = 10;
    auto run = watch(relay.port(), settings);
    QTRY_COMPARE(run->batches.size(), 1);
    QCOMPARE(run->newUids(), QList<quint32>{3});
    run->watcher->stop();
    WHARF_TRY_VERIFY_SCENARIO(first);
    WHARF_TRY_VERIFY_SCENARIO(second);
}

void TestMailboxWatcher::refusedLoginIsNotRetried()
{
    ScriptedServer server(test::loginScenario(QStringLiteral("x"))
                              .replace(QStringLiteral("S: A1 OK [CAPABILITY x] Logged in"),
                                       QStringLiteral("S: A1 NO [AUTHENTICATIONFAILED] Nope")) +
                          QStringLiteral("EXPECT-CLOSE\n"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    Relay relay({server.port()});
    QVERIFY(relay.listen());
    MailboxWatcherSettings settings = quietSettings();
    settings.reconnect.initialMs = 1;
    auto run = watch(relay.port(), settings);
    QTRY_COMPARE(run->errors.size(), 1);
    QCOMPARE(run->errors.first().kind(), ErrorKind::AuthenticationFailed);
    QCOMPARE(run->watcher->state(), MailboxWatcher::State::Stopped);
    QVERIFY(run->losses.isEmpty());
    WHARF_TRY_VERIFY_SCENARIO(server);
    // A retry would come after 1 ms; give it far longer than that to show up.
    QTest::qWait(200);
    QCOMPARE(relay.connections(), 1);
}

void TestMailboxWatcher::missingMailboxEndsTheWatch()
{
    ScriptedServer server(test::modernLoginScenario() + QStringLiteral(R"(
        C: A3 EXAMINE Missing
        S: A3 NO [NONEXISTENT] Mailbox doesn't exist: Missing
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    MailboxWatcherSettings settings = quietSettings();
    settings.reconnect.initialMs = 1;
    auto run = watch(server.port(), settings, QStringLiteral("Missing"));
    QTRY_COMPARE(run->errors.size(), 1);
    QVERIFY2(run->errors.first().message().contains(QStringLiteral("NONEXISTENT")),
             qPrintable(run->errors.first().message()));
    QCOMPARE(run->watcher->state(), MailboxWatcher::State::Stopped);
    QVERIFY(run->losses.isEmpty());
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestMailboxWatcher::stopWhileReconnectingMakesNoConnection()
{
    ScriptedServer server(test::modernLoginScenario() + examine(QStringLiteral("A3"), 0, 1) +
                          QStringLiteral(R"(
        C: A4 IDLE
        S: + idling
        X
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    Relay relay({server.port()});
    QVERIFY(relay.listen());
    MailboxWatcherSettings settings = quietSettings();
    settings.reconnect.initialMs = 500;
    auto run = watch(relay.port(), settings);
    // Stopped from the event loop while the retry waits (a posted call runs long before a
    // 500 ms timer is due).
    QObject::connect(run->watcher.get(), &MailboxWatcher::connectionLost, run->watcher.get(),
                     &MailboxWatcher::stop, Qt::QueuedConnection);
    QTRY_COMPARE(run->watcher->state(), MailboxWatcher::State::Stopped);
    QCOMPARE(run->states.value(2), MailboxWatcher::State::Reconnecting);
    QTest::qWait(1000);
    QCOMPARE(relay.connections(), 1);
    WHARF_VERIFY_SCENARIO(server);
}

QTEST_GUILESS_MAIN(TestMailboxWatcher)
#include "tst_mailbox_watcher.moc"
