#include "store/RemoteIndex.h"

#include "store/IndexRows.h"

#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>

#include <sqlite3.h>

namespace wharf::store {

namespace {

// The uid index is partial (remote_uid != 0): a query repeats the condition so SQLite
// knows it may use it.
const QString kByUid = QStringLiteral(
    "folder_id = ? AND remote_uid_validity = ? AND remote_uid = ? AND remote_uid != 0");
const QString kLocationColumns = QStringLiteral(
    "id, folder_id, maildir_key, relative_path, flags, extra_flags, remote_uid_validity, "
    "remote_uid");

// The connection QSQLITE opened, for the few places where SQLite's API is worth it.
Error sqliteHandle(IndexDatabase &database, sqlite3 **handle)
{
    const QVariant value = database.database().driver()->handle();
    if (!value.isValid() || qstrcmp(value.typeName(), "sqlite3*") != 0 ||
        !*static_cast<sqlite3 *const *>(value.constData()))
        return sqlError(QStringLiteral("use the index"), QStringLiteral("not an SQLite index"));
    *handle = *static_cast<sqlite3 *const *>(value.constData());
    return {};
}

QString columnText(sqlite3_stmt *statement, int column)
{
    const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(statement, column));
    return text ? QString::fromUtf8(text, sqlite3_column_bytes(statement, column)) : QString();
}

MessageRecord locationFrom(const QSqlQuery &query)
{
    MessageRecord record;
    record.id = query.value(0).toLongLong();
    record.folderId = query.value(1).toLongLong();
    record.maildirKey = query.value(2).toString();
    record.relativePath = query.value(3).toString();
    record.flags = MessageFlags::fromInt(query.value(4).toInt());
    record.extraFlags = query.value(5).toString();
    record.remote.uidValidity = query.value(6).toUInt();
    record.remote.uid = query.value(7).toUInt();
    return record;
}

} // namespace

Error RemoteIndex::folderState(qint64 folderId, RemoteFolderState *state)
{
    QSqlQuery query(m_db.database());
    query.prepare(QStringLiteral("SELECT remote_name, uid_validity, uid_next, highest_modseq, "
                                 "last_full_sync FROM folders WHERE id = ?"));
    query.addBindValue(folderId);
    if (!query.exec())
        return sqlError(QStringLiteral("read a folder's server state"), query.lastError().text());
    if (!query.next())
        return Error(ErrorKind::Usage, QStringLiteral("No folder with id %1").arg(folderId));
    state->remoteName = query.value(0).toByteArray();
    state->uidValidity = query.value(1).toUInt();
    state->uidNext = query.value(2).toUInt();
    state->highestModSeq = query.value(3).toULongLong();
    state->lastFullSync = query.value(4).toLongLong();
    return {};
}

Error RemoteIndex::setFolderState(qint64 folderId, const RemoteFolderState &state)
{
    QSqlQuery query(m_db.database());
    query.prepare(QStringLiteral("UPDATE folders SET remote_name = ?, uid_validity = ?, "
                                 "uid_next = ?, highest_modseq = ?, last_full_sync = ? "
                                 "WHERE id = ?"));
    query.addBindValue(sqlNullableBytes(state.remoteName));
    query.addBindValue(qint64(state.uidValidity));
    query.addBindValue(qint64(state.uidNext));
    // RFC 7162 keeps mod-sequences below 2^63: they fit SQLite's signed integers.
    query.addBindValue(qint64(state.highestModSeq));
    query.addBindValue(state.lastFullSync);
    query.addBindValue(folderId);
    if (!query.exec())
        return sqlError(QStringLiteral("record a folder's server state"), query.lastError().text());
    return {};
}

