#include "store/MailIndex.h"

#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

namespace wharf::store {

namespace {

const QString kListColumns = QStringLiteral(
    "m.id, m.folder_id, m.maildir_key, m.relative_path, m.remote_uid_validity, m.remote_uid, "
    "m.remote_uidl, m.flags, m.extra_flags, m.internal_date, m.size, m.sender, m.recipients, "
    "m.subject, m.message_id, m.in_reply_to, m.message_references, m.has_attachments");

MessageRecord recordFrom(const QSqlQuery &query)
{
    MessageRecord record;
    record.id = query.value(0).toLongLong();
    record.folderId = query.value(1).toLongLong();
    record.maildirKey = query.value(2).toString();
    record.relativePath = query.value(3).toString();
    record.remote.uidValidity = query.value(4).toUInt();
    record.remote.uid = query.value(5).toUInt();
    record.remote.uidl = query.value(6).toByteArray();
    record.flags = MessageFlags::fromInt(query.value(7).toInt());
    record.extraFlags = query.value(8).toString();
    record.internalDate = query.value(9).toLongLong();
    record.size = query.value(10).toLongLong();
    record.from = query.value(11).toString();
    record.recipients = query.value(12).toString();
    record.subject = query.value(13).toString();
    record.messageId = query.value(14).toByteArray();
    record.inReplyTo = query.value(15).toByteArray();
    const QByteArray references = query.value(16).toByteArray();
    if (!references.isEmpty())
        record.references = references.split(' ');
    record.hasAttachments = query.value(17).toBool();
    return record;
}

// QVariant of a null QString binds as SQL NULL, which the unique key index relies on.
QVariant nullableText(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

QVariant nullableBytes(const QByteArray &bytes)
{
    return bytes.isEmpty() ? QVariant(QMetaType::fromType<QByteArray>()) : QVariant(bytes);
}

// Qt binds a null QString or QByteArray as SQL NULL; NOT NULL columns want the empty value.
QVariant text(const QString &value)
{
    return value.isNull() ? QVariant(QStringLiteral("")) : QVariant(value);
}

QVariant bytes(const QByteArray &value)
{
    return value.isNull() ? QVariant(QByteArray("")) : QVariant(value);
}

} // namespace

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
            "SELECT id, name, role, stamp_new, stamp_cur FROM folders ORDER BY name")))
        return sqlError(QStringLiteral("list folders"), query.lastError().text());
    folders->clear();
    while (query.next()) {
        FolderRecord folder;
        folder.id = query.value(0).toLongLong();
        folder.name = query.value(1).toString();
        folder.role = folderRoleFromName(query.value(2).toString());
        folder.stamp = {query.value(3).toLongLong(), query.value(4).toLongLong()};
        folders->append(folder);
    }
    return {};
}

Error MailIndex::addFolder(const QString &name, FolderRole role, qint64 *id)
{
    QSqlQuery query(m_db.database());
    query.prepare(QStringLiteral("INSERT INTO folders (name, role) VALUES (?, ?)"));
    query.addBindValue(name);
    query.addBindValue(text(folderRoleName(role)));
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
    query.addBindValue(nullableText(record->maildirKey));
    query.addBindValue(nullableText(record->relativePath));
    query.addBindValue(record->remote.uidValidity);
    query.addBindValue(record->remote.uid);
    query.addBindValue(nullableBytes(record->remote.uidl));
    query.addBindValue(record->flags.toInt());
    query.addBindValue(text(record->extraFlags));
    query.addBindValue(record->internalDate);
    query.addBindValue(record->size);
    query.addBindValue(text(record->from));
    query.addBindValue(text(record->recipients));
    query.addBindValue(text(record->subject));
    query.addBindValue(bytes(record->messageId));
    query.addBindValue(bytes(record->inReplyTo));
    query.addBindValue(bytes(record->references.join(' ')));
    query.addBindValue(record->hasAttachments);
    if (!query.exec())
        return sqlError(QStringLiteral("add a message"), query.lastError().text());
    record->id = query.lastInsertId().toLongLong();

    QSqlQuery textQuery(m_db.database());
    textQuery.prepare(QStringLiteral(
        "INSERT INTO message_text (rowid, subject, addresses, body) VALUES (?, ?, ?, ?)"));
    textQuery.addBindValue(record->id);
    textQuery.addBindValue(text(record->subject));
    textQuery.addBindValue(text(searchText.addresses));
    textQuery.addBindValue(text(searchText.body));
    if (!textQuery.exec())
        return sqlError(QStringLiteral("index a message's text"), textQuery.lastError().text());
    return {};
}

