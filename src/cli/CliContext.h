#pragma once

#include "core/Error.h"
#include "core/ServerEndpoint.h"

#include <QStringList>
#include <optional>

namespace wharf::cli {

// The global options every command shares.
struct CliContext
{
    QString caFile;
    std::optional<TlsMode> tlsOverride;
    bool json = false;
    bool verbose = false;
    int timeoutMs = 30'000;

    std::optional<ServerEndpoint> endpoint(const QString &url, Error *error) const;
};

// Prints one line to stderr, prefixed "wharf-cli: ".
void printError(const QString &message);
void printOut(const QString &text);

} // namespace wharf::cli
