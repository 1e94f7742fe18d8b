#pragma once

#include "core/Error.h"
#include "protocols/imap/ImapSession.h"
#include "protocols/imap/SequenceSet.h"
#include "store/RemoteState.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>

#include <memory>

namespace wharf::store {
class MailStore;
}

namespace wharf::imap {
struct FetchData;
struct VanishedData;
} // namespace wharf::imap

namespace wharf::controllers {

class ImapConnectionPool;
class BodyDownload;
class ActionReplayer;

struct MailboxSyncOptions
{
    // Bodies for offline reading: none, or every message that arrived at or after this
    // time (ms since the epoch; 0 with downloadBodies: all of them).
    bool downloadBodies = false;
    qint64 bodiesSince = 0;
    // Header batches grow from the first (the first screenful, quickly) while the server
    // answers a batch within the target time.
    int firstBatch = 200;
    int maxBatch = 5000;
    int batchTargetMs = 500;
};

struct MailboxSyncReport
{
    enum class Method
    {
        FirstSync, // nothing known: every header
        Qresync,   // RFC 7162 QRESYNC: the server said what changed
        Condstore, // CHANGEDSINCE for flags, a UID search for expunges
        FullDiff,  // flags of every message, compared
    };
    Method method = Method::FirstSync;
    bool uidValidityChanged = false;
    qint64 added = 0;
    qint64 flagsChanged = 0;
    qint64 actionsReplayed = 0; // local changes sent to the server first
    qint64 actionsRefused = 0;
    qint64 removed = 0;
    qint64 bodies = 0;
    qint64 elapsedMs = 0;
};

QString methodName(MailboxSyncReport::Method method);

// Brings one local folder up to date with its server mailbox (Trojitá's
// ObtainSynchronizedMailboxTask; FileZilla-style steps). First visit: the headers of the
// newest messages first, in batches sized by the server's response time, so the first
// screenful is in the store within a second and the rest streams in with progress. Later
// visits: local changes still queued go to the server first (ActionReplayer), so the
// server's answer cannot undo them; then QRESYNC or CONDSTORE when offered, else a flag
// and UID diff. A UIDVALIDITY change
// drops the folder's cached server messages and starts over (local-only ones stay). The
// folder's sync state is saved only when everything is in the store, so an interrupted
// sync repeats its work next time but never skips any.
class MailboxSync : public QObject
{
    Q_OBJECT
public:
    // Headers of a running batch go into the store this many at a time.
    static constexpr qsizetype kStoreEvery = 1000;

    MailboxSync(ImapConnectionPool *pool, store::MailStore *store, QObject *parent = nullptr);
    ~MailboxSync() override;

    // The mailbox as the user names it ("INBOX", "Lists/Qt"); its local folder is the one
    // mirroring it, created (INBOX: the store's Inbox) when there is none.
    void start(const QString &mailbox, const MailboxSyncOptions &options = {});
    void cancel();

    const MailboxSyncReport &report() const { return m_report; }
    const Error &error() const { return m_error; }
    qint64 folderId() const { return m_folderId; }

Q_SIGNALS:
    // A queued local change the server refused; the store was corrected.
    void actionRefused(const wharf::Error &error);
    // Headers stored so far out of those to fetch (first visit or new messages).
    void progress(qint64 done, qint64 total);
    void bodyProgress(qint64 done, qint64 total);
    void finished();

private:
    void onSession(imap::ImapSession *session);
    Error resolveFolder();
    void replayLocalActions();
    void select();
    void onSelected();
    void applyQresync();
    void fetchChangedFlags();
    void searchServerUids(quint32 below, bool forNewMessages);
    void fetchAllFlags();
    void applyFlagChanges(const QList<imap::FetchData> &changes);
    Error removeGone(const imap::SequenceSet &serverUids);
    void fetchNewHeaders(const imap::SequenceSet &uids);
    void fetchNextHeaderBatch();
    // Into the store, counted and reported as progress; rows is emptied.
    Error storeHeaders(QList<store::RemoteHeaders> &rows);
    void downloadBodies();
    void saveState();
    void fail(const Error &error);
    void finish();

    QPointer<ImapConnectionPool> m_pool;
    store::MailStore *m_store;
    QPointer<imap::ImapSession> m_session;
    QString m_mailbox;
    QByteArray m_wireName;
    MailboxSyncOptions m_options;
    qint64 m_folderId = 0;
    store::RemoteFolderState m_state;
    imap::SelectedMailbox m_selected;
    // During a QRESYNC SELECT: what the server said changed.
    imap::SequenceSet m_vanished;
    QList<imap::FetchData> m_changed;
    // Header download: UIDs still to fetch, newest first, and the batch size.
    QList<quint32> m_pending;
    qint64 m_headerTotal = 0;
    qint64 m_headerDone = 0;
    int m_batch = 0;
    int m_inFlight = 0;
    quint32 m_highestUid = 0;
    std::unique_ptr<BodyDownload> m_bodies;
    std::unique_ptr<ActionReplayer> m_replayer;
    MailboxSyncReport m_report;
    Error m_error;
    QElapsedTimer m_clock;
    bool m_finished = false;
};

} // namespace wharf::controllers
