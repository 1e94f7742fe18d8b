#pragma once

#include "core/Error.h"

#include <QByteArrayView>
#include <QString>

class QIODevice;

namespace wharf::store {

// The POSIX steps that make a write survive a crash: data on disk before the rename that
// publishes it, and the directory entry on disk after it. Errors name the path and say why
// (ENOSPC reads "No space left on device"), so a full disk is a clear message.

// Creates a directory and its parents, private to the user (0700).
Error makePrivateDirectory(const QString &path);

// fsync() on a file or a directory.
Error syncPath(const QString &path);

// syncfs(): everything written to the file system holding path, in one call. Bulk imports
// write many files, then sync once, then rename them into place.
Error syncFileSystem(const QString &path);

// rename(2): atomic within one file system.
Error renamePath(const QString &from, const QString &to);

// Writes bytes to a new file (O_EXCL, 0600), optionally fsyncing it before closing.
Error writeNewFile(const QString &path, QByteArrayView bytes, bool sync);

// Replaces a small document (profiles, trusted certificates) atomically: QSaveFile writes
// a temporary file, private to the user (0600) from its first byte, syncs it and renames it
// over the old one; then the folder is synced. Any failure leaves the old file as it was.
Error writePrivateFileAtomically(const QString &path, const QByteArray &bytes);

// A file descriptor that is written in chunks and closed (and, if asked, fsynced) once.
class NewFileWriter
{
public:
    NewFileWriter() = default;
    ~NewFileWriter();
    NewFileWriter(const NewFileWriter &) = delete;
    NewFileWriter &operator=(const NewFileWriter &) = delete;

    Error open(const QString &path);
    Error write(QByteArrayView bytes);
    // Everything the device has left, in chunks: a message is never held in memory whole.
    Error copyFrom(QIODevice &source);
    // Sets the file's modification time (ms since the epoch) before it is synced.
    Error setModificationTime(qint64 msecsSinceEpoch);
    Error close(bool sync);
    // Closes and unlinks a file that must not be published.
    void discard();
    qint64 bytesWritten() const { return m_written; }
    const QString &path() const { return m_path; }

private:
    int m_fd = -1;
    qint64 m_written = 0;
    QString m_path;
};

Error errorFromErrno(int errorNumber, const QString &what, const QString &path);

} // namespace wharf::store
