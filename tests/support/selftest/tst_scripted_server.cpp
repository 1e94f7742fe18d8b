// Self-test of ScriptedServer: scenario language and life cycle (TLS and data channel tests are
// in tst_scripted_server_tls_data.cpp).
#include "tst_scripted_server.h"

#include <QFile>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>

using selftest::localhost;
using wharf::test::ScriptedServer;

void TestScriptedServer::initTestCase()
{
    QVERIFY2(!wharf::test::testPkiDirectory().isEmpty(),
             "WHARF_TEST_PKI must name a test PKI directory (run through ctest)");
    QVERIFY(!wharf::test::testCaCertificates().isEmpty());
}

void TestScriptedServer::plainExchange()
{
    ScriptedServer server(QStringLiteral(R"(
        # greeting, one command, server closes
        S: * OK ready
        C: A1 NOOP
        S: A1 OK done
        X
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    QTcpSocket client;
    client.connectToHost(localhost(), server.port());
    EXPECT_LINE(client, "* OK ready\r\n");
    client.write("A1 NOOP\r\n");
    EXPECT_LINE(client, "A1 OK done\r\n");
    QTRY_COMPARE(client.state(), QAbstractSocket::UnconnectedState);
    WHARF_TRY_VERIFY_SCENARIO(server);
    QCOMPARE(server.receivedLines(), QByteArrayList{QByteArrayLiteral("A1 NOOP")});
}

void TestScriptedServer::regexAndEscapes()
{
    ScriptedServer server(QStringLiteral(R"(
        S: 220 smtp\x21 \\o/
        C~ EHLO [A-Za-z0-9.-]+
        S-: 250 partial
        S: \r\nend
        C: \x01bin\\
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    QTcpSocket client;
    client.connectToHost(localhost(), server.port());
    EXPECT_LINE(client, "220 smtp! \\o/\r\n");
    client.write("EHLO client.example\r\n");
    EXPECT_LINE(client, "250 partial\r\n");
    EXPECT_LINE(client, "end\r\n");
    client.write("\x01"
                 "bin\\\r\n");
    client.disconnectFromHost();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestScriptedServer::mismatchReportsFailure()
{
    ScriptedServer server(QStringLiteral("S: * OK\nC~ A0 .*\n\nC: A1 LOGIN \"u\" \"p\"\n"));
    server.setFailOnDestruction(false);
    QSignalSpy failed(&server, &ScriptedServer::failed);
    QVERIFY(server.listen());
    QTcpSocket client;
    client.connectToHost(localhost(), server.port());
    EXPECT_LINE(client, "* OK\r\n");
    client.write("A0 x\r\nA1 LOGIN u p\r\n");
    QTRY_VERIFY(server.hasFailed());
    QCOMPARE(failed.size(), 1);
    const QString failure = server.failure();
    QVERIFY2(failure.startsWith(QStringLiteral("scenario:4: ")), qPrintable(failure));
    QVERIFY2(failure.contains(QStringLiteral("expected: A1 LOGIN \"u\" \"p\"")),
             qPrintable(failure));
    QVERIFY2(failure.contains(QStringLiteral("actual:   A1 LOGIN u p")), qPrintable(failure));
    QVERIFY(!server.isFinished());
    QTRY_COMPARE(client.state(), QAbstractSocket::UnconnectedState); // server aborted
}

void TestScriptedServer::invalidScenarios_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QString>("message");
    QTest::newRow("wait") << QStringLiteral("S: hi\nWAIT 100") << QStringLiteral("line 2: WAIT");
    QTest::newRow("unknown") << QStringLiteral("Q: x") << QStringLiteral("unknown directive");
    QTest::newRow("escape") << QStringLiteral("S: \\q") << QStringLiteral("unknown escape");
    QTest::newRow("hex") << QStringLiteral("S: \\x4") << QStringLiteral("two hex digits");
    QTest::newRow("regex") << QStringLiteral("C~ (") << QStringLiteral("invalid regular");
    QTest::newRow("repeat") << QStringLiteral("S* many a") << QStringLiteral("repeat count");
}

void TestScriptedServer::invalidScenarios()
{
    QFETCH(QString, scenario);
    QFETCH(QString, message);
    ScriptedServer server(scenario);
    server.setFailOnDestruction(false);
    QVERIFY(!server.listen());
    QVERIFY2(server.failure().contains(message), qPrintable(server.failure()));
}

void TestScriptedServer::scenarioFromFile()
{
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("greeting.scenario")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("S: 220 hi\r\nC: QUIT\r\nS: 221 bye\r\nX\r\n");
    file.close();
    ScriptedServer server = ScriptedServer::fromFile(file.fileName());
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    QTcpSocket client;
    client.connectToHost(localhost(), server.port());
    EXPECT_LINE(client, "220 hi\r\n");
    client.write("QUIT\r\n");
    EXPECT_LINE(client, "221 bye\r\n");
    WHARF_TRY_VERIFY_SCENARIO(server);

    ScriptedServer missing = ScriptedServer::fromFile(dir.filePath(QStringLiteral("nope")));
    missing.setFailOnDestruction(false);
    QVERIFY(!missing.listen());
    QVERIFY(missing.failure().contains(QStringLiteral("nope")));
}

void TestScriptedServer::bigLine()
{
    ScriptedServer server(QStringLiteral("S* 70000 a\nS-: \\x00\nX"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    QTcpSocket client;
    client.connectToHost(localhost(), server.port());
    QByteArray received;
    connect(&client, &QTcpSocket::readyRead, this, [&] { received += client.readAll(); });
    QTRY_COMPARE(client.state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(received.size(), 70001);
    QCOMPARE(received.count('a'), 70000);
    QCOMPARE(received.back(), '\0');
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestScriptedServer::expectCloseAndProtocolErrors()
{
    ScriptedServer server(QStringLiteral("S: bye\nEXPECT-CLOSE"));
    QVERIFY(server.listen());
    QSignalSpy finished(&server, &ScriptedServer::finished);
    QTcpSocket client;
    client.connectToHost(localhost(), server.port());
    EXPECT_LINE(client, "bye\r\n");
    QVERIFY(!server.isFinished());
    client.disconnectFromHost();
    QTRY_COMPARE(finished.size(), 1);
    WHARF_VERIFY_SCENARIO(server);

    ScriptedServer strict(QStringLiteral("C: A\nEXPECT-CLOSE"));
    strict.setFailOnDestruction(false);
    QVERIFY(strict.listen());
    QTcpSocket lf;
    lf.connectToHost(localhost(), strict.port());
    lf.write("A\n");
    QTRY_VERIFY(strict.hasFailed());
    QVERIFY2(strict.failure().contains(QStringLiteral("not terminated by CRLF")),
             qPrintable(strict.failure()));
}

void TestScriptedServer::secondConnectionFails()
{
    ScriptedServer server(QStringLiteral("EXPECT-CLOSE"));
    server.setFailOnDestruction(false);
    QVERIFY(server.listen());
    QTcpSocket first;
    first.connectToHost(localhost(), server.port());
    QTRY_COMPARE(first.state(), QAbstractSocket::ConnectedState);
    QTcpSocket second;
    second.connectToHost(localhost(), server.port());
    QTRY_VERIFY(server.hasFailed());
    QVERIFY(server.failure().contains(QStringLiteral("second client connection")));
}

void TestScriptedServer::unconsumedScenarioFailsOnDestruction()
{
    {
        ScriptedServer server(QStringLiteral("S: hello\nC: never sent"));
        QVERIFY(server.listen());
        QTcpSocket client;
        client.connectToHost(localhost(), server.port());
        QTRY_VERIFY(client.canReadLine());
        // The destructor's QTest::qFail is the expected failure.
        QEXPECT_FAIL("", "the scenario is deliberately left unconsumed", Continue);
    }
}

void TestScriptedServer::missingPkiIsReported()
{
    const QByteArray saved = qgetenv("WHARF_TEST_PKI");
    qunsetenv("WHARF_TEST_PKI");
    ScriptedServer server(QStringLiteral("STARTTLS"));
    server.setFailOnDestruction(false);
    const bool listening = server.listen();
    qputenv("WHARF_TEST_PKI", saved);
    QVERIFY(!listening);
    QVERIFY2(server.failure().contains(QStringLiteral("WHARF_TEST_PKI is not set")),
             qPrintable(server.failure()));
    ScriptedServer plain(QStringLiteral("X"));
    qunsetenv("WHARF_TEST_PKI");
    const bool plainListening = plain.listen();
    qputenv("WHARF_TEST_PKI", saved);
    QVERIFY(plainListening);
    plain.setFailOnDestruction(false);
}

QTEST_GUILESS_MAIN(TestScriptedServer)
