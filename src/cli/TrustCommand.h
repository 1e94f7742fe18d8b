#pragma once

#include "cli/CliContext.h"
#include "controllers/ServerProbe.h"

namespace wharf::cli {

// wharf-cli trust list|remove|add: the certificates the user chose to trust, each pinned to
// one key for one host and port. `trust add` is a script's only way past a certificate the
// system does not trust. Returns the process exit code.
int runTrust(const CliContext &context, const QStringList &arguments);

// For a command that connects: puts the key pinned for the endpoint into the options, and
// makes any other key end the command with exit code 4 and a message that says the key
// changed. Call before probe->start(). Returns ExitOk, or an exit code after printing why
// the trusted certificates cannot be read.
int usePinnedKey(const ServerEndpoint &endpoint, controllers::ServerProbe *probe,
                 controllers::ProbeOptions *options);

} // namespace wharf::cli
