#pragma once

#include "core/Error.h"

#include <optional>

namespace wharf::cli {

// Reads one password for a command: from the terminal with echo off (the prompt goes to
// stderr) when stdin is a terminal, otherwise the first line of stdin, so that scripts can
// pipe it in. Never from the command line, where other users could see it in ps.
// Fails with Usage on empty input, Cancelled on Ctrl+C (the terminal is restored).
std::optional<QString> readPassword(const QString &prompt, Error *error);

} // namespace wharf::cli
