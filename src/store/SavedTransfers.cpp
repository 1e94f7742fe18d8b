#include "store/SavedTransfers.h"

#include "store/StoragePaths.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace wharf::store {

namespace {

constexpr int kFormatVersion = 1;

QJsonObject toJson(const SavedTransfer &transfer)
{
    QJsonObject object;
    object[QStringLiteral("site")] = transfer.siteKey;
    object[QStringLiteral("direction")] =
        transfer.upload ? QStringLiteral("upload") : QStringLiteral("download");
    // Remote names are bytes in the server's encoding: kept exactly, as base64.
    object[QStringLiteral("remote")] = QString::fromLatin1(transfer.remotePath.toBase64());
    object[QStringLiteral("local")] = transfer.localPath;
    object[QStringLiteral("size")] = transfer.size;
    if (transfer.modified.isValid())
        object[QStringLiteral("modified")] = transfer.modified.toUTC().toString(Qt::ISODateWithMs);
    object[QStringLiteral("state")] = transfer.state;
    object[QStringLiteral("done")] = transfer.done;
    object[QStringLiteral("started")] = transfer.started;
    if (!transfer.error.isEmpty())
        object[QStringLiteral("error")] = transfer.error;
    return object;
}

std::optional<SavedTransfer> fromJson(const QJsonObject &object)
{
    SavedTransfer transfer;
    transfer.siteKey = object.value(QStringLiteral("site")).toString();
    const QString direction = object.value(QStringLiteral("direction")).toString();
    if (direction != u"upload" && direction != u"download")
        return std::nullopt;
    transfer.upload = direction == u"upload";
    const auto remote =
        QByteArray::fromBase64Encoding(object.value(QStringLiteral("remote")).toString().toLatin1(),
                                       QByteArray::AbortOnBase64DecodingErrors);
    if (!remote)
        return std::nullopt;
    transfer.remotePath = *remote;
    transfer.localPath = object.value(QStringLiteral("local")).toString();
    transfer.size = object.value(QStringLiteral("size")).toInteger(-1);
    transfer.modified = QDateTime::fromString(object.value(QStringLiteral("modified")).toString(),
                                              Qt::ISODateWithMs);
    transfer.state = object.value(QStringLiteral("state")).toString();
    transfer.done = object.value(QStringLiteral("done")).toInteger(0);
    transfer.started = object.value(QStringLiteral("started")).toBool();
    transfer.error = object.value(QStringLiteral("error")).toString();
    if (transfer.siteKey.isEmpty() || transfer.remotePath.isEmpty() || transfer.localPath.isEmpty())
        return std::nullopt;
    return transfer;
}

} // namespace

QString savedTransfersPath()
{
    return QDir(dataDirectory()).filePath(QStringLiteral("transfers.json"));
}

std::optional<QList<SavedTransfer>> loadSavedTransfers(const QString &path, Error *error)
{
    QFile file(path);
    if (!file.exists())
        return QList<SavedTransfer>();
    if (!file.open(QIODevice::ReadOnly)) {
        *error = Error(ErrorKind::LocalFile,
                       QStringLiteral("Cannot read %1: %2").arg(path, file.errorString()));
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    const QJsonObject root = document.object();
    if (parseError.error != QJsonParseError::NoError || !root.value(u"transfers").isArray()) {
        *error =
            Error(ErrorKind::LocalFile,
                  QStringLiteral("%1 is damaged; the saved transfers were not read").arg(path));
        return std::nullopt;
    }
    QList<SavedTransfer> transfers;
    for (const QJsonValue &value : root.value(u"transfers").toArray()) {
        if (const auto transfer = fromJson(value.toObject()))
            transfers.append(*transfer);
    }
    return transfers;
}

Error saveSavedTransfers(const QString &path, const QString &siteKey,
                         const QList<SavedTransfer> &transfers)
{
    Error error;
    const auto existing = loadSavedTransfers(path, &error);
    QJsonArray array;
    // A damaged file loses the other sites' entries rather than blocking this save.
    for (const SavedTransfer &transfer : existing.value_or(QList<SavedTransfer>())) {
        if (transfer.siteKey != siteKey)
            array.append(toJson(transfer));
    }
    for (SavedTransfer transfer : transfers) {
        transfer.siteKey = siteKey;
        array.append(toJson(transfer));
    }
    QJsonObject root;
    root[QStringLiteral("version")] = kFormatVersion;
    root[QStringLiteral("transfers")] = array;
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        return Error(ErrorKind::LocalFile,
                     QStringLiteral("Cannot write %1: %2").arg(path, file.errorString()));
    }
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(QJsonDocument(root).toJson(QJsonDocument::Indented));
    if (!file.commit()) {
        return Error(ErrorKind::LocalFile,
                     QStringLiteral("Cannot write %1: %2").arg(path, file.errorString()));
    }
    return {};
}

} // namespace wharf::store
