#pragma once

#include "core/Error.h"
#include "store/IndexDatabase.h"
#include "store/MailIndex.h"
#include "store/MaildirTree.h"
#include "store/MessageRecord.h"
#include "store/MessageSummary.h"
#include "store/PendingActions.h"
#include "store/RemoteIndex.h"
#include "store/RemoteState.h"
#include "store/TextIndexWriter.h"
#include "store/Threading.h"

#include <QHash>
#include <QList>
#include <functional>
#include <memory>
#include <optional>

class QIODevice;

namespace wharf::store {

struct AddOptions
{
    MessageFlags flags;
    QString extraFlags;
    RemoteId remote;
    // When the message arrived (ms since the epoch). 0: the Date header, else now. The
    // file's mtime keeps it, as Dovecot does, so a rebuild from the Maildir gets it back.
    qint64 internalDate = 0;
};

// A body fetched for a headers-only row (MailStore::attachBodies): its bytes, or, for a big
// message streamed to disk, the path of the complete file the caller wrote. That file is
// copied in, never moved (it may live on another file system, with the caller's
// permissions); the caller deletes it afterwards either way.
struct BodyAttachment
{
    qint64 id = 0;
    QByteArray raw;
    QString sourcePath; // when set, raw is ignored
};

struct StoreStatistics
{
    qint64 folders = 0;
    qint64 messages = 0;
    qint64 bytes = 0;
    qint64 localCopies = 0;
    qint64 unread = 0;
    qint64 textBacklog = 0; // bodies whose words are not searchable yet
};

// One account's mail: a Maildir++ tree (the truth, readable by mutt, Dovecot and backup
// scripts) and its SQLite index (what lists and searches read). Every change reaches the
// Maildir first, durably, then the index; the index remembers each folder's directory
// times, so on open a folder changed behind its back (by a crash between the two steps, or
// by another program) is rescanned and the index made to match. Synchronous: the caller
// decides which thread it lives in; it is not shared between threads.
class MailStore
{
public:
    static constexpr char16_t kIndexFileName[] = u"wharf-index.sqlite";

    MailStore();
    ~MailStore();
    MailStore(const MailStore &) = delete;
    MailStore &operator=(const MailStore &) = delete;

    // Creates what is missing (root, INBOX, Drafts, Sent, Trash, Outbox, the index),
    // recreates a damaged or deleted index and brings the index up to date with the Maildir.
    Error open(const QString &rootPath);
    const QString &rootPath() const { return m_tree.rootPath(); }
    // For a QTemporaryFile that holds a body while it downloads: on the store's own disk
    // (a tmpfs /tmp would hold a 50 MB attachment in memory), in the Inbox's tmp/, whose
    // stale files the next open removes if a crash leaves one behind.
    QString spoolFileTemplate() const { return rootPath() + QStringLiteral("/tmp/spool-XXXXXX"); }
    // True when open() had to build the index from the Maildir (new, deleted or damaged).
    bool indexWasRebuilt() const { return m_rebuilt; }
    // How many messages the last reconciliation added, updated or dropped.
    qint64 reconciledChanges() const { return m_reconciledChanges; }
    // Why open() could not bring the index up to date with the Maildir, if it could not.
    const Error &reconcileError() const { return m_reconcileError; }

    const QList<FolderRecord> &folders() const { return m_folders; }
    std::optional<FolderRecord> folder(const QString &name) const;
    std::optional<FolderRecord> folder(qint64 id) const;
    std::optional<FolderRecord> folderForRole(FolderRole role) const;
    Error createFolder(const QString &name, qint64 *id = nullptr);

    // Adds one message durably; returns when both the file and its index row are written.
    Error addMessage(qint64 folderId, const QByteArray &raw, const AddOptions &options,
                     qint64 *id = nullptr);
    // Streams a message to disk first, then reads it back once for the index: the caller
    // never holds it in memory.
    Error addMessage(qint64 folderId, QIODevice &source, const AddOptions &options,
                     qint64 *id = nullptr);
    // A message whose body stays on the server: only its headers and index row are kept.
    Error addHeadersOnly(qint64 folderId, const QByteArray &headers, const AddOptions &options,
                         qint64 *id = nullptr);

    // Bulk adds (imports) write each message to tmp/, then make the whole batch durable
    // with one file-system sync before renaming it into place and indexing it in one
    // transaction. A message counts as added once flushBatch() returned without error.
    Error addToBatch(qint64 folderId, const QByteArray &raw, const AddOptions &options);
    Error flushBatch(qint64 *added = nullptr);
    // Drops the messages added since the last flush (they were never acknowledged).
    void discardBatch();
    qsizetype pendingBatchSize() const { return m_batch.size(); }

