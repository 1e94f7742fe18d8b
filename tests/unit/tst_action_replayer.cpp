// The replay of queued local actions (ActionReplayer) to a scripted IMAP server, on a
// real MailStore in a temporary directory.

#include "MailActionsTestSupport.h"
#include "protocols/imap/commands/SelectCommand.h"

#include <QTemporaryDir>

using namespace wharf;
using namespace wharf::controllers;
using wharf::store::MailStore;
using wharf::store::MessageRecord;
using wharf::store::PendingAction;
using wharf::test::openSession;
using wharf::test::ScriptedServer;
using namespace wharf::testing;
using Kind = wharf::store::PendingAction::Kind;

class TestActionReplayer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void flagsAreReplayedAsUidStore();
    void moveUsesMoveAndMapsCopyUid();
    void moveFallsBackToCopyStoreExpunge();
    void appendGivesTheRowItsUid();
    void droppedConnectionKeepsTheRestOfTheQueue();
    void refusalIsReportedAndCorrected();
    void refusedExpungeBringsTheMessagesBack();
    void missingTargetIsCreatedAndTriedAgain();
    void otherUidValidityDropsTheAction();
    void deleteGoesToTrashThenForGood();
};

void TestActionReplayer::flagsAreReplayedAsUidStore()
{
    Account account;
    VERIFY_OK(account.open());
    const qint64 one = account.add(account.inbox, kInboxValidity, 1);
    const qint64 two = account.add(account.inbox, kInboxValidity, 2);
    const qint64 three = account.add(account.inbox, kInboxValidity, 3, MessageFlag::Seen);
    MailActions actions(&*account.store);
    VERIFY_OK(actions.markRead({one, two}));
    VERIFY_OK(actions.setFlagged({three}, true));
    VERIFY_OK(actions.markUnread({three}));
    // At once, before any server heard of it.
    QVERIFY(account.record(one).flags.testFlag(MessageFlag::Seen));
    QCOMPARE(account.record(three).flags, MessageFlags(MessageFlag::Flagged));
    QCOMPARE(account.queue().size(), 3);

    // The first two share no uid and go pipelined; the third waits for the one on uid 3.
    ScriptedServer server(test::modernLoginScenario() + selectScenario(3, "INBOX", 7) +
                          QStringLiteral(R"(
        C: A4 UID STORE 1:2 +FLAGS.SILENT (\\Seen)
        C: A5 UID STORE 3 +FLAGS.SILENT (\\Flagged)
        S: A4 OK done
        S: A5 OK done
        C: A6 UID STORE 3 -FLAGS.SILENT (\\Seen)
        S: A6 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    ActionReplayer replayer(&*account.store);
    const Outcome outcome = replay(replayer, run->session.get(), account.inbox);
    VERIFY_FINISHED_OK(outcome);
    WHARF_TRY_VERIFY_SCENARIO(server);
    QCOMPARE(outcome.replayed.size(), 3);
    QVERIFY(outcome.refused.isEmpty());
    QVERIFY(account.queue().isEmpty());
    QCOMPARE(run->session->selectedMailbox().wireName, QByteArray("INBOX"));
}

void TestActionReplayer::moveUsesMoveAndMapsCopyUid()
{
    Account account;
    VERIFY_OK(account.open());
    const qint64 four = account.add(account.inbox, kInboxValidity, 4);
    const qint64 five = account.add(account.inbox, kInboxValidity, 5);
    MailActions actions(&*account.store);
    VERIFY_OK(actions.move({four, five}, account.archive));
    QCOMPARE(account.record(four).folderId, account.archive);
    QVERIFY(account.record(four).remote.isEmpty());
    // Read while the move waits: no uid to address yet, so nothing is queued for it now.
    VERIFY_OK(actions.markRead({four}));
    QCOMPARE(account.queue().size(), 2);

    // The session has INBOX selected already (the sync did it): no SELECT of its own.
    ScriptedServer server(test::modernLoginScenario() + selectScenario(3, "INBOX", 7) +
                          QStringLiteral(R"(
        C: A4 UID MOVE 4:5 Archive
        S: * OK [COPYUID 9 4:5 100:101] moved
        S: * 1 EXPUNGE
        S: * 1 EXPUNGE
        S: A4 OK done
        C: A5 SELECT Archive
        S: * 2 EXISTS
        S: * OK [UIDVALIDITY 9] UIDs valid
        S: A5 OK [READ-WRITE] selected
        C: A6 UID STORE 100 +FLAGS.SILENT (\\Seen)
        S: A6 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    QVERIFY(test::runToEnd(*run, new imap::SelectCommand("INBOX")));
    ActionReplayer replayer(&*account.store);
    Outcome outcome = replay(replayer, run->session.get(), account.inbox);
    VERIFY_FINISHED_OK(outcome);
    QCOMPARE(outcome.replayed.size(), 2);
    QCOMPARE(account.record(four).remote.uid, 100u);
    QCOMPARE(account.record(four).remote.uidValidity, kArchiveValidity);
    QCOMPARE(account.record(five).remote.uid, 101u);
    std::optional<MessageRecord> byUid;
    VERIFY_OK(account.store->recordByUid(account.archive, kArchiveValidity, 101, &byUid));
    QCOMPARE(byUid->id, five);
    // The flag change made while it waited is now queued for its new mailbox, and sent.
    const QList<PendingAction> queued = account.queue();
    QCOMPARE(queued.size(), 1);
    QCOMPARE(queued[0].kind, Kind::AddFlags);
    QCOMPARE(queued[0].folderId, account.archive);
    QCOMPARE(queued[0].uids, QList<quint32>{100});
    outcome = replay(replayer, run->session.get(), account.archive);
    VERIFY_FINISHED_OK(outcome);
    WHARF_TRY_VERIFY_SCENARIO(server);
    QVERIFY(account.queue().isEmpty());
}

void TestActionReplayer::moveFallsBackToCopyStoreExpunge()
{
    Account account;
    VERIFY_OK(account.open());
    const qint64 three = account.add(account.inbox, kInboxValidity, 3);
    MailActions actions(&*account.store);
    VERIFY_OK(actions.move({three}, account.archive));
    ScriptedServer server(test::loginScenario(QStringLiteral("IMAP4rev1 UIDPLUS")) +
                          selectScenario(2, "INBOX", 7) + QStringLiteral(R"(
        C: A3 UID COPY 3 Archive
        S: A3 OK [COPYUID 9 3 50] copied
        C: A4 UID STORE 3 +FLAGS.SILENT (\\Deleted)
        S: A4 OK done
        C: A5 UID EXPUNGE 3
        S: * 1 EXPUNGE
        S: A5 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    ActionReplayer replayer(&*account.store);
    const Outcome outcome = replay(replayer, run->session.get(), account.inbox);
    VERIFY_FINISHED_OK(outcome);
    WHARF_TRY_VERIFY_SCENARIO(server);
    QCOMPARE(account.record(three).remote.uid, 50u);
    QCOMPARE(account.record(three).folderId, account.archive);
    QVERIFY(account.queue().isEmpty());
}

void TestActionReplayer::appendGivesTheRowItsUid()
{
    Account account;
    VERIFY_OK(account.open());
    MailActions actions(&*account.store);
    const QByteArray raw = makeMessage("Sent one", kDate, "sent@example.org", "hello");
    qint64 id = 0;
    VERIFY_OK(actions.append(account.sent, raw, MessageFlag::Seen, &id));
    QList<MessageRecord> local;
    VERIFY_OK(account.store->localOnlyMessages(account.sent, &local));
    QCOMPARE(local.size(), 1);

    // An upload needs no selected mailbox.
    QString scenario = test::modernLoginScenario() +
                       QStringLiteral("C: A3 APPEND Sent (\\\\Seen) \"05-Mar-2026 14:07:09 +0000\" "
                                      "{%1+}\n")
                           .arg(raw.size());
    for (const QByteArray &line : raw.split('\n')) {
        if (!line.isEmpty())
            scenario += QStringLiteral("C: %1\n").arg(QString::fromUtf8(line.chopped(1)));
    }
    scenario += QStringLiteral("C:\nS: A3 OK [APPENDUID 3 42] appended\n");
    ScriptedServer server(scenario);
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    ActionReplayer replayer(&*account.store);
    const Outcome outcome = replay(replayer, run->session.get(), account.sent);
    VERIFY_FINISHED_OK(outcome);
    WHARF_TRY_VERIFY_SCENARIO(server);
    QCOMPARE(account.record(id).remote.uid, 42u);
    QCOMPARE(account.record(id).remote.uidValidity, kSentValidity);
    local.clear(); // the store appends to the list
    VERIFY_OK(account.store->localOnlyMessages(account.sent, &local));
    QVERIFY(local.isEmpty());
    QVERIFY(account.queue().isEmpty());
    QVERIFY(!run->session->selectedMailbox().isValid());
}

void TestActionReplayer::droppedConnectionKeepsTheRestOfTheQueue()
{
    Account account;
    VERIFY_OK(account.open());
    const qint64 one = account.add(account.inbox, kInboxValidity, 1);
    const qint64 two = account.add(account.inbox, kInboxValidity, 2);
    {
        MailActions actions(&*account.store);
        VERIFY_OK(actions.markRead({one}));
        VERIFY_OK(actions.markUnread({one})); // on the same uid: waits for the first
        VERIFY_OK(actions.move({two}, account.archive));
    }
    {
        ScriptedServer server(test::modernLoginScenario() + selectScenario(3, "INBOX", 7) +
                              QStringLiteral(R"(
            C: A4 UID STORE 1 +FLAGS.SILENT (\\Seen)
            S: A4 OK done
            C: A5 UID STORE 1 -FLAGS.SILENT (\\Seen)
            C: A6 UID MOVE 2 Archive
            X
        )"));
        QVERIFY2(server.listen(), qPrintable(server.failure()));
        auto run = openSession(server.port());
        QTRY_VERIFY(run->ready);
        ActionReplayer replayer(&*account.store);
        const Outcome outcome = replay(replayer, run->session.get(), account.inbox);
        QVERIFY(outcome.finished.has_value());
        QVERIFY(outcome.finished->isError());
        QCOMPARE(outcome.replayed.size(), 1);
        QVERIFY(outcome.refused.isEmpty());
        WHARF_TRY_VERIFY_SCENARIO(server);
    }
    // Closed and opened again (a restart): the rest is still there, in order, counted.
    account.store->~MailStore();
    new (&*account.store) MailStore;
    VERIFY_OK(account.store->open(account.dir.path()));
    QList<PendingAction> queued = account.queue();
    QCOMPARE(queued.size(), 2);
    QCOMPARE(queued[0].kind, Kind::RemoveFlags);
    QCOMPARE(queued[1].kind, Kind::Move);
    QCOMPARE(queued[0].attempts, 1);
    QCOMPARE(queued[1].attempts, 1);
    QVERIFY(!queued[1].lastError.isEmpty());

    ScriptedServer server(test::modernLoginScenario() + selectScenario(3, "INBOX", 7) +
                          QStringLiteral(R"(
        C: A4 UID STORE 1 -FLAGS.SILENT (\\Seen)
        C: A5 UID MOVE 2 Archive
        S: A4 OK done
        S: A5 OK [COPYUID 9 2 7] moved
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    ActionReplayer replayer(&*account.store);
    const Outcome outcome = replay(replayer, run->session.get(), account.inbox);
    VERIFY_FINISHED_OK(outcome);
    WHARF_TRY_VERIFY_SCENARIO(server);
    QCOMPARE(outcome.replayed.size(), 2);
    QVERIFY(account.queue().isEmpty());
    QCOMPARE(account.record(two).remote.uid, 7u);
}

void TestActionReplayer::refusalIsReportedAndCorrected()
{
    Account account;
    VERIFY_OK(account.open());
    const qint64 one = account.add(account.inbox, kInboxValidity, 1);
    const qint64 two = account.add(account.inbox, kInboxValidity, 2, MessageFlag::Flagged);
    MailActions actions(&*account.store);
    VERIFY_OK(actions.markRead({one}));
    VERIFY_OK(actions.move({two}, account.archive));
    ScriptedServer server(test::modernLoginScenario() + selectScenario(3, "INBOX", 7) +
                          QStringLiteral(R"(
        C: A4 UID STORE 1 +FLAGS.SILENT (\\Seen)
        C: A5 UID MOVE 2 Archive
        S: A4 NO [CANNOT] Read-only for you
        S: A5 NO [OVERQUOTA] Quota exceeded
        C: A6 UID FETCH 1 (UID FLAGS)
        S: * 1 FETCH (UID 1 FLAGS ($Important))
        S: A6 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    ActionReplayer replayer(&*account.store);
    const Outcome outcome = replay(replayer, run->session.get(), account.inbox);
    VERIFY_FINISHED_OK(outcome);
    WHARF_TRY_VERIFY_SCENARIO(server);
    QCOMPARE(outcome.refused.size(), 2);
    QCOMPARE(outcome.refused[0].first.kind, Kind::AddFlags);
    QVERIFY2(outcome.refused[0].second.message().contains(QStringLiteral("Read-only for you")),
             qPrintable(outcome.refused[0].second.message()));
    QCOMPARE(outcome.refused[1].first.kind, Kind::Move);
    QVERIFY(outcome.refused[1].second.message().contains(QStringLiteral("OVERQUOTA")));
    QVERIFY(account.queue().isEmpty());
    // What the server has: unread, with its keyword; the message back in INBOX as uid 2.
    const MessageRecord first = account.record(one);
    QCOMPARE(first.flags, MessageFlags());
    QCOMPARE(first.extraFlags, QStringLiteral("$Important"));
    const MessageRecord second = account.record(two);
    QCOMPARE(second.folderId, account.inbox);
    QCOMPARE(second.remote.uid, 2u);
    QCOMPARE(second.remote.uidValidity, kInboxValidity);
    QCOMPARE(second.flags, MessageFlags(MessageFlag::Flagged));
}

void TestActionReplayer::refusedExpungeBringsTheMessagesBack()
{
    Account account;
    VERIFY_OK(account.open());
    const qint64 gone = account.add(account.trash, kTrashValidity, 8);
    MailActions actions(&*account.store);
    VERIFY_OK(actions.moveToTrash({gone})); // already in Trash: for good
    std::optional<MessageRecord> record;
    VERIFY_OK(account.store->message(gone, &record));
    QVERIFY(!record);
    ScriptedServer server(test::modernLoginScenario() + selectScenario(3, "Trash", 11) +
                          QStringLiteral(R"(
        C: A4 UID STORE 8 +FLAGS.SILENT (\\Deleted)
        S: A4 OK done
        C: A5 UID EXPUNGE 8
        S: A5 NO [EXPUNGEISSUED] Not now
        C: A6 UID FETCH 8 (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODY.PEEK[HEADER.FIELDS (REFERENCES)])
        S: * 1 FETCH (UID 8 FLAGS (\\Deleted) INTERNALDATE "05-Mar-2026 14:07:09 +0000" RFC822.SIZE 120 ENVELOPE ("Thu, 05 Mar 2026 14:07:09 +0000" "Back again" NIL NIL NIL NIL NIL NIL NIL "<m8@example.org>") BODY[HEADER.FIELDS (REFERENCES)] {2}
        S:
        S: )
        S: A6 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    ActionReplayer replayer(&*account.store);
    const Outcome outcome = replay(replayer, run->session.get(), account.trash);
    VERIFY_FINISHED_OK(outcome);
    WHARF_TRY_VERIFY_SCENARIO(server);
    QCOMPARE(outcome.replayed.size(), 1);
    QCOMPARE(outcome.refused.size(), 1);
    QCOMPARE(outcome.refused[0].first.kind, Kind::Expunge);
    VERIFY_OK(account.store->recordByUid(account.trash, kTrashValidity, 8, &record));
    QVERIFY(record.has_value());
    QCOMPARE(record->subject, QStringLiteral("Back again"));
    QVERIFY(record->flags.testFlag(MessageFlag::Deleted));
    QVERIFY(!record->hasLocalCopy());
    QVERIFY(account.queue().isEmpty());
}

void TestActionReplayer::missingTargetIsCreatedAndTriedAgain()
{
    Account account;
    VERIFY_OK(account.open());
    const qint64 four = account.add(account.inbox, kInboxValidity, 4);
    MailActions actions(&*account.store);
    VERIFY_OK(actions.move({four}, account.archive));
    ScriptedServer server(test::modernLoginScenario() + selectScenario(3, "INBOX", 7) +
                          QStringLiteral(R"(
        C: A4 UID MOVE 4 Archive
        S: A4 NO [TRYCREATE] Mailbox doesn't exist: Archive
        C: A5 CREATE Archive
        S: A5 OK created
        C: A6 UID MOVE 4 Archive
        S: * OK [COPYUID 1 4 1] moved
        S: * 1 EXPUNGE
        S: A6 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    ActionReplayer replayer(&*account.store);
    const Outcome outcome = replay(replayer, run->session.get(), account.inbox);
    VERIFY_FINISHED_OK(outcome);
    WHARF_TRY_VERIFY_SCENARIO(server);
    QVERIFY(outcome.refused.isEmpty());
    QCOMPARE(account.record(four).remote.uid, 1u);
    QCOMPARE(account.record(four).remote.uidValidity, 1u);
    QVERIFY(account.queue().isEmpty());
}

void TestActionReplayer::otherUidValidityDropsTheAction()
{
    Account account;
    VERIFY_OK(account.open());
    const qint64 one = account.add(account.inbox, kInboxValidity, 1);
    MailActions actions(&*account.store);
    VERIFY_OK(actions.markRead({one}));
    ScriptedServer server(test::modernLoginScenario() + selectScenario(3, "INBOX", 8) +
                          QStringLiteral(R"(
        C: A4 LOGOUT
        S: * BYE bye
        S: A4 OK done
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    ActionReplayer replayer(&*account.store);
    const Outcome outcome = replay(replayer, run->session.get(), account.inbox);
    VERIFY_FINISHED_OK(outcome);
    QVERIFY(outcome.replayed.isEmpty());
    QCOMPARE(outcome.refused.size(), 1);
    QVERIFY2(outcome.refused[0].second.message().contains(QStringLiteral("UIDVALIDITY 8")),
             qPrintable(outcome.refused[0].second.message()));
    QVERIFY(account.queue().isEmpty());
    // The row stays as it is, for the sync to learn the folder again.
    QVERIFY(account.record(one).flags.testFlag(MessageFlag::Seen));
    run->session->logout();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestActionReplayer::deleteGoesToTrashThenForGood()
{
    Account account;
    VERIFY_OK(account.open());
    const qint64 one = account.add(account.inbox, kInboxValidity, 1, MessageFlag::Seen);
    MailActions actions(&*account.store);
    VERIFY_OK(actions.moveToTrash({one}));
    QCOMPARE(account.record(one).folderId, account.trash);
    ScriptedServer server(test::modernLoginScenario() + selectScenario(3, "INBOX", 7) +
                          QStringLiteral(R"(
        C: A4 UID MOVE 1 Trash
        S: * OK [COPYUID 11 1 30] moved
        S: * 1 EXPUNGE
        S: A4 OK done
        C: A5 SELECT Trash
        S: * 1 EXISTS
        S: * OK [UIDVALIDITY 11] UIDs valid
        S: A5 OK [READ-WRITE] selected
        C: A6 UID STORE 30 +FLAGS.SILENT (\\Deleted)
        S: A6 OK done
        C: A7 UID EXPUNGE 30
        S: * 1 EXPUNGE
        S: A7 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    ActionReplayer replayer(&*account.store);
    Outcome outcome = replay(replayer, run->session.get(), account.inbox);
    VERIFY_FINISHED_OK(outcome);
    QCOMPARE(account.record(one).remote.uid, 30u);
    // In Trash now, with its uid there: deleting it again removes it for good.
    VERIFY_OK(actions.moveToTrash({one}));
    std::optional<MessageRecord> record;
    VERIFY_OK(account.store->message(one, &record));
    QVERIFY(!record);
    outcome = replay(replayer, run->session.get(), account.trash);
    VERIFY_FINISHED_OK(outcome);
    QCOMPARE(outcome.replayed.size(), 2);
    WHARF_TRY_VERIFY_SCENARIO(server);
    QVERIFY(account.queue().isEmpty());
}

QTEST_GUILESS_MAIN(TestActionReplayer)
#include "tst_action_replayer.moc"
