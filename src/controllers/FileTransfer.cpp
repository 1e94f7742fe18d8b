#include "controllers/FileTransfer.h"

#include "controllers/FtpConnectionPool.h"
#include "protocols/ftp/FtpSession.h"
#include "protocols/ftp/commands/SimpleCommands.h"
#include "protocols/ftp/commands/TransferCommands.h"

#include <QFileInfo>

namespace wharf::controllers {

namespace {

constexpr int kMaxRenameTries = 1000;

bool isDownload(const TransferSpec &spec)
{
    return spec.direction == TransferSpec::Direction::Download;
}

// A refusal that another attempt would only repeat: 5yz (no such file, permission, quota)
// except the data connection failures servers report as 5yz.
bool isPermanentFailure(const Error &error, const net::NumericReply &reply)
{
    if (ReconnectBackoff::isPermanent(error))
        return true;
    return reply.category() == 5 && reply.code != 522;
}

} // namespace

FileTransfer::FileTransfer(FtpConnectionPool *pool, const TransferSpec &spec,
                           const TransferOptions &options, QObject *parent)
    : QObject(parent)
    , m_pool(pool)
    , m_spec(spec)
    , m_options(options)
    , m_backoff(options.retryDelays)
    , m_targetLocal(spec.localPath)
    , m_targetRemote(spec.remotePath)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &FileTransfer::attempt);
}

FileTransfer::~FileTransfer()
{
    if (m_command) {
        // It must not touch m_file once this is gone.
        m_command->disconnect(this);
        m_command->cancel();
    }
    releaseSession();
}

QString FileTransfer::targetPath() const
{
    return isDownload(m_spec) ? m_targetLocal : QString::fromUtf8(m_targetRemote);
}

void FileTransfer::start()
{
    if (m_attempts > 0 || m_finished)
        return;
    if (m_options.ascii && m_options.existing == ExistingTargetAction::Resume) {
        fail(asciiResumeRefused());
        return;
    }
    attempt();
}

Error FileTransfer::asciiResumeRefused() const
{
    return Error(ErrorKind::Usage,
                 QStringLiteral("Cannot resume %1 in ASCII mode: converting line ends makes the "
                                "local and remote sizes differ, so a partial copy's size says "
                                "nothing about where to continue")
                     .arg(targetPath()));
}

void FileTransfer::attempt()
{
    if (m_finished || !m_pool)
        return;
    ++m_attempts;
    m_pool->acquire(
        this, [this](ftp::FtpSession *session) { onSession(session); },
        [this](const Error &error) { retryOrFail(error, ReconnectBackoff::isPermanent(error)); });
}

void FileTransfer::onSession(ftp::FtpSession *session)
{
    m_session = session;
    m_backoff.connected();
    querySource();
}

void FileTransfer::querySource()
{
    // What to know before deciding: the remote file's size and time for a download, whether
    // (and how big) the target is for an upload.
    const ftp::FeatureSet &features = m_session->features();
    const bool download = isDownload(m_spec);
    if (download && m_spec.size >= 0 && m_remoteSize < 0)
        m_remoteSize = m_spec.size;
    if (download && m_spec.modified.isValid())
        m_remoteModified = m_spec.modified;
    // An upload that overwrites anyway has nothing to ask, except after a failure, when
    // the server's size says where to resume.
    const bool uploadNeedsSize = m_options.existing != ExistingTargetAction::Overwrite ||
                                 m_renameCounter > 0 || m_resumeAllowed;
    const bool needSize = features.has("SIZE") && (download ? m_remoteSize < 0 : uploadNeedsSize);
    if (needSize) {
        auto *size = new ftp::SizeCommand(download ? m_spec.remotePath : m_targetRemote);
        connect(size, &ftp::FtpCommand::finished, this, [this, size, download] {
            m_command = nullptr;
            if (!size->error()) {
                m_remoteSize = size->size();
                m_remoteExists = true;
            } else if (!download) {
                m_remoteSize = -1;
                m_remoteExists = false;
            }
            if (!m_session) {
                retryOrFail(size->error(), false);
                return;
            }
            const bool needTime = download && m_options.keepTimestamps &&
                                  !m_remoteModified.isValid() && m_session->features().has("MDTM");
            if (!needTime) {
                afterQueries();
                return;
            }
            auto *mdtm = new ftp::ModificationTimeCommand(m_spec.remotePath);
            connect(mdtm, &ftp::FtpCommand::finished, this, [this, mdtm] {
                m_command = nullptr;
                if (!mdtm->error())
                    m_remoteModified = mdtm->time();
                if (!m_session) {
                    retryOrFail(mdtm->error(), false);
                    return;
                }
                afterQueries();
            });
            m_command = mdtm;
            m_session->enqueue(mdtm);
        });
        m_command = size;
        m_session->enqueue(size);
        return;
    }
    afterQueries();
}

