#pragma once

#include "cli/CliContext.h"
#include "store/PasswordStore.h"
#include "store/Profile.h"
#include "store/ProfileStore.h"

#include <QList>
#include <optional>

namespace wharf::cli {

// One server of a profile, with the keychain role of its password.
struct ProfileServer
{
    store::PasswordRole role;
    ServerEndpoint endpoint;
};

// What a protocol command needs from `--profile NAME`: the profile and its servers, in
// the order a check goes through them (incoming, then outgoing; or the FTP site). The
// global --tls override applies to them as it does to a URL.
struct ResolvedProfile
{
    store::Profile profile;
    QList<ProfileServer> servers;

    std::optional<ServerEndpoint> server(store::PasswordRole role) const;
};

QList<ProfileServer> profileServers(const store::Profile &profile,
                                    std::optional<TlsMode> tlsOverride = {});

// NAME (or an id) in a loaded profiles file; Usage error for an unknown name.
std::optional<store::Profile> findProfile(const store::ProfileStore &profiles, const QString &name,
                                          Error *error);

// Loads the profiles file and finds NAME (or an id). Errors: Usage for an unknown name,
// LocalFile for an unreadable profiles file.
std::optional<ResolvedProfile> resolveProfile(const CliContext &context, const QString &name,
                                              Error *error);

// The keychain, one request at a time, for commands that need an answer before going on.
// Each runs a local event loop until the PasswordStore answers. No Interrupt of its own (a
// command may hold one); a keychain write is atomic in the keychain service anyway.
struct KeychainAnswer
{
    Error error;                     // set when the keychain failed or is unavailable
    std::optional<QString> password; // read: the password; empty when none is stored
};

KeychainAnswer readPasswordNow(store::PasswordStore &keychain, const QString &profileId,
                               store::PasswordRole role);
Error writePasswordNow(store::PasswordStore &keychain, const QString &profileId,
                       store::PasswordRole role, const QString &password);
Error removePasswordNow(store::PasswordStore &keychain, const QString &profileId,
                        store::PasswordRole role);

} // namespace wharf::cli