Error RemoteIndex::uids(qint64 folderId, quint32 uidValidity,
                        QHash<quint32, RemoteMessageState> *out)
{
    out->clear();
    sqlite3 *handle = nullptr;
    if (Error error = sqliteHandle(m_db, &handle))
        return error;
    // SQLite's own API: a re-sync reads this for every message of the folder, and QSqlQuery
    // spends more on its QVariants than SQLite on the rows.
    static constexpr char kCount[] =
        "SELECT count(*) FROM messages WHERE folder_id = ? AND remote_uid_validity = ? AND "
        "remote_uid != 0";
    static constexpr char kRows[] =
        "SELECT remote_uid, id, flags, extra_flags, maildir_key IS NOT NULL FROM messages "
        "WHERE folder_id = ? AND remote_uid_validity = ? AND remote_uid != 0";
    const QString purpose = QStringLiteral("list a folder's server messages");
    for (const char *sql : {kCount, kRows}) {
        sqlite3_stmt *statement = nullptr;
        if (sqlite3_prepare_v2(handle, sql, -1, &statement, nullptr) != SQLITE_OK)
            return sqlError(purpose, QString::fromUtf8(sqlite3_errmsg(handle)));
        sqlite3_bind_int64(statement, 1, folderId);
        sqlite3_bind_int64(statement, 2, uidValidity);
        int stepped = SQLITE_ROW;
        while ((stepped = sqlite3_step(statement)) == SQLITE_ROW) {
            if (sql == kCount) {
                out->reserve(sqlite3_column_int64(statement, 0));
                continue;
            }
            RemoteMessageState state;
            state.id = sqlite3_column_int64(statement, 1);
            state.flags = MessageFlags::fromInt(sqlite3_column_int(statement, 2));
            if (sqlite3_column_bytes(statement, 3) > 0)
                state.extraFlags = columnText(statement, 3);
            state.hasLocalCopy = sqlite3_column_int(statement, 4) != 0;
            out->insert(quint32(sqlite3_column_int64(statement, 0)), std::move(state));
        }
        sqlite3_finalize(statement);
        if (stepped != SQLITE_DONE)
            return sqlError(purpose, QString::fromUtf8(sqlite3_errmsg(handle)));
    }
    return {};
}

Error RemoteIndex::messageByUid(qint64 folderId, quint32 uidValidity, quint32 uid,
                                std::optional<MessageRecord> *record)
{
    QSqlQuery query(m_db.database());
    query.prepare(QStringLiteral("SELECT %1 FROM messages m WHERE m.folder_id = ? AND "
                                 "m.remote_uid_validity = ? AND m.remote_uid = ? AND "
                                 "m.remote_uid != 0")
                      .arg(kMessageColumns));
    query.addBindValue(folderId);
    query.addBindValue(qint64(uidValidity));
    query.addBindValue(qint64(uid));
    if (!query.exec())
        return sqlError(QStringLiteral("read a message"), query.lastError().text());
    *record = query.next() ? std::optional(messageFromRow(query)) : std::nullopt;
    return {};
}

Error RemoteIndex::locate(qint64 folderId, quint32 uidValidity, const QList<quint32> &uids,
                          QList<MessageRecord> *records)
{
    QSqlQuery query(m_db.database());
    query.prepare(QStringLiteral("SELECT %1 FROM messages WHERE %2").arg(kLocationColumns, kByUid));
    for (quint32 uid : uids) {
        query.bindValue(0, folderId);
        query.bindValue(1, qint64(uidValidity));
        query.bindValue(2, qint64(uid));
        if (!query.exec())
            return sqlError(QStringLiteral("find a server message"), query.lastError().text());
        if (query.next())
            records->append(locationFrom(query));
        query.finish();
    }
    return {};
}

Error RemoteIndex::copiesOfOtherValidity(qint64 folderId, quint32 uidValidity,
                                         QList<MessageRecord> *records)
{
    QSqlQuery query(m_db.database());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT %1 FROM messages WHERE folder_id = ? AND remote_uid != 0 "
                                 "AND remote_uid_validity != ? AND maildir_key IS NOT NULL")
                      .arg(kLocationColumns));
    query.addBindValue(folderId);
    query.addBindValue(qint64(uidValidity));
    if (!query.exec())
        return sqlError(QStringLiteral("list a folder"), query.lastError().text());
    while (query.next())
        records->append(locationFrom(query));
    return {};
}

