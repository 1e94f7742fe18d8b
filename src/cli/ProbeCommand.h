#pragma once

#include "cli/CliContext.h"

namespace wharf::cli {

// wharf-cli probe URL: connect, negotiate TLS and print what the server and its
// certificate say. Returns the process exit code.
int runProbe(const CliContext &context, const QStringList &arguments);

} // namespace wharf::cli
