// Self-test of ScriptedServer: TLS (implicit, STARTTLS, injection) and the FTP data channel.
#include "tst_scripted_server.h"

#include <QSignalSpy>
#include <QTcpSocket>

using selftest::clientTls;
using selftest::localhost;
using wharf::test::ScriptedServer;

void TestScriptedServer::implicitTls_data()
{
    QTest::addColumn<QString>("peerName");
    QTest::newRow("ip") << QStringLiteral("127.0.0.1");
    QTest::newRow("localhost") << QStringLiteral("localhost");
}

void TestScriptedServer::implicitTls()
{
    QFETCH(QString, peerName);
    ScriptedServer server(QStringLiteral("S: * OK tls\nC: A1 LOGOUT\nS: A1 OK\nX"),
                          {.implicitTls = true});
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    QSslSocket client;
    client.setSslConfiguration(clientTls());
    QSignalSpy sslErrors(&client, &QSslSocket::sslErrors);
    client.connectToHostEncrypted(localhost(), server.port(), peerName);
    QTRY_VERIFY(client.isEncrypted());
    QCOMPARE(sslErrors.size(), 0);
    EXPECT_LINE(client, "* OK tls\r\n");
    client.write("A1 LOGOUT\r\n");
    EXPECT_LINE(client, "A1 OK\r\n");
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestScriptedServer::rejectedCertificate()
{
    // The client refuses other-server's certificate (not issued by ca.pem); EXPECT-CLOSE right
    // after the handshake makes that the expected outcome.
    ScriptedServer server(
        QStringLiteral("EXPECT-CLOSE"),
        {.implicitTls = true, .certificate = wharf::test::TestCertificate::OtherServer});
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    QSslSocket client;
    client.setSslConfiguration(clientTls());
    QSignalSpy sslErrors(&client, &QSslSocket::sslErrors);
    client.connectToHostEncrypted(localhost(), server.port(), QStringLiteral("localhost"));
    QTRY_COMPARE(sslErrors.size(), 1);
    const auto errors = sslErrors.first().first().value<QList<QSslError>>();
    QVERIFY(!errors.isEmpty());
    const auto otherServer =
        QSslCertificate::fromPath(wharf::test::testPkiFile(QStringLiteral("other-server.pem")));
    QCOMPARE(otherServer.size(), 1);
    QCOMPARE(errors.first().certificate(), otherServer.first());
    WHARF_TRY_VERIFY_SCENARIO(server);
    QVERIFY(!client.isEncrypted());
}

void TestScriptedServer::startTlsMidScenario()
{
    ScriptedServer server(QStringLiteral(R"(
        S: * OK plain
        C: A1 STARTTLS
        S: A1 OK begin TLS
        STARTTLS
        C: A2 NOOP
        S: A2 OK secret
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    QSslSocket client;
    client.setSslConfiguration(clientTls());
    client.setPeerVerifyName(QStringLiteral("localhost"));
    client.connectToHost(localhost(), server.port());
    EXPECT_LINE(client, "* OK plain\r\n");
    client.write("A1 STARTTLS\r\n");
    EXPECT_LINE(client, "A1 OK begin TLS\r\n");
    client.startClientEncryption();
    QTRY_VERIFY(client.isEncrypted());
    client.write("A2 NOOP\r\n");
    EXPECT_LINE(client, "A2 OK secret\r\n");
    client.disconnectFromHost();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestScriptedServer::coalescedLinesArriveTogether()
{
    // The STARTTLS response-injection case: go-ahead and injected line in one segment.
    // The client (correctly) gives up; the handshake then counts as the expected close.
    ScriptedServer server(QStringLiteral(R"(
        C: STARTTLS
        S: 220 Go ahead
        S: 250 injected
        STARTTLS
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    QTcpSocket client;
    QByteArray firstRead;
    connect(&client, &QTcpSocket::readyRead, this, [&] {
        if (firstRead.isEmpty())
            firstRead = client.readAll();
    });
    client.connectToHost(localhost(), server.port());
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
    client.write("STARTTLS\r\n");
    QTRY_VERIFY(!firstRead.isEmpty());
    QCOMPARE(firstRead, QByteArrayLiteral("220 Go ahead\r\n250 injected\r\n"));
    client.abort();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestScriptedServer::clientPipeliningBeforeTlsFails()
{
    ScriptedServer server(QStringLiteral("C: STARTTLS\nS: 220 Go ahead\nSTARTTLS\n"));
    server.setFailOnDestruction(false);
    QVERIFY(server.listen());
    QTcpSocket client;
    client.connectToHost(localhost(), server.port());
    client.write("STARTTLS\r\nNOOP\r\n");
    QTRY_VERIFY(server.hasFailed());
    QVERIFY2(server.failure().contains(QStringLiteral("cleartext before the TLS handshake: "
                                                      "NOOP\\r\\n")),
             qPrintable(server.failure()));
}

void TestScriptedServer::dataChannel()
{
    ScriptedServer server(QStringLiteral(R"(
        S: 220 ftp
        C: PASV
        S: 227 Entering Passive Mode (${PASV})
        C: LIST
        ACCEPT-DATA
        S: 150 Here it comes
        D: file1
        D: file2
        DX
        S: 226 Done
        C: STOR up.txt
        ACCEPT-DATA
        S: 150 Ok to send
        DC: hello\r\n
        DC: world
        S: 226 Stored
        C: QUIT
        S: 221 Bye
        EXPECT-CLOSE
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    QTcpSocket control;
    control.connectToHost(localhost(), server.port());
    EXPECT_LINE(control, "220 ftp\r\n");
    control.write("PASV\r\n");
    QTRY_VERIFY(control.canReadLine());
    const quint16 port = server.dataPort();
    const QByteArray pasv = "227 Entering Passive Mode (127,0,0,1," +
                            QByteArray::number(port / 256) + ',' + QByteArray::number(port % 256) +
                            ")\r\n";
    QCOMPARE(control.readLine(), pasv);

    QTcpSocket download;
    download.connectToHost(localhost(), port);
    control.write("LIST\r\n");
    EXPECT_LINE(control, "150 Here it comes\r\n");
    QTRY_COMPARE(download.state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(download.readAll(), QByteArrayLiteral("file1\r\nfile2\r\n"));
    EXPECT_LINE(control, "226 Done\r\n");

    QTcpSocket upload;
    upload.connectToHost(localhost(), port);
    control.write("STOR up.txt\r\n");
    EXPECT_LINE(control, "150 Ok to send\r\n");
    upload.write("hello\r\nworld");
    upload.disconnectFromHost();
    EXPECT_LINE(control, "226 Stored\r\n");
    control.write("QUIT\r\n");
    EXPECT_LINE(control, "221 Bye\r\n");
    control.disconnectFromHost();
    WHARF_TRY_VERIFY_SCENARIO(server);
    QCOMPARE(server.receivedData(), QByteArrayLiteral("hello\r\nworld"));
}

void TestScriptedServer::uploadClosedBeforeAcceptData()
{
    // The client finishes the upload before the server reaches ACCEPT-DATA.
    ScriptedServer server(QStringLiteral("C: STOR f (port ${DATA_PORT})\nACCEPT-DATA\n"
                                         "DC: early bytes\nS: 226 ok"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    QTcpSocket data;
    data.connectToHost(localhost(), server.dataPort());
    data.write("early bytes");
    data.disconnectFromHost();
    QTRY_COMPARE(data.state(), QAbstractSocket::UnconnectedState);
    QTcpSocket control;
    control.connectToHost(localhost(), server.port());
    control.write("STOR f (port " + QByteArray::number(server.dataPort()) + ")\r\n");
    EXPECT_LINE(control, "226 ok\r\n");
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestScriptedServer::dataChannelTls()
{
    ScriptedServer server(QStringLiteral("DATA-TLS\nC: RETR x\nACCEPT-DATA\nD-: secret\nDX\n"
                                         "S: 226 ok\nEXPECT-CLOSE"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    QTcpSocket control;
    control.connectToHost(localhost(), server.port());
    QSslSocket data;
    data.setSslConfiguration(clientTls());
    QSignalSpy encrypted(&data, &QSslSocket::encrypted);
    data.connectToHostEncrypted(localhost(), server.dataPort(), QStringLiteral("localhost"));
    QTRY_COMPARE(control.state(), QAbstractSocket::ConnectedState);
    control.write("RETR x\r\n");
    QTRY_COMPARE(encrypted.size(), 1); // isEncrypted() is false again once DX closed it
    QTRY_COMPARE(data.state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(data.readAll(), QByteArrayLiteral("secret"));
    EXPECT_LINE(control, "226 ok\r\n");
    control.disconnectFromHost();
    WHARF_TRY_VERIFY_SCENARIO(server);
}

void TestScriptedServer::uploadMismatchFailsEarly()
{
    ScriptedServer server(QStringLiteral("ACCEPT-DATA\nDC: expected"));
    server.setFailOnDestruction(false);
    QVERIFY(server.listen());
    QTcpSocket control;
    control.connectToHost(localhost(), server.port());
    QTcpSocket data;
    data.connectToHost(localhost(), server.dataPort());
    data.write("wrong");
    QTRY_VERIFY(server.hasFailed());
    QVERIFY2(server.failure().contains(QStringLiteral("actual:   wrong")),
             qPrintable(server.failure()));
}
