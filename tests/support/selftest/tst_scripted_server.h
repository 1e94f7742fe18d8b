// Self-test of ScriptedServer, driven by plain QTcpSocket/QSslSocket clients.
#pragma once

#include "ScriptedServer.h"

#include <QObject>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTest>

// Waits for a complete line on a client socket and compares it (with its CRLF).
#define EXPECT_LINE(socket, text)                                                                  \
    do {                                                                                           \
        QTRY_VERIFY((socket).canReadLine());                                                       \
        QCOMPARE((socket).readLine(), QByteArrayLiteral(text));                                    \
    } while (false)

namespace selftest {

// Client TLS settings trusting only the test CA.
inline QSslConfiguration clientTls()
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setCaCertificates(wharf::test::testCaCertificates());
    config.setPeerVerifyMode(QSslSocket::VerifyPeer);
    return config;
}

inline QString localhost()
{
    return QStringLiteral("127.0.0.1");
}

} // namespace selftest

class TestScriptedServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // tst_scripted_server.cpp: scenario language and life cycle
    void initTestCase();
    void plainExchange();
    void regexAndEscapes();
    void mismatchReportsFailure();
    void invalidScenarios_data();
    void invalidScenarios();
    void scenarioFromFile();
    void bigLine();
    void expectCloseAndProtocolErrors();
    void secondConnectionFails();
    void unconsumedScenarioFailsOnDestruction();
    void missingPkiIsReported();

    // tst_scripted_server_tls_data.cpp: TLS and the FTP data channel
    void implicitTls_data();
    void implicitTls();
    void rejectedCertificate();
    void startTlsMidScenario();
    void coalescedLinesArriveTogether();
    void clientPipeliningBeforeTlsFails();
    void dataChannel();
    void uploadClosedBeforeAcceptData();
    void dataChannelTls();
    void uploadMismatchFailsEarly();
};
