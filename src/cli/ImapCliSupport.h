#pragma once

#include "cli/CliContext.h"
#include "cli/PoolSupport.h"
#include "controllers/ImapConnectionPool.h"
#include "store/Profile.h"

#include <memory>
#include <optional>

namespace wharf::store {
class MailStore;
}

namespace wharf::cli {

// What an imap command talks to: the server and folder of an imap(s):// URL, or with
// `--profile NAME` a saved mail account's incoming server, its settings, and a
// FOLDER[/;UID=N] path.
struct ImapTarget
{
    ServerEndpoint endpoint;
    std::optional<store::Profile> profile;
};

// Takes `--profile NAME` out of arguments when it is there (*profileName stays empty when
// not); false when NAME is missing.
bool takeProfileOption(QStringList &arguments, QString *profileName);

// `where` is a URL, or with a profile the folder path. Usage errors name the problem.
std::optional<ImapTarget> imapTarget(const CliContext &context, const QString &profileName,
                                     const QString &where, Error *error);

// A connection pool for one target, set up as every `wharf-cli imap` command needs it: the
// password from the keychain for a profile, else WHARF_PASSWORD, else the terminal or
// stdin; the key pinned for the server; --cacert, --timeout; --verbose's protocol log and
// server alerts on stderr. A profile's connection limit replaces maxConnections. Returns
// nullptr after printing why (and sets *exitCode).
std::unique_ptr<controllers::ImapConnectionPool> makeImapPool(const CliContext &context,
                                                              const ImapTarget &target,
                                                              int maxConnections, int *exitCode);

// Opens the local store an imap command reads or writes: `storeDir` when given, else the
// profile's account store (as `store --profile` reads it).
Error openTargetStore(const ImapTarget &target, QString storeDir, store::MailStore *store);

} // namespace wharf::cli