void FileTransfer::afterQueries()
{
    const bool download = isDownload(m_spec);
    if (m_decided) {
        // Another attempt after a failure: resume our own partial copy (a text transfer
        // starts over).
        if (!m_resumeAllowed || m_options.ascii) {
            runTransfer(0);
            return;
        }
        applyDecision(ExistingTargetAction::Resume);
        return;
    }
    ExistingTarget target;
    bool exists = false;
    if (download) {
        const QFileInfo local(m_targetLocal);
        exists = local.exists();
        target.path = m_targetLocal;
        target.targetSize = local.size();
        target.targetModified = local.lastModified().toUTC();
        target.sourceSize = m_remoteSize;
        target.sourceModified = m_remoteModified;
        if (exists && local.isDir()) {
            fail(Error(
                ErrorKind::LocalFile,
                QStringLiteral("%1 is a folder; the file would replace it").arg(m_targetLocal)));
            return;
        }
    } else {
        const QFileInfo local(m_spec.localPath);
        exists = m_remoteExists;
        target.path = QString::fromUtf8(m_targetRemote);
        target.targetSize = m_remoteSize;
        target.sourceSize = local.size();
        target.sourceModified = local.lastModified().toUTC();
    }
    if (!exists) {
        m_decided = true;
        runTransfer(0);
        return;
    }
    if (m_renameCounter > 0) {
        applyDecision(ExistingTargetAction::Rename); // that name is taken too
        return;
    }
    if (m_options.existing == ExistingTargetAction::Ask) {
        m_awaitingDecision = true;
        Q_EMIT existingTargetFound(target);
        return;
    }
    applyDecision(m_options.existing);
}

void FileTransfer::decideExistingTarget(ExistingTargetAction action)
{
    if (!m_awaitingDecision || action == ExistingTargetAction::Ask || m_finished)
        return;
    m_awaitingDecision = false;
    applyDecision(action);
}

QString FileTransfer::renamedPath(const QString &path, int n) const
{
    // "report.pdf" -> "report (1).pdf"; a leading dot is part of the name, not a suffix.
    const qsizetype slash = path.lastIndexOf(u'/');
    const qsizetype dot = path.lastIndexOf(u'.');
    const bool hasSuffix = dot > slash + 1;
    const QString stem = hasSuffix ? path.left(dot) : path;
    const QString suffix = hasSuffix ? path.mid(dot) : QString();
    return QStringLiteral("%1 (%2)%3").arg(stem).arg(n).arg(suffix);
}

void FileTransfer::applyDecision(ExistingTargetAction action)
{
    m_decided = true;
    const bool download = isDownload(m_spec);
    switch (action) {
    case ExistingTargetAction::Ask:
    case ExistingTargetAction::Overwrite:
        runTransfer(0);
        return;
    case ExistingTargetAction::Skip:
        succeed(true);
        return;
    case ExistingTargetAction::Rename:
        if (download) {
            QString candidate;
            do {
                candidate = renamedPath(m_spec.localPath, ++m_renameCounter);
            } while (QFileInfo::exists(candidate) && m_renameCounter < kMaxRenameTries);
            m_targetLocal = candidate;
            runTransfer(0);
            return;
        }
        m_targetRemote = ftp::FtpSession::wirePath(
            renamedPath(QString::fromUtf8(m_spec.remotePath), ++m_renameCounter));
        // Is that name free? SIZE says; the answer comes back through afterQueries().
        m_decided = m_renameCounter >= kMaxRenameTries;
        m_remoteExists = false;
        querySource();
        return;
    case ExistingTargetAction::Resume:
        if (m_options.ascii) {
            fail(asciiResumeRefused());
            return;
        }
        break;
    }
    const qint64 sourceSize = download ? m_remoteSize : QFileInfo(m_spec.localPath).size();
    const qint64 have = download ? QFileInfo(m_targetLocal).size() : m_remoteSize;
    if (have <= 0) {
        runTransfer(0);
        return;
    }
    if (sourceSize >= 0 && have == sourceSize) {
        afterTransfer(); // complete already: only the time to keep
        return;
    }
    if (sourceSize >= 0 && have > sourceSize) {
        fail(Error(ErrorKind::LocalFile,
                   QStringLiteral("Cannot resume %1: the target has %2 bytes, more than the "
                                  "source's %3")
                       .arg(targetPath())
                       .arg(have)
                       .arg(sourceSize)));
        return;
    }
    runTransfer(have);
}

