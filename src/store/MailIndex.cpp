#include "store/MailIndex.h"

#include "store/IndexRows.h"

#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

namespace wharf::store {

QString ftsQueryFor(const QString &userQuery)
{
    static const QRegularExpression separators(QStringLiteral("\\s+"));
    QStringList terms;
    const QStringList words = userQuery.split(separators, Qt::SkipEmptyParts);
    for (const QString &word : words) {
        QString quoted = word;
        quoted.replace(u'"', QStringLiteral("\"\""));
        terms.append(u'"' + quoted + u'"');
    }
    if (!terms.isEmpty())
        terms.last() += u'*';
    return terms.join(u' ');
}

Error MailIndex::folders(QList<FolderRecord> *folders)
{
    QSqlQuery query(m_db.database());
    if (!query.exec(QStringLiteral(
            "SELECT id, name, role, stamp_new, stamp_cur, remote_name FROM folders ORDER BY name")))
        return sqlError(QStringLiteral("list folders"), query.lastError().text());
    folders->clear();
    while (query.next()) {
        FolderRecord folder;
        folder.id = query.value(0).toLongLong();
        folder.name = query.value(1).toString();
        folder.role = folderRoleFromName(query.value(2).toString());
        folder.stamp = {query.value(3).toLongLong(), query.value(4).toLongLong()};
        folder.remoteName = query.value(5).toByteArray();
        folders->append(folder);
    }
    return {};
}

Error MailIndex::addFolder(const QString &name, FolderRole role, qint64 *id)
{
    QSqlQuery query(m_db.database());
    query.prepare(QStringLiteral("INSERT INTO folders (name, role) VALUES (?, ?)"));
    query.addBindValue(name);
    query.addBindValue(sqlText(folderRoleName(role)));
    if (!query.exec())
        return sqlError(QStringLiteral("add folder %1").arg(name), query.lastError().text());
    *id = query.lastInsertId().toLongLong();
    return {};
}

Error MailIndex::setFolderStamp(qint64 folderId, const MaildirFolder::Stamp &stamp)
{
    QSqlQuery query(m_db.database());
    query.prepare(QStringLiteral("UPDATE folders SET stamp_new = ?, stamp_cur = ? WHERE id = ?"));
    query.addBindValue(stamp.newDirectory);
    query.addBindValue(stamp.curDirectory);
    query.addBindValue(folderId);
    if (!query.exec())
        return sqlError(QStringLiteral("record a folder's state"), query.lastError().text());
    return {};
}

Error MailIndex::removeFolder(qint64 folderId)
{
    QSqlQuery text(m_db.database());
    text.prepare(QStringLiteral(
        "DELETE FROM message_text WHERE rowid IN (SELECT id FROM messages WHERE folder_id = ?)"));
    text.addBindValue(folderId);
    QSqlQuery query(m_db.database());
    query.prepare(QStringLiteral("DELETE FROM folders WHERE id = ?"));
    query.addBindValue(folderId);
    if (!text.exec() || !query.exec())
        return sqlError(QStringLiteral("remove a folder"), query.lastError().text());
    return {};
}

Error MailIndex::insertMessage(MessageRecord *record, const MessageText &searchText)
{
    QSqlQuery query(m_db.database());
    query.prepare(QStringLiteral(
        "INSERT INTO messages (folder_id, maildir_key, relative_path, remote_uid_validity, "
        "remote_uid, remote_uidl, flags, extra_flags, internal_date, size, sender, recipients, "
        "subject, message_id, in_reply_to, message_references, has_attachments) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    query.addBindValue(record->folderId);
    query.addBindValue(sqlNullableText(record->maildirKey));
    query.addBindValue(sqlNullableText(record->relativePath));
    query.addBindValue(record->remote.uidValidity);
    query.addBindValue(record->remote.uid);
    query.addBindValue(sqlNullableBytes(record->remote.uidl));
    query.addBindValue(record->flags.toInt());
    query.addBindValue(sqlText(record->extraFlags));
    query.addBindValue(record->internalDate);
    query.addBindValue(record->size);
    query.addBindValue(sqlText(record->from));
    query.addBindValue(sqlText(record->recipients));
    query.addBindValue(sqlText(record->subject));
    query.addBindValue(sqlBytes(record->messageId));
    query.addBindValue(sqlBytes(record->inReplyTo));
    query.addBindValue(sqlBytes(record->references.join(' ')));
    query.addBindValue(record->hasAttachments);
    if (!query.exec())
        return sqlError(QStringLiteral("add a message"), query.lastError().text());
    record->id = query.lastInsertId().toLongLong();

    QSqlQuery textQuery(m_db.database());
    textQuery.prepare(QStringLiteral(
        "INSERT INTO message_text (rowid, subject, addresses, body) VALUES (?, ?, ?, ?)"));
    textQuery.addBindValue(record->id);
    textQuery.addBindValue(sqlText(record->subject));
    textQuery.addBindValue(sqlText(searchText.addresses));
    textQuery.addBindValue(sqlText(searchText.body));
    if (!textQuery.exec())
        return sqlError(QStringLiteral("index a message's text"), textQuery.lastError().text());
    return {};
}

Error MailIndex::updateLocation(const MessageRecord &record)
{
    return updateLocations({record});
}

Error MailIndex::updateLocations(const QList<MessageRecord> &records)
{
    QSqlQuery query(m_db.database());
    query.prepare(QStringLiteral(
        "UPDATE messages SET folder_id = ?, maildir_key = ?, relative_path = ?, flags = ?, "
        "extra_flags = ?, remote_uid_validity = ?, remote_uid = ? WHERE id = ?"));
    for (const MessageRecord &record : records) {
        query.bindValue(0, record.folderId);
        query.bindValue(1, sqlNullableText(record.maildirKey));
        query.bindValue(2, sqlNullableText(record.relativePath));
        query.bindValue(3, record.flags.toInt());
        query.bindValue(4, sqlText(record.extraFlags));
        query.bindValue(5, qint64(record.remote.uidValidity));
        query.bindValue(6, qint64(record.remote.uid));
        query.bindValue(7, record.id);
        if (!query.exec())
            return sqlError(QStringLiteral("update a message"), query.lastError().text());
    }
    return {};
}

Error MailIndex::removeMessage(qint64 id)
{
    return removeMessages({id});
}

Error MailIndex::removeMessages(const QList<qint64> &ids)
{
    QSqlQuery text(m_db.database());
    text.prepare(QStringLiteral("DELETE FROM message_text WHERE rowid = ?"));
    QSqlQuery query(m_db.database());
    query.prepare(QStringLiteral("DELETE FROM messages WHERE id = ?"));
    for (qint64 id : ids) {
        text.bindValue(0, id);
        query.bindValue(0, id);
        if (!text.exec())
            return sqlError(QStringLiteral("remove a message"), text.lastError().text());
        if (!query.exec())
            return sqlError(QStringLiteral("remove a message"), query.lastError().text());
    }
    return {};
}

Error MailIndex::message(qint64 id, std::optional<MessageRecord> *record)
{
    QSqlQuery query(m_db.database());
    query.prepare(QStringLiteral("SELECT %1 FROM messages m WHERE m.id = ?").arg(kMessageColumns));
    query.addBindValue(id);
    if (!query.exec())
        return sqlError(QStringLiteral("read a message"), query.lastError().text());
    *record = query.next() ? std::optional(messageFromRow(query)) : std::nullopt;
    return {};
}

Error MailIndex::messages(const QList<qint64> &ids, QHash<qint64, MessageRecord> *records)
{
    QSqlQuery query(m_db.database());
    query.prepare(QStringLiteral("SELECT %1 FROM messages m WHERE m.id = ?").arg(kMessageColumns));
    records->reserve(ids.size());
    for (qint64 id : ids) {
        query.bindValue(0, id);
        if (!query.exec())
            return sqlError(QStringLiteral("read a message"), query.lastError().text());
        if (query.next())
            records->insert(id, messageFromRow(query));
    }
    return {};
}

Error MailIndex::messageByKey(const QString &key, std::optional<MessageRecord> *record)
{
    QSqlQuery query(m_db.database());
    query.prepare(
        QStringLiteral("SELECT %1 FROM messages m WHERE m.maildir_key = ?").arg(kMessageColumns));
    query.addBindValue(key);
    if (!query.exec())
        return sqlError(QStringLiteral("read a message"), query.lastError().text());
    *record = query.next() ? std::optional(messageFromRow(query)) : std::nullopt;
    return {};
}

Error MailIndex::localCopies(qint64 folderId, QList<MessageRecord> *records)
{
    QSqlQuery query(m_db.database());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT id, maildir_key, relative_path, flags, extra_flags, "
                                 "remote_uid_validity, remote_uid FROM messages "
                                 "WHERE folder_id = ? AND maildir_key IS NOT NULL"));
    query.addBindValue(folderId);
    if (!query.exec())
        return sqlError(QStringLiteral("list a folder"), query.lastError().text());
    while (query.next()) {
        MessageRecord record;
        record.id = query.value(0).toLongLong();
        record.folderId = folderId;
        record.maildirKey = query.value(1).toString();
        record.relativePath = query.value(2).toString();
        record.flags = MessageFlags::fromInt(query.value(3).toInt());
        record.extraFlags = query.value(4).toString();
        record.remote.uidValidity = query.value(5).toUInt();
        record.remote.uid = query.value(6).toUInt();
        records->append(record);
    }
    return {};
}

Error MailIndex::page(qint64 folderId, qint64 offset, qint64 limit, bool newestFirst,
                      QList<MessageRecord> *records)
{
    QSqlQuery query(m_db.database());
    query.setForwardOnly(true);
    const QString order = newestFirst ? QStringLiteral("m.internal_date DESC, m.id DESC")
                                      : QStringLiteral("m.internal_date, m.id");
    query.prepare(QStringLiteral("SELECT %1 FROM messages m WHERE m.folder_id = ? "
                                 "ORDER BY %2 LIMIT ? OFFSET ?")
                      .arg(kMessageColumns, order));
    query.addBindValue(folderId);
    query.addBindValue(limit);
    query.addBindValue(offset);
    if (!query.exec())
        return sqlError(QStringLiteral("list a folder"), query.lastError().text());
    while (query.next())
        records->append(messageFromRow(query));
    return {};
}

Error MailIndex::pageAfter(qint64 folderId, qint64 afterDate, qint64 afterId, qint64 limit,
                           bool newestFirst, QList<MessageRecord> *records)
{
    QSqlQuery query(m_db.database());
    query.setForwardOnly(true);
    const QString order = newestFirst ? QStringLiteral("m.internal_date DESC, m.id DESC")
                                      : QStringLiteral("m.internal_date, m.id");
    query.prepare(
        QStringLiteral("SELECT %1 FROM messages m WHERE m.folder_id = ? AND "
                       "(m.internal_date, m.id) %2 (?, ?) ORDER BY %3 LIMIT ?")
            .arg(kMessageColumns, newestFirst ? QStringLiteral("<") : QStringLiteral(">"), order));
    query.addBindValue(folderId);
    query.addBindValue(afterDate);
    query.addBindValue(afterId);
    query.addBindValue(limit);
    if (!query.exec())
        return sqlError(QStringLiteral("list a folder"), query.lastError().text());
    while (query.next())
        records->append(messageFromRow(query));
    return {};
}

Error MailIndex::count(qint64 folderId, qint64 *total, qint64 *unread)
{
    QSqlQuery query(m_db.database());
    query.prepare(QStringLiteral("SELECT (SELECT count(*) FROM messages WHERE folder_id = ?), "
                                 "(SELECT count(*) FROM messages WHERE folder_id = ? AND "
                                 "(flags & 1) = 0)"));
    query.addBindValue(folderId);
    query.addBindValue(folderId);
    if (!query.exec() || !query.next())
        return sqlError(QStringLiteral("count a folder"), query.lastError().text());
    if (total)
        *total = query.value(0).toLongLong();
    if (unread)
        *unread = query.value(1).toLongLong();
    return {};
}

Error MailIndex::totals(qint64 *messages, qint64 *bytes, qint64 *localCopies)
{
    QSqlQuery query(m_db.database());
    if (!query.exec(QStringLiteral("SELECT count(*), coalesce(sum(size), 0), "
                                   "count(maildir_key) FROM messages")) ||
        !query.next())
        return sqlError(QStringLiteral("count messages"), query.lastError().text());
    *messages = query.value(0).toLongLong();
    *bytes = query.value(1).toLongLong();
    *localCopies = query.value(2).toLongLong();
    return {};
}

Error MailIndex::findByMessageId(const QByteArray &messageId, QList<MessageRecord> *records)
{
    QSqlQuery query(m_db.database());
    query.prepare(QStringLiteral("SELECT %1 FROM messages m WHERE m.message_id = ? "
                                 "ORDER BY m.internal_date, m.id")
                      .arg(kMessageColumns));
    query.addBindValue(messageId);
    if (!query.exec())
        return sqlError(QStringLiteral("find a message"), query.lastError().text());
    while (query.next())
        records->append(messageFromRow(query));
    return {};
}

Error MailIndex::flaggedIds(qint64 folderId, MessageFlag flag, QList<qint64> *ids)
{
    QSqlQuery query(m_db.database());
    query.prepare(
        QStringLiteral("SELECT id FROM messages WHERE folder_id = ? AND (flags & ?) != 0"));
    query.addBindValue(folderId);
    query.addBindValue(int(flag));
    if (!query.exec())
        return sqlError(QStringLiteral("list flagged messages"), query.lastError().text());
    while (query.next())
        ids->append(query.value(0).toLongLong());
    return {};
}

Error MailIndex::search(const QString &userQuery, qint64 folderId, qint64 limit,
                        QList<MessageRecord> *records)
{
    const QString match = ftsQueryFor(userQuery);
    if (match.isEmpty())
        return {};
    QSqlQuery query(m_db.database());
    query.setForwardOnly(true);
    // The matches as a set first: joined row by row instead, SQLite walks the folder by date
    // and runs the full-text query once per message (seconds on a big folder).
    query.prepare(
        QStringLiteral("SELECT %1 FROM messages m WHERE m.id IN (SELECT rowid FROM "
                       "message_text WHERE message_text MATCH ?) %2 "
                       "ORDER BY m.internal_date DESC, m.id DESC LIMIT ?")
            .arg(kMessageColumns, folderId ? QStringLiteral("AND m.folder_id = ?") : QString()));
    query.addBindValue(match);
    if (folderId)
        query.addBindValue(folderId);
    query.addBindValue(limit);
    if (!query.exec())
        return sqlError(QStringLiteral("search"), query.lastError().text());
    while (query.next())
        records->append(messageFromRow(query));
    return {};
}

Error MailIndex::threadFields(qint64 folderId, QList<MessageRecord> *records)
{
    QSqlQuery query(m_db.database());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT id, subject, internal_date, message_id, in_reply_to, "
                                 "message_references FROM messages WHERE folder_id = ?"));
    query.addBindValue(folderId);
    if (!query.exec())
        return sqlError(QStringLiteral("read threads"), query.lastError().text());
    while (query.next()) {
        MessageRecord record;
        record.id = query.value(0).toLongLong();
        record.folderId = folderId;
        record.subject = query.value(1).toString();
        record.internalDate = query.value(2).toLongLong();
        record.messageId = query.value(3).toByteArray();
        record.inReplyTo = query.value(4).toByteArray();
        const QByteArray references = query.value(5).toByteArray();
        if (!references.isEmpty())
            record.references = references.split(' ');
        records->append(record);
    }
    return {};
}

} // namespace wharf::store
