// Shared by the IMAP session and command tests: a session opened against a ScriptedServer
// with everything it announces recorded.
#pragma once

#include "ScriptedServer.h"
#include "protocols/imap/FetchData.h"
#include "protocols/imap/ImapSession.h"
#include "protocols/imap/MailboxData.h"

#include <QTest>

#include <memory>

namespace wharf::test {

struct SessionRun
{
    std::unique_ptr<imap::ImapSession> session;
    bool ready = false;
    bool closed = false;
    QList<Error> errors;
    QList<quint32> exists;
    QList<quint32> expunged;
    QList<imap::VanishedData> vanished;
    QList<imap::FetchData> changed;
    QStringList alerts;
};

inline std::unique_ptr<SessionRun> openSession(quint16 port,
                                               imap::ImapSessionSettings settings = {})
{
    auto run = std::make_unique<SessionRun>();
    settings.connection.host = QStringLiteral("127.0.0.1");
    settings.connection.port = port;
    settings.connection.tlsMode = TlsMode::None;
    settings.connection.connectTimeoutMs = 10'000;
    settings.connection.idleTimeoutMs = 10'000;
    if (settings.user.isEmpty()) {
        settings.user = QStringLiteral("user");
        settings.password = QStringLiteral("secret");
    }
    run->session = std::make_unique<imap::ImapSession>(settings);
    SessionRun *raw = run.get();
    imap::ImapSession *session = run->session.get();
    QObject::connect(session, &imap::ImapSession::ready, [raw] { raw->ready = true; });
    QObject::connect(session, &imap::ImapSession::closed, [raw] { raw->closed = true; });
    QObject::connect(session, &imap::ImapSession::errorOccurred,
                     [raw](const Error &error) { raw->errors.append(error); });
    QObject::connect(session, &imap::ImapSession::exists,
                     [raw](quint32 count) { raw->exists.append(count); });
    QObject::connect(session, &imap::ImapSession::expunged,
                     [raw](quint32 sequence) { raw->expunged.append(sequence); });
    QObject::connect(session, &imap::ImapSession::vanished,
                     [raw](const imap::VanishedData &data) { raw->vanished.append(data); });
    QObject::connect(session, &imap::ImapSession::messageChanged,
                     [raw](const imap::FetchData &data) { raw->changed.append(data); });
    QObject::connect(session, &imap::ImapSession::alert,
                     [raw](const QString &text) { raw->alerts.append(text); });
    session->open();
    return run;
}

// Greeting and AUTHENTICATE PLAIN with SASL-IR as user/secret; the login's OK lists
// `capabilities`. Tags continue at A2. When the capabilities offer ENABLE and any of
// CONDSTORE/QRESYNC, the caller's scenario must expect "A2 ENABLE ...".
inline QString loginScenario(const QString &capabilities)
{
    return QStringLiteral(R"(
        S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready
        C: A1 AUTHENTICATE PLAIN AHVzZXIAc2VjcmV0
        S: A1 OK [CAPABILITY %1] Logged in
    )")
        .arg(capabilities);
}

// The usual modern server: everything Wharf uses, so tags start at A3 after ENABLE.
inline QString modernLoginScenario()
{
    return loginScenario(QStringLiteral(
               "IMAP4rev1 ENABLE CONDSTORE QRESYNC UIDPLUS MOVE LITERAL+ ESEARCH LIST-EXTENDED "
               "SPECIAL-USE LIST-STATUS IDLE NAMESPACE ID")) +
           QStringLiteral(R"(
        C: A2 ENABLE CONDSTORE QRESYNC
        S: * ENABLED CONDSTORE QRESYNC
        S: A2 OK Enabled
    )");
}

// Runs a command to its end and returns whether it finished.
template <typename Command> bool runToEnd(SessionRun &run, Command *command, int timeoutMs = 5000)
{
    command->setAutoDelete(false);
    run.session->enqueue(command);
    return QTest::qWaitFor([command] { return command->isFinished(); }, timeoutMs);
}

} // namespace wharf::test
