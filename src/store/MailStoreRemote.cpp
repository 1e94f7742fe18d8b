// MailStore: following a server. A sync writes here what it learnt (folders' UIDVALIDITY
// and modseq, headers, flags, expunges; bodies in MailStoreBodies.cpp) in store terms; the
// protocol stays in the controller. Changes reach the Maildir first and the index after, as
// everywhere else.
#include "store/MailStore.h"

#include "store/DurableFiles.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QStringList>

#include <cerrno>
#include <unistd.h>

namespace wharf::store {

namespace {

Error noFolder(qint64 folderId)
{
    return Error(ErrorKind::Usage, QStringLiteral("No folder with id %1").arg(folderId));
}

Error noMessage(qint64 id)
{
    return Error(ErrorKind::Usage, QStringLiteral("No message with id %1 in this store").arg(id));
}

void cap(QString &text, qsizetype limit)
{
    if (text.size() <= limit)
        return;
    text.truncate(limit);
    if (text.back().isHighSurrogate())
        text.chop(1);
}

// Keywords in one order, each once: servers list them in any order, and a comparison must
// not see a change where there is none.
QString normalisedExtraFlags(const QString &extraFlags)
{
    if (extraFlags.isEmpty())
        return {};
    QStringList entries = extraFlags.split(u' ', Qt::SkipEmptyParts);
    entries.sort();
    entries.removeDuplicates();
    return entries.join(u' ');
}

// A header row as the store keeps it, whatever the caller filled in: no file, display fields
// capped as for a parsed message (one hostile envelope must not bloat every page).
void prepareHeaders(RemoteHeaders &item, qint64 folderId)
{
    MessageRecord &record = item.record;
    record.folderId = folderId;
    record.maildirKey.clear();
    record.relativePath.clear();
    record.extraFlags = normalisedExtraFlags(record.extraFlags);
    cap(record.subject, kMaxDisplayFieldCharacters);
    cap(record.from, kMaxDisplayFieldCharacters);
    cap(record.recipients, kMaxDisplayFieldCharacters);
    if (record.messageId.size() > 998)
        record.messageId.truncate(998);
    if (record.internalDate == 0)
        record.internalDate = QDateTime::currentMSecsSinceEpoch();
}

} // namespace

Error MailStore::remoteFolderState(qint64 folderId, RemoteFolderState *state)
{
    *state = {};
    return m_remote.folderState(folderId, state);
}

Error MailStore::setRemoteFolderState(qint64 folderId, const RemoteFolderState &state)
{
    if (!folder(folderId))
        return noFolder(folderId);
    if (!state.remoteName.isEmpty()) {
        const std::optional<FolderRecord> other = folderForRemoteName(state.remoteName);
        if (other && other->id != folderId) {
            return Error(ErrorKind::Usage,
                         QStringLiteral("Folder %1 mirrors the server mailbox %2 already")
                             .arg(other->name, QString::fromUtf8(state.remoteName)));
        }
    }
    if (Error error = m_remote.setFolderState(folderId, state))
        return error;
    for (FolderRecord &folder : m_folders) {
        if (folder.id == folderId)
            folder.remoteName = state.remoteName;
    }
    return {};
}

std::optional<FolderRecord> MailStore::folderForRemoteName(const QByteArray &remoteName) const
{
    if (remoteName.isEmpty())
        return std::nullopt;
    for (const FolderRecord &folder : m_folders) {
        if (folder.remoteName == remoteName)
            return folder;
    }
    return std::nullopt;
}

Error MailStore::addRemoteHeaders(qint64 folderId, QList<RemoteHeaders> &batch, qint64 *inserted)
{
    if (inserted)
        *inserted = 0;
    if (!folder(folderId))
        return noFolder(folderId);
    for (const RemoteHeaders &item : std::as_const(batch)) {
        if (item.record.remote.uid == 0) {
            return Error(ErrorKind::Usage,
                         QStringLiteral("A message of a header sync has no server uid"));
        }
    }
    if (batch.isEmpty())
        return {};
    RemoteHeaderWriter writer(m_database);
    qint64 added = 0;
    const Error failure = inTransaction([&]() -> Error {
        if (Error error = writer.prepare())
            return error;
        QList<MessageRecord> changed;
        for (RemoteHeaders &item : batch) {
            prepareHeaders(item, folderId);
            MessageRecord &record = item.record;
            bool isNew = false;
            if (Error error = writer.insert(&record, &isNew))
                return error;
            if (isNew) {
                ++added;
                continue;
            }
            // Seen before (a sync cut short and started again): the row stays, flags follow.
            MessageRecord row;
            if (Error error = writer.existing(record, &row))
                return error;
            record.id = row.id;
            if (row.flags == record.flags &&
                normalisedExtraFlags(row.extraFlags) == record.extraFlags)
                continue;
            row.flags = record.flags;
            row.extraFlags = record.extraFlags;
            changed.append(std::move(row));
        }
        return writeRemoteFlags(folderId, changed);
    });
    if (!failure && inserted)
        *inserted = added;
    return failure;
}

Error MailStore::remoteUids(qint64 folderId, quint32 uidValidity,
                            QHash<quint32, RemoteMessageState> *out)
{
    return m_remote.uids(folderId, uidValidity, out);
}

Error MailStore::recordByUid(qint64 folderId, quint32 uidValidity, quint32 uid,
                             std::optional<MessageRecord> *record)
{
    return m_remote.messageByUid(folderId, uidValidity, uid, record);
}

Error MailStore::applyRemoteFlags(qint64 folderId, quint32 uidValidity,
                                  const QList<RemoteFlagChange> &changes, qint64 *changedCount)
{
    if (changedCount)
        *changedCount = 0;
    if (!folder(folderId))
        return noFolder(folderId);
    if (changes.isEmpty())
        return {};
    QList<quint32> uids;
    uids.reserve(changes.size());
    QHash<quint32, qsizetype> changeByUid;
    changeByUid.reserve(changes.size());
    for (qsizetype i = 0; i < changes.size(); ++i) {
        if (!changeByUid.contains(changes[i].uid))
            uids.append(changes[i].uid);
        changeByUid.insert(changes[i].uid, i); // the last report of a uid wins
    }
    return inTransaction([&]() -> Error {
        QList<MessageRecord> rows;
        if (Error error = m_remote.locate(folderId, uidValidity, uids, &rows))
            return error;
        QList<MessageRecord> changed;
        for (MessageRecord &row : rows) {
            const RemoteFlagChange &change = changes[changeByUid.value(row.remote.uid)];
            const QString extraFlags = normalisedExtraFlags(change.extraFlags);
            if (row.flags == change.flags && normalisedExtraFlags(row.extraFlags) == extraFlags)
                continue;
            row.flags = change.flags;
            row.extraFlags = extraFlags;
            changed.append(std::move(row));
        }
        if (Error error = writeRemoteFlags(folderId, changed))
            return error;
        if (changedCount)
            *changedCount = changed.size();
        return Error();
    });
}

// The flag-change path of relocate() for many rows of one folder: every rename first, one
// sync of the folder's directories, then the rows and the folder's stamp.
Error MailStore::writeRemoteFlags(qint64 folderId, QList<MessageRecord> &rows)
{
    if (rows.isEmpty())
        return {};
    const MaildirFolder maildir = maildirFor(folderId);
    bool renamed = false;
    for (MessageRecord &row : rows) {
        if (!row.hasLocalCopy())
            continue;
        const QString before = row.relativePath;
        if (Error error = moveFile(row, folderId, row.flags, row.extraFlags, false)) {
            if (QFileInfo::exists(maildir.absolutePath(before)))
                return error;
            // Removed behind the store's back: headers only, as a reconciliation would
            // leave it, rather than a sync that fails on it forever.
            row.maildirKey.clear();
            row.relativePath.clear();
            continue;
        }
        renamed = renamed || row.relativePath != before;
    }
    if (renamed) {
        if (Error error = maildir.syncDirectories())
            return error;
    }
    if (Error error = m_index.updateLocations(rows))
        return error;
    return renamed ? stampFolders({folderId}) : Error();
}

Error MailStore::unlinkCopies(const QList<MessageRecord> &records)
{
    QList<qint64> touched;
    for (const MessageRecord &record : records) {
        if (!record.hasLocalCopy())
            continue;
        const QString path = messageFilePath(record);
        if (::unlink(QFile::encodeName(path).constData()) != 0 && errno != ENOENT)
            return errorFromErrno(errno, QStringLiteral("delete"), path);
        if (!touched.contains(record.folderId))
            touched.append(record.folderId);
    }
    for (qint64 folderId : std::as_const(touched)) {
        if (Error error = maildirFor(folderId).syncDirectories())
            return error;
    }
    return {};
}

Error MailStore::removeRemoteUids(qint64 folderId, quint32 uidValidity, const QList<quint32> &uids,
                                  qint64 *removed)
{
    if (removed)
        *removed = 0;
    if (!folder(folderId))
        return noFolder(folderId);
    QList<MessageRecord> rows;
    if (Error error = m_remote.locate(folderId, uidValidity, uids, &rows))
        return error;
    if (rows.isEmpty())
        return {};
    // A crash after the files went leaves rows without files: the next reconciliation
    // makes them headers-only, and the next sync removes them again.
    if (Error error = unlinkCopies(rows))
        return error;
    QList<qint64> ids;
    ids.reserve(rows.size());
    bool hadFiles = false;
    for (const MessageRecord &row : std::as_const(rows)) {
        ids.append(row.id);
        hadFiles = hadFiles || row.hasLocalCopy();
    }
    Error error = inTransaction([&] {
        if (Error removedRows = m_index.removeMessages(ids))
            return removedRows;
        return hadFiles ? stampFolders({folderId}) : Error();
    });
    if (!error && removed)
        *removed = ids.size();
    return error;
}

Error MailStore::dropRemoteCache(qint64 folderId, quint32 uidValidity, qint64 *removed)
{
    if (removed)
        *removed = 0;
    if (!folder(folderId))
        return noFolder(folderId);
    QList<MessageRecord> copies;
    if (Error error = m_remote.copiesOfOtherValidity(folderId, uidValidity, &copies))
        return error;
    if (Error error = unlinkCopies(copies))
        return error;
    return inTransaction([&]() -> Error {
        if (Error error = m_remote.removeOtherValidity(folderId, uidValidity, removed))
            return error;
        RemoteFolderState state;
        if (Error error = m_remote.folderState(folderId, &state))
            return error;
        // What the old validity's modseq and uidnext said is meaningless now.
        state.uidValidity = uidValidity;
        state.uidNext = 0;
        state.highestModSeq = 0;
        state.lastFullSync = 0;
        if (Error error = m_remote.setFolderState(folderId, state))
            return error;
        return copies.isEmpty() ? Error() : stampFolders({folderId});
    });
}

Error MailStore::setRemoteUid(qint64 id, quint32 uidValidity, quint32 uid)
{
    std::optional<MessageRecord> record;
    if (Error error = m_index.message(id, &record))
        return error;
    if (!record)
        return noMessage(id);
    if (uid != 0) {
        std::optional<MessageRecord> holder;
        if (Error error = m_remote.messageByUid(record->folderId, uidValidity, uid, &holder))
            return error;
        if (holder && holder->id != id) {
            return Error(ErrorKind::Usage,
                         QStringLiteral("Message %1 has server uid %2 in this folder already")
                             .arg(holder->id)
                             .arg(uid));
        }
    }
    return m_remote.setRemoteUid(id, uid ? uidValidity : 0, uid);
}

Error MailStore::localOnlyMessages(qint64 folderId, QList<MessageRecord> *records)
{
    return m_remote.localOnly(folderId, records);
}

Error MailStore::headersOnlyUids(qint64 folderId, quint32 uidValidity, qint64 arrivedSince,
                                 QList<quint32> *uids)
{
    return m_remote.headersOnlyUids(folderId, uidValidity, arrivedSince, uids);
}

} // namespace wharf::store
