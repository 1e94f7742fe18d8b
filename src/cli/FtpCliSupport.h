#pragma once

#include "cli/CliContext.h"
#include "controllers/FtpConnectionPool.h"
#include "store/Profile.h"

#include <QElapsedTimer>
#include <memory>
#include <optional>

namespace wharf::cli {

// What an ftp command talks to: the site and path of an ftp(s):// URL, or with
// `--profile NAME` a saved site and a path on it.
struct FtpTarget
{
    ServerEndpoint endpoint; // path: relative to the login directory, as curl reads URLs
    std::optional<store::Profile> profile;

    QByteArray wirePath() const;
};

std::optional<FtpTarget> ftpTarget(const CliContext &context, const QString &profileName,
                                   const QString &where, Error *error);

// The pool for one site, set up as every `wharf-cli ftp` command needs it (password,
// pinned key, --cacert, --timeout, --verbose; active mode when asked or the saved site
// says so). Returns nullptr after printing why.
std::unique_ptr<controllers::FtpConnectionPool> makeFtpPool(const CliContext &context,
                                                            const FtpTarget &target,
                                                            int maxConnections, bool activeMode,
                                                            int *exitCode);

// "  42% 12.3 MB of 29.0 MB  85.2 MB/s  ETA 0:01" on stderr, rewritten in place, when
// stderr is a terminal; nothing otherwise (scripts and logs get the final summary only).
class ProgressLine
{
public:
    ProgressLine();
    ~ProgressLine();
    void update(qint64 done, qint64 total, const QString &label = {});
    void finish();

private:
    bool m_terminal;
    bool m_shown = false;
    QElapsedTimer m_clock;
    qint64 m_lastDrawMs = -1;
};

QString humanBytes(qint64 bytes);

} // namespace wharf::cli
