#include "store/DurableFiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QIODevice>
#include <QSaveFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace wharf::store {

namespace {

QByteArray nativePath(const QString &path)
{
    return QFile::encodeName(path);
}

} // namespace

Error errorFromErrno(int errorNumber, const QString &what, const QString &path)
{
    return Error(ErrorKind::LocalFile, QStringLiteral("Cannot %1 %2: %3")
                                           .arg(what, QDir::toNativeSeparators(path),
                                                QString::fromLocal8Bit(strerror(errorNumber))));
}

Error makePrivateDirectory(const QString &path)
{
    const QByteArray native = nativePath(path);
    if (::mkdir(native.constData(), 0700) == 0 || errno == EEXIST)
        return {};
    if (errno != ENOENT)
        return errorFromErrno(errno, QStringLiteral("create folder"), path);
    const QString parent = QFileInfo(path).absolutePath();
    if (parent == path)
        return errorFromErrno(ENOENT, QStringLiteral("create folder"), path);
    if (Error error = makePrivateDirectory(parent))
        return error;
    if (::mkdir(native.constData(), 0700) == 0 || errno == EEXIST)
        return {};
    return errorFromErrno(errno, QStringLiteral("create folder"), path);
}

Error syncPath(const QString &path)
{
    const int fd = ::open(nativePath(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errorFromErrno(errno, QStringLiteral("open"), path);
    const int result = ::fsync(fd);
    const int savedErrno = errno;
    ::close(fd);
    if (result != 0)
        return errorFromErrno(savedErrno, QStringLiteral("sync"), path);
    return {};
}

Error syncFileSystem(const QString &path)
{
    const int fd = ::open(nativePath(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errorFromErrno(errno, QStringLiteral("open"), path);
    const int result = ::syncfs(fd);
    const int savedErrno = errno;
    ::close(fd);
    if (result != 0)
        return errorFromErrno(savedErrno, QStringLiteral("sync"), path);
    return {};
}

Error renamePath(const QString &from, const QString &to)
{
    if (::rename(nativePath(from).constData(), nativePath(to).constData()) != 0)
        return errorFromErrno(errno, QStringLiteral("move %1 to").arg(from), to);
    return {};
}

Error writeNewFile(const QString &path, QByteArrayView bytes, bool sync)
{
    NewFileWriter writer;
    if (Error error = writer.open(path))
        return error;
    if (Error error = writer.write(bytes)) {
        writer.discard();
        return error;
    }
    if (Error error = writer.close(sync)) {
        writer.discard();
        return error;
    }
    return {};
}

Error writePrivateFileAtomically(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    // Never fall back to writing the file in place: that is what QSaveFile is here to avoid.
    file.setDirectWriteFallback(false);
    // Unbuffered: Qt 6.4's buffered flush drops the rest of a partial write (file size limit,
    // full disk) and commit() then succeeds with a truncated file. Unbuffered, write()
    // returns the short count and the check below cancels.
    if (!file.open(QIODevice::WriteOnly | QIODevice::Unbuffered)) {
        return Error(ErrorKind::LocalFile,
                     QStringLiteral("Cannot write %1: %2").arg(path, file.errorString()));
    }
    // A new file would get 0666 minus the umask; it names servers and users, so it is the
    // user's alone from the start (the temporary file is what gets renamed into place).
    if (!file.setPermissions(QFile::ReadOwner | QFile::WriteOwner)) {
        file.cancelWriting();
        return Error(ErrorKind::LocalFile,
                     QStringLiteral("Cannot make %1 private: %2").arg(path, file.errorString()));
    }
    if (file.write(bytes) != bytes.size() || !file.commit()) {
        const QString reason = file.errorString();
        file.cancelWriting();
        return Error(ErrorKind::LocalFile,
                     QStringLiteral("Cannot write %1: %2 (the previous file, if any, is unchanged)")
                         .arg(path, reason));
    }
    // The rename gives the directory entry to the new file; the directory itself must reach
    // the disk too, or a crash right after could bring the old file back. The new file is in
    // place already, so a failure here is not reported as a failed save.
    syncPath(QFileInfo(path).absolutePath());
    return {};
}

NewFileWriter::~NewFileWriter()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

Error NewFileWriter::open(const QString &path)
{
    m_path = path;
    m_written = 0;
    m_fd = ::open(nativePath(path).constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (m_fd < 0)
        return errorFromErrno(errno, QStringLiteral("create"), path);
    return {};
}

Error NewFileWriter::write(QByteArrayView bytes)
{
    const char *data = bytes.data();
    qsizetype left = bytes.size();
    while (left > 0) {
        const ssize_t written = ::write(m_fd, data, size_t(left));
        if (written < 0) {
            if (errno == EINTR)
                continue;
            return errorFromErrno(errno, QStringLiteral("write"), m_path);
        }
        data += written;
        left -= written;
        m_written += written;
    }
    return {};
}

Error NewFileWriter::copyFrom(QIODevice &source)
{
    constexpr qint64 kChunk = 256 * 1024;
    while (true) {
        const QByteArray chunk = source.read(kChunk);
        if (chunk.isEmpty())
            break;
        if (Error error = write(chunk))
            return error;
    }
    if (!source.atEnd()) {
        return Error(
            ErrorKind::LocalFile,
            QStringLiteral("Cannot read the message to store: %1").arg(source.errorString()));
    }
    return {};
}

Error NewFileWriter::setModificationTime(qint64 msecsSinceEpoch)
{
    struct timespec times[2];
    times[0].tv_sec = 0;
    times[0].tv_nsec = UTIME_OMIT;
    times[1].tv_sec = time_t(msecsSinceEpoch / 1000);
    times[1].tv_nsec = long(msecsSinceEpoch % 1000) * 1'000'000;
    if (msecsSinceEpoch < 0) {
        times[1].tv_sec = 0;
        times[1].tv_nsec = 0;
    }
    if (::futimens(m_fd, times) != 0)
        return errorFromErrno(errno, QStringLiteral("set the date of"), m_path);
    return {};
}

Error NewFileWriter::close(bool sync)
{
    if (sync && ::fsync(m_fd) != 0) {
        const int savedErrno = errno;
        return errorFromErrno(savedErrno, QStringLiteral("sync"), m_path);
    }
    // close() reports delayed write errors (NFS, some full-disk cases): they count.
    const int result = ::close(m_fd);
    m_fd = -1;
    if (result != 0)
        return errorFromErrno(errno, QStringLiteral("write"), m_path);
    return {};
}

void NewFileWriter::discard()
{
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
    if (!m_path.isEmpty())
        ::unlink(nativePath(m_path).constData());
}

} // namespace wharf::store
