#pragma once

#include "core/Error.h"

namespace wharf::cli {

// wharf-cli's exit codes; scripts depend on them, so they never change meaning.
enum ExitCode : int
{
    ExitOk = 0,
    ExitUsage = 2,
    ExitNetwork = 3,
    ExitTls = 4,
    ExitAuthentication = 5,
    ExitServer = 6,
    ExitLocalFile = 7,
    ExitInterrupted = 8,
    ExitIncomplete = 9, // a tree copy finished, but entries were refused or could not be read
};

ExitCode exitCodeFor(ErrorKind kind);

} // namespace wharf::cli
