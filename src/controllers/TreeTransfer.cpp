#include "controllers/TreeTransfer.h"

#include "controllers/FtpConnectionPool.h"
#include "controllers/RemoteRemoval.h"
#include "protocols/ftp/FtpSession.h"
#include "protocols/ftp/commands/SimpleCommands.h"
#include "protocols/ftp/commands/TransferCommands.h"

#include <QDirIterator>
#include <QFileInfo>

namespace wharf::controllers {

namespace {

QByteArray childPath(const QByteArray &parent, const QByteArray &name)
{
    if (parent.isEmpty())
        return name;
    return parent.endsWith('/') ? parent + name : parent + '/' + name;
}

// "a/b/../c" -> "a/c" on the wire path, for telling whether a link points back up.
QByteArray normalized(const QByteArray &path)
{
    QByteArrayList parts;
    for (const QByteArray &part : path.split('/')) {
        if (part.isEmpty() || part == ".")
            continue;
        if (part == "..") {
            if (!parts.isEmpty())
                parts.removeLast();
            continue;
        }
        parts.append(part);
    }
    return parts.join('/');
}

// A remote link whose target is the folder it is in, or one above it: following it would
// walk the same tree again and again.
bool pointsUpward(const QByteArray &folder, const QString &target)
{
    if (target.isEmpty())
        return false;
    const QByteArray wire = ftp::FtpSession::wirePath(target);
    const QByteArray resolved =
        wire.startsWith('/') ? normalized(wire) : normalized(childPath(folder, wire));
    const QByteArray here = normalized(folder);
    return here == resolved || here.startsWith(resolved + '/') || resolved.isEmpty();
}

} // namespace

TreeTransfer::TreeTransfer(FtpConnectionPool *pool, TransferQueue *queue,
                           TransferSpec::Direction direction, const QByteArray &remoteRoot,
                           const QString &localRoot, const TreeOptions &options, QObject *parent)
    : QObject(parent)
    , m_pool(pool)
    , m_queue(queue)
    , m_direction(direction)
    , m_options(options)
    , m_localRoot(QDir::cleanPath(QDir(localRoot).absolutePath()))
{
    m_pending.append({remoteRoot, m_localRoot, 0});
}

void TreeTransfer::start()
{
    if (m_direction == TransferSpec::Direction::Download) {
        if (!QDir().mkpath(m_localRoot)) {
            finish(Error(ErrorKind::LocalFile,
                         QStringLiteral("Cannot create the folder %1").arg(m_localRoot)));
            return;
        }
    } else if (!QFileInfo(m_localRoot).isDir()) {
        finish(Error(ErrorKind::LocalFile, QStringLiteral("%1 is not a folder").arg(m_localRoot)));
        return;
    }
    m_pool->acquire(
        this, [this](ftp::FtpSession *session) { onSession(session); },
        [this](const Error &error) { finish(error); });
}

void TreeTransfer::onSession(ftp::FtpSession *session)
{
    m_session = session;
    next();
}

void TreeTransfer::next()
{
    if (m_finished)
        return;
    if (!m_session) {
        finish(Error(ErrorKind::ClosedByPeer, QStringLiteral("The connection was lost")));
        return;
    }
    if (m_pending.isEmpty()) {
        finish();
        return;
    }
    const Folder folder = m_pending.takeFirst();
    if (m_direction == TransferSpec::Direction::Download)
        listRemote(folder);
    else
        makeRemoteFolder(folder);
}

void TreeTransfer::listRemote(const Folder &folder)
{
    auto *list = new ftp::ListingCommand(folder.remote);
    connect(list, &ftp::FtpCommand::finished, this, [this, list, folder] {
        if (list->error() && folder.viaLink) {
            queueDownload(folder.remote, folder.local, folder.linkSize, folder.linkModified);
            next();
            return;
        }
        if (list->error()) {
            if (folder.depth == 0) {
                finish(list->error());
                return;
            }
            noteNotCopied(QStringLiteral("%1: %2").arg(QString::fromUtf8(folder.remote),
                                                       list->error().message()));
            next();
            return;
        }
        if (folder.depth > 0 && !QDir().mkpath(folder.local)) {
            noteNotCopied(QStringLiteral("%1: cannot create the folder").arg(folder.local));
            next();
            return;
        }
        if (folder.depth > 0)
            ++m_folders;
        onRemoteListing(folder, list->listing());
        next();
    });
    m_session->enqueue(list);
}

void TreeTransfer::onRemoteListing(const Folder &folder, const ftp::Listing &listing)
{
    const QString where = QString::fromUtf8(folder.remote);
    for (const ftp::ListingProblem &problem : listing.unparsed)
        noteNotCopied(QStringLiteral("%1: unreadable line: %2").arg(where, problem.reason));
    for (const ftp::ListingProblem &problem : listing.refused)
        noteNotCopied(QStringLiteral("%1: %2").arg(where, problem.reason));
    const bool compare = m_options.selection != TreeOptions::Selection::All;
    QSet<QString> sourceNames;
    for (const ftp::RemoteEntry &entry : listing.entries) {
        sourceNames.insert(entry.name);
        const QString local = QDir(folder.local).filePath(entry.name);
        const QByteArray remote = childPath(folder.remote, entry.wireName);
        const QString shown = QString::fromUtf8(remote);
        if (!insideLocalRoot(local)) {
            noteNotCopied(QStringLiteral("%1: refused, it would be written outside %2")
                              .arg(shown, m_localRoot));
            continue;
        }
        bool asFolder = entry.type == ftp::RemoteEntry::Type::Directory;
        if (entry.type == ftp::RemoteEntry::Type::Symlink) {
            if (!m_options.followSymlinks) {
                noteSkipped(QStringLiteral("%1: a link, skipped").arg(shown));
                continue;
            }
            if (pointsUpward(folder.remote, entry.linkTarget)) {
                noteSkipped(
                    QStringLiteral("%1: a link back up the tree, skipped (loop)").arg(shown));
                continue;
            }
            asFolder = true; // tried as a folder first; a file if it does not list
        }
        if (entry.type == ftp::RemoteEntry::Type::Other) {
            noteSkipped(QStringLiteral("%1: not a file or folder, skipped").arg(shown));
            continue;
        }
        if (asFolder) {
            if (folder.depth + 1 > m_options.maxDepth) {
                noteNotCopied(QStringLiteral("%1: deeper than %2 folders, skipped (a loop?)")
                                  .arg(shown)
                                  .arg(m_options.maxDepth));
                continue;
            }
            if (!entry.uniqueId.isEmpty() && m_options.followSymlinks) {
                if (m_visitedRemote.contains(entry.uniqueId)) {
                    noteSkipped(QStringLiteral("%1: already walked, skipped (loop)").arg(shown));
                    continue;
                }
                m_visitedRemote.insert(entry.uniqueId);
            }
            Folder child{remote, local, folder.depth + 1};
            child.viaLink = entry.type == ftp::RemoteEntry::Type::Symlink;
            child.linkSize = entry.size;
            child.linkModified = entry.modified;
            m_pending.append(child);
            continue;
        }
        const qint64 size = entry.type == ftp::RemoteEntry::Type::File ? entry.size : -1;
        // A day-only date (LIST, older than six months) is still better than the time of the
        // download.
        const QDateTime modified = entry.modified;
        if (compare) {
            const QFileInfo existing(local);
            // LIST times have minutes at best; MLSD's are exact.
            const int tolerance = toleranceFor(entry);
            if (!wanted(size, modified, existing.isFile(), existing.size(),
                        existing.lastModified().toUTC(), tolerance)) {
                ++m_unchanged;
                continue;
            }
        }
        queueDownload(remote, local, size, modified);
    }
    if (m_options.deleteExtra)
        removeLocalExtras(folder, sourceNames);
}

int TreeTransfer::toleranceFor(const ftp::RemoteEntry &entry)
{
    // MLSD times are exact; LIST shows minutes, or only the day for older files.
    if (!entry.modifiedHasTime)
        return 24 * 60 * 60;
    return entry.modified.time().second() == 0 ? 60 : 1;
}

bool TreeTransfer::wanted(qint64 sourceSize, const QDateTime &sourceTime, bool exists,
                          qint64 targetSize, const QDateTime &targetTime,
                          int toleranceSeconds) const
{
    if (!exists || m_options.selection == TreeOptions::Selection::All)
        return true;
    if (m_options.selection == TreeOptions::Selection::Missing)
        return false;
    if (sourceSize >= 0 && targetSize >= 0 && sourceSize != targetSize)
        return true;
    if (!sourceTime.isValid() || !targetTime.isValid())
        return false; // same size and no way to tell: leave it
    return sourceTime > targetTime.addSecs(toleranceSeconds);
}

void TreeTransfer::removeLocalExtras(const Folder &folder, const QSet<QString> &sourceNames)
{
    const QFileInfoList entries =
        QDir(folder.local)
            .entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden |
                           QDir::System);
    for (const QFileInfo &entry : entries) {
        if (sourceNames.contains(entry.fileName()) || !insideLocalRoot(entry.filePath()))
            continue;
        // A link is removed as a link, never followed into.
        const bool removed = entry.isDir() && !entry.isSymLink()
                                 ? QDir(entry.filePath()).removeRecursively()
                                 : QFile::remove(entry.filePath());
        if (removed)
            ++m_removed;
        else
            noteNotCopied(QStringLiteral("%1: cannot remove it").arg(entry.filePath()));
    }
}

