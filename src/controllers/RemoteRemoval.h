#pragma once

#include "core/Error.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QStringList>

namespace wharf::ftp {
class FtpSession;
struct Listing;
} // namespace wharf::ftp

namespace wharf::controllers {

class FtpConnectionPool;

// A remote folder and everything in it (or a list of files and folders), removed on one
// session: each folder is listed, its files deleted (DELE, links included, never followed),
// its subfolders emptied the same way, then the folder itself (RMD). The first refusal stops
// the removal, so a half-removed tree is reported, not hidden.
class RemoteRemoval : public QObject
{
    Q_OBJECT
public:
    // Runs on `session` (the caller keeps it); or with a pool, on a session of its own.
    RemoteRemoval(ftp::FtpSession *session, QObject *parent = nullptr);
    RemoteRemoval(FtpConnectionPool *pool, QObject *parent = nullptr);

    void addFile(const QByteArray &path);
    void addFolder(const QByteArray &path);
    void start();

    bool isFinished() const { return m_finished; }
    const Error &error() const { return m_error; }
    int filesRemoved() const { return m_files; }
    int foldersRemoved() const { return m_folders; }

Q_SIGNALS:
    void finished();

private:
    struct Step
    {
        QByteArray path;
        enum class Kind
        {
            File,
            ListFolder,   // list it, queue its contents before its own removal
            RemoveFolder, // empty now: RMD
        } kind;
    };

    void run(ftp::FtpSession *session);
    void next();
    void onListing(const QByteArray &folder, const ftp::Listing &listing);
    void finish(const Error &error = {});

    QPointer<FtpConnectionPool> m_pool;
    QPointer<ftp::FtpSession> m_session;
    QList<Step> m_steps; // a stack: the back is next
    Error m_error;
    int m_files = 0;
    int m_folders = 0;
    bool m_finished = false;
};

} // namespace wharf::controllers
