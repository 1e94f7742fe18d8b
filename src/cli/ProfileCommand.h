#pragma once

#include "cli/CliContext.h"

namespace wharf::cli {

// wharf-cli profile list|show|add|remove|export|import|password: account profiles and FTP
// sites, with their passwords in the system keychain (never on the command line, never in
// a file, never printed). Returns the process exit code.
int runProfile(const CliContext &context, const QStringList &arguments);

} // namespace wharf::cli
