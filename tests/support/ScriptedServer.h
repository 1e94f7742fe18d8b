// ScriptedServer: a scripted fake server for byte-exact protocol unit tests (KIMAP/Trojita style).
//
// It listens on 127.0.0.1 port 0 (safe for parallel tests), accepts ONE control connection and
// plays a scenario, one directive per line. Leading whitespace, blank lines and lines starting
// with '#' are ignored. After "S:"-style prefixes one optional space is dropped; the rest of the
// line is used byte for byte.
//
//   S: <text>        send <text>\r\n. Consecutive S:/S-:/S* lines go out in ONE write call.
//   S-: <text>       send <text> without CRLF
//   S* <n> <byte>    send <n> copies of one byte, e.g. `S* 70000 a`
//   C: <text>        expect exactly this client line (client lines must end in CRLF)
//   C~ <regex>       expect a line matching the QRegularExpression (whole line, anchored)
//   STARTTLS         start server-side TLS here; the next directive runs once it is encrypted.
//                    Fails if the client already sent more cleartext (pipelined after the
//                    command that starts TLS).
//   X                close the connection
//   EXPECT-CLOSE     wait until the client closes the connection
//   DATA-TLS         later ACCEPT-DATA do a server-side TLS handshake (FTP PROT P), with
//                    Options::dataCertificate when set, else the control connection's
//   ACCEPT-DATA      take the client's next connection to dataPort(). If its TLS handshake
//                    fails and the next directive is DX, the failure counts as the client's
//                    expected refusal (a data certificate the client must reject).
//   CONNECT-DATA     FTP active mode: connect to the address and port of the client's last
//                    EPRT or PORT line (from 127.0.0.1, or `CONNECT-DATA FROM <address>`) and
//                    use that connection as ACCEPT-DATA would (DATA-TLS: the server side of
//                    the handshake still). Waits until connected.
//   D: <text>        send <text>\r\n on the data connection (D-: without CRLF, D* <n> <byte>)
//   DX               close the data connection
//   DC: <bytes>      expect the client to send exactly <bytes> (no CRLF added; consecutive DC:
//                    lines concatenate; `DC:` alone = nothing) and then close the data connection
//
// Escapes in S:/S-:/C:/D:/D-:/DC: text and in the S*/D* byte: \r \n \t \\ \xHH.
// Placeholders replaced when a line is sent or compared (not in C~): ${PORT}, ${DATA_PORT},
// ${PASV} (= "127,0,0,1,<hi>,<lo>" of dataPort(), for a 227 reply) and ${PASV_PORT} (= "<hi>,<lo>"
// alone, for a 227 naming another host).
// There is no WAIT: synchronise on client lines and connections, never on time.
// Client lines pipelined ahead of the scenario are queued; a client line ending in a bare LF
// is a failure. Lines arriving after the scenario ended are recorded, not judged: end with
// EXPECT-CLOSE or X to be strict. On the first failure the server aborts its connections so
// the client under test fails fast instead of waiting for replies.
//
// TLS: implicitTls does the handshake right after accept. If a handshake fails (or the client
// drops the connection during it) the scenario fails with the TLS error, unless the next
// directive is EXPECT-CLOSE: then the failed handshake counts as the expected close (tests
// where the client must reject the certificate). tlsError() keeps the server-side TLS error.
// Certificates come from $WHARF_TEST_PKI (see TestPki.h); without it TLS scenarios fail in
// listen() with a clear message, plain scenarios still work.
//
// Typical test:
//   ScriptedServer server(QStringLiteral(R"(
//       S: * OK ready
//       C: A1 LOGOUT
//       S: * BYE
//       S: A1 OK done
//       EXPECT-CLOSE
//   )"));
//   QVERIFY2(server.listen(), qPrintable(server.failure()));
//   ... connect the client to server.port() ...
//   WHARF_TRY_VERIFY_SCENARIO(server);
//
// A server destroyed inside a test function with an unconsumed scenario or a failure calls
// QTest::qFail (unless the test already failed, or setFailOnDestruction(false)).
#pragma once

#include <QByteArray>
#include <QByteArrayList>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QString>
#include <QTest>

#include <optional>
#include <utility>

#include "Scenario.h"
#include "TestPki.h"

class QSslSocket;
class QTcpServer;

namespace wharf::test {

// Designated initialisers welcome: {.implicitTls = true}. (The `= {}` keep GCC's
// -Wmissing-field-initializers quiet for the members left out.)
struct ScriptedServerOptions
{
    bool implicitTls = false;                              // TLS handshake right after accept
    TestCertificate certificate = TestCertificate::Server; // which PKI certificate to present
    QString certificatePath = {}; // explicit PEM certificate (chain); overrides `certificate`
    QString keyPath = {};         // explicit PEM private key; overrides `certificate`
    QString name = {};            // shown in messages; defaults to "scenario" or the file path
    // Presented on DATA-TLS data connections instead of the control connection's certificate.
    std::optional<TestCertificate> dataCertificate = {};
};

class ScriptedServer : public QObject
{
    Q_OBJECT

public:
    using Options = ScriptedServerOptions;

    explicit ScriptedServer(const QString &scenario, const Options &options = {},
                            QObject *parent = nullptr);
    // Reads the scenario from a file (UTF-8); an unreadable file is reported by failure().
    static ScriptedServer fromFile(const QString &path, const Options &options = {},
                                   QObject *parent = nullptr);
    ~ScriptedServer() override;

