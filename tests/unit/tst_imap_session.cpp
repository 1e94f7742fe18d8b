// The IMAP session against scripted servers: login variants, ENABLE, pipelining, where
// untagged data goes, and every way a session can end.

#include "ImapSessionTestSupport.h"
#include "protocols/imap/commands/FetchCommand.h"
#include "protocols/imap/commands/IdleCommand.h"
#include "protocols/imap/commands/SelectCommand.h"
#include "protocols/imap/commands/SessionCommands.h"

#include <QSignalSpy>

using namespace wharf;
using namespace wharf::imap;
using wharf::test::openSession;
using wharf::test::runToEnd;
using wharf::test::ScriptedServer;

class TestImapSession : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void authenticatePlainWithInitialResponse();
    void authenticatePlainAfterContinuation();
    void loginWithLiteralPassword();
    void loginDisabledIsRefusedWithoutSendingThePassword();
    void rejectedLoginIsAnAuthenticationError();
    void capabilitiesAreAskedAgainAfterLogin();
    void preauthSkipsLogin();
    void enableRefusedLeavesSessionUsable();
    void pipelinesFetchesAndRoutesUntaggedData();
    void unsolicitedExpungeDuringFetchReachesTheSession();
    void selectWaitsForRunningCommands();
    void byeMidCommandFailsEverythingWithItsText();
    void malformedResponseEndsTheSession();
    void alertReachesTheUser();
    void idleEndsItselfWhenAnotherCommandIsQueued();
    void logoutClosesCleanly();
};

