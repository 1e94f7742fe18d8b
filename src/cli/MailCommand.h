#pragma once

#include "cli/CliContext.h"

namespace wharf::cli {

// wharf-cli mail parse FILE... : what Wharf makes of messages (and mbox files), for
// scripts and for comparing with other parsers. Returns the process exit code.
int runMail(const CliContext &context, const QStringList &arguments);

} // namespace wharf::cli
