#include "cli/ProfileLookup.h"

#include "store/ProfileStore.h"

#include <QEventLoop>

#include <functional>

namespace wharf::cli {

namespace {

using store::PasswordRole;
using store::PasswordStore;

// Starts one keychain request and waits for the signal that ends it: each request ends
// with exactly one of PasswordStore's signals for its id and role.
KeychainAnswer runKeychain(PasswordStore &keychain, const QString &profileId, PasswordRole role,
                           const std::function<void()> &request)
{
    KeychainAnswer answer;
    QEventLoop loop;
    bool finished = false;
    auto end = [&] {
        finished = true;
        loop.quit();
    };
    auto mine = [&profileId, role](const QString &id, PasswordRole r) {
        return id == profileId && r == role;
    };
    // The loop is the context of every connection: they end with it.
    QObject::connect(&keychain, &PasswordStore::passwordRead, &loop,
                     [&](const QString &id, PasswordRole r, const QString &p) {
                         if (mine(id, r)) {
                             answer.password = p;
                             end();
                         }
                     });
    auto done = [&](const QString &id, PasswordRole r) {
        if (mine(id, r))
            end();
    };
    QObject::connect(&keychain, &PasswordStore::passwordNotFound, &loop, done);
    QObject::connect(&keychain, &PasswordStore::passwordWritten, &loop, done);
    QObject::connect(&keychain, &PasswordStore::passwordRemoved, &loop, done);
    QObject::connect(&keychain, &PasswordStore::errorOccurred, &loop,
                     [&](const QString &id, PasswordRole r, const Error &error) {
                         if (mine(id, r)) {
                             answer.error = error;
                             end();
                         }
                     });
    request();
    if (!finished) // an answer given at once would otherwise be missed by exec()
        loop.exec();
    return answer;
}

} // namespace

std::optional<ServerEndpoint> ResolvedProfile::server(PasswordRole role) const
{
    for (const ProfileServer &entry : servers) {
        if (entry.role == role)
            return entry.endpoint;
    }
    return std::nullopt;
}

QList<ProfileServer> profileServers(const store::Profile &profile,
                                    std::optional<TlsMode> tlsOverride)
{
    QList<ProfileServer> servers;
    if (profile.kind == store::ProfileKind::Mail) {
        servers.append({PasswordRole::Incoming, profile.mail.incoming});
        if (profile.mail.outgoing)
            servers.append({PasswordRole::Outgoing, *profile.mail.outgoing});
    } else {
        ServerEndpoint site = profile.site.server;
        site.path = profile.site.initialRemoteFolder;
        servers.append({PasswordRole::Site, site});
    }
    if (tlsOverride) {
        for (ProfileServer &server : servers)
            server.endpoint.tlsMode = *tlsOverride;
    }
    return servers;
}

std::optional<store::Profile> findProfile(const store::ProfileStore &profiles, const QString &name,
                                          Error *error)
{
    std::optional<store::Profile> profile = profiles.find(name);
    if (!profile && error) {
        *error =
            Error(ErrorKind::Usage,
                  QStringLiteral("No profile named \"%1\" (see wharf-cli profile list)").arg(name));
    }
    return profile;
}

std::optional<ResolvedProfile> resolveProfile(const CliContext &context, const QString &name,
                                              Error *error)
{
    store::ProfileStore profiles;
    if (Error loadError = profiles.load()) {
        if (error)
            *error = loadError;
        return std::nullopt;
    }
    const auto profile = findProfile(profiles, name, error);
    if (!profile)
        return std::nullopt;
    return ResolvedProfile{*profile, profileServers(*profile, context.tlsOverride)};
}

KeychainAnswer readPasswordNow(PasswordStore &keychain, const QString &profileId, PasswordRole role)
{
    return runKeychain(keychain, profileId, role, [&] { keychain.readPassword(profileId, role); });
}

Error writePasswordNow(PasswordStore &keychain, const QString &profileId, PasswordRole role,
                       const QString &password)
{
    return runKeychain(keychain, profileId, role,
                       [&] { keychain.writePassword(profileId, role, password); })
        .error;
}

Error removePasswordNow(PasswordStore &keychain, const QString &profileId, PasswordRole role)
{
    return runKeychain(keychain, profileId, role, [&] { keychain.removePassword(profileId, role); })
        .error;
}

} // namespace wharf::cli