    Error setFlags(qint64 id, MessageFlags flags);
    Error changeFlags(qint64 id, MessageFlags add, MessageFlags remove);
    // A message moved to another folder leaves its IMAP uid behind: the uid names it in the
    // old folder's mailbox only. The sync gives it the new one (setRemoteUid) once the
    // server has moved it too.
    Error move(qint64 id, qint64 folderId);
    Error copy(qint64 id, qint64 folderId, qint64 *newId = nullptr);
    // Delete as the user means it: into Trash; in Trash, marked deleted until expunged.
    Error moveToTrash(qint64 id);
    Error expunge(qint64 folderId, qint64 *removed = nullptr);
    Error removePermanently(qint64 id);

    Error message(qint64 id, std::optional<MessageRecord> *record);
    Error readMessage(qint64 id, QByteArray *raw);
    QString messageFilePath(const MessageRecord &record) const;

    Error page(qint64 folderId, qint64 offset, qint64 limit, QList<MessageRecord> *records,
               bool newestFirst = true);
    // The page after a row already shown (its date and id), in the same order.
    Error pageAfter(qint64 folderId, const MessageRecord &last, qint64 limit,
                    QList<MessageRecord> *records, bool newestFirst = true);
    Error count(qint64 folderId, qint64 *total, qint64 *unread = nullptr);
    Error findByMessageId(const QByteArray &messageId, QList<MessageRecord> *records);
    Error search(const QString &query, qint64 folderId, qint64 limit,
                 QList<MessageRecord> *records);
    // The folder's conversations (JWZ threading on Message-ID, References, In-Reply-To) as
    // the rows of a threaded list, top to bottom.
    Error threads(qint64 folderId, SubjectGrouping grouping, QList<ThreadRow> *rows);
    Error statistics(StoreStatistics *statistics);
    MailIndex &index() { return m_index; }

    // Following a server (MailStoreRemote.cpp). The store speaks of uids, UIDVALIDITY and
    // flags; the protocol is the caller's. Rows are found by (folder, uidValidity, uid).
    Error remoteFolderState(qint64 folderId, RemoteFolderState *state);
    // A remote name is mirrored by one folder at most; an empty one unlinks the folder.
    Error setRemoteFolderState(qint64 folderId, const RemoteFolderState &state);
    std::optional<FolderRecord> folderForRemoteName(const QByteArray &remoteName) const;
    // A header sync: every row in one transaction, headers only (no file, no body text),
    // record.id set on return. A uid the folder has already keeps its row; only its flags
    // are brought up to date (renaming its file if it has one).
    Error addRemoteHeaders(qint64 folderId, QList<RemoteHeaders> &batch,
                           qint64 *inserted = nullptr);
    Error remoteUids(qint64 folderId, quint32 uidValidity, QHash<quint32, RemoteMessageState> *out);
    Error recordByUid(qint64 folderId, quint32 uidValidity, quint32 uid,
                      std::optional<MessageRecord> *record);
    // The server's flags for these uids, in one transaction; local copies are renamed first
    // (one directory sync for all of them). Uids without a row, and rows that have those
    // flags already, are skipped; *changed counts the others.
    Error applyRemoteFlags(qint64 folderId, quint32 uidValidity,
                           const QList<RemoteFlagChange> &changes, qint64 *changed = nullptr);
    // The server expunged these: rows and local files go.
    Error removeRemoteUids(qint64 folderId, quint32 uidValidity, const QList<quint32> &uids,
                           qint64 *removed = nullptr);
    // UIDVALIDITY changed: every row of the folder whose uid belongs to another validity goes,
    // files included; rows without a uid (local only, not uploaded yet) stay. The folder's
    // state becomes that validity with nothing known yet (uidNext, modseq, last sync 0).
    Error dropRemoteCache(qint64 folderId, quint32 uidValidity, qint64 *removed = nullptr);
    // Turns a headers-only row into a full local copy: the file is written durably under
    // the row's flags, the body becomes searchable; id, remote id and flags stay. A row that
    // has its copy already is left as it is.
    Error attachBody(qint64 id, QIODevice &source);
    Error attachBody(qint64 id, const QByteArray &raw);
    // Many headers-only rows get their bodies at once (MailStoreBodies.cpp): files written
    // without an fsync each, one sync of the file system, then published and indexed in one
    // transaction. Rows that already have a copy, or are gone (expunged meanwhile), are
    // skipped; *attached counts the others. On failure nothing of the batch stays visible.
    // The caller sizes the batch (a few hundred): their summaries are held until the commit.
    // With TextIndexing::Deferred the bodies' words wait for indexDeferredText().
    Error attachBodies(const QList<BodyAttachment> &batch, qint64 *attached = nullptr,
                       TextIndexing indexing = TextIndexing::Now);
    // Indexes the words of at most `maxMessages` bodies attached with TextIndexing::Deferred,
    // in one transaction; *remaining says how many still wait. search() calls it until none
    // do; an idle caller can call it to have that done before anyone searches.
    Error indexDeferredText(qint64 maxMessages, qint64 *remaining = nullptr);
    // What APPENDUID or COPYUID said a local row is called on the server.
    Error setRemoteUid(qint64 id, quint32 uidValidity, quint32 uid);
    // Rows with a local copy and no server id: to upload. Rows moved or copied here locally
    // are among them until setRemoteUid() names them. Oldest first.
    Error localOnlyMessages(qint64 folderId, QList<MessageRecord> *records);
    // Headers-only rows that arrived at or after arrivedSince (ms), newest first: the
    // bodies an offline sync fetches.
    Error headersOnlyUids(qint64 folderId, quint32 uidValidity, qint64 arrivedSince,
                          QList<quint32> *uids);
    // The local changes still to be replayed to the server.
    PendingActions &pendingActions() { return m_pending; }

