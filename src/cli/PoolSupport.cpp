#include "cli/PoolSupport.h"

#include "cli/ExitCode.h"
#include "cli/Interrupt.h"
#include "cli/PasswordPrompt.h"
#include "cli/ProfileLookup.h"
#include "cli/TrustCommand.h"
#include "controllers/SessionPool.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>

#include <cstdio>

namespace wharf::cli {

namespace {

// A server that does not answer QUIT soon is not worth waiting for: the work is done.
constexpr int kGoodbyeMs = 3000;

} // namespace

std::optional<QString> passwordFor(const ServerEndpoint &endpoint,
                                   const std::optional<store::Profile> &profile,
                                   store::PasswordRole role, Error *error)
{
    if (profile) {
        // Passwords of saved profiles live in the keychain; without one (or without a
        // password saved there) the user is asked, and nothing is written anywhere.
        store::PasswordStore keychain;
        const KeychainAnswer stored = readPasswordNow(keychain, profile->id, role);
        if (stored.password)
            return stored.password;
        if (stored.error)
            printError(stored.error.message());
    } else if (qEnvironmentVariableIsSet("WHARF_PASSWORD")) {
        return qEnvironmentVariable("WHARF_PASSWORD");
    }
    return readPassword(QStringLiteral("Password for %1@%2: ").arg(endpoint.user, endpoint.host),
                        error);
}

void connectPoolToTerminal(controllers::SessionPool *pool, const CliContext &context,
                           const QString &url, const std::optional<store::TrustedCertificate> &pin)
{
    using controllers::SessionPool;
    QObject::connect(pool, &SessionPool::certificateDecisionRequested, pool,
                     [pool, pin, url](const net::CertificateDecision &decision) {
                         // Answered from the event loop, not inside the TLS handshake.
                         QMetaObject::invokeMethod(
                             pool,
                             [pool, pin, url, decision] {
                                 if (!pin) {
                                     pool->rejectCertificate();
                                     return;
                                 }
                                 answerWithPin(
                                     *pin, url, decision, [pool] { pool->rejectCertificate(); },
                                     [pool] { pool->cancel(); });
                             },
                             Qt::QueuedConnection);
                     });
    if (context.verbose) {
        QObject::connect(pool, &SessionPool::protocolLog,
                         [](net::Connection::Direction direction, const QByteArray &line) {
                             const char *arrow =
                                 direction == net::Connection::Direction::Sent ? "> " : "< ";
                             std::fprintf(stderr, "%s%s\n", arrow, line.constData());
                         });
    }
}

void quitWith(const Error &error)
{
    printError(error.message());
    QCoreApplication::exit(exitCodeFor(error.kind()));
}

int runUntilDone(controllers::SessionPool &pool, Goodbye goodbye)
{
    Interrupt interrupt;
    QObject::connect(&interrupt, &Interrupt::requested, [&pool] {
        pool.cancel();
        printError(QStringLiteral("interrupted"));
        QCoreApplication::exit(ExitInterrupted);
    });
    const int code = QCoreApplication::exec();
    if (goodbye == Goodbye::Polite && code != ExitInterrupted && pool.sessionCount() > 0) {
        QEventLoop loop;
        QTimer::singleShot(kGoodbyeMs, &loop, &QEventLoop::quit);
        QObject::connect(&pool, &controllers::SessionPool::closed, &loop, &QEventLoop::quit);
        QObject::connect(&interrupt, &Interrupt::requested, &loop, &QEventLoop::quit);
        pool.closeAll();
        loop.exec();
    }
    pool.cancel();
    return code;
}

} // namespace wharf::cli
