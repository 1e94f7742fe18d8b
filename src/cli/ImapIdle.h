#pragma once

#include "cli/ImapCliSupport.h"

namespace wharf::cli {

// wharf-cli imap idle URL/FOLDER | --profile NAME FOLDER [--json]: watches a folder through the
// application's MailboxWatcher and prints each new message as it arrives (uid, date, sender,
// subject; with --json one object per line), until Ctrl+C (exit 8) or a failure a retry cannot fix.
// Lost connections and reconnects are reported on stderr.
int runImapIdle(const CliContext &context, const ImapTarget &target);

} // namespace wharf::cli
