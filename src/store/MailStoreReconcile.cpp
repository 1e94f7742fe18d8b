// MailStore: keeping the index true to the Maildir. The Maildir is the truth; the index
// stores each folder's directory times and a folder whose times moved is rescanned. Files
// are matched by their Maildir key, which survives flag changes and moves, so a message
// moved by Wharf (killed before the index was updated) or by mutt keeps its row.
#include "store/MailStore.h"

#include "store/DurableFiles.h"

#include <QFile>
#include <QFileInfo>

#include <sys/stat.h>

namespace wharf::store {

namespace {

qint64 fileMtimeMsecs(const QString &path, qint64 *size)
{
    struct stat status
    {};
    if (::stat(QFile::encodeName(path).constData(), &status) != 0)
        return 0;
    *size = status.st_size;
    return qint64(status.st_mtim.tv_sec) * 1000 + status.st_mtim.tv_nsec / 1'000'000;
}

} // namespace

Error MailStore::scanFolder(const FolderRecord &folder, QHash<QString, MessageRecord> *missing,
                            QList<std::pair<qint64, MaildirEntry>> *unknown)
{
    const MaildirFolder maildir = maildirFor(folder.id);
    maildir.removeStaleTemporaryFiles();
    QList<MaildirEntry> entries;
    if (Error error = maildir.list(&entries))
        return error;
    QList<MessageRecord> rows;
    if (Error error = m_index.localCopies(folder.id, &rows))
        return error;
    QHash<QString, qsizetype> rowByKey;
    rowByKey.reserve(rows.size());
    for (qsizetype i = 0; i < rows.size(); ++i)
        rowByKey.insert(rows[i].maildirKey, i);
    QList<bool> seen(rows.size(), false);
    for (const MaildirEntry &entry : entries) {
        const auto found = rowByKey.constFind(entry.key);
        if (found == rowByKey.cend()) {
            unknown->append({folder.id, entry});
            continue;
        }
        MessageRecord &row = rows[*found];
        seen[*found] = true;
        if (row.relativePath != entry.relativePath) {
            row.relativePath = entry.relativePath;
            row.flags = entry.flags;
            row.extraFlags = MaildirFolder::extraFlagsWithLetters(row.extraFlags, entry.extraFlags);
            if (Error error = m_index.updateLocation(row))
                return error;
            ++m_reconciledChanges;
        }
    }
    for (qsizetype i = 0; i < rows.size(); ++i) {
        if (!seen[i])
            missing->insert(rows[i].maildirKey, rows[i]);
    }
    return {};
}

Error MailStore::indexFoundFile(qint64 folderId, const MaildirEntry &entry)
{
    const QString path = maildirFor(folderId).absolutePath(entry.relativePath);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {}; // gone again since the scan: the next reconciliation sees the truth
    MessageSummary summary = summarizeMessage(file.readAll());
    MessageRecord &record = summary.record;
    record.folderId = folderId;
    record.maildirKey = entry.key;
    record.relativePath = entry.relativePath;
    record.flags = entry.flags;
    record.extraFlags = entry.extraFlags;
    qint64 size = 0;
    // Wharf and Dovecot keep the arrival time as the file's mtime.
    if (const qint64 mtime = fileMtimeMsecs(path, &size); mtime > 0)
        record.internalDate = mtime;
    ++m_reconciledChanges;
    return m_index.insertMessage(&record, summary.text);
}

Error MailStore::reconcile()
{
    m_reconciledChanges = 0;
    if (Error error = loadFolders())
        return error;
    // Folders made by other programs join the index; their stamp (-1) forces a scan.
    QStringList names;
    if (Error error = m_tree.listFolderNames(&names))
        return error;
    for (const QString &name : names) {
        if (!folder(name)) {
            qint64 id = 0;
            if (Error error = m_index.addFolder(name, FolderRole::None, &id))
                return error;
        }
    }
    if (Error error = loadFolders())
        return error;

    QList<FolderRecord> stale;
    QHash<qint64, MaildirFolder::Stamp> stampBeforeScan;
    for (const FolderRecord &folder : std::as_const(m_folders)) {
        const MaildirFolder maildir = maildirFor(folder.id);
        if (!maildir.exists()) {
            // Removed by another program. Rows without a local copy (headers only) stay
            // with the folder; files that were in it are gone from this store.
            if (Error error = maildir.create())
                return error;
        }
        if (maildir.stamp() != folder.stamp) {
            stale.append(folder);
            // Taken before the scan: a change during the scan moves the times again and is
            // seen next time.
            m_lastSeenStamps.insert(folder.id, maildir.stamp());
            stampBeforeScan.insert(folder.id, maildir.stampToRemember());
        }
    }
    if (stale.isEmpty())
        return {};

    return inTransaction([&]() -> Error {
        QHash<QString, MessageRecord> missing;
        QList<std::pair<qint64, MaildirEntry>> unknown;
        for (const FolderRecord &folder : std::as_const(stale)) {
            if (Error error = scanFolder(folder, &missing, &unknown))
                return error;
        }
        for (const auto &[folderId, entry] : std::as_const(unknown)) {
            const auto moved = missing.find(entry.key);
            if (moved != missing.end()) {
                MessageRecord record = *moved;
                missing.erase(moved);
                if (record.folderId != folderId) {
                    // Its uid names a message of the old folder's mailbox, not of this one.
                    record.remote.uidValidity = 0;
                    record.remote.uid = 0;
                }
                record.folderId = folderId;
                record.relativePath = entry.relativePath;
                record.flags = entry.flags;
                record.extraFlags =
                    MaildirFolder::extraFlagsWithLetters(record.extraFlags, entry.extraFlags);
                if (Error error = m_index.updateLocation(record))
                    return error;
                ++m_reconciledChanges;
                continue;
            }
            std::optional<MessageRecord> elsewhere;
            if (Error error = m_index.messageByKey(entry.key, &elsewhere))
                return error;
            if (elsewhere) {
                // The same key in a folder whose times did not move: a copy made by another
                // program that kept the name. Keys must stay unique, so this file is the
                // one that was not indexed yet, and the index keeps the first.
                continue;
            }
            bool adopted = false;
            if (Error error = adoptExpectedCopy(folderId, entry, &adopted))
                return error;
            if (adopted)
                continue;
            if (Error error = indexFoundFile(folderId, entry))
                return error;
        }
        for (MessageRecord record : std::as_const(missing)) {
            ++m_reconciledChanges;
            if (record.remote.uid == 0) {
                if (Error error = m_index.removeMessage(record.id))
                    return error;
                continue;
            }
            // The server still has it: the row stays, headers only, until a sync says
            // otherwise. Dropped, the sync would fetch it again as a new message.
            record.maildirKey.clear();
            record.relativePath.clear();
            if (Error error = m_index.updateLocation(record))
                return error;
        }
        for (auto it = stampBeforeScan.cbegin(); it != stampBeforeScan.cend(); ++it) {
            if (Error error = m_index.setFolderStamp(it.key(), it.value()))
                return error;
            for (FolderRecord &folder : m_folders) {
                if (folder.id == it.key())
                    folder.stamp = it.value();
            }
        }
        return {};
    });
}

Error MailStore::rebuild()
{
    if (!m_batch.isEmpty())
        return Error(ErrorKind::Usage, QStringLiteral("Finish the running import first"));
    const QString indexPath = m_database.path();
    m_database.close();
    for (const char16_t *suffix : {u"", u"-wal", u"-shm"}) {
        const QString path = indexPath + QString::fromUtf16(suffix);
        if (QFileInfo::exists(path) && !QFile::remove(path))
            return errorFromErrno(EACCES, QStringLiteral("remove"), path);
    }
    return open(m_tree.rootPath());
}

} // namespace wharf::store
