#pragma once

#include "core/Error.h"
#include "store/MaildirTree.h"

#include <QByteArray>
#include <QList>
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
// stay ordinary folders. Run it before the first sync of an account.
class FolderMapping : public QObject
{
    Q_OBJECT
public:
    FolderMapping(ImapConnectionPool *pool, store::MailStore *store, QObject *parent = nullptr);
    ~FolderMapping() override;

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
    void finish(const Error &error);

    QPointer<ImapConnectionPool> m_pool;
    store::MailStore *m_store;
    QPointer<imap::ImapSession> m_session;
    QList<MappedFolder> m_mapped;
    Error m_error;
    bool m_running = false;
};

} // namespace wharf::controllers