void TreeTransfer::queueDownload(const QByteArray &remote, const QString &local, qint64 size,
                                 const QDateTime &modified)
{
    TransferSpec spec;
    spec.direction = TransferSpec::Direction::Download;
    spec.remotePath = remote;
    spec.localPath = local;
    spec.size = size;
    spec.modified = modified;
    ++m_files;
    Q_EMIT fileQueued(m_queue->add(spec));
}

void TreeTransfer::makeRemoteFolder(const Folder &folder)
{
    if (folder.remote.isEmpty()) {
        listRemoteTarget(folder);
        return;
    }
    auto *mkd = new ftp::MakeDirectoryCommand(folder.remote);
    connect(mkd, &ftp::FtpCommand::finished, this, [this, mkd, folder] {
        // A refusal usually means the folder is there already; if it is not, its files
        // fail and say so.
        if (!mkd->error())
            ++m_folders;
        listRemoteTarget(folder);
    });
    m_session->enqueue(mkd);
}

void TreeTransfer::listRemoteTarget(const Folder &folder)
{
    if (m_options.selection == TreeOptions::Selection::All && !m_options.deleteExtra) {
        walkLocal(folder, {});
        return;
    }
    auto *list = new ftp::ListingCommand(folder.remote);
    connect(list, &ftp::FtpCommand::finished, this, [this, list, folder] {
        if (list->error()) {
            noteNotCopied(QStringLiteral("%1: %2").arg(QString::fromUtf8(folder.remote),
                                                       list->error().message()));
            next();
            return;
        }
        walkLocal(folder, list->listing().entries);
    });
    m_session->enqueue(list);
}

