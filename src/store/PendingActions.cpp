#include "store/PendingActions.h"

#include "store/IndexRows.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>

namespace wharf::store {

namespace {

using Kind = PendingAction::Kind;

// Stored by name, not by number: the enum may gain members in any order.
constexpr std::pair<Kind, const char16_t *> kKindNames[] = {
    {Kind::AddFlags, u"add-flags"},
    {Kind::RemoveFlags, u"remove-flags"},
    {Kind::Move, u"move"},
    {Kind::Copy, u"copy"},
    {Kind::Expunge, u"expunge"},
    {Kind::Append, u"append"},
    {Kind::CreateFolder, u"create-folder"},
    {Kind::DeleteFolder, u"delete-folder"},
    {Kind::RenameFolder, u"rename-folder"},
};

std::optional<Kind> kindFromName(QStringView name)
{
    for (const auto &[kind, text] : kKindNames) {
        if (name == QStringView(text))
            return kind;
    }
    return std::nullopt;
}

// More uids than any mailbox holds: what a damaged row could claim is bounded by this.
constexpr qint64 kMaxUids = 16 * 1024 * 1024;

QVariant idOrNull(qint64 id)
{
    return id > 0 ? QVariant(id) : QVariant(QMetaType::fromType<qint64>());
}

Error usage(const QString &message)
{
    return Error(ErrorKind::Usage, message);
}

// What an action cannot be replayed without; caught here, not when the server is asked.
Error checkAction(const PendingAction &action)
{
    const QString kind = pendingActionKindName(action.kind);
    switch (action.kind) {
    case Kind::AddFlags:
    case Kind::RemoveFlags:
    case Kind::Move:
    case Kind::Copy:
        if (action.folderId <= 0 || action.uids.isEmpty())
            return usage(QStringLiteral("A queued %1 needs a folder and uids").arg(kind));
        if ((action.kind == Kind::Move || action.kind == Kind::Copy) && action.targetFolderId <= 0)
            return usage(QStringLiteral("A queued %1 needs a target folder").arg(kind));
        return {};
    case Kind::Expunge:
        if (action.folderId <= 0)
            return usage(QStringLiteral("A queued expunge needs a folder"));
        return {};
    case Kind::Append:
        if (action.folderId <= 0 || action.messageId <= 0)
            return usage(QStringLiteral("A queued append needs a folder and a message"));
        return {};
    case Kind::CreateFolder:
    case Kind::DeleteFolder:
        if (action.name.isEmpty())
            return usage(QStringLiteral("A queued %1 needs a folder name").arg(kind));
        return {};
    case Kind::RenameFolder:
        if (action.folderId <= 0 || action.name.isEmpty())
            return usage(QStringLiteral("A queued rename-folder needs a folder and a new name"));
        return {};
    }
    return {};
}

const QString kColumns =
    QStringLiteral("id, kind, folder_id, uid_validity, uids, flags, extra_flags, target_folder_id, "
                   "message_id, name, attempts, last_error, created_at");

} // namespace

QString pendingActionKindName(PendingAction::Kind kind)
{
    for (const auto &[known, text] : kKindNames) {
        if (known == kind)
            return QString::fromUtf16(text);
    }
    return {};
}

QString PendingActions::uidSetText(QList<quint32> uids)
{
    std::sort(uids.begin(), uids.end());
    uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
    QString text;
    for (qsizetype i = 0; i < uids.size();) {
        qsizetype end = i;
        while (end + 1 < uids.size() && uids[end + 1] == uids[end] + 1)
            ++end;
        if (!text.isEmpty())
            text += u',';
        text += QString::number(uids[i]);
        if (end > i)
            text += u':' + QString::number(uids[end]);
        i = end + 1;
    }
    return text;
}

QList<quint32> PendingActions::uidsFromText(QStringView text)
{
    QList<quint32> uids;
    for (QStringView part : text.split(u',', Qt::SkipEmptyParts)) {
        const qsizetype colon = part.indexOf(u':');
        bool firstOk = false, lastOk = true;
        const quint32 first = part.left(colon < 0 ? part.size() : colon).toUInt(&firstOk);
        const quint32 last = colon < 0 ? first : part.mid(colon + 1).toUInt(&lastOk);
        if (!firstOk || !lastOk || first == 0 || last < first ||
            uids.size() + qint64(last - first) >= kMaxUids)
            continue;
        for (quint64 uid = first; uid <= last; ++uid)
            uids.append(quint32(uid));
    }
    std::sort(uids.begin(), uids.end());
    uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
    return uids;
}

Error PendingActions::enqueue(const PendingAction &action, qint64 *id)
{
    if (Error error = checkAction(action))
        return error;
    QSqlQuery query(m_db.database());
    query.prepare(QStringLiteral(
        "INSERT INTO pending_actions (kind, folder_id, uid_validity, uids, flags, extra_flags, "
        "target_folder_id, message_id, name, attempts, last_error, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    query.addBindValue(pendingActionKindName(action.kind));
    query.addBindValue(idOrNull(action.folderId));
    query.addBindValue(qint64(action.uidValidity));
    query.addBindValue(sqlText(uidSetText(action.uids)));
    query.addBindValue(action.flags.toInt());
    query.addBindValue(sqlText(action.extraFlags));
    query.addBindValue(idOrNull(action.targetFolderId));
    query.addBindValue(idOrNull(action.messageId));
    query.addBindValue(sqlText(action.name));
    query.addBindValue(action.attempts);
    query.addBindValue(sqlText(action.lastError));
    query.addBindValue(action.createdAt > 0 ? action.createdAt
                                            : QDateTime::currentMSecsSinceEpoch());
    if (!query.exec())
        return sqlError(QStringLiteral("queue a change for the server"), query.lastError().text());
    if (id)
        *id = query.lastInsertId().toLongLong();
    return {};
}

Error PendingActions::list(QList<PendingAction> *actions, qint64 folderId)
{
    QSqlQuery query(m_db.database());
    query.setForwardOnly(true);
    // AUTOINCREMENT ids never come back, so their order is the order of enqueue().
    if (folderId > 0) {
        query.prepare(QStringLiteral("SELECT %1 FROM pending_actions WHERE folder_id = ? OR "
                                     "target_folder_id = ? ORDER BY id")
                          .arg(kColumns));
        query.addBindValue(folderId);
        query.addBindValue(folderId);
    } else {
        query.prepare(QStringLiteral("SELECT %1 FROM pending_actions ORDER BY id").arg(kColumns));
    }
    if (!query.exec())
        return sqlError(QStringLiteral("read the changes queued for the server"),
                        query.lastError().text());
    actions->clear();
    while (query.next()) {
        PendingAction action;
        action.id = query.value(0).toLongLong();
        const QString kindName = query.value(1).toString();
        const std::optional<Kind> kind = kindFromName(kindName);
        if (!kind) {
            return sqlError(QStringLiteral("read the changes queued for the server"),
                            QStringLiteral("unknown action \"%1\"").arg(kindName));
        }
        action.kind = *kind;
        action.folderId = query.value(2).toLongLong();
        action.uidValidity = query.value(3).toUInt();
        action.uids = uidsFromText(query.value(4).toString());
        action.flags = MessageFlags::fromInt(query.value(5).toInt());
        action.extraFlags = query.value(6).toString();
        action.targetFolderId = query.value(7).toLongLong();
        action.messageId = query.value(8).toLongLong();
        action.name = query.value(9).toString();
        action.attempts = query.value(10).toInt();
        action.lastError = query.value(11).toString();
        action.createdAt = query.value(12).toLongLong();
        actions->append(std::move(action));
    }
    return {};
}

Error PendingActions::count(qint64 *count)
{
    QSqlQuery query(m_db.database());
    if (!query.exec(QStringLiteral("SELECT count(*) FROM pending_actions")) || !query.next())
        return sqlError(QStringLiteral("count the changes queued for the server"),
                        query.lastError().text());
    *count = query.value(0).toLongLong();
    return {};
}

Error PendingActions::complete(qint64 id)
{
    return removeRow(id, QStringLiteral("complete a queued change"));
}

Error PendingActions::remove(qint64 id)
{
    return removeRow(id, QStringLiteral("drop a queued change"));
}

Error PendingActions::removeRow(qint64 id, const QString &purpose)
{
    QSqlQuery query(m_db.database());
    query.prepare(QStringLiteral("DELETE FROM pending_actions WHERE id = ?"));
    query.addBindValue(id);
    if (!query.exec())
        return sqlError(purpose, query.lastError().text());
    if (query.numRowsAffected() != 1)
        return usage(QStringLiteral("No queued change with id %1").arg(id));
    return {};
}

Error PendingActions::recordFailure(qint64 id, const QString &message)
{
    QSqlQuery query(m_db.database());
    query.prepare(QStringLiteral(
        "UPDATE pending_actions SET attempts = attempts + 1, last_error = ? WHERE id = ?"));
    query.addBindValue(sqlText(message));
    query.addBindValue(id);
    if (!query.exec())
        return sqlError(QStringLiteral("record a failed change"), query.lastError().text());
    if (query.numRowsAffected() != 1)
        return usage(QStringLiteral("No queued change with id %1").arg(id));
    return {};
}

} // namespace wharf::store
