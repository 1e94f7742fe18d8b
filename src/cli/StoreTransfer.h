#pragma once

#include "cli/CliContext.h"

namespace wharf::cli {

// Moving mail in and out of the store: `store import-mbox`, `store export-mbox` and
// `store import-maildir`. Imports stream, one message in memory at a time, and count a
// message as imported only once the store has made it durable; Ctrl-C stops after making
// what was written durable (exit 8), a full disk stops with the file system's reason
// (exit 7). An export is all or nothing: the file appears complete or not at all.
int runImportMbox(const CliContext &context, const QStringList &arguments);
int runExportMbox(const CliContext &context, const QStringList &arguments);
int runImportMaildir(const CliContext &context, const QStringList &arguments);

} // namespace wharf::cli
