#pragma once

#include "controllers/TransferQueue.h"

#include <QDir>
#include <QSet>

#include "protocols/ftp/RemoteEntry.h"

namespace wharf::ftp {
class FtpSession;
struct Listing;
} // namespace wharf::ftp

namespace wharf::controllers {

struct TreeOptions
{
    // Follow symbolic links (remote links that list as folders, local links); a loop is
    // detected and skipped. Off: links are reported and left alone.
    bool followSymlinks = false;
    // Deeper than this is taken for a loop the listings cannot show.
    int maxDepth = 64;
    enum class Selection
    {
        All,     // every file
        Missing, // only files the target lacks
        Newer,   // those, and files whose source differs in size or is newer
    };
    Selection selection = Selection::All;
    // Mirror: remove from the target what the source lacks (files and whole folders). Only
    // ever asked for explicitly.
    bool deleteExtra = false;
};

// A folder and everything below it, down or up: the walk lists (or reads) one folder at a
// time on its own session, creates the folders on the receiving side before their files,
// and hands each file to the transfer queue, which moves them in parallel. A remote name is
// used locally only as one path component inside the target folder (the listing parser
// refuses the rest; the walk checks the joined path again).
class TreeTransfer : public QObject
{
    Q_OBJECT
public:
    TreeTransfer(FtpConnectionPool *pool, TransferQueue *queue, TransferSpec::Direction direction,
                 const QByteArray &remoteRoot, const QString &localRoot,
                 const TreeOptions &options = {}, QObject *parent = nullptr);

    void start();
    void cancel();

    bool isFinished() const { return m_finished; }
    // The walk failed (a listing refused, a folder not created); files queued before it
    // still run.
    const Error &error() const { return m_error; }
    // Things left out, one sentence each: refused names, unreadable lines, links skipped.
    const QStringList &problems() const { return m_problems; }
    // Of those, the ones the options did not ask to leave out (a refused or unreadable
    // name, a folder that could not be listed or created): the copy is incomplete.
    int entriesNotCopied() const { return m_notCopied; }
    int filesQueued() const { return m_files; }
    int foldersCreated() const { return m_folders; }
    // Files left alone because the target had them (Missing, Newer).
    int filesUnchanged() const { return m_unchanged; }
    // Files and folders removed from the target (deleteExtra).
    int removed() const { return m_removed; }

Q_SIGNALS:
    void fileQueued(int id);
    // The walk is over (every file is in the queue); the queue may still be running.
    void finished();

private:
    struct Folder
    {
        QByteArray remote; // wire path; empty: the login folder
        QString local;
        int depth = 0;
        // A followed link: it is a folder if it lists as one, else a file of this size.
        bool viaLink = {};
        qint64 linkSize = {-1};
        QDateTime linkModified = {};
    };

    void onSession(ftp::FtpSession *session);
    void next();
    void listRemote(const Folder &folder);
    void onRemoteListing(const Folder &folder, const ftp::Listing &listing);
    void queueDownload(const QByteArray &remote, const QString &local, qint64 size,
                       const QDateTime &modified);
    void walkLocal(const Folder &folder, const QList<ftp::RemoteEntry> &remote);
    void listRemoteTarget(const Folder &folder);
    bool wanted(qint64 sourceSize, const QDateTime &sourceTime, bool exists, qint64 targetSize,
                const QDateTime &targetTime, int toleranceSeconds) const;
    static int toleranceFor(const ftp::RemoteEntry &entry);
    void removeLocalExtras(const Folder &folder, const QSet<QString> &sourceNames);
    void makeRemoteFolder(const Folder &folder);
    bool insideLocalRoot(const QString &path) const;
    void noteSkipped(const QString &problem) { m_problems.append(problem); }
    void noteNotCopied(const QString &problem);
    void finish(const Error &error = {});

    QPointer<FtpConnectionPool> m_pool;
    QPointer<TransferQueue> m_queue;
    TransferSpec::Direction m_direction;
    TreeOptions m_options;
    QString m_localRoot;
    QPointer<ftp::FtpSession> m_session;
    QList<Folder> m_pending;
    QSet<QString> m_visitedLocal;     // canonical paths of local folders walked
    QSet<QByteArray> m_visitedRemote; // MLSD unique facts of remote folders listed
    QStringList m_problems;
    Error m_error;
    int m_files = 0;
    int m_folders = 0;
    int m_unchanged = 0;
    int m_removed = 0;
    int m_notCopied = 0;
    bool m_finished = false;
};

} // namespace wharf::controllers