Error RemoteIndex::removeOtherValidity(qint64 folderId, quint32 uidValidity, qint64 *removed)
{
    const QString rows = QStringLiteral("folder_id = ? AND remote_uid != 0 AND "
                                        "remote_uid_validity != ?");
    QSqlQuery text(m_db.database());
    text.prepare(QStringLiteral("DELETE FROM message_text WHERE rowid IN "
                                "(SELECT id FROM messages WHERE %1)")
                     .arg(rows));
    text.addBindValue(folderId);
    text.addBindValue(qint64(uidValidity));
    if (!text.exec())
        return sqlError(QStringLiteral("drop a folder's cache"), text.lastError().text());
    QSqlQuery query(m_db.database());
    query.prepare(QStringLiteral("DELETE FROM messages WHERE %1").arg(rows));
    query.addBindValue(folderId);
    query.addBindValue(qint64(uidValidity));
    if (!query.exec())
        return sqlError(QStringLiteral("drop a folder's cache"), query.lastError().text());
    if (removed)
        *removed = query.numRowsAffected();
    return {};
}

Error RemoteIndex::setRemoteUid(qint64 id, quint32 uidValidity, quint32 uid)
{
    QSqlQuery query(m_db.database());
    query.prepare(
        QStringLiteral("UPDATE messages SET remote_uid_validity = ?, remote_uid = ? WHERE id = ?"));
    query.addBindValue(qint64(uidValidity));
    query.addBindValue(qint64(uid));
    query.addBindValue(id);
    if (!query.exec())
        return sqlError(QStringLiteral("record a message's server uid"), query.lastError().text());
    return {};
}

Error RemoteIndex::attachCopy(const MessageRecord &record, const MessageText &text)
{
    CopyAttacher attacher(m_db, TextIndexing::Now);
    return attacher.attach(record, text);
}

CopyAttacher::CopyAttacher(IndexDatabase &database, TextIndexing indexing)
    : m_update(database.database())
    , m_text(database)
    , m_indexing(indexing)
{}

Error CopyAttacher::prepare()
{
    // The envelope a header sync stores has no References: the body's headers fill in
    // what is missing, so threading gets better once a message was read. (length(), as a
    // blob never equals the text '').
    if (!m_update.prepare(QStringLiteral(
            "UPDATE messages SET maildir_key = ?, relative_path = ?, incoming_key = NULL, "
            "size = ?, has_attachments = ?, "
            "message_id = CASE WHEN length(message_id) = 0 THEN ? ELSE message_id END, "
            "in_reply_to = CASE WHEN length(in_reply_to) = 0 THEN ? ELSE in_reply_to END, "
            "message_references = CASE WHEN length(message_references) = 0 THEN ? "
            "ELSE message_references END WHERE id = ? AND maildir_key IS NULL")))
        return sqlError(QStringLiteral("keep a message's body"), m_update.lastError().text());
    m_prepared = true;
    return {};
}

Error CopyAttacher::attach(const MessageRecord &record, const MessageText &text)
{
    if (!m_prepared) {
        if (Error error = prepare())
            return error;
    }
    m_update.bindValue(0, sqlNullableText(record.maildirKey));
    m_update.bindValue(1, sqlNullableText(record.relativePath));
    m_update.bindValue(2, record.size);
    m_update.bindValue(3, record.hasAttachments);
    m_update.bindValue(4, sqlBytes(record.messageId));
    m_update.bindValue(5, sqlBytes(record.inReplyTo));
    m_update.bindValue(6, sqlBytes(record.references.join(' ')));
    m_update.bindValue(7, record.id);
    if (!m_update.exec())
        return sqlError(QStringLiteral("keep a message's body"), m_update.lastError().text());
    if (m_update.numRowsAffected() != 1) {
        return Error(ErrorKind::Usage,
                     QStringLiteral("Message %1 is gone or has its body already").arg(record.id));
    }
    return m_indexing == TextIndexing::Now ? m_text.write(record.id, record.subject, text)
                                           : m_text.defer(record.id);
}

