// Each IMAP command's wire form and its reading of the answer, against scripted servers.

#include "ImapSessionTestSupport.h"
#include "protocols/imap/commands/AppendCommand.h"
#include "protocols/imap/commands/CopyMoveCommands.h"
#include "protocols/imap/commands/ExpungeCommand.h"
#include "protocols/imap/commands/FetchCommand.h"
#include "protocols/imap/commands/ListCommand.h"
#include "protocols/imap/commands/MailboxCommand.h"
#include "protocols/imap/commands/MoveOperation.h"
#include "protocols/imap/commands/SearchCommand.h"
#include "protocols/imap/commands/SelectCommand.h"
#include "protocols/imap/commands/SessionCommands.h"
#include "protocols/imap/commands/StoreFlagsCommand.h"

#include <QSignalSpy>

using namespace wharf;
using namespace wharf::imap;
using wharf::test::openSession;
using wharf::test::runToEnd;
using wharf::test::ScriptedServer;

class TestImapCommands : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void appendWithLiteralPlus();
    void appendWaitsForContinuation();
    void appendToMissingMailboxReportsTryCreate();
    void moveUsesMoveWhenOffered();
    void moveFallsBackToCopyStoreUidExpunge();
    void moveFallsBackToPlainExpungeWithoutUidPlus();
    void failedCopyDeletesNothing();
    void listReadsSpecialUseStatusAndModifiedUtf7();
    void statusReadsCounts();
    void searchWithEsearchReturnsRanges();
    void searchWithoutEsearch();
    void storeReportsModifiedMessages();
    void selectWithQresyncReportsChanges();
    void fetchChangedSinceWithVanished();
    void bigLiteralArrivesInChunks();
    void malformedFetchItemFailsAfterTheGoodOnes();
    void mailboxCommands();
    void idAndNamespace();
    void noWithResponseCodeIsReported();
};

namespace {

QString liteServer(const QString &capabilities)
{
    return test::loginScenario(capabilities);
}

} // namespace