void TestImapSession::authenticatePlainWithInitialResponse()
{
    ScriptedServer server(test::loginScenario(QStringLiteral("IMAP4rev1")) + QStringLiteral(R"(
        C: A2 NOOP
        S: A2 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    auto *noop = new NoopCommand;
    QVERIFY(runToEnd(*run, noop));
    QVERIFY2(!noop->error(), qPrintable(noop->error().message()));
    QCOMPARE(run->session->capabilities(), QByteArrayList{"IMAP4REV1"});
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestImapSession::authenticatePlainAfterContinuation()
{
    ScriptedServer server(QStringLiteral(R"(
        S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready
        C: A1 AUTHENTICATE PLAIN
        S: +
        C: AHVzZXIAc2VjcmV0
        S: A1 OK Logged in
        C: A2 CAPABILITY
        S: * CAPABILITY IMAP4rev1 IDLE
        S: A2 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    QVERIFY(run->session->hasCapability("idle"));
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestImapSession::loginWithLiteralPassword()
{
    // A quote can be quoted; a CR cannot, so the password goes as a literal.
    ScriptedServer server(QStringLiteral(R"(
        S: * OK [CAPABILITY IMAP4rev1] ready
        C: A1 LOGIN "us\\"er" {3}
        S: + go ahead
        C: p\rw
        S: A1 OK [CAPABILITY IMAP4rev1] Logged in
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    ImapSessionSettings settings;
    settings.user = QStringLiteral("us\"er");
    settings.password = QStringLiteral("p\rw");
    auto run = openSession(server.port(), settings);
    QTRY_VERIFY(run->ready);
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestImapSession::loginDisabledIsRefusedWithoutSendingThePassword()
{
    ScriptedServer server(QStringLiteral(R"(
        S: * OK [CAPABILITY IMAP4rev1 LOGINDISABLED] ready
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_COMPARE(run->errors.size(), 1);
    QCOMPARE(run->errors.first().kind(), ErrorKind::AuthenticationFailed);
    QVERIFY2(run->errors.first().message().contains(QStringLiteral("LOGINDISABLED")),
             qPrintable(run->errors.first().message()));
    QVERIFY(!run->ready);
    WHARF_TRY_VERIFY_SCENARIO(server);
    QVERIFY(server.receivedLines().isEmpty());
}

void TestImapSession::rejectedLoginIsAnAuthenticationError()
{
    ScriptedServer server(test::loginScenario(QStringLiteral("x"))
                              .replace(QStringLiteral("S: A1 OK [CAPABILITY x] Logged in"),
                                       QStringLiteral("S: A1 NO [AUTHENTICATIONFAILED] Nope")) +
                          QStringLiteral("EXPECT-CLOSE\n"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_COMPARE(run->errors.size(), 1);
    QCOMPARE(run->errors.first().kind(), ErrorKind::AuthenticationFailed);
    QVERIFY2(run->errors.first().message().contains(QStringLiteral("AUTHENTICATIONFAILED")),
             qPrintable(run->errors.first().message()));
    QTRY_VERIFY(run->closed);
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestImapSession::capabilitiesAreAskedAgainAfterLogin()
{
    // The greeting's list is pre-login; the one that counts comes after (RFC 3501 6.2.2).
    ScriptedServer server(QStringLiteral(R"(
        S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready
        C: A1 AUTHENTICATE PLAIN AHVzZXIAc2VjcmV0
        S: A1 OK Logged in
        C: A2 CAPABILITY
        S: * CAPABILITY IMAP4rev1 ENABLE UTF8=ACCEPT MOVE
        S: A2 OK done
        C: A3 ENABLE UTF8=ACCEPT
        S: * ENABLED UTF8=ACCEPT
        S: A3 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    QVERIFY(run->session->hasCapability("MOVE"));
    QVERIFY(!run->session->hasCapability("SASL-IR"));
    QVERIFY(run->session->utf8Enabled());
    QCOMPARE(run->session->mailboxWireName(QStringLiteral("Entwürfe")),
             QByteArray("Entw\xc3\xbcrfe"));
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestImapSession::preauthSkipsLogin()
{
    ScriptedServer server(QStringLiteral(R"(
        S: * PREAUTH [CAPABILITY IMAP4rev1] welcome back
        C: A1 NOOP
        S: A1 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    QVERIFY(runToEnd(*run, new NoopCommand));
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestImapSession::enableRefusedLeavesSessionUsable()
{
    ScriptedServer server(test::loginScenario(QStringLiteral("IMAP4rev1 ENABLE CONDSTORE")) +
                          QStringLiteral(R"(
        C: A2 ENABLE CONDSTORE
        S: A2 BAD not today
        C: A3 NOOP
        S: A3 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    QVERIFY(!run->session->isEnabled("CONDSTORE"));
    QVERIFY(runToEnd(*run, new NoopCommand));
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestImapSession::pipelinesFetchesAndRoutesUntaggedData()
{
    // Both fetches go out before either completes; each gets the answers for its UIDs.
    ScriptedServer server(test::modernLoginScenario() + QStringLiteral(R"(
        C: A3 UID FETCH 1:2 (UID FLAGS)
        C: A4 UID FETCH 7 (UID FLAGS)
        S: * 3 FETCH (UID 7 FLAGS (\\Flagged))
        S: * 1 FETCH (UID 1 FLAGS (\\Seen))
        S: * 2 FETCH (FLAGS () UID 2)
        S: A3 OK done
        S: A4 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    auto *first = new FetchCommand(SequenceSet::range(1, 2), "(UID FLAGS)");
    auto *second = new FetchCommand(SequenceSet::fromList({7}), "(UID FLAGS)");
    QList<quint32> firstUids, secondUids;
    connect(first, &FetchCommand::messageFetched,
            [&](const FetchData &data) { firstUids.append(*data.uid); });
    connect(second, &FetchCommand::messageFetched, [&](const FetchData &data) {
        secondUids.append(*data.uid);
        QCOMPARE(*data.flags, QByteArrayList{"\\Flagged"});
    });
    first->setAutoDelete(false);
    second->setAutoDelete(false);
    run->session->enqueue(first);
    run->session->enqueue(second);
    QTRY_VERIFY(first->isFinished() && second->isFinished());
    QVERIFY(!first->error() && !second->error());
    QCOMPARE(firstUids, (QList<quint32>{1, 2}));
    QCOMPARE(secondUids, QList<quint32>{7});
    QVERIFY(run->changed.isEmpty());
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestImapSession::unsolicitedExpungeDuringFetchReachesTheSession()
{
    ScriptedServer server(test::modernLoginScenario() + QStringLiteral(R"(
        C: A3 SELECT INBOX (CONDSTORE)
        S: * 4 EXISTS
        S: * OK [UIDVALIDITY 9] ok
        S: A3 OK [READ-WRITE] selected
        C: A4 UID FETCH 1:4 (UID BODY.PEEK[])
        S: * 1 FETCH (UID 1 BODY[] {5}
        S-: ab
        S-: c
        S: de)
        S: * 3 EXPUNGE
        S: * 2 FETCH (UID 9 FLAGS (\\Seen))
        S: * 2 FETCH (UID 2 BODY[] "x")
        S: A4 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    auto *select = new SelectCommand("INBOX");
    select->setCondstore(true);
    QVERIFY(runToEnd(*run, select));
    QCOMPARE(run->session->selectedMailbox().exists, 4u);
    QCOMPARE(run->session->selectedMailbox().uidValidity, 9u);
    auto *fetch = new FetchCommand(SequenceSet::range(1, 4), "(UID BODY.PEEK[])");
    QList<QByteArray> bodies;
    connect(fetch, &FetchCommand::messageFetched,
            [&](const FetchData &data) { bodies.append(data.sections.value(0).content.bytes); });
    QVERIFY(runToEnd(*run, fetch));
    QCOMPARE(bodies, (QList<QByteArray>{"abcde", "x"}));
    QCOMPARE(run->expunged, QList<quint32>{3});
    QCOMPARE(run->session->selectedMailbox().exists, 3u);
    // UID 9 was not asked for: another client's flag change.
    QCOMPARE(run->changed.size(), 1);
    QCOMPARE(*run->changed.first().uid, 9u);
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestImapSession::selectWaitsForRunningCommands()
{
    // SELECT may not be sent while a fetch of the old mailbox still runs; the NOOP behind it
    // waits for the SELECT.
    ScriptedServer server(test::modernLoginScenario() + QStringLiteral(R"(
        C: A3 UID FETCH 5 (UID)
        S: * 1 FETCH (UID 5)
        S: A3 OK done
        C: A4 SELECT Sent
        S: A4 OK selected
        C: A5 NOOP
        S: A5 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    auto *noop = new NoopCommand;
    noop->setAutoDelete(false);
    run->session->enqueue(new FetchCommand(SequenceSet::fromList({5}), "(UID)"));
    run->session->enqueue(new SelectCommand("Sent"));
    run->session->enqueue(noop);
    QTRY_VERIFY(noop->isFinished());
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestImapSession::byeMidCommandFailsEverythingWithItsText()
{
    ScriptedServer server(test::modernLoginScenario() + QStringLiteral(R"(
        C: A3 UID FETCH 1:100 (UID)
        S: * 1 FETCH (UID 1)
        S: * BYE Server shutting down for maintenance
        X
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    auto *fetch = new FetchCommand(SequenceSet::range(1, 100), "(UID)");
    auto *queued = new NoopCommand;
    fetch->setAutoDelete(false);
    queued->setAutoDelete(false);
    run->session->enqueue(fetch);
    run->session->enqueue(new SelectCommand("INBOX")); // waits behind the fetch
    run->session->enqueue(queued);
    QTRY_VERIFY(fetch->isFinished() && queued->isFinished());
    QCOMPARE(fetch->error().kind(), ErrorKind::ClosedByPeer);
    QVERIFY2(fetch->error().message().contains(QStringLiteral("maintenance")),
             qPrintable(fetch->error().message()));
    QCOMPARE(queued->error().kind(), ErrorKind::ClosedByPeer);
    QCOMPARE(run->errors.size(), 1);
    QTRY_VERIFY(run->closed);
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestImapSession::malformedResponseEndsTheSession()
{
    ScriptedServer server(test::modernLoginScenario() + QStringLiteral(R"(
        C: A3 NOOP
        S: * 1 FETCH (UID 1 FLAGS (\\Seen)
        S: A3 OK done
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    auto *noop = new NoopCommand;
    QVERIFY(runToEnd(*run, noop));
    QCOMPARE(noop->error().kind(), ErrorKind::ProtocolError);
    QCOMPARE(run->errors.size(), 1);
    QCOMPARE(run->errors.first().kind(), ErrorKind::ProtocolError);
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestImapSession::alertReachesTheUser()
{
    ScriptedServer server(test::modernLoginScenario() + QStringLiteral(R"(
        C: A3 NOOP
        S: * OK [ALERT] Your mailbox is 95% full
        S: A3 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    QVERIFY(runToEnd(*run, new NoopCommand));
    QCOMPARE(run->alerts, QStringList{QStringLiteral("Your mailbox is 95% full")});
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestImapSession::idleEndsItselfWhenAnotherCommandIsQueued()
{
    ScriptedServer server(test::modernLoginScenario() + QStringLiteral(R"(
        C: A3 IDLE
        S: + idling
        S: * 5 EXISTS
        C: DONE
        S: A3 OK IDLE terminated
        C: A4 NOOP
        S: A4 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    auto *idle = new IdleCommand;
    idle->setAutoDelete(false);
    QSignalSpy idling(idle, &IdleCommand::idling);
    run->session->enqueue(idle);
    QTRY_COMPARE(idling.size(), 1);
    QVERIFY(run->session->isIdle());
    QTRY_COMPARE(run->exists, QList<quint32>{5});
    QVERIFY(runToEnd(*run, new NoopCommand));
    QVERIFY(idle->isFinished());
    QVERIFY(!idle->error());
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestImapSession::logoutClosesCleanly()
{
    ScriptedServer server(test::modernLoginScenario() + QStringLiteral(R"(
        C: A3 LOGOUT
        S: * BYE see you
        S: A3 OK bye
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto run = openSession(server.port());
    QTRY_VERIFY(run->ready);
    run->session->logout();
    QTRY_VERIFY2(run->closed, qPrintable(server.status()));
    QVERIFY(run->errors.isEmpty());
    WHARF_TRY_VERIFY_SCENARIO(server);
}

QTEST_GUILESS_MAIN(TestImapSession)
#include "tst_imap_session.moc"
