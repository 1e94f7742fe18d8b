#pragma once

#include "core/Error.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <optional>

namespace wharf::store {

// A transfer the queue had not finished when the application stopped: kept so that the
// next start queues it again and resumes it where it was.
struct SavedTransfer
{
    QString siteKey; // the FTP site's profile id, or its URL when it is not saved
    bool upload = false;
    QByteArray remotePath; // wire bytes
    QString localPath;
    qint64 size = -1;
    QDateTime modified;
    QString state; // "queued", "paused" or "failed"
    qint64 done = 0;
    bool started = false; // bytes moved once: resume, do not ask about the target again
    QString error;        // why it failed, for a failed one
};

// Where the application keeps them: transfers.json in the data directory.
QString savedTransfersPath();

// A missing file is an empty list; a damaged one is an error (and is left alone).
std::optional<QList<SavedTransfer>> loadSavedTransfers(const QString &path, Error *error);
// Replaces the entries of `siteKey` and keeps the other sites'; written atomically, 0600
// (local paths are private).
Error saveSavedTransfers(const QString &path, const QString &siteKey,
                         const QList<SavedTransfer> &transfers);

} // namespace wharf::store
