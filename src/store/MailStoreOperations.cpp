// MailStore: what happens to messages already stored (flags, move, copy, delete) and the
// questions lists and searches ask.
#include "store/MailStore.h"

#include "store/DurableFiles.h"
#include "store/ThreadKeys.h"

#include <QFile>

#include <cerrno>
#include <unistd.h>

namespace wharf::store {

namespace {

// Bodies whose words search() indexes per transaction before it searches.
constexpr qint64 kDeferredTextPerTransaction = 500;

Error notFound(qint64 id)
{
    return Error(ErrorKind::Usage, QStringLiteral("No message with id %1 in this store").arg(id));
}

} // namespace

Error MailStore::message(qint64 id, std::optional<MessageRecord> *record)
{
    return m_index.message(id, record);
}

Error MailStore::readMessage(qint64 id, QByteArray *raw)
{
    std::optional<MessageRecord> record;
    if (Error error = m_index.message(id, &record))
        return error;
    if (!record)
        return notFound(id);
    if (!record->hasLocalCopy()) {
        return Error(ErrorKind::Usage,
                     QStringLiteral("Message %1 has only its headers here; its body is on the "
                                    "server")
                         .arg(id));
    }
    QFile file(messageFilePath(*record));
    if (!file.open(QIODevice::ReadOnly))
        return errorFromErrno(ENOENT, QStringLiteral("read"), file.fileName());
    *raw = file.readAll();
    return {};
}

Error MailStore::setFlags(qint64 id, MessageFlags flags)
{
    std::optional<MessageRecord> record;
    if (Error error = m_index.message(id, &record))
        return error;
    if (!record)
        return notFound(id);
    return relocate(*record, record->folderId, flags, record->extraFlags);
}

Error MailStore::changeFlags(qint64 id, MessageFlags add, MessageFlags remove)
{
    std::optional<MessageRecord> record;
    if (Error error = m_index.message(id, &record))
        return error;
    if (!record)
        return notFound(id);
    return relocate(*record, record->folderId, (record->flags | add) & ~remove, record->extraFlags);
}

Error MailStore::move(qint64 id, qint64 folderId)
{
    std::optional<MessageRecord> record;
    if (Error error = m_index.message(id, &record))
        return error;
    if (!record)
        return notFound(id);
    if (!folder(folderId))
        return Error(ErrorKind::Usage, QStringLiteral("No folder with id %1").arg(folderId));
    return relocate(*record, folderId, record->flags, record->extraFlags);
}

// One rename does a flag change, a move or both: the key stays, so a crash between the
// rename and the index update is found by the next reconciliation under the same key.
Error MailStore::relocate(MessageRecord record, qint64 folderId, MessageFlags flags,
                          const QString &extraFlags)
{
    const qint64 fromFolder = record.folderId;
    if (Error error = moveFile(record, folderId, flags, extraFlags, true))
        return error;
    if (fromFolder != folderId) {
        record.remote.uidValidity = 0;
        record.remote.uid = 0;
    }
    record.folderId = folderId;
    record.flags = flags;
    record.extraFlags = extraFlags;
    return inTransaction([&] {
        if (Error error = m_index.updateLocation(record))
            return error;
        if (fromFolder == folderId)
            return stampFolders({folderId});
        return stampFolders({fromFolder, folderId});
    });
}

Error MailStore::moveFile(MessageRecord &record, qint64 folderId, MessageFlags flags,
                          const QString &extraFlags, bool sync)
{
    if (!record.hasLocalCopy())
        return {};
    const qint64 fromFolder = record.folderId;
    const MaildirFolder source = maildirFor(fromFolder);
    const MaildirFolder target = maildirFor(folderId);
    // Once a client has seen a message it lives in cur/, even with no flags.
    const bool staysNew = record.relativePath.startsWith(u"new/") && !flags &&
                          MaildirFolder::infoSuffix({}, extraFlags).size() == 3;
    const QString relativePath = staysNew ? QStringLiteral("new/") + record.maildirKey
                                          : QStringLiteral("cur/") + record.maildirKey +
                                                MaildirFolder::infoSuffix(flags, extraFlags);
    if (fromFolder != folderId || relativePath != record.relativePath) {
        if (Error error = renamePath(source.absolutePath(record.relativePath),
                                     target.absolutePath(relativePath)))
            return error;
        // Both directory entries must reach the disk for the move to survive a crash.
        if (sync) {
            if (Error error = syncPath(target.absolutePath(relativePath.section(u'/', 0, 0))))
                return error;
        }
        if (sync &&
            (fromFolder != folderId || !record.relativePath.startsWith(relativePath.left(4)))) {
            if (Error error =
                    syncPath(source.absolutePath(record.relativePath.section(u'/', 0, 0))))
                return error;
        }
    }
    record.relativePath = relativePath;
    return {};
}

Error MailStore::copy(qint64 id, qint64 folderId, qint64 *newId)
{
    std::optional<MessageRecord> record;
    if (Error error = m_index.message(id, &record))
        return error;
    if (!record)
        return notFound(id);
    AddOptions options;
    options.flags = record->flags;
    options.extraFlags = record->extraFlags;
    options.internalDate = record->internalDate;
    if (!record->hasLocalCopy()) {
        return Error(ErrorKind::Usage,
                     QStringLiteral("Message %1 has only its headers here; fetch it before "
                                    "copying")
                         .arg(id));
    }
    QFile file(messageFilePath(*record));
    if (!file.open(QIODevice::ReadOnly))
        return errorFromErrno(ENOENT, QStringLiteral("read"), file.fileName());
    return addMessage(folderId, file, options, newId);
}

Error MailStore::moveToTrash(qint64 id)
{
    std::optional<MessageRecord> record;
    if (Error error = m_index.message(id, &record))
        return error;
    if (!record)
        return notFound(id);
    const std::optional<FolderRecord> trash = folderForRole(FolderRole::Trash);
    if (!trash)
        return Error(ErrorKind::LocalFile, QStringLiteral("This account has no Trash folder"));
    if (record->folderId == trash->id)
        return relocate(*record, trash->id, record->flags | MessageFlag::Deleted,
                        record->extraFlags);
    return relocate(*record, trash->id, record->flags, record->extraFlags);
}

Error MailStore::expunge(qint64 folderId, qint64 *removed)
{
    QList<qint64> ids;
    if (Error error = m_index.flaggedIds(folderId, MessageFlag::Deleted, &ids))
        return error;
    if (removed)
        *removed = 0;
    for (qint64 id : ids) {
        if (Error error = removePermanently(id))
            return error;
        if (removed)
            ++*removed;
    }
    return {};
}

Error MailStore::removePermanently(qint64 id)
{
    std::optional<MessageRecord> record;
    if (Error error = m_index.message(id, &record))
        return error;
    if (!record)
        return notFound(id);
    if (record->hasLocalCopy()) {
        const QString path = messageFilePath(*record);
        if (::unlink(QFile::encodeName(path).constData()) != 0 && errno != ENOENT)
            return errorFromErrno(errno, QStringLiteral("delete"), path);
        if (Error error = syncPath(maildirFor(record->folderId)
                                       .absolutePath(record->relativePath.section(u'/', 0, 0))))
            return error;
    }
    return inTransaction([&] {
        if (Error error = m_index.removeMessage(id))
            return error;
        return stampFolders({record->folderId});
    });
}

Error MailStore::page(qint64 folderId, qint64 offset, qint64 limit, QList<MessageRecord> *records,
                      bool newestFirst)
{
    return m_index.page(folderId, offset, limit, newestFirst, records);
}

Error MailStore::pageAfter(qint64 folderId, const MessageRecord &last, qint64 limit,
                           QList<MessageRecord> *records, bool newestFirst)
{
    return m_index.pageAfter(folderId, last.internalDate, last.id, limit, newestFirst, records);
}

Error MailStore::count(qint64 folderId, qint64 *total, qint64 *unread)
{
    return m_index.count(folderId, total, unread);
}

Error MailStore::findByMessageId(const QByteArray &messageId, QList<MessageRecord> *records)
{
    return m_index.findByMessageId(normaliseMessageId(messageId), records);
}

Error MailStore::search(const QString &query, qint64 folderId, qint64 limit,
                        QList<MessageRecord> *records)
{
    // A search never misses a stored message: the words a sync left for later come first
    // (until none are left, or none could be indexed: a row gone without its queue entry).
    qint64 remaining = 0;
    if (Error error = indexDeferredText(kDeferredTextPerTransaction, &remaining))
        return error;
    while (remaining > 0) {
        const qint64 previous = remaining;
        if (Error error = indexDeferredText(kDeferredTextPerTransaction, &remaining))
            return error;
        if (remaining == previous)
            break;
    }
    return m_index.search(query, folderId, limit, records);
}

Error MailStore::threads(qint64 folderId, SubjectGrouping grouping, QList<ThreadRow> *rows)
{
    QList<MessageRecord> records;
    if (Error error = m_index.threadFields(folderId, &records))
        return error;
    QList<ThreadMessage> messages;
    messages.reserve(records.size());
    for (MessageRecord &record : records) {
        messages.append({record.id, std::move(record.messageId), std::move(record.references),
                         std::move(record.subject), record.internalDate});
    }
    records.clear();
    *rows = flattenThreads(threadMessages(messages, grouping));
    return {};
}

Error MailStore::statistics(StoreStatistics *statistics)
{
    *statistics = {};
    statistics->folders = m_folders.size();
    if (Error error =
            m_index.totals(&statistics->messages, &statistics->bytes, &statistics->localCopies))
        return error;
    for (const FolderRecord &folder : m_folders) {
        qint64 unread = 0;
        if (Error error = m_index.count(folder.id, nullptr, &unread))
            return error;
        statistics->unread += unread;
    }
    return TextIndexWriter::deferredCount(m_database, &statistics->textBacklog);
}

} // namespace wharf::store
