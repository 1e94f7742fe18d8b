#include "store/MailStore.h"

#include "store/DurableFiles.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QIODevice>
#include <QSqlError>
#include <QStringList>
#include <QThread>

#include <cerrno>
#include <unistd.h>

namespace wharf::store {

namespace {

constexpr qsizetype kBatchMessages = 2000;
constexpr qint64 kBatchBytes = 32 * 1024 * 1024;

qint64 resolveInternalDate(const AddOptions &options, const MessageRecord &record)
{
    if (options.internalDate > 0)
        return options.internalDate;
    if (record.internalDate > 0)
        return record.internalDate;
    return QDateTime::currentMSecsSinceEpoch();
}

void applyOptions(MessageRecord &record, qint64 folderId, const AddOptions &options)
{
    record.folderId = folderId;
    record.flags = options.flags;
    record.extraFlags = options.extraFlags;
    record.remote = options.remote;
    record.internalDate = resolveInternalDate(options, record);
}

} // namespace

MailStore::MailStore() = default;

MailStore::~MailStore()
{
    // Messages of an unflushed batch were never acknowledged.
    discardBatch();
    rememberSettledStamps();
}

// Directory times younger than a clock tick are remembered as unknown (see
// MaildirFolder::stampToRemember), which would make the next open rescan every folder this
// session wrote to: a second on a 100,000-message folder after an import. On a clean close,
// a folder whose times are still what Wharf saw after its own last change gets them
// remembered for real, once the tick is over, so later changes move them. A crash skips
// this, and the next open rescans. What stays open is a change by another program within
// the same tick as Wharf's own last change, the window Dovecot's Maildir code leaves too.
void MailStore::rememberSettledStamps()
{
    if (!m_database.database().isOpen())
        return;
    bool waited = false;
    for (const FolderRecord &folder : std::as_const(m_folders)) {
        if (folder.stamp.newDirectory >= 0 && folder.stamp.curDirectory >= 0)
            continue;
        const auto seen = m_lastSeenStamps.constFind(folder.id);
        if (seen == m_lastSeenStamps.cend())
            continue;
        if (!waited) {
            QThread::msleep(20);
            waited = true;
        }
        if (maildirFor(folder.id).stamp() == *seen)
            m_index.setFolderStamp(folder.id, *seen);
    }
}

Error MailStore::open(const QString &rootPath)
{
    m_tree = MaildirTree(rootPath);
    if (Error error = makePrivateDirectory(rootPath))
        return error;
    if (Error error = MaildirFolder(rootPath).create())
        return error;
    if (Error error = m_database.open(rootPath + u'/' + QString::fromUtf16(kIndexFileName)))
        return error;
    m_rebuilt = m_database.wasRecreated();
    if (Error error = loadFolders())
        return error;
    if (Error error = ensureRoleFolders())
        return error;
    // A folder that cannot be brought up to date (a full disk, an unreadable directory)
    // does not lock the user out of the rest: the index shows what it knew.
    m_reconcileError = reconcile();
    return {};
}

Error MailStore::loadFolders()
{
    return m_index.folders(&m_folders);
}

Error MailStore::ensureRoleFolders()
{
    for (FolderRole role : {FolderRole::Inbox, FolderRole::Drafts, FolderRole::Sent,
                            FolderRole::Trash, FolderRole::Outbox}) {
        const QString name = MaildirTree::defaultNameFor(role);
        if (folderForRole(role))
            continue;
        if (std::optional<FolderRecord> existing = folder(name)) {
            if (Error error = m_database.execute(
                    QStringLiteral("UPDATE folders SET role = '%1' WHERE id = %2")
                        .arg(folderRoleName(role))
                        .arg(existing->id),
                    QStringLiteral("set a folder's role")))
                return error;
        } else {
            if (Error error = m_tree.folder(name)->create())
                return error;
            qint64 id = 0;
            if (Error error = m_index.addFolder(name, role, &id))
                return error;
        }
    }
    return loadFolders();
}

std::optional<FolderRecord> MailStore::folder(const QString &name) const
{
    const bool inbox =
        name.compare(QString::fromUtf16(MaildirTree::kInbox), Qt::CaseInsensitive) == 0;
    for (const FolderRecord &folder : m_folders) {
        if (folder.name == name || (inbox && folder.role == FolderRole::Inbox))
            return folder;
    }
    return std::nullopt;
}

std::optional<FolderRecord> MailStore::folder(qint64 id) const
{
    for (const FolderRecord &folder : m_folders) {
        if (folder.id == id)
            return folder;
    }
    return std::nullopt;
}

std::optional<FolderRecord> MailStore::folderForRole(FolderRole role) const
{
    for (const FolderRecord &folder : m_folders) {
        if (folder.role == role)
            return folder;
    }
    return std::nullopt;
}

Error MailStore::createFolder(const QString &name, qint64 *id)
{
    if (std::optional<FolderRecord> existing = folder(name)) {
        if (id)
            *id = existing->id;
        return {};
    }
    Error error;
    const std::optional<MaildirFolder> maildir = m_tree.folder(name, &error);
    if (!maildir)
        return error;
    if (Error created = maildir->create())
        return created;
    qint64 newId = 0;
    if (Error added = m_index.addFolder(name, FolderRole::None, &newId))
        return added;
    if (id)
        *id = newId;
    if (Error loaded = loadFolders())
        return loaded;
    return stampFolders({newId});
}

MaildirFolder MailStore::maildirFor(qint64 folderId) const
{
    const std::optional<FolderRecord> record = folder(folderId);
    if (!record)
        return MaildirFolder();
    if (record->role == FolderRole::Inbox)
        return MaildirFolder(m_tree.rootPath());
    return m_tree.folder(record->name).value_or(MaildirFolder());
}

QString MailStore::messageFilePath(const MessageRecord &record) const
{
    if (!record.hasLocalCopy())
        return {};
    return maildirFor(record.folderId).absolutePath(record.relativePath);
}

Error MailStore::inTransaction(const std::function<Error()> &work)
{
    QSqlDatabase &database = m_database.database();
    if (!database.transaction())
        return sqlError(QStringLiteral("start a transaction"), database.lastError().text());
    if (Error error = work()) {
        database.rollback();
        return error;
    }
    if (!database.commit()) {
        const QString detail = database.lastError().text();
        database.rollback();
        return sqlError(QStringLiteral("commit"), detail);
    }
    return {};
}

Error MailStore::stampFolders(std::initializer_list<qint64> folderIds)
{
    for (qint64 folderId : folderIds) {
        const MaildirFolder maildir = maildirFor(folderId);
        m_lastSeenStamps.insert(folderId, maildir.stamp());
        const MaildirFolder::Stamp stamp = maildir.stampToRemember();
        if (Error error = m_index.setFolderStamp(folderId, stamp))
            return error;
        for (FolderRecord &folder : m_folders) {
            if (folder.id == folderId)
                folder.stamp = stamp;
        }
    }
    return {};
}

Error MailStore::writeMessageFile(const MaildirFolder &maildir, const QString &key,
                                  QByteArrayView raw, qint64 internalDate, bool sync)
{
    NewFileWriter writer;
    if (Error error = writer.open(maildir.temporaryPathFor(key)))
        return error;
    Error error = writer.write(raw);
    if (!error)
        error = writer.setModificationTime(internalDate);
    if (!error)
        error = writer.close(sync);
    if (error)
        writer.discard();
    return error;
}

Error MailStore::commitRecord(MessageSummary &summary, qint64 *id)
{
    const qint64 folderId = summary.record.folderId;
    Error error = inTransaction([&] {
        if (Error inserted = m_index.insertMessage(&summary.record, summary.text))
            return inserted;
        return stampFolders({folderId});
    });
    if (!error && id)
        *id = summary.record.id;
    return error;
}

// A message whose row cannot be written (a full disk) is taken back out of the Maildir: it
// was not acknowledged, and left there it would be indexed at the next open and added twice
// by a retry.
Error MailStore::commitOrWithdraw(const MaildirFolder &maildir, MessageSummary &summary, qint64 *id)
{
    Error error = commitRecord(summary, id);
    if (error) {
        const QString path = maildir.absolutePath(summary.record.relativePath);
        ::unlink(QFile::encodeName(path).constData());
        syncPath(QFileInfo(path).absolutePath());
    }
    return error;
}

Error MailStore::addMessage(qint64 folderId, const QByteArray &raw, const AddOptions &options,
                            qint64 *id)
{
    const MaildirFolder maildir = maildirFor(folderId);
    if (maildir.path().isEmpty())
        return Error(ErrorKind::Usage, QStringLiteral("No folder with id %1").arg(folderId));
    MessageSummary summary = summarizeMessage(raw);
    applyOptions(summary.record, folderId, options);
    summary.record.maildirKey = MaildirFolder::newKey();
    summary.record.relativePath = MaildirFolder::relativePathFor(summary.record.maildirKey,
                                                                 options.flags, options.extraFlags);
    if (Error error = writeMessageFile(maildir, summary.record.maildirKey, raw,
                                       summary.record.internalDate, true))
        return error;
    if (Error error = maildir.publish(summary.record.maildirKey, summary.record.relativePath, true))
        return error;
    return commitOrWithdraw(maildir, summary, id);
}

Error MailStore::addMessage(qint64 folderId, QIODevice &source, const AddOptions &options,
                            qint64 *id)
{
    const MaildirFolder maildir = maildirFor(folderId);
    if (maildir.path().isEmpty())
        return Error(ErrorKind::Usage, QStringLiteral("No folder with id %1").arg(folderId));
    const QString key = MaildirFolder::newKey();
    NewFileWriter writer;
    if (Error error = writer.open(maildir.temporaryPathFor(key)))
        return error;
    auto fail = [&writer](Error error) {
        writer.discard();
        return error;
    };
    if (Error error = writer.copyFrom(source))
        return fail(error);
    // The index needs the parsed message once; this is the one copy in memory.
    QFile written(writer.path());
    if (!written.open(QIODevice::ReadOnly))
        return fail(errorFromErrno(EIO, QStringLiteral("read back"), writer.path()));
    MessageSummary summary = summarizeMessage(written.readAll());
    written.close();
    applyOptions(summary.record, folderId, options);
    summary.record.maildirKey = key;
    summary.record.relativePath =
        MaildirFolder::relativePathFor(key, options.flags, options.extraFlags);
    if (Error error = writer.setModificationTime(summary.record.internalDate))
        return fail(error);
    if (Error error = writer.close(true))
        return fail(error);
    if (Error error = maildir.publish(key, summary.record.relativePath, true))
        return fail(error);
    return commitOrWithdraw(maildir, summary, id);
}

Error MailStore::addHeadersOnly(qint64 folderId, const QByteArray &headers,
                                const AddOptions &options, qint64 *id)
{
    if (!folder(folderId))
        return Error(ErrorKind::Usage, QStringLiteral("No folder with id %1").arg(folderId));
    MessageSummary summary = summarizeMessage(headers);
    applyOptions(summary.record, folderId, options);
    summary.text.body.clear();
    return commitRecord(summary, id);
}

Error MailStore::addToBatch(qint64 folderId, const QByteArray &raw, const AddOptions &options)
{
    const MaildirFolder maildir = maildirFor(folderId);
    if (maildir.path().isEmpty())
        return Error(ErrorKind::Usage, QStringLiteral("No folder with id %1").arg(folderId));
    PendingMessage pending;
    pending.folderId = folderId;
    pending.summary = summarizeMessage(raw);
    MessageRecord &record = pending.summary.record;
    applyOptions(record, folderId, options);
    record.maildirKey = MaildirFolder::newKey();
    record.relativePath =
        MaildirFolder::relativePathFor(record.maildirKey, options.flags, options.extraFlags);
    if (Error error = writeMessageFile(maildir, record.maildirKey, raw, record.internalDate, false))
        return error;
    m_batchBytes += pending.summary.text.body.size() * 2 + 512;
    m_batch.append(std::move(pending));
    if (m_batch.size() >= kBatchMessages || m_batchBytes >= kBatchBytes)
        return flushBatch();
    return {};
}

Error MailStore::flushBatch(qint64 *added)
{
    if (added)
        *added = 0;
    if (m_batch.isEmpty())
        return {};
    QList<PendingMessage> batch;
    batch.swap(m_batch);
    m_batchBytes = 0;
    if (Error error = publishBatch(batch, false, [this](PendingMessage &pending) {
            return m_index.insertMessage(&pending.summary.record, pending.summary.text);
        }))
        return error;
    if (added)
        *added = batch.size();
    return {};
}

Error MailStore::publishBatch(QList<PendingMessage> &batch, bool filesSynced,
                              const std::function<Error(PendingMessage &)> &indexOne)
{
    if (batch.isEmpty())
        return {};
    qsizetype published = 0;
    // Nothing of a batch that failed stays visible: it was never acknowledged, and a retry
    // must not add its messages twice.
    auto fail = [&](Error error) {
        withdraw(batch, published);
        return error;
    };
    if (!filesSynced) {
        if (Error error = syncFileSystem(m_tree.rootPath()))
            return fail(error);
    }
    QList<qint64> touched;
    QStringList directories; // new/ and cur/ of those folders that got an entry
    for (; published < batch.size(); ++published) {
        const MessageRecord &record = batch[published].summary.record;
        const MaildirFolder maildir = maildirFor(record.folderId);
        if (Error error = maildir.publish(record.maildirKey, record.relativePath, false))
            return fail(error);
        if (!touched.contains(record.folderId))
            touched.append(record.folderId);
        const QString directory = maildir.absolutePath(record.relativePath.section(u'/', 0, 0));
        if (!directories.contains(directory))
            directories.append(directory);
    }
    for (const QString &directory : std::as_const(directories)) {
        if (Error error = syncPath(directory))
            return fail(error);
    }
    Error error = inTransaction([&]() -> Error {
        for (PendingMessage &pending : batch) {
            if (Error indexed = indexOne(pending))
                return indexed;
        }
        for (qint64 folderId : std::as_const(touched)) {
            if (Error stamped = stampFolders({folderId}))
                return stamped;
        }
        return {};
    });
    return error ? fail(error) : Error();
}

void MailStore::discardBatch()
{
    QList<PendingMessage> batch;
    batch.swap(m_batch);
    m_batchBytes = 0;
    withdraw(batch, 0);
}

void MailStore::withdraw(const QList<PendingMessage> &batch, qsizetype published)
{
    QList<qint64> touched;
    for (qsizetype i = 0; i < batch.size(); ++i) {
        const MessageRecord &record = batch[i].summary.record;
        const MaildirFolder maildir = maildirFor(record.folderId);
        const QString path = i < published ? maildir.absolutePath(record.relativePath)
                                           : maildir.temporaryPathFor(record.maildirKey);
        ::unlink(QFile::encodeName(path).constData());
        if (i < published && !touched.contains(record.folderId))
            touched.append(record.folderId);
    }
    for (qint64 folderId : touched)
        maildirFor(folderId).syncDirectories();
}

} // namespace wharf::store