void FileTransfer::runTransfer(qint64 offset)
{
    const bool download = isDownload(m_spec);
    m_file.setFileName(download ? m_targetLocal : m_spec.localPath);
    const QIODevice::OpenMode mode = download
                                         ? (offset > 0 ? QIODevice::WriteOnly | QIODevice::Append
                                                       : QIODevice::WriteOnly | QIODevice::Truncate)
                                         : QIODevice::ReadOnly;
    // A download opens (and truncates) its target only once the server sends the file: a
    // refused RETR leaves an existing file as it was.
    if (!download && !m_file.open(mode)) {
        fail(Error(
            ErrorKind::LocalFile,
            QStringLiteral("Cannot open %1: %2").arg(m_file.fileName(), m_file.errorString())));
        return;
    }
    ftp::DataCommand *command = nullptr;
    if (download) {
        auto *retr = new ftp::DownloadCommand(m_spec.remotePath, &m_file, offset);
        retr->setAscii(m_options.ascii);
        retr->setExpectedSize(m_remoteSize);
        retr->setOpenWhenStarted(mode);
        command = retr;
        m_total = m_remoteSize;
    } else {
        auto *stor = new ftp::UploadCommand(m_targetRemote, &m_file, offset);
        stor->setAscii(m_options.ascii);
        command = stor;
        m_total = m_file.size();
    }
    m_resumeAllowed = true;
    m_done = offset;
    m_command = command;
    connect(command, &ftp::DataCommand::progress, this, [this](qint64 done, qint64 total) {
        m_done = done;
        if (total >= 0)
            m_total = total;
        Q_EMIT progress(m_done, m_total);
    });
    connect(command, &ftp::FtpCommand::finished, this,
            [this, command] { onTransferFinished(command); });
    m_session->enqueue(command);
}

void FileTransfer::onTransferFinished(ftp::FtpCommand *command)
{
    m_command = nullptr;
    m_file.close();
    if (command->error()) {
        retryOrFail(command->error(), isPermanentFailure(command->error(), command->lastReply()));
        return;
    }
    if (isDownload(m_spec) && m_remoteSize >= 0 && !m_options.ascii) {
        const qint64 have = QFileInfo(m_targetLocal).size();
        if (have != m_remoteSize) {
            retryOrFail(Error(ErrorKind::NetworkError,
                              QStringLiteral("RETR: %1 has %2 of the file's %3 bytes")
                                  .arg(m_targetLocal)
                                  .arg(have)
                                  .arg(m_remoteSize)),
                        false);
            return;
        }
    }
    afterTransfer();
}

void FileTransfer::afterTransfer()
{
    if (!m_options.keepTimestamps) {
        succeed();
        return;
    }
    if (isDownload(m_spec)) {
        if (m_remoteModified.isValid()) {
            QFile file(m_targetLocal);
            if (file.open(QIODevice::ReadWrite | QIODevice::Append))
                file.setFileTime(m_remoteModified, QFileDevice::FileModificationTime);
        }
        succeed();
        return;
    }
    const QDateTime modified = QFileInfo(m_spec.localPath).lastModified().toUTC();
    if (!m_session || !m_session->features().has("MFMT") || !modified.isValid()) {
        succeed();
        return;
    }
    auto *mfmt = new ftp::SetModificationTimeCommand(modified, m_targetRemote);
    // The file is there and whole: a server that cannot keep the time does not undo that.
    connect(mfmt, &ftp::FtpCommand::finished, this, [this] {
        m_command = nullptr;
        succeed();
    });
    m_command = mfmt;
    m_session->enqueue(mfmt);
}

void FileTransfer::retryOrFail(const Error &error, bool permanent)
{
    releaseSession();
    if (m_finished)
        return;
    if (permanent || m_attempts > m_options.retries) {
        fail(error);
        return;
    }
    m_retryTimer.start(m_backoff.delayAfterLoss());
}

void FileTransfer::cancel()
{
    if (m_finished)
        return;
    m_retryTimer.stop();
    if (m_command) {
        m_command->disconnect(this);
        m_command->cancel();
    }
    m_file.close();
    fail(Error(ErrorKind::Cancelled, QStringLiteral("Cancelled")));
    m_command = nullptr;
}

void FileTransfer::succeed(bool skipped)
{
    if (m_finished)
        return;
    m_skipped = skipped;
    m_finished = true;
    releaseSession();
    Q_EMIT finished();
}

void FileTransfer::fail(const Error &error)
{
    if (m_finished)
        return;
    m_error = error;
    m_finished = true;
    m_retryTimer.stop();
    releaseSession();
    Q_EMIT finished();
}

void FileTransfer::releaseSession()
{
    ftp::FtpSession *session = m_session;
    m_session = nullptr;
    if (!session || !m_pool)
        return;
    const QPointer<FtpConnectionPool> pool = m_pool;
    const QPointer<ftp::FtpSession> guarded = session;
    const auto releaseAfter = [&](ftp::FtpCommand *command) {
        connect(command, &ftp::FtpCommand::finished, m_pool, [pool, guarded] {
            if (pool && guarded)
                pool->release(guarded);
        });
    };
    if (m_command && !m_command->isFinished()) {
        // A cancelled transfer keeps the session busy until ABOR brought the server back in
        // step, and the pool hands out idle sessions only, without looking again later:
        // give it back once the command is over.
        releaseAfter(m_command);
        return;
    }
    if (session->transferType() != ftp::TransferType::Binary &&
        session->state() == ftp::FtpSession::State::Ready) {
        // Back to TYPE I before another transfer gets the session: SIZE and REST count
        // bytes as TYPE I moves them (ProFTPD refuses SIZE in TYPE A).
        auto *type = new ftp::TypeCommand(ftp::TransferType::Binary);
        releaseAfter(type);
        session->enqueue(type);
        return;
    }
    m_pool->release(session);
}

} // namespace wharf::controllers
