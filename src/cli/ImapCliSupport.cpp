#include "cli/ImapCliSupport.h"

#include "cli/ExitCode.h"
#include "cli/PoolSupport.h"
#include "cli/ProfileLookup.h"
#include "cli/TrustCommand.h"
#include "store/MailStore.h"
#include "store/PasswordStore.h"
#include "store/StoragePaths.h"

#include <QCoreApplication>

#include <cstdio>

namespace wharf::cli {

bool takeProfileOption(QStringList &arguments, QString *profileName)
{
    profileName->clear();
    const qsizetype at = arguments.indexOf(QStringLiteral("--profile"));
    if (at < 0)
        return true;
    if (at + 1 >= arguments.size() || arguments.at(at + 1).isEmpty())
        return false;
    *profileName = arguments.at(at + 1);
    arguments.remove(at, 2);
    return true;
}

std::optional<ImapTarget> imapTarget(const CliContext &context, const QString &profileName,
                                     const QString &where, Error *error)
{
    ImapTarget target;
    if (profileName.isEmpty()) {
        const std::optional<ServerEndpoint> endpoint = context.endpoint(where, error);
        if (!endpoint)
            return std::nullopt;
        target.endpoint = *endpoint;
        return target;
    }
    std::optional<ResolvedProfile> resolved = resolveProfile(context, profileName, error);
    if (!resolved)
        return std::nullopt;
    const std::optional<ServerEndpoint> incoming = resolved->server(store::PasswordRole::Incoming);
    if (resolved->profile.kind != store::ProfileKind::Mail || !incoming ||
        incoming->protocol != Protocol::Imap) {
        *error = Error(ErrorKind::Usage,
                       QStringLiteral("\"%1\" has no IMAP server").arg(resolved->profile.name));
        return std::nullopt;
    }
    target.endpoint = *incoming;
    target.endpoint.path = where;
    target.profile = std::move(resolved->profile);
    return target;
}

std::unique_ptr<controllers::ImapConnectionPool>
makeImapPool(const CliContext &context, const ImapTarget &target, int maxConnections, int *exitCode)
{
    const ServerEndpoint &endpoint = target.endpoint;
    using controllers::ImapConnectionPool;
    *exitCode = ExitUsage;
    if (endpoint.protocol != Protocol::Imap) {
        printError(QStringLiteral("imap commands take imaps:// or imap:// URLs"));
        return nullptr;
    }
    if (endpoint.user.isEmpty()) {
        printError(
            QStringLiteral("the URL needs a user name: imaps://USER@%1/").arg(endpoint.host));
        return nullptr;
    }
    Error error;
    const std::optional<QString> password =
        passwordFor(endpoint, target.profile, store::PasswordRole::Incoming, &error);
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

    controllers::ImapAccountSettings settings;
    settings.endpoint = endpoint;
    settings.password = *password;
    settings.extraCaFile = context.caFile;
    settings.timeoutMs = context.timeoutMs;
    settings.maxConnections =
        target.profile ? target.profile->mail.imapConnections : maxConnections;
    if (pin)
        settings.pinnedPublicKey = pin->publicKeySha256;
    auto pool = std::make_unique<ImapConnectionPool>(settings);
    connectPoolToTerminal(pool.get(), context, endpoint.toUrl(), pin);
    QObject::connect(pool.get(), &ImapConnectionPool::alert, [](const QString &text) {
        printError(QStringLiteral("server alert: %1").arg(text));
    });
    *exitCode = ExitOk;
    return pool;
}

Error openTargetStore(const ImapTarget &target, QString storeDir, store::MailStore *store)
{
    if (storeDir.isEmpty() && target.profile)
        storeDir = store::accountMailDirectory(target.profile->id);
    if (storeDir.isEmpty())
        return Error(ErrorKind::Usage, QStringLiteral("--store DIR or --profile NAME is needed"));
    return store->open(storeDir);
}

} // namespace wharf::cli
