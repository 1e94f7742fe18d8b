#pragma once

#include "cli/CliContext.h"
#include "store/PasswordStore.h"
#include "store/Profile.h"
#include "store/TrustedCertificates.h"

#include <optional>

namespace wharf::controllers {
class SessionPool;
}

namespace wharf::cli {

// Where a password comes from: a saved profile's from the keychain; a URL's from
// WHARF_PASSWORD (scripts, tests); else the terminal or the first line of stdin. Never the
// command line.
std::optional<QString> passwordFor(const ServerEndpoint &endpoint,
                                   const std::optional<store::Profile> &profile,
                                   store::PasswordRole role, Error *error);

// What every command's pool needs from the command line: a certificate question answered
// by the key pinned for the server (or refused), and with --verbose the protocol log on
// stderr.
void connectPoolToTerminal(controllers::SessionPool *pool, const CliContext &context,
                           const QString &url, const std::optional<store::TrustedCertificate> &pin);

// Prints the error and ends the event loop with its exit code.
void quitWith(const Error &error);

// Runs the event loop until a command calls QCoreApplication::exit; Ctrl+C cancels the
// pool and exits with ExitInterrupted. Then the sessions end: politely (QUIT, LOGOUT) when
// asked and not interrupted, waiting at most a few seconds for the servers; else at once.
enum class Goodbye
{
    Abort,
    Polite,
};
int runUntilDone(controllers::SessionPool &pool, Goodbye goodbye = Goodbye::Abort);

} // namespace wharf::cli
