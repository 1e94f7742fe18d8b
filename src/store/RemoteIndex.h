#pragma once

#include "core/Error.h"
#include "store/IndexDatabase.h"
#include "store/MessageRecord.h"
#include "store/RemoteState.h"
#include "store/TextIndexWriter.h"

#include <QHash>
#include <QList>
#include <QSqlQuery>

#include <optional>

struct sqlite3;
struct sqlite3_stmt;

namespace wharf::store {

// The SQL of following a server: a folder's remote state and the rows found by their IMAP
// uid. Like MailIndex, every method works inside whatever transaction the caller has open.
class RemoteIndex
{
public:
    explicit RemoteIndex(IndexDatabase &database)
        : m_db(database)
    {}

    Error folderState(qint64 folderId, RemoteFolderState *state);
    Error setFolderState(qint64 folderId, const RemoteFolderState &state);

    Error uids(qint64 folderId, quint32 uidValidity, QHash<quint32, RemoteMessageState> *out);
    Error messageByUid(qint64 folderId, quint32 uidValidity, quint32 uid,
                       std::optional<MessageRecord> *record);
    // Where the rows of these uids are (id, key, path, flags, extra flags, remote id); uids
    // without a row are left out.
    Error locate(qint64 folderId, quint32 uidValidity, const QList<quint32> &uids,
                 QList<MessageRecord> *records);
    // The local copies of rows whose uid belongs to another UIDVALIDITY, then the removal of
    // every such row (local-only rows, without a uid, stay).
    Error copiesOfOtherValidity(qint64 folderId, quint32 uidValidity,
                                QList<MessageRecord> *records);
    Error removeOtherValidity(qint64 folderId, quint32 uidValidity, qint64 *removed);
    Error setRemoteUid(qint64 id, quint32 uidValidity, quint32 uid);
    // Gives a headers-only row its file: key, path, size and what only the body tells.
    Error attachCopy(const MessageRecord &record, const MessageText &text);
    // Before a body's rename: the key its file will have (records' id and maildirKey).
    Error expectCopies(const QList<MessageRecord> &records);
    // The headers-only row that expects a file of this key, if any.
    Error rowExpecting(const QString &key, std::optional<MessageRecord> *record);

    Error localOnly(qint64 folderId, QList<MessageRecord> *records);
    Error headersOnlyUids(qint64 folderId, quint32 uidValidity, qint64 arrivedSince,
                          QList<quint32> *uids);

private:
    IndexDatabase &m_db;
};

// attachCopy() for many rows: its statements prepared once; the words indexed now or left
// for later. Works inside the caller's transaction; must not outlive the database.
class CopyAttacher
{
public:
    CopyAttacher(IndexDatabase &database, TextIndexing indexing);
    Error attach(const MessageRecord &record, const MessageText &text);

private:
    Error prepare();

    QSqlQuery m_update;
    TextIndexWriter m_text;
    TextIndexing m_indexing;
    bool m_prepared = false;
};

// Writes the rows of one header sync with statements prepared once, on SQLite's own API
// (the connection Qt opened): QSqlQuery's binding (QVariant, UTF-16, named placeholders)
// costs more than SQLite's insert, and a folder has 100,000 of them.
class RemoteHeaderWriter
{
public:
    explicit RemoteHeaderWriter(IndexDatabase &database);
    ~RemoteHeaderWriter();
    RemoteHeaderWriter(const RemoteHeaderWriter &) = delete;
    RemoteHeaderWriter &operator=(const RemoteHeaderWriter &) = delete;

    Error prepare();
    // Inserts the row unless its folder already has one with the same remote id; then
    // *inserted is false and nothing is written. Its words wait in the text backlog:
    // indexing them here took a third of a header sync.
    Error insert(MessageRecord *record, bool *inserted);
    // The row a refused insert ran into: id, key, path, flags and extra flags.
    Error existing(const MessageRecord &record, MessageRecord *row);

private:
    Error failure(const QString &purpose) const;

    IndexDatabase &m_db;
    sqlite3 *m_handle = nullptr;
    sqlite3_stmt *m_insert = nullptr;
    sqlite3_stmt *m_queueText = nullptr;
    sqlite3_stmt *m_find = nullptr;
};

} // namespace wharf::store
