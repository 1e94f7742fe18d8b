// Shared by the FTP session, transfer command and file transfer tests: a session opened
// against a ScriptedServer with what it reports recorded, and the login dialogue as scenario
// text.
#pragma once

#include "ScriptedServer.h"
#include "protocols/ftp/FtpCommand.h"
#include "protocols/ftp/FtpSession.h"
#include "protocols/ftp/ListingParser.h"

#include <QStringList>
#include <QTest>

#include <memory>

namespace wharf::test {

struct FtpRun
{
    std::unique_ptr<ftp::FtpSession> session;
    bool ready = false;
    int closed = 0;
    QList<Error> errors;
};

inline ftp::FtpSessionSettings plainFtpSettings(quint16 port)
{
    ftp::FtpSessionSettings settings;
    settings.connection.host = QStringLiteral("127.0.0.1");
    settings.connection.port = port;
    settings.connection.tlsMode = TlsMode::None;
    settings.connection.connectTimeoutMs = 10'000;
    settings.connection.idleTimeoutMs = 10'000;
    settings.user = QStringLiteral("user");
    settings.password = QStringLiteral("secret");
    settings.keepAliveSeconds = 0;
    return settings;
}

// Explicit FTPS (AUTH TLS) trusting the test PKI's CA.
inline ftp::FtpSessionSettings explicitTlsSettings(quint16 port)
{
    ftp::FtpSessionSettings settings = plainFtpSettings(port);
    settings.connection.host = QStringLiteral("localhost");
    settings.connection.tlsMode = TlsMode::StartTls;
    settings.connection.extraCaFile = testPkiFile(QStringLiteral("ca.pem"));
    return settings;
}

inline QStringList entryNames(const ftp::Listing &listing)
{
    QStringList result;
    for (const ftp::RemoteEntry &entry : listing.entries)
        result.append(entry.name);
    return result;
}

inline std::unique_ptr<FtpRun> openFtp(const ftp::FtpSessionSettings &settings)
{
    auto run = std::make_unique<FtpRun>();
    run->session = std::make_unique<ftp::FtpSession>(settings);
    FtpRun *raw = run.get();
    ftp::FtpSession *session = run->session.get();
    QObject::connect(session, &ftp::FtpSession::ready, [raw] { raw->ready = true; });
    QObject::connect(session, &ftp::FtpSession::closed, [raw] { ++raw->closed; });
    QObject::connect(session, &ftp::FtpSession::errorOccurred,
                     [raw](const Error &error) { raw->errors.append(error); });
    session->open();
    return run;
}

// The greeting and a FEAT reply listing `features` (one per line, sent with the customary
// leading space, between "211-Features:" and "211 End").
inline QString featScenario(const QStringList &features)
{
    QString text = QStringLiteral("S: 220 Scripted FTP ready\nC: FEAT\n");
    if (features.isEmpty())
        return text + QStringLiteral("S: 211 No features\n");
    text += QStringLiteral("S: 211-Features:\n");
    for (const QString &feature : features)
        text += QStringLiteral("S:  %1\n").arg(feature);
    return text + QStringLiteral("S: 211 End\n");
}

// USER/PASS as user/secret, then what the session sets up after login: PBSZ 0 and PROT P
// when `tls`, SYST (UNIX), OPTS UTF8 ON when the features list UTF8, TYPE I and PWD (home
// /home/user).
inline QString loginScenario(const QStringList &features, bool tls = false)
{
    QString text = QStringLiteral("C: USER user\nS: 331 Please specify the password.\n"
                                  "C: PASS secret\nS: 230 Login successful.\n");
    if (tls)
        text += QStringLiteral("C: PBSZ 0\nS: 200 PBSZ=0\nC: PROT P\nS: 200 PROT now Private.\n");
    text += QStringLiteral("C: SYST\nS: 215 UNIX Type: L8\n");
    if (features.contains(QStringLiteral("UTF8")))
        text += QStringLiteral("C: OPTS UTF8 ON\nS: 200 Always in UTF8 mode.\n");
    return text + QStringLiteral("C: TYPE I\nS: 200 Switching to Binary mode.\n"
                                 "C: PWD\nS: 257 \"/home/user\" is the current directory\n");
}

// A server with MLSD, SIZE, MDTM, MFMT and REST STREAM: what pyftpdlib and ProFTPD offer.
inline QStringList modernFeatures()
{
    return {QStringLiteral("EPSV"),        QStringLiteral("MDTM"),
            QStringLiteral("MFMT"),        QStringLiteral("MLST type*;size*;modify*;perm*;"),
            QStringLiteral("REST STREAM"), QStringLiteral("SIZE"),
            QStringLiteral("UTF8")};
}

inline QString modernLogin()
{
    return featScenario(modernFeatures()) + loginScenario(modernFeatures());
}

// A command run by the session; the test keeps it (no auto-delete) to read its results.
template <typename Command> Command *enqueueKept(ftp::FtpSession *session, Command *command)
{
    command->setAutoDelete(false);
    session->enqueue(command);
    return command;
}

// The scenario of one EPSV data connection up to the transfer line.
inline QString epsvScenario()
{
    return QStringLiteral("C: EPSV\nS: 229 Entering Extended Passive Mode (|||${DATA_PORT}|)\n");
}

} // namespace wharf::test

// Waits until the session logged in (or failed, with its error shown).
#define WHARF_TRY_FTP_READY(run)                                                                   \
    QTRY_VERIFY2((run)->ready || !(run)->errors.isEmpty(),                                         \
                 "the FTP session neither logged in nor failed");                                  \
    QVERIFY2((run)->ready, qPrintable((run)->errors.value(0).message()))

// Waits until a command finished.
#define WHARF_TRY_FINISHED(command)                                                                \
    QTRY_VERIFY2((command)->isFinished(), "the FTP command did not finish")
