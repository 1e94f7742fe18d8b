#pragma once

#include "core/Error.h"
#include "core/ServerEndpoint.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <optional>

namespace wharf::store {

// A profile never holds a password or token: those live in the system keychain (see
// PasswordStore), keyed by the profile id. The types below have no field for one, and the
// JSON reader refuses any object that carries one.

enum class ProfileKind
{
    Mail,
    FtpSite
};

QString profileKindName(ProfileKind kind); // "mail", "ftp-site"

// The remote folders a mail account uses for special purposes; unset means autodetect
// (IMAP SPECIAL-USE, then the usual names).
enum class RemoteFolderRole
{
    Drafts,
    Sent,
    Trash,
    Archive,
    Junk
};

QString remoteFolderRoleName(RemoteFolderRole role); // "drafts", "sent", ...
std::optional<RemoteFolderRole> remoteFolderRoleFromName(const QString &name);

struct Identity
{
    QString displayName;
    QString address;
    QString signature;

    friend bool operator==(const Identity &, const Identity &) = default;
};

struct MailAccount
{
    QList<Identity> identities;             // the first one is the default
    ServerEndpoint incoming;                // IMAP or POP3; path unused
    bool leaveOnServer = true;              // POP3 only
    int deleteFromServerAfterDays = 0;      // POP3 only; 0 = never
    std::optional<ServerEndpoint> outgoing; // SMTP; none = this account does not send
    QMap<RemoteFolderRole, QString> folderRoles;
    int checkIntervalMinutes = 5; // new mail without IDLE (POP3, or IMAP servers without it)
    int imapConnections = 3;      // IMAP only: connections open at once
    int offlineDays = 0;          // IMAP only: bodies kept for offline reading; 0 = all
};

inline constexpr int kMaxImapConnections = 10;
inline constexpr int kMaxCheckIntervalMinutes = 24 * 60;

struct FtpSite
{
    ServerEndpoint server; // FTP; path unused
    QString initialRemoteFolder;
    QString initialLocalFolder;
    bool passive = true;
    int parallelTransfers = 2;
    QString publicUrlPrefix; // e.g. https://files.example.com/pub/ ; empty = no links
};

inline constexpr int kMinParallelTransfers = 1;
inline constexpr int kMaxParallelTransfers = 10;

struct Profile
{
    QString id; // QUuid without braces; stable for the profile's life, keys the keychain
    QString name;
    ProfileKind kind = ProfileKind::Mail;
    MailAccount mail; // meaningful when kind == Mail
    FtpSite site;     // meaningful when kind == FtpSite

    static QString newId();

    // Everything a profile must satisfy, except the uniqueness of its name, which is the
    // store's business. An empty id is accepted (a profile not added yet).
    Error validate(ErrorKind kind = ErrorKind::Usage) const;

    QJsonObject toJson() const;
    // Reads and validates one profile. Bad data is reported with errorKind (Usage for what
    // a user handed in, LocalFile for Wharf's own file). The id may be absent (exports).
    static std::optional<Profile> fromJson(const QJsonObject &object, ErrorKind errorKind,
                                           Error *error);
};

bool operator==(const Profile &a, const Profile &b);

// The first key inside value (at any depth) that looks like it holds a credential, such
// as "password" or "token"; empty when there is none.
QString findSecretKey(const QJsonValue &value);

} // namespace wharf::store
