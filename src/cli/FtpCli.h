#pragma once

#include "cli/CliContext.h"

namespace wharf::cli {

// wharf-cli ftp ls|get|put|mkdir|rm|rmdir|mv|chmod: an FTP site as a script sees it, through
// the same pool, transfers and commands the application uses. Returns the exit code.
int runFtp(const CliContext &context, const QStringList &arguments);

} // namespace wharf::cli
