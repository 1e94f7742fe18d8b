#include "cli/FtpCliSupport.h"

#include "cli/ExitCode.h"
#include "cli/PoolSupport.h"
#include "cli/ProfileLookup.h"
#include "cli/TrustCommand.h"

#include <cstdio>
#include <unistd.h>

namespace wharf::cli {

QByteArray FtpTarget::wirePath() const
{
    return ftp::FtpSession::wirePath(endpoint.path);
}

std::optional<FtpTarget> ftpTarget(const CliContext &context, const QString &profileName,
                                   const QString &where, Error *error)
{
    FtpTarget target;
    if (profileName.isEmpty()) {
        const std::optional<ServerEndpoint> endpoint = context.endpoint(where, error);
        if (!endpoint)
            return std::nullopt;
        if (endpoint->protocol != Protocol::Ftp) {
            *error = Error(ErrorKind::Usage, QStringLiteral("ftp commands take ftps:// or ftp:// "
                                                            "URLs"));
            return std::nullopt;
        }
        target.endpoint = *endpoint;
        return target;
    }
    std::optional<ResolvedProfile> resolved = resolveProfile(context, profileName, error);
    if (!resolved)
        return std::nullopt;
    if (resolved->profile.kind != store::ProfileKind::FtpSite) {
        *error = Error(ErrorKind::Usage,
                       QStringLiteral("\"%1\" is not an FTP site").arg(resolved->profile.name));
        return std::nullopt;
    }
    const std::optional<ServerEndpoint> server = resolved->server(store::PasswordRole::Site);
    if (!server) {
        *error = Error(ErrorKind::Usage,
                       QStringLiteral("\"%1\" has no server").arg(resolved->profile.name));
        return std::nullopt;
    }
    target.endpoint = *server;
    target.endpoint.path = where.startsWith(u'/') ? where.mid(1) : where;
    target.profile = std::move(resolved->profile);
    return target;
}

std::unique_ptr<controllers::FtpConnectionPool> makeFtpPool(const CliContext &context,
                                                            const FtpTarget &target,
                                                            int maxConnections, bool activeMode,
                                                            int *exitCode)
{
    const ServerEndpoint &endpoint = target.endpoint;
    *exitCode = ExitUsage;
    if (endpoint.user.isEmpty()) {
        printError(QStringLiteral("the URL needs a user name: ftp://USER@%1/").arg(endpoint.host));
        return nullptr;
    }
    Error error;
    const std::optional<QString> password =
        passwordFor(endpoint, target.profile, store::PasswordRole::Site, &error);
    if (!password) {
        printError(error.message());
        *exitCode = exitCodeFor(error.kind());
        return nullptr;
    }
    std::optional<store::TrustedCertificate> pin;
    if (const int failed = loadPin(endpoint, &pin)) {
        *exitCode = failed;
        return nullptr;
    }
    controllers::FtpSiteSettings settings;
    settings.endpoint = endpoint;
    settings.password = *password;
    settings.extraCaFile = context.caFile;
    settings.timeoutMs = context.timeoutMs;
    settings.maxConnections = maxConnections;
    settings.activeMode = activeMode || (target.profile && !target.profile->site.passive);
    if (pin)
        settings.pinnedPublicKey = pin->publicKeySha256;
    auto pool = std::make_unique<controllers::FtpConnectionPool>(settings);
    connectPoolToTerminal(pool.get(), context, endpoint.toUrl(), pin);
    *exitCode = ExitOk;
    return pool;
}

QString humanBytes(qint64 bytes)
{
    if (bytes < 1000)
        return QStringLiteral("%1 B").arg(bytes);
    static const char *const units[] = {"kB", "MB", "GB", "TB"};
    double value = double(bytes);
    int unit = -1;
    while (value >= 1000 && unit < 3) {
        value /= 1000;
        ++unit;
    }
    return QStringLiteral("%1 %2").arg(value, 0, 'f', 1).arg(QLatin1StringView(units[unit]));
}

ProgressLine::ProgressLine()
    : m_terminal(isatty(STDERR_FILENO) == 1)
{
    m_clock.start();
}

ProgressLine::~ProgressLine()
{
    finish();
}

void ProgressLine::update(qint64 done, qint64 total, const QString &label)
{
    if (!m_terminal)
        return;
    const qint64 now = m_clock.elapsed();
    if (m_lastDrawMs >= 0 && now - m_lastDrawMs < 200 && (total < 0 || done < total))
        return;
    m_lastDrawMs = now;
    const double seconds = std::max(0.001, now / 1000.0);
    const double rate = done / seconds;
    QString line = label.isEmpty() ? QString() : label + QStringLiteral("  ");
    if (total > 0) {
        line += QStringLiteral("%1% %2 of %3")
                    .arg(int(100.0 * double(done) / double(total)), 3)
                    .arg(humanBytes(done), humanBytes(total));
    } else {
        line += humanBytes(done);
    }
    line += QStringLiteral("  %1/s").arg(humanBytes(qint64(rate)));
    if (total > 0 && rate > 0) {
        const qint64 left = qint64((total - done) / rate);
        line += QStringLiteral("  ETA %1:%2").arg(left / 60).arg(left % 60, 2, 10, QChar(u'0'));
    }
    std::fprintf(stderr, "\r%-78s", line.toLocal8Bit().constData());
    std::fflush(stderr);
    m_shown = true;
}

void ProgressLine::finish()
{
    if (m_shown) {
        std::fprintf(stderr, "\n");
        m_shown = false;
    }
}

} // namespace wharf::cli