Error RemoteIndex::expectCopies(const QList<MessageRecord> &records)
{
    QSqlQuery query(m_db.database());
    query.prepare(QStringLiteral(
        "UPDATE messages SET incoming_key = ? WHERE id = ? AND maildir_key IS NULL"));
    for (const MessageRecord &record : records) {
        query.bindValue(0, sqlText(record.maildirKey));
        query.bindValue(1, record.id);
        if (!query.exec())
            return sqlError(QStringLiteral("note a body on its way"), query.lastError().text());
    }
    return {};
}

Error RemoteIndex::rowExpecting(const QString &key, std::optional<MessageRecord> *record)
{
    QSqlQuery query(m_db.database());
    query.prepare(QStringLiteral("SELECT %1 FROM messages m WHERE m.incoming_key = ? AND "
                                 "m.incoming_key IS NOT NULL AND m.maildir_key IS NULL")
                      .arg(kMessageColumns));
    query.addBindValue(sqlText(key));
    if (!query.exec())
        return sqlError(QStringLiteral("read a message"), query.lastError().text());
    *record = query.next() ? std::optional(messageFromRow(query)) : std::nullopt;
    return {};
}

Error RemoteIndex::localOnly(qint64 folderId, QList<MessageRecord> *records)
{
    QSqlQuery query(m_db.database());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT %1 FROM messages m WHERE m.folder_id = ? AND "
                                 "m.maildir_key IS NOT NULL AND m.remote_uid = 0 AND "
                                 "m.remote_uidl IS NULL ORDER BY m.internal_date, m.id")
                      .arg(kMessageColumns));
    query.addBindValue(folderId);
    if (!query.exec())
        return sqlError(QStringLiteral("list a folder"), query.lastError().text());
    while (query.next())
        records->append(messageFromRow(query));
    return {};
}

Error RemoteIndex::headersOnlyUids(qint64 folderId, quint32 uidValidity, qint64 arrivedSince,
                                   QList<quint32> *uids)
{
    QSqlQuery query(m_db.database());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral(
        "SELECT remote_uid FROM messages WHERE folder_id = ? AND remote_uid_validity = ? AND "
        "remote_uid != 0 AND maildir_key IS NULL AND internal_date >= ? "
        "ORDER BY internal_date DESC, id DESC"));
    query.addBindValue(folderId);
    query.addBindValue(qint64(uidValidity));
    query.addBindValue(arrivedSince);
    if (!query.exec())
        return sqlError(QStringLiteral("list a folder"), query.lastError().text());
    while (query.next())
        uids->append(query.value(0).toUInt());
    return {};
}

RemoteHeaderWriter::RemoteHeaderWriter(IndexDatabase &database)
    : m_db(database)
{}

RemoteHeaderWriter::~RemoteHeaderWriter()
{
    sqlite3_finalize(m_insert);
    sqlite3_finalize(m_queueText);
    sqlite3_finalize(m_find);
}

Error RemoteHeaderWriter::failure(const QString &purpose) const
{
    return sqlError(purpose, QString::fromUtf8(sqlite3_errmsg(m_handle)));
}

Error RemoteHeaderWriter::prepare()
{
    if (Error error = sqliteHandle(m_db, &m_handle))
        return error;
    // DO NOTHING on the uid index: a row the folder has already is left to the caller, which
    // compares its flags.
    static constexpr char kInsert[] =
        "INSERT INTO messages (folder_id, remote_uid_validity, remote_uid, flags, extra_flags, "
        "internal_date, size, sender, recipients, subject, message_id, in_reply_to, "
        "message_references, has_attachments) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    static constexpr char kFind[] =
        "SELECT id, maildir_key, relative_path, flags, extra_flags FROM messages WHERE "
        "folder_id = ? AND remote_uid_validity = ? AND remote_uid = ? AND remote_uid != 0";
    for (const auto &[sql, statement] :
         {std::pair{kInsert, &m_insert}, std::pair{kQueueTextSql, &m_queueText},
          std::pair{kFind, &m_find}}) {
        if (sqlite3_prepare_v3(m_handle, sql, -1, SQLITE_PREPARE_PERSISTENT, statement, nullptr) !=
            SQLITE_OK)
            return failure(QStringLiteral("add messages"));
    }
    return {};
}