Error MailIndex::updateLocation(const MessageRecord &record)
{
    QSqlQuery query(m_db.database());
    query.prepare(QStringLiteral("UPDATE messages SET folder_id = ?, maildir_key = ?, "
                                 "relative_path = ?, flags = ?, extra_flags = ? WHERE id = ?"));
    query.addBindValue(record.folderId);
    query.addBindValue(nullableText(record.maildirKey));
    query.addBindValue(nullableText(record.relativePath));
    query.addBindValue(record.flags.toInt());
    query.addBindValue(text(record.extraFlags));
    query.addBindValue(record.id);
    if (!query.exec())
        return sqlError(QStringLiteral("update a message"), query.lastError().text());
    return {};
}

Error MailIndex::removeMessage(qint64 id)
{
    QSqlQuery text(m_db.database());
    text.prepare(QStringLiteral("DELETE FROM message_text WHERE rowid = ?"));
    text.addBindValue(id);
    QSqlQuery query(m_db.database());
    query.prepare(QStringLiteral("DELETE FROM messages WHERE id = ?"));
    query.addBindValue(id);
    if (!text.exec() || !query.exec())
        return sqlError(QStringLiteral("remove a message"), query.lastError().text());
    return {};
}

Error MailIndex::message(qint64 id, std::optional<MessageRecord> *record)
{
    QSqlQuery query(m_db.database());
    query.prepare(QStringLiteral("SELECT %1 FROM messages m WHERE m.id = ?").arg(kListColumns));
    query.addBindValue(id);
    if (!query.exec())
        return sqlError(QStringLiteral("read a message"), query.lastError().text());
    *record = query.next() ? std::optional(recordFrom(query)) : std::nullopt;
    return {};
}

Error MailIndex::messageByKey(const QString &key, std::optional<MessageRecord> *record)
{
    QSqlQuery query(m_db.database());
    query.prepare(
        QStringLiteral("SELECT %1 FROM messages m WHERE m.maildir_key = ?").arg(kListColumns));
    query.addBindValue(key);
    if (!query.exec())
        return sqlError(QStringLiteral("read a message"), query.lastError().text());
    *record = query.next() ? std::optional(recordFrom(query)) : std::nullopt;
    return {};
}

Error MailIndex::localCopies(qint64 folderId, QList<MessageRecord> *records)
{
    QSqlQuery query(m_db.database());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT id, maildir_key, relative_path, flags, extra_flags "
                                 "FROM messages WHERE folder_id = ? AND maildir_key IS NOT NULL"));
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
                      .arg(kListColumns, order));
    query.addBindValue(folderId);
    query.addBindValue(limit);
    query.addBindValue(offset);
    if (!query.exec())
        return sqlError(QStringLiteral("list a folder"), query.lastError().text());
    while (query.next())
        records->append(recordFrom(query));
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
            .arg(kListColumns, newestFirst ? QStringLiteral("<") : QStringLiteral(">"), order));
    query.addBindValue(folderId);
    query.addBindValue(afterDate);
    query.addBindValue(afterId);
    query.addBindValue(limit);
    if (!query.exec())
        return sqlError(QStringLiteral("list a folder"), query.lastError().text());
    while (query.next())
        records->append(recordFrom(query));
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
                      .arg(kListColumns));
    query.addBindValue(messageId);
    if (!query.exec())
        return sqlError(QStringLiteral("find a message"), query.lastError().text());
    while (query.next())
        records->append(recordFrom(query));
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
            .arg(kListColumns, folderId ? QStringLiteral("AND m.folder_id = ?") : QString()));
    query.addBindValue(match);
    if (folderId)
        query.addBindValue(folderId);
    query.addBindValue(limit);
    if (!query.exec())
        return sqlError(QStringLiteral("search"), query.lastError().text());
    while (query.next())
        records->append(recordFrom(query));
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
