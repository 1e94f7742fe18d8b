#pragma once

#include "core/Error.h"
#include "store/MaildirFolder.h"

#include <QStringList>

namespace wharf::store {

// What a folder is for; the store creates one of each in every account.
enum class FolderRole
{
    None,
    Inbox,
    Drafts,
    Sent,
    Trash,
    Outbox, // messages waiting to be sent; one leaves only once the server accepted it
};

QString folderRoleName(FolderRole role);
FolderRole folderRoleFromName(QStringView name);

// The folders of one account as a Maildir++ tree, the layout Dovecot and Courier use and
// mutt reads: the root is INBOX, "Lists/Qt" is the directory ".Lists.Qt". Wharf names use
// '/' between levels; characters that would break the layout ('.', '/', '%', controls) are
// written %XX so any name the user types survives the round trip.
class MaildirTree
{
public:
    explicit MaildirTree(QString rootPath = {})
        : m_root(std::move(rootPath))
    {}

    static constexpr char16_t kInbox[] = u"INBOX";

    const QString &rootPath() const { return m_root; }
    // nullopt (and an error) for names that cannot be folders: empty levels, "." or "..".
    std::optional<MaildirFolder> folder(const QString &name, Error *error = nullptr) const;
    Error listFolderNames(QStringList *names) const;

    static QString directoryNameFor(const QString &name);
    static std::optional<QString> folderNameFor(const QString &directoryName);
    static QString defaultNameFor(FolderRole role);

private:
    QString m_root;
};

} // namespace wharf::store
