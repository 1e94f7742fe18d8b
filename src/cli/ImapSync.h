#pragma once

#include "cli/CliContext.h"

namespace wharf::cli {

// wharf-cli imap sync URL/FOLDER --store DIR [--headers-only]: brings a local store (the
// Maildir tree of one account) up to date with a server folder, through the same
// MailboxSync the application runs. Prints what changed and how long it took.
int runImapSync(const CliContext &context, const QStringList &arguments);

} // namespace wharf::cli
