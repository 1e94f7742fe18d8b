#include "cli/ImapCliSupport.h"

#include "cli/ExitCode.h"
#include "cli/Interrupt.h"
#include "cli/PasswordPrompt.h"
#include "cli/TrustCommand.h"

#include <QCoreApplication>

#include <cstdio>

namespace wharf::cli {

namespace {

// Where the password comes from, in this order: WHARF_PASSWORD (scripts, tests), the
// terminal or the first line of stdin. Never the command line.
std::optional<QString> passwordFor(const ServerEndpoint &endpoint, Error *error)
{
    if (qEnvironmentVariableIsSet("WHARF_PASSWORD"))
        return qEnvironmentVariable("WHARF_PASSWORD");
    return readPassword(QStringLiteral("Password for %1@%2: ").arg(endpoint.user, endpoint.host),
                        error);
}

} // namespace

void quitWith(const Error &error)
{
    printError(error.message());
    QCoreApplication::exit(exitCodeFor(error.kind()));
}

std::unique_ptr<controllers::ImapConnectionPool> makeImapPool(const CliContext &context,
                                                              const ServerEndpoint &endpoint,
                                                              int maxConnections, int *exitCode)
{
    using controllers::ImapConnectionPool;
    *exitCode = ExitUsage;
    if (endpoint.protocol != Protocol::Imap) {
        printError(QStringLiteral("imap commands take imaps:// or imap:// URLs"));
        return nullptr;
    }
    if (endpoint.user.isEmpty()) {
        printError(
            QStringLiteral("the URL needs a user name: imaps://USER@%1/").arg(endpoint.host));
        return nullptr;
    }
    Error error;
    const std::optional<QString> password = passwordFor(endpoint, &error);
    if (!password) {
        printError(error.message());
        *exitCode = exitCodeFor(error.kind());
        return nullptr;
    }
    std::optional<store::TrustedCertificate> pin;
    if (const int failed = loadPin(endpoint, &pin)) {
        *exitCode = failed;
        return nullptr;
    }

    controllers::ImapAccountSettings settings;
    settings.endpoint = endpoint;
    settings.password = *password;
    settings.extraCaFile = context.caFile;
    settings.timeoutMs = context.timeoutMs;
    settings.maxConnections = maxConnections;
    if (pin)
        settings.pinnedPublicKey = pin->publicKeySha256;
    auto pool = std::make_unique<ImapConnectionPool>(settings);
    ImapConnectionPool *raw = pool.get();
    const QString url = endpoint.toUrl();
    QObject::connect(raw, &ImapConnectionPool::certificateDecisionRequested, raw,
                     [raw, pin, url](const net::CertificateDecision &decision) {
                         // Answered from the event loop, not inside the TLS handshake.
                         QMetaObject::invokeMethod(
                             raw,
                             [raw, pin, url, decision] {
                                 if (!pin) {
                                     raw->rejectCertificate();
                                     return;
                                 }
                                 answerWithPin(
                                     *pin, url, decision, [raw] { raw->rejectCertificate(); },
                                     [raw] { raw->cancel(); });
                             },
                             Qt::QueuedConnection);
                     });
    if (context.verbose) {
        QObject::connect(raw, &ImapConnectionPool::protocolLog,
                         [](net::Connection::Direction direction, const QByteArray &line) {
                             const char *arrow =
                                 direction == net::Connection::Direction::Sent ? "> " : "< ";
                             std::fprintf(stderr, "%s%s\n", arrow, line.constData());
                         });
    }
    QObject::connect(raw, &ImapConnectionPool::alert, [](const QString &text) {
        printError(QStringLiteral("server alert: %1").arg(text));
    });
    *exitCode = ExitOk;
    return pool;
}

int runUntilDone(controllers::ImapConnectionPool &pool)
{
    Interrupt interrupt;
    QObject::connect(&interrupt, &Interrupt::requested, [&pool] {
        pool.cancel();
        printError(QStringLiteral("interrupted"));
        QCoreApplication::exit(ExitInterrupted);
    });
    const int code = QCoreApplication::exec();
    pool.cancel();
    return code;
}

} // namespace wharf::cli