    // Opens both listeners (control and data) on 127.0.0.1 port 0 and loads the TLS
    // credentials if the scenario needs them. On false, failure() says why.
    [[nodiscard]] bool listen();
    QHostAddress address() const { return QHostAddress(QHostAddress::LocalHost); }
    quint16 port() const;
    quint16 dataPort() const;

    bool isFinished() const; // a client connected, the whole scenario ran, no failure
    bool hasFailed() const { return !m_failure.isEmpty(); }
    QString failure() const { return m_failure; }   // the first problem, empty if none
    QString status() const;                         // human-readable progress, for messages
    QString tlsError() const { return m_tlsError; } // last server-side TLS error/alert
    QByteArrayList receivedLines() const { return m_receivedLines; } // control, no CRLF
    QByteArray receivedData() const { return m_receivedData; }       // all data-connection bytes

    // Reports a failure or an unconsumed scenario with QTest::qFail at file:line and returns
    // false; use through WHARF_VERIFY_SCENARIO.
    bool verifyConsumed(const char *file, int line);
    // Whether the destructor may call QTest::qFail (default true). Tests that provoke a
    // failure on purpose turn it off.
    void setFailOnDestruction(bool enabled) { m_failOnDestruction = enabled; }

Q_SIGNALS:
    void finished();
    void failed(const QString &message);

private:
    enum class Tls
    {
        Off,
        Handshaking,
        Encrypted,
        Failed
    };
    enum class Progress
    {
        Done,
        Wait
    };

    ScriptedServer(Scenario scenario, const Options &options, const QString &name, QObject *parent);

    void onControlConnection(qintptr descriptor);
    void onDataConnection(qintptr descriptor);
    QSslSocket *adoptSocket(qintptr descriptor);
    void watchTls(QSslSocket *socket, Tls *state);
    void onTlsFailure(QSslSocket *socket, Tls *state, const QString &message);
    void readControl();
    void readData();
    void retireDataSocket();

    // Scenario execution (ScriptedServerSteps.cpp).
    void advance();
    Progress runStep(const ScenarioStep &step);
    Progress expectLine(const ScenarioStep &step);
    Progress runStartTls(const ScenarioStep &step);
    Progress runAcceptData(const ScenarioStep &step);
    Progress runConnectData(const ScenarioStep &step);
    void claimDataSocket(QSslSocket *socket);
    Progress dataTlsProgress(const ScenarioStep &step);
    std::optional<std::pair<QHostAddress, quint16>> activeTarget() const;
    Progress runDataExpect(const ScenarioStep &step);
    void fail(const QString &message);
    Progress failStep(const ScenarioStep &step, const QString &message);
    QByteArray expand(const QByteArray &bytes) const;
    QString problemReport() const;

    Scenario m_scenario;
    Options m_options;
    QString m_name; // scenario name or file path: messages and QTest::qFail's location
    QSslConfiguration m_tlsConfiguration;
    bool m_tlsLoaded = false;
    QSslConfiguration m_dataTlsConfiguration; // Options::dataCertificate, when set
    bool m_dataTlsLoaded = false;

    QTcpServer *m_controlServer = nullptr;
    QTcpServer *m_dataServer = nullptr;

    QSslSocket *m_control = nullptr;
    Tls m_controlTls = Tls::Off;
    bool m_controlClosed = false;
    QByteArray m_inBuffer;  // control bytes not yet split into lines
    QByteArrayList m_lines; // complete client lines not yet consumed
    QByteArrayList m_receivedLines;

    QList<QPointer<QSslSocket>> m_pendingData; // accepted, not yet claimed by ACCEPT-DATA
    QPointer<QSslSocket> m_data;               // claimed data connection
    QPointer<QSslSocket> m_connecting;         // CONNECT-DATA, not connected yet
    Tls m_dataTlsState = Tls::Off;
    bool m_dataTls = false;
    bool m_dataClosed = false;
    QByteArray m_dataBuffer; // bytes of the current data connection
    QByteArray m_receivedData;

    qsizetype m_next = 0;       // index of the step being run
    bool m_stepEntered = false; // whether runStep already started the current step
    bool m_running = false;     // re-entrancy guard for advance()
    bool m_runAgain = false;
    bool m_finishedEmitted = false;
    bool m_failOnDestruction = true;
    bool m_reported = false;
    QString m_failure;
    QString m_tlsError;
    QString m_tlsAlert; // last fatal TLS alert, appended to m_tlsError
};

} // namespace wharf::test

// Fails the current test (and returns) if the scenario failed or was not consumed.
#define WHARF_VERIFY_SCENARIO(server)                                                              \
    do {                                                                                           \
        if (!(server).verifyConsumed(__FILE__, __LINE__))                                          \
            return;                                                                                \
    } while (false)

// Waits (QTRY, default 5 s) until the scenario finished or failed, then verifies it.
#define WHARF_TRY_VERIFY_SCENARIO(server)                                                          \
    do {                                                                                           \
        QTRY_VERIFY2((server).isFinished() || (server).hasFailed(),                                \
                     qPrintable((server).status()));                                               \
        WHARF_VERIFY_SCENARIO(server);                                                             \
    } while (false)