    // Makes the index match the Maildir again (folders whose directories changed). Rows
    // without a file (headers only) are never dropped by it; a row with an IMAP uid whose
    // file is gone becomes headers-only again (the server still has the message).
    Error reconcile();
    // Throws the index away and builds it again from the Maildir alone. What only a
    // server knew (remote ids, headers-only messages) is gone until the next sync, and so
    // are the changes queued for the server.
    Error rebuild();

private:
    struct PendingMessage
    {
        qint64 folderId = 0;
        MessageSummary summary;
    };

    Error loadFolders();
    Error ensureRoleFolders();
    MaildirFolder maildirFor(qint64 folderId) const;
    Error writeMessageFile(const MaildirFolder &maildir, const QString &key, QByteArrayView raw,
                           qint64 internalDate, bool sync);
    Error commitRecord(MessageSummary &summary, qint64 *id);
    Error commitOrWithdraw(const MaildirFolder &maildir, MessageSummary &summary, qint64 *id);
    void withdraw(const QList<PendingMessage> &batch, qsizetype published);
    // flushBatch() and attachBodies(): files written in tmp/ are made durable (one syncfs,
    // unless each was fsynced already), renamed into place, their directories synced once,
    // then indexed by indexOne in one transaction. On failure the batch is withdrawn.
    Error publishBatch(QList<PendingMessage> &batch, bool filesSynced,
                       const std::function<Error(PendingMessage &)> &indexOne);
    // Writes one body into tmp/ under a new key and appends what its row becomes (its file
    // unpublished); from source when given, else from raw.
    Error stageBody(const MessageRecord &row, const QByteArray &raw, QIODevice *source, bool sync,
                    QList<PendingMessage> *staged);
    // publishBatch() for bodies, each row told the key of its file before the rename.
    Error publishBodies(QList<PendingMessage> &staged, bool filesSynced,
                        TextIndexing indexing = TextIndexing::Now);
    // reconcile(): a file published by attachBodies() killed before its index update goes
    // back to the row that expected it.
    Error adoptExpectedCopy(qint64 folderId, const MaildirEntry &entry, bool *adopted);
    Error relocate(MessageRecord record, qint64 folderId, MessageFlags flags,
                   const QString &extraFlags);
    // The rename of relocate(): sets record.relativePath; without sync the caller syncs the
    // directories once for many files.
    Error moveFile(MessageRecord &record, qint64 folderId, MessageFlags flags,
                   const QString &extraFlags, bool sync);
    // Unlinks the files of rows about to be removed, then syncs each folder once.
    Error unlinkCopies(const QList<MessageRecord> &records);
    // Gives rows their server flags (files renamed first); inside the caller's transaction.
    Error writeRemoteFlags(qint64 folderId, QList<MessageRecord> &rows);
    Error stampFolders(std::initializer_list<qint64> folderIds);
    Error inTransaction(const std::function<Error()> &work);
    Error scanFolder(const FolderRecord &folder, QHash<QString, MessageRecord> *missing,
                     QList<std::pair<qint64, MaildirEntry>> *unknown);
    Error indexFoundFile(qint64 folderId, const MaildirEntry &entry);
    void rememberSettledStamps();

    MaildirTree m_tree;
    IndexDatabase m_database;
    MailIndex m_index{m_database};
    RemoteIndex m_remote{m_database};
    PendingActions m_pending{m_database};
    QList<FolderRecord> m_folders;
    QHash<qint64, MaildirFolder::Stamp> m_lastSeenStamps; // right after this store's changes
    QList<PendingMessage> m_batch;
    qint64 m_batchBytes = 0;
    bool m_rebuilt = false;
    qint64 m_reconciledChanges = 0;
    Error m_reconcileError;
};

} // namespace wharf::store
