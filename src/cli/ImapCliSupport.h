#pragma once

#include "cli/CliContext.h"
#include "controllers/ImapConnectionPool.h"

#include <memory>

namespace wharf::cli {

// A connection pool for one imap(s):// URL, set up as every `wharf-cli imap` command
// needs it: the password from WHARF_PASSWORD, else the terminal or stdin; the key pinned
// for the server; --cacert, --timeout; --verbose's protocol log and server alerts on
// stderr. Returns nullptr after printing why (and sets *exitCode).
std::unique_ptr<controllers::ImapConnectionPool> makeImapPool(const CliContext &context,
                                                              const ServerEndpoint &endpoint,
                                                              int maxConnections, int *exitCode);

// Prints the error and ends the event loop with its exit code.
void quitWith(const Error &error);

// Runs the event loop until a command calls QCoreApplication::exit; Ctrl+C cancels the
// pool and exits with ExitInterrupted.
int runUntilDone(controllers::ImapConnectionPool &pool);

} // namespace wharf::cli
