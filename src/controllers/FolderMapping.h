#pragma once

#include "core/Error.h"
#include "store/MaildirTree.h"
#include "store/Profile.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QObject>
#include <QPointer>

namespace wharf::store {
class MailStore;
}

namespace wharf::imap {
class ImapSession;
struct ListEntry;
} // namespace wharf::imap

namespace wharf::controllers {

class ImapConnectionPool;

// A role folder of the store that now mirrors a server mailbox.
struct MappedFolder
{
    store::FolderRole role = store::FolderRole::None;
    qint64 folderId = 0;
    QByteArray remoteName; // the mailbox's name on the wire
    QString mailbox;       // decoded, for display
};

// Points the store's Sent, Drafts and Trash at the server mailboxes marked \Sent, \Drafts and
// \Trash (RFC 6154 SPECIAL-USE), so a server's "Sent Messages" fills the store's Sent rather
// than a new folder of that name. Only a role folder that mirrors nothing yet is pointed, and
// only at a mailbox no other folder mirrors: what a sync set up before is never moved, and
// nothing is renamed or deleted. The store has no Junk or Archive role, so those mailboxes
// stay ordinary folders. A mailbox the account's profile names for a role (folder_roles)
// wins over the server's marks. Run it before the first sync of an account.
class FolderMapping : public QObject
{
    Q_OBJECT
public:
    FolderMapping(ImapConnectionPool *pool, store::MailStore *store, QObject *parent = nullptr);
    ~FolderMapping() override;

    // The choices of an account's profile for the roles the store has (its Archive and Junk
    // stay ordinary folders).
    static QMap<store::FolderRole, QString> preferredMailboxesOf(const store::MailAccount &account);
    // The mailboxes (decoded names, as LIST shows them) the user chose for roles.
    void setPreferredMailboxes(const QMap<store::FolderRole, QString> &mailboxes)
    {
        m_preferred = mailboxes;
    }

    // LIST on a session of the pool, then the store updated; finished() follows, never from
    // inside start().
    void start();

    const Error &error() const { return m_error; }
    // What this run set, in the server's LIST order.
    const QList<MappedFolder> &mapped() const { return m_mapped; }

Q_SIGNALS:
    void finished();

private:
    void onSession(imap::ImapSession *session);
    Error apply(const QList<imap::ListEntry> &entries);
    Error map(store::FolderRole role, const imap::ListEntry &entry);
    void finish(const Error &error);

    QPointer<ImapConnectionPool> m_pool;
    store::MailStore *m_store;
    QPointer<imap::ImapSession> m_session;
    QMap<store::FolderRole, QString> m_preferred;
    QList<MappedFolder> m_mapped;
    Error m_error;
    bool m_running = false;
};

} // namespace wharf::controllers