void TreeTransfer::walkLocal(const Folder &folder, const QList<ftp::RemoteEntry> &remoteEntries)
{
    QHash<QString, ftp::RemoteEntry> targets;
    for (const ftp::RemoteEntry &entry : remoteEntries)
        targets.insert(entry.name, entry);
    QSet<QString> sourceNames;
    const QFileInfo here(folder.local);
    m_visitedLocal.insert(here.canonicalFilePath());
    const QFileInfoList entries =
        QDir(folder.local)
            .entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden,
                           QDir::Name);
    for (const QFileInfo &entry : entries) {
        sourceNames.insert(entry.fileName());
        const QByteArray remote =
            childPath(folder.remote, ftp::FtpSession::wirePath(entry.fileName()));
        if (entry.isSymLink() && !m_options.followSymlinks) {
            noteSkipped(QStringLiteral("%1: a link, skipped").arg(entry.filePath()));
            continue;
        }
        if (entry.isDir()) {
            const QString canonical = entry.canonicalFilePath();
            if (m_visitedLocal.contains(canonical)) {
                noteSkipped(
                    QStringLiteral("%1: already walked, skipped (loop)").arg(entry.filePath()));
                continue;
            }
            if (folder.depth + 1 > m_options.maxDepth) {
                noteNotCopied(QStringLiteral("%1: deeper than %2 folders, skipped")
                                  .arg(entry.filePath())
                                  .arg(m_options.maxDepth));
                continue;
            }
            m_pending.append({remote, entry.filePath(), folder.depth + 1});
            continue;
        }
        if (!entry.isFile()) {
            noteSkipped(QStringLiteral("%1: not a file or folder, skipped").arg(entry.filePath()));
            continue;
        }
        const auto target = targets.constFind(entry.fileName());
        if (target != targets.cend()) {
            const int tolerance = toleranceFor(*target);
            if (!wanted(entry.size(), entry.lastModified().toUTC(),
                        target->type == ftp::RemoteEntry::Type::File, target->size,
                        target->modified, tolerance)) {
                ++m_unchanged;
                continue;
            }
        }
        TransferSpec spec;
        spec.direction = TransferSpec::Direction::Upload;
        spec.remotePath = remote;
        spec.localPath = entry.filePath();
        spec.size = entry.size();
        spec.modified = entry.lastModified().toUTC();
        ++m_files;
        Q_EMIT fileQueued(m_queue->add(spec));
    }
    if (!m_options.deleteExtra) {
        next();
        return;
    }
    auto *removal = new RemoteRemoval(m_session.data(), this);
    int extras = 0;
    for (const ftp::RemoteEntry &entry : remoteEntries) {
        if (sourceNames.contains(entry.name))
            continue;
        const QByteArray path = childPath(folder.remote, entry.wireName);
        if (entry.type == ftp::RemoteEntry::Type::Directory)
            removal->addFolder(path);
        else
            removal->addFile(path);
        ++extras;
    }
    connect(removal, &RemoteRemoval::finished, this, [this, removal, extras] {
        removal->deleteLater();
        if (removal->error())
            noteNotCopied(removal->error().message());
        else
            m_removed += extras;
        next();
    });
    removal->start();
}

void TreeTransfer::noteNotCopied(const QString &problem)
{
    m_problems.append(problem);
    ++m_notCopied;
}

bool TreeTransfer::insideLocalRoot(const QString &path) const
{
    const QString clean = QDir::cleanPath(path);
    return clean.startsWith(m_localRoot + u'/') && !clean.contains(QStringLiteral("/../"));
}

void TreeTransfer::cancel()
{
    m_pending.clear();
    finish(Error(ErrorKind::Cancelled, QStringLiteral("Cancelled")));
}

void TreeTransfer::finish(const Error &error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_error = error;
    if (m_session && m_pool)
        m_pool->release(m_session);
    m_session = nullptr;
    Q_EMIT finished();
}

} // namespace wharf::controllers