void TestImapCommands::appendWithLiteralPlus()
{
    ScriptedServer server(test::modernLoginScenario() + QStringLiteral(R"(
        C: A3 APPEND Sent (\\Seen $Forwarded) "05-Mar-2026 14:07:09 +0000" {12+}
        C: Subject: x
        C:
        S: A3 OK [APPENDUID 38505 3955] done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    auto *append = new AppendCommand("Sent", "Subject: x\r\n",
                                     {"\\Seen", "$Forwarded", "\\Recent", "bad flag"},
                                     QDateTime(QDate(2026, 3, 5), QTime(14, 7, 9), Qt::UTC));
    QVERIFY(runToEnd(*run, append));
    QVERIFY2(!append->error(), qPrintable(append->error().message()));
    QVERIFY(append->appendUid().has_value());
    QCOMPARE(append->appendUid()->uidValidity, 38505u);
    QCOMPARE(append->appendUid()->destinationUids, QList<quint32>{3955});
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestImapCommands::appendWaitsForContinuation()
{
    ScriptedServer server(liteServer(QStringLiteral("IMAP4rev1")) + QStringLiteral(R"(
        C: A2 APPEND Drafts {12}
        S: + Ready for literal data
        C: Subject: y
        C:
        S: A2 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    auto *append = new AppendCommand("Drafts", "Subject: y\r\n");
    QVERIFY(runToEnd(*run, append));
    QVERIFY(!append->error());
    QVERIFY(!append->appendUid());
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestImapCommands::appendToMissingMailboxReportsTryCreate()
{
    // The server refuses before the literal: nothing of the message may follow.
    ScriptedServer server(liteServer(QStringLiteral("IMAP4rev1")) + QStringLiteral(R"(
        C: A2 APPEND Archive {3}
        S: A2 NO [TRYCREATE] Mailbox doesn't exist: Archive
        C: A3 NOOP
        S: A3 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    auto *append = new AppendCommand("Archive", "abc");
    QVERIFY(runToEnd(*run, append));
    QVERIFY(append->error());
    QVERIFY(append->targetMissing());
    QVERIFY2(append->error().message().contains(QStringLiteral("TRYCREATE")),
             qPrintable(append->error().message()));
    QVERIFY(runToEnd(*run, new NoopCommand));
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestImapCommands::moveUsesMoveWhenOffered()
{
    ScriptedServer server(test::modernLoginScenario() + QStringLiteral(R"(
        C: A3 UID MOVE 4:5,9 Trash
        S: * OK [COPYUID 7 4:5,9 100:102] moved
        S: * 2 EXPUNGE
        S: * 2 EXPUNGE
        S: * 5 EXPUNGE
        S: A3 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    MoveOperation move(run->session.get(), SequenceSet::fromList({9, 4, 5}), "Trash");
    QCOMPARE(move.method(), MoveOperation::Method::Move);
    QSignalSpy finished(&move, &MoveOperation::finished);
    move.start();
    QTRY_COMPARE(finished.size(), 1);
    QVERIFY(!move.error());
    QVERIFY(move.copyUid().has_value());
    QCOMPARE(move.copyUid()->sourceUids, (QList<quint32>{4, 5, 9}));
    QCOMPARE(move.copyUid()->destinationUids, (QList<quint32>{100, 101, 102}));
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestImapCommands::moveFallsBackToCopyStoreUidExpunge()
{
    ScriptedServer server(liteServer(QStringLiteral("IMAP4rev1 UIDPLUS")) + QStringLiteral(R"(
        C: A2 UID COPY 3 Archive
        S: A2 OK [COPYUID 1 3 50] done
        C: A3 UID STORE 3 +FLAGS.SILENT (\\Deleted)
        S: A3 OK done
        C: A4 UID EXPUNGE 3
        S: * 1 EXPUNGE
        S: A4 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    MoveOperation move(run->session.get(), SequenceSet::fromList({3}), "Archive");
    QCOMPARE(move.method(), MoveOperation::Method::CopyAndUidExpunge);
    QSignalSpy finished(&move, &MoveOperation::finished);
    move.start();
    QTRY_COMPARE(finished.size(), 1);
    QVERIFY2(!move.error(), qPrintable(move.error().message()));
    QCOMPARE(move.copyUid()->destinationUids, QList<quint32>{50});
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestImapCommands::moveFallsBackToPlainExpungeWithoutUidPlus()
{
    ScriptedServer server(liteServer(QStringLiteral("IMAP4rev1")) + QStringLiteral(R"(
        C: A2 UID COPY 3 Archive
        S: A2 OK done
        C: A3 UID STORE 3 +FLAGS.SILENT (\\Deleted)
        S: A3 OK done
        C: A4 EXPUNGE
        S: * 1 EXPUNGE
        S: A4 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    MoveOperation move(run->session.get(), SequenceSet::fromList({3}), "Archive");
    QCOMPARE(move.method(), MoveOperation::Method::CopyAndExpunge);
    QSignalSpy finished(&move, &MoveOperation::finished);
    move.start();
    QTRY_COMPARE(finished.size(), 1);
    QVERIFY(!move.error());
    QVERIFY(!move.copyUid());
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestImapCommands::failedCopyDeletesNothing()
{
    ScriptedServer server(liteServer(QStringLiteral("IMAP4rev1 UIDPLUS")) + QStringLiteral(R"(
        C: A2 UID COPY 3 Archive
        S: A2 NO [OVERQUOTA] Quota exceeded
        C: A3 NOOP
        S: A3 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    MoveOperation move(run->session.get(), SequenceSet::fromList({3}), "Archive");
    QSignalSpy finished(&move, &MoveOperation::finished);
    move.start();
    QTRY_COMPARE(finished.size(), 1);
    QVERIFY(move.error());
    QVERIFY2(move.error().message().contains(QStringLiteral("OVERQUOTA")),
             qPrintable(move.error().message()));
    QVERIFY(runToEnd(*run, new NoopCommand));
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestImapCommands::listReadsSpecialUseStatusAndModifiedUtf7()
{
    ScriptedServer server(test::modernLoginScenario() + QStringLiteral(R"(
        C: A3 LIST "" "*" RETURN (SPECIAL-USE STATUS (MESSAGES UNSEEN))
        S: * LIST (\\HasNoChildren) "/" INBOX
        S: * STATUS INBOX (MESSAGES 12 UNSEEN 3)
        S: * LIST (\\HasNoChildren \\Sent) "/" Sent
        S: * STATUS Sent (MESSAGES 4 UNSEEN 0)
        S: * LIST (\\HasNoChildren \\Drafts) "/" "Entw&APw-rfe"
        S: * LIST (\\Noselect \\HasChildren) "/" Projects
        S: A3 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    auto *list = new ListCommand("*");
    list->setStatusItems("MESSAGES UNSEEN");
    QVERIFY(runToEnd(*run, list));
    QVERIFY2(!list->error(), qPrintable(list->error().message()));
    QCOMPARE(list->entries().size(), 4);
    QCOMPARE(list->entries().at(1).specialUse(), QByteArray("\\Sent"));
    QCOMPARE(list->entries().at(2).name, QStringLiteral("Entwürfe"));
    QCOMPARE(list->entries().at(2).wireName, QByteArray("Entw&APw-rfe"));
    QCOMPARE(list->entries().at(2).specialUse(), QByteArray("\\Drafts"));
    QVERIFY(!list->entries().at(3).isSelectable());
    QCOMPARE(list->statuses().size(), 2);
    QCOMPARE(list->statuses().at(0).messages.value_or(0), 12u);
    QCOMPARE(list->statuses().at(0).unseen.value_or(0), 3u);
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestImapCommands::statusReadsCounts()
{
    ScriptedServer server(liteServer(QStringLiteral("IMAP4rev1")) + QStringLiteral(R"(
        C: A2 STATUS "My Folder" (MESSAGES UIDNEXT UIDVALIDITY)
        S: * STATUS "My Folder" (MESSAGES 231 UIDNEXT 44292 UIDVALIDITY 7)
        S: A2 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    auto *status = new StatusCommand("My Folder", "MESSAGES UIDNEXT UIDVALIDITY");
    QVERIFY(runToEnd(*run, status));
    QCOMPARE(status->status().messages.value_or(0), 231u);
    QCOMPARE(status->status().uidNext.value_or(0), 44292u);
    QCOMPARE(status->status().uidValidity.value_or(0), 7u);
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestImapCommands::searchWithEsearchReturnsRanges()
{
    ScriptedServer server(liteServer(QStringLiteral("IMAP4rev1 ESEARCH")) + QStringLiteral(R"(
        C: A2 UID SEARCH RETURN (ALL) UNSEEN
        S: * ESEARCH (TAG "A2") UID ALL 4:19,21,30000:30002
        S: A2 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    auto *search = new SearchCommand("UNSEEN");
    QVERIFY(runToEnd(*run, search));
    QCOMPARE(search->uids().toByteArray(), QByteArray("4:19,21,30000:30002"));
    QCOMPARE(search->uids().count(), 20u);
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestImapCommands::searchWithoutEsearch()
{
    ScriptedServer server(liteServer(QStringLiteral("IMAP4rev1")) + QStringLiteral(R"(
        C: A2 UID SEARCH MODSEQ 600
        S: * SEARCH 2 84 882 (MODSEQ 917162500)
        S: A2 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    auto *search = new SearchCommand("MODSEQ 600");
    QVERIFY(runToEnd(*run, search));
    QCOMPARE(search->uids().toList(), (QList<quint32>{2, 84, 882}));
    QCOMPARE(search->highestModSeq().value_or(0), 917162500u);
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestImapCommands::storeReportsModifiedMessages()
{
    ScriptedServer server(test::modernLoginScenario() + QStringLiteral(R"(
        C: A3 UID STORE 1:10 (UNCHANGEDSINCE 320162338) +FLAGS.SILENT (\\Seen)
        S: * 3 FETCH (UID 3 MODSEQ (320162350))
        S: A3 OK [MODIFIED 7,9] Conditional STORE failed
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    auto *store =
        new StoreFlagsCommand(SequenceSet::range(1, 10), StoreFlagsCommand::Mode::Add, {"\\Seen"});
    store->setUnchangedSince(320162338);
    QList<quint64> modSeqs;
    connect(store, &StoreFlagsCommand::flagsChanged,
            [&](const FetchData &data) { modSeqs.append(data.modSeq.value_or(0)); });
    QVERIFY(runToEnd(*run, store));
    QVERIFY(!store->error());
    QCOMPARE(store->modified().toList(), (QList<quint32>{7, 9}));
    QCOMPARE(modSeqs, QList<quint64>{320162350});
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestImapCommands::selectWithQresyncReportsChanges()
{
    ScriptedServer server(test::modernLoginScenario() + QStringLiteral(R"(
        C: A3 SELECT INBOX (QRESYNC (67890007 20050715194045000 41:211,214:541))
        S: * 314 EXISTS
        S: * OK [UIDVALIDITY 67890007] UIDs valid
        S: * OK [UIDNEXT 567] Predicted next UID
        S: * OK [HIGHESTMODSEQ 20060115205545000] Highest
        S: * OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited
        S: * FLAGS (\\Answered \\Flagged \\Draft \\Deleted \\Seen)
        S: * VANISHED (EARLIER) 41,43:116,118,120:211,214:540
        S: * 49 FETCH (UID 117 FLAGS (\\Seen \\Answered) MODSEQ (90060115194045001))
        S: A3 OK [READ-WRITE] mailbox selected
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    auto *select = new SelectCommand("INBOX");
    select->setQresync({67890007, 20050715194045000ull, *SequenceSet::parse("41:211,214:541")});
    QList<VanishedData> vanished;
    QList<FetchData> changed;
    connect(select, &SelectCommand::vanished,
            [&](const VanishedData &data) { vanished.append(data); });
    connect(select, &SelectCommand::messageChanged,
            [&](const FetchData &data) { changed.append(data); });
    QVERIFY(runToEnd(*run, select));
    QVERIFY2(!select->error(), qPrintable(select->error().message()));
    const SelectedMailbox &mailbox = run->session->selectedMailbox();
    QCOMPARE(mailbox.wireName, QByteArray("INBOX"));
    QCOMPARE(mailbox.exists, 314u);
    QCOMPARE(mailbox.uidValidity, 67890007u);
    QCOMPARE(mailbox.uidNext, 567u);
    QCOMPARE(mailbox.highestModSeq, 20060115205545000ull);
    QVERIFY(mailbox.permanentFlags.contains("\\*"));
    QCOMPARE(vanished.size(), 1);
    QVERIFY(vanished.first().earlier);
    QVERIFY(vanished.first().uids.contains(540));
    QVERIFY(!vanished.first().uids.contains(117));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(*changed.first().uid, 117u);
    QVERIFY(run->vanished.isEmpty());
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestImapCommands::fetchChangedSinceWithVanished()
{
    ScriptedServer server(test::modernLoginScenario() + QStringLiteral(R"(
        C: A3 UID FETCH 1:500 (UID FLAGS) (CHANGEDSINCE 12345 VANISHED)
        S: * VANISHED (EARLIER) 300:310,405,411
        S: * 1 FETCH (UID 4 MODSEQ (65402) FLAGS (\\Seen))
        S: A3 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    auto *fetch = new FetchCommand(SequenceSet::range(1, 500), "(UID FLAGS)");
    fetch->setChangedSince(12345, true);
    QList<VanishedData> vanished;
    connect(fetch, &FetchCommand::vanished,
            [&](const VanishedData &data) { vanished.append(data); });
    QVERIFY(runToEnd(*run, fetch));
    QCOMPARE(fetch->fetchedCount(), 1u);
    QCOMPARE(vanished.size(), 1);
    QCOMPARE(vanished.first().uids.count(), 13u);
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestImapCommands::bigLiteralArrivesInChunks()
{
    // 3 MiB body: above the parser's inline limit, so it must stream as chunks.
    const int size = 3 * 1024 * 1024;
    ScriptedServer server(test::modernLoginScenario() + QStringLiteral(R"(
        C: A3 UID FETCH 8 (UID BODY.PEEK[])
        S-: * 1 FETCH (UID 8 BODY[] {%1}\r\n
        S* %1 q
        S: )
        S: A3 OK done
    )")
                                                            .arg(size));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    auto *fetch = new FetchCommand(SequenceSet::fromList({8}), "(UID BODY.PEEK[])");
    fetch->setMaxLiteralSize(16 * 1024 * 1024);
    qint64 received = 0;
    qint64 largestChunk = 0;
    bool allQ = true;
    connect(fetch, &FetchCommand::chunkReceived, [&](const LiteralChunk &chunk) {
        QCOMPARE(chunk.offset, received);
        received += chunk.data.size();
        largestChunk = std::max<qint64>(largestChunk, chunk.data.size());
        allQ = allQ && chunk.data.count('q') == chunk.data.size();
        QCOMPARE(chunk.literalSize, qint64(size));
    });
    QList<FetchData> fetched;
    connect(fetch, &FetchCommand::messageFetched,
            [&](const FetchData &data) { fetched.append(data); });
    QVERIFY(runToEnd(*run, fetch, 20000));
    QVERIFY2(!fetch->error(), qPrintable(fetch->error().message()));
    QCOMPARE(received, qint64(size));
    QVERIFY(allQ);
    QVERIFY(largestChunk < size);
    QCOMPARE(fetched.size(), 1);
    QCOMPARE(fetched.first().sections.value(0).content.kind, Value::Kind::StreamedLiteral);
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestImapCommands::malformedFetchItemFailsAfterTheGoodOnes()
{
    ScriptedServer server(test::modernLoginScenario() + QStringLiteral(R"(
        C: A3 UID FETCH 1:3 (UID RFC822.SIZE)
        S: * 1 FETCH (UID 1 RFC822.SIZE 10)
        S: * 2 FETCH (UID 2 RFC822.SIZE)
        S: * 3 FETCH (UID 3 RFC822.SIZE 30)
        S: A3 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    auto *fetch = new FetchCommand(SequenceSet::range(1, 3), "(UID RFC822.SIZE)");
    QList<quint64> sizes;
    connect(fetch, &FetchCommand::messageFetched,
            [&](const FetchData &data) { sizes.append(data.size.value_or(0)); });
    QVERIFY(runToEnd(*run, fetch));
    QCOMPARE(sizes, (QList<quint64>{10, 30}));
    QCOMPARE(fetch->error().kind(), ErrorKind::ProtocolError);
    QVERIFY2(fetch->error().message().contains(QStringLiteral("message 2")),
             qPrintable(fetch->error().message()));
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestImapCommands::mailboxCommands()
{
    ScriptedServer server(liteServer(QStringLiteral("IMAP4rev1 CREATE-SPECIAL-USE")) +
                          QStringLiteral(R"(
        C: A2 CREATE Archive (USE (\\Archive))
        S: A2 OK done
        C: A3 RENAME Archive "Old Archive"
        S: A3 OK done
        C: A4 SUBSCRIBE "Old Archive"
        S: A4 OK done
        C: A5 CREATE Archive
        S: A5 NO [ALREADYEXISTS] Mailbox already exists
        C: A6 DELETE "Bad\\"Name"
        S: A6 OK done
        C: A7 UNSUBSCRIBE "Old Archive"
        S: A7 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    auto *create = new MailboxCommand(MailboxCommand::Action::Create, "Archive");
    create->setSpecialUse("\\Archive");
    QVERIFY(runToEnd(*run, create));
    QVERIFY(!create->error());
    auto *rename = new MailboxCommand(MailboxCommand::Action::Rename, "Archive");
    rename->setNewWireName("Old Archive");
    QVERIFY(runToEnd(*run, rename));
    QVERIFY(runToEnd(*run, new MailboxCommand(MailboxCommand::Action::Subscribe, "Old Archive")));
    auto *again = new MailboxCommand(MailboxCommand::Action::Create, "Archive");
    QVERIFY(runToEnd(*run, again));
    QVERIFY(again->alreadyExists());
    // A quote inside a name is escaped, never left to end the string early.
    auto *remove = new MailboxCommand(MailboxCommand::Action::Delete, "Bad\"Name");
    QVERIFY(runToEnd(*run, remove));
    QVERIFY(!remove->error());
    QVERIFY(runToEnd(*run, new MailboxCommand(MailboxCommand::Action::Unsubscribe, "Old Archive")));
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestImapCommands::idAndNamespace()
{
    ScriptedServer server(test::modernLoginScenario() + QStringLiteral(R"(
        C: A3 ID ("name" "Wharf" "version" "1.0")
        S: * ID ("name" "Dovecot")
        S: A3 OK done
        C: A4 NAMESPACE
        S: * NAMESPACE (("INBOX." ".")) NIL NIL
        S: A4 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    auto *id = new IdCommand({{"name", "Wharf"}, {"version", "1.0"}});
    QVERIFY(runToEnd(*run, id));
    QCOMPARE(id->serverId().size(), 1);
    QCOMPARE(id->serverId().first().second, QByteArray("Dovecot"));
    auto *ns = new NamespaceCommand;
    QVERIFY(runToEnd(*run, ns));
    QCOMPARE(ns->personalPrefix(), QByteArray("INBOX."));
    QCOMPARE(ns->delimiter(), QChar(u'.'));
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestImapCommands::noWithResponseCodeIsReported()
{
    ScriptedServer server(liteServer(QStringLiteral("IMAP4rev1")) + QStringLiteral(R"(
        C: A2 SELECT Nowhere
        S: A2 NO [NONEXISTENT] Unknown Mailbox: Nowhere
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    auto *select = new SelectCommand("Nowhere");
    QVERIFY(runToEnd(*run, select));
    QVERIFY(select->error());
    QCOMPARE(select->completion().code.name, QByteArray("NONEXISTENT"));
    QVERIFY2(select->error().message().contains(QStringLiteral("Unknown Mailbox")),
             qPrintable(select->error().message()));
    QVERIFY(!run->session->selectedMailbox().isValid());
    WHARF_TRY_VERIFY_SCENARIO(server);
}

QTEST_GUILESS_MAIN(TestImapCommands)
#include "tst_imap_commands.moc"