namespace {

// The bytes stay alive until the statement ran: SQLite need not copy them.
void bindText(sqlite3_stmt *statement, int index, const QByteArray &utf8)
{
    sqlite3_bind_text(statement, index, utf8.constData(), int(utf8.size()), SQLITE_STATIC);
}

void bindBlob(sqlite3_stmt *statement, int index, const QByteArray &bytes)
{
    // A zero-length blob, not NULL: the columns are NOT NULL and compared as blobs.
    sqlite3_bind_blob(statement, index, bytes.constData(), int(bytes.size()), SQLITE_STATIC);
}

} // namespace

Error RemoteHeaderWriter::existing(const MessageRecord &record, MessageRecord *row)
{
    sqlite3_bind_int64(m_find, 1, record.folderId);
    sqlite3_bind_int64(m_find, 2, record.remote.uidValidity);
    sqlite3_bind_int64(m_find, 3, record.remote.uid);
    const int stepped = sqlite3_step(m_find);
    if (stepped == SQLITE_ROW) {
        row->id = sqlite3_column_int64(m_find, 0);
        row->folderId = record.folderId;
        row->remote = record.remote;
        row->maildirKey = columnText(m_find, 1);
        row->relativePath = columnText(m_find, 2);
        row->flags = MessageFlags::fromInt(sqlite3_column_int(m_find, 3));
        row->extraFlags = columnText(m_find, 4);
    }
    sqlite3_reset(m_find);
    if (stepped == SQLITE_ROW)
        return {};
    if (stepped == SQLITE_DONE) {
        return sqlError(
            QStringLiteral("add a message"),
            QStringLiteral("uid %1 is neither new nor in the folder").arg(record.remote.uid));
    }
    return failure(QStringLiteral("find a message"));
}

Error RemoteHeaderWriter::insert(MessageRecord *record, bool *inserted)
{
    const QByteArray extraFlags = record->extraFlags.toUtf8();
    const QByteArray from = record->from.toUtf8();
    const QByteArray recipients = record->recipients.toUtf8();
    const QByteArray subject = record->subject.toUtf8();
    const QByteArray references = record->references.join(' ');
    sqlite3_bind_int64(m_insert, 1, record->folderId);
    sqlite3_bind_int64(m_insert, 2, record->remote.uidValidity);
    sqlite3_bind_int64(m_insert, 3, record->remote.uid);
    sqlite3_bind_int64(m_insert, 4, record->flags.toInt());
    bindText(m_insert, 5, extraFlags);
    sqlite3_bind_int64(m_insert, 6, record->internalDate);
    sqlite3_bind_int64(m_insert, 7, record->size);
    bindText(m_insert, 8, from);
    bindText(m_insert, 9, recipients);
    bindText(m_insert, 10, subject);
    bindBlob(m_insert, 11, record->messageId);
    bindBlob(m_insert, 12, record->inReplyTo);
    bindBlob(m_insert, 13, references);
    sqlite3_bind_int(m_insert, 14, record->hasAttachments ? 1 : 0);
    const int stepped = sqlite3_step(m_insert);
    sqlite3_reset(m_insert);
    if (stepped != SQLITE_DONE)
        return failure(QStringLiteral("add a message"));
    *inserted = sqlite3_changes(m_handle) == 1;
    if (!*inserted)
        return {};
    record->id = sqlite3_last_insert_rowid(m_handle);
    sqlite3_bind_int64(m_queueText, 1, record->id);
    const int queued = sqlite3_step(m_queueText);
    sqlite3_reset(m_queueText);
    if (queued != SQLITE_DONE)
        return failure(QStringLiteral("queue a message's text"));
    return {};
}

} // namespace wharf::store
