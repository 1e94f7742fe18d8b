#pragma once

#include "cli/CliContext.h"

namespace wharf::cli {

// wharf-cli imap folders|list|get|append: an IMAP server as a script sees it, through the
// same connection pool and commands the application uses. Returns the exit code.
int runImap(const CliContext &context, const QStringList &arguments);

} // namespace wharf::cli
