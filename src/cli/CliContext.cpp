#include "cli/CliContext.h"

#include <cstdio>

namespace wharf::cli {

std::optional<ServerEndpoint> CliContext::endpoint(const QString &url, Error *error) const
{
    return ServerEndpoint::fromUrl(url, error, tlsOverride);
}

void printError(const QString &message)
{
    std::fprintf(stderr, "wharf-cli: %s\n", qUtf8Printable(message));
}

void printOut(const QString &text)
{
    std::fputs(qUtf8Printable(text), stdout);
    std::fflush(stdout);
}

} // namespace wharf::cli
