#pragma once

#include "cli/CliContext.h"

namespace wharf::cli {

// wharf-cli store ACTION: the local mail store for scripts and for moving mail in and out:
// import-mbox, export-mbox, import-maildir, list, search, folders, stats, rebuild. Works on
// Local Folders, or with --profile NAME on that account's mail. Returns the exit code.
int runStore(const CliContext &context, const QStringList &arguments);

} // namespace wharf::cli
