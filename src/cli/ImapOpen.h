#pragma once

#include "cli/CliContext.h"

namespace wharf::cli {

// wharf-cli imap open URL --store DIR ID | --profile NAME ID [-o FILE]: the message of that
// id in the store (the id `store list` and `store search` print), its body fetched from the
// server first when only its headers are here. Prints the local copy's path, or writes the
// message to FILE (- for stdout).
int runImapOpen(const CliContext &context, const QStringList &arguments);

} // namespace wharf::cli
