#pragma once

#include "controllers/ReconnectBackoff.h"
#include "core/Error.h"

#include <QDateTime>
#include <QFile>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace wharf::ftp {
class FtpSession;
class FtpCommand;
} // namespace wharf::ftp

namespace wharf::controllers {

class FtpConnectionPool;

// One file to move between a local path and a remote one.
struct TransferSpec
{
    enum class Direction
    {
        Download,
        Upload,
    };
    Direction direction = Direction::Download;
    QByteArray remotePath; // as sent on the wire
    QString localPath;
    qint64 size = -1;   // when a listing or the local disk said it; -1: asked for
    QDateTime modified; // likewise; kept on the copy when known
};

// What to do when the target exists (FileZilla's question).
enum class ExistingTargetAction
{
    Ask,       // existingTargetFound() asks; answer with decideExistingTarget()
    Overwrite, // start from the first byte
    Resume,    // continue from the target's size (a partial copy)
    Skip,      // leave it, the transfer counts as done
    Rename,    // write "name (1).ext" (the first free such name) instead
};

struct ExistingTarget
{
    QString path; // the target: local path, or the remote path as text
    qint64 targetSize = -1;
    QDateTime targetModified;
    qint64 sourceSize = -1;
    QDateTime sourceModified;
};

struct TransferOptions
{
    ExistingTargetAction existing = ExistingTargetAction::Ask;
    // Attempts after the first when the connection drops or the server fails the
    // transfer for a reason that may pass (4yz, 426, a short file); each resumes from the
    // last byte the target has.
    int retries = 5;
    bool keepTimestamps = true;
    // A text file in TYPE A: CRLF on the wire, LF on this disk. Sizes then differ on the two
    // sides, so nothing is resumed (another attempt starts over) and sizes are not compared.
    bool ascii = false;
    ReconnectSettings retryDelays = {500, 15'000, 0.25, 60'000};
};

// One file, start to verified end: a session from the site's pool, SIZE and MDTM, the
// existing-target decision, the transfer (resumed with REST after a failure, from the bytes
// really on disk or on the server), the size check, and the modification time kept (a
// local setFileTime, MFMT remotely). The transfer queue runs these in parallel.
class FileTransfer : public QObject
{
    Q_OBJECT
public:
    FileTransfer(FtpConnectionPool *pool, const TransferSpec &spec,
                 const TransferOptions &options = {}, QObject *parent = nullptr);
    ~FileTransfer() override;

    void start();
    // Stops at once; a partial target stays where it is, for a later resume.
    void cancel();
    void decideExistingTarget(ExistingTargetAction action);

    const TransferSpec &spec() const { return m_spec; }
    bool isFinished() const { return m_finished; }
    const Error &error() const { return m_error; }
    bool wasSkipped() const { return m_skipped; }
    // The path written, which differs from spec().localPath/remotePath after Rename.
    QString targetPath() const;
    qint64 bytesDone() const { return m_done; }
    qint64 bytesTotal() const { return m_total; }
    int attempts() const { return m_attempts; }

Q_SIGNALS:
    void progress(qint64 done, qint64 total);
    void existingTargetFound(const wharf::controllers::ExistingTarget &target);
    // Always once: check error() and wasSkipped().
    void finished();

private:
    void attempt();
    void onSession(ftp::FtpSession *session);
    void querySource();
    void afterQueries();
    void applyDecision(ExistingTargetAction action);
    void runTransfer(qint64 offset);
    void onTransferFinished(ftp::FtpCommand *command);
    void afterTransfer();
    void retryOrFail(const Error &error, bool permanent);
    void succeed(bool skipped = false);
    void fail(const Error &error);
    void releaseSession();
    QString renamedPath(const QString &path, int n) const;
    Error asciiResumeRefused() const;

    QPointer<FtpConnectionPool> m_pool;
    TransferSpec m_spec;
    TransferOptions m_options;
    QPointer<ftp::FtpSession> m_session;
    QPointer<ftp::FtpCommand> m_command;
    QFile m_file;
    ReconnectBackoff m_backoff;
    QTimer m_retryTimer;

    qint64 m_remoteSize = -1; // the server's size of the remote file; -1 unknown or absent
    bool m_remoteExists = false;
    QDateTime m_remoteModified;
    QString m_targetLocal;
    QByteArray m_targetRemote;
    bool m_decided = false; // the existing-target question is answered for this transfer
    bool m_resumeAllowed = false;
    int m_renameCounter = 0;
    bool m_awaitingDecision = false;
    qint64 m_done = 0;
    qint64 m_total = -1;
    int m_attempts = 0;
    bool m_finished = false;
    bool m_skipped = false;
    Error m_error;
};

} // namespace wharf::controllers

Q_DECLARE_METATYPE(wharf::controllers::ExistingTarget)
