#include "store/StoragePaths.h"

#include <QDir>
#include <QStandardPaths>

namespace wharf::store {

QString configDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
           QStringLiteral("/wharf");
}

QString dataDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           QStringLiteral("/wharf");
}

QString accountMailDirectory(const QString &accountId)
{
    return dataDirectory() + QStringLiteral("/mail/") + accountId;
}

} // namespace wharf::store
