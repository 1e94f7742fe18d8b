#include "store/IndexRows.h"

#include <QSqlQuery>

namespace wharf::store {

const QString kMessageColumns = QStringLiteral(
    "m.id, m.folder_id, m.maildir_key, m.relative_path, m.remote_uid_validity, m.remote_uid, "
    "m.remote_uidl, m.flags, m.extra_flags, m.internal_date, m.size, m.sender, m.recipients, "
    "m.subject, m.message_id, m.in_reply_to, m.message_references, m.has_attachments");

MessageRecord messageFromRow(const QSqlQuery &query)
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

QVariant sqlNullableText(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

QVariant sqlNullableBytes(const QByteArray &bytes)
{
    return bytes.isEmpty() ? QVariant(QMetaType::fromType<QByteArray>()) : QVariant(bytes);
}

QVariant sqlText(const QString &value)
{
    return value.isNull() ? QVariant(QStringLiteral("")) : QVariant(value);
}

QVariant sqlBytes(const QByteArray &value)
{
    return value.isNull() ? QVariant(QByteArray("")) : QVariant(value);
}

} // namespace wharf::store
