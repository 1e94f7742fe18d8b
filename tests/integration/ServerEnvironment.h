#pragma once

#include <QFile>
#include <QHash>
#include <QString>

namespace wharf::test {

// KEY=VALUE lines that a tests/servers script wrote to $WHARF_TEST_SERVERS/<server>.env.
// Empty when the fixture is not running; the caller then fails with that file's path.
inline QHash<QString, QString> serverEnvironment(const QString &server)
{
    QHash<QString, QString> values;
    QFile file(qEnvironmentVariable("WHARF_TEST_SERVERS") + u'/' + server + QStringLiteral(".env"));
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return values;
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        const qsizetype equals = line.indexOf(u'=');
        if (equals > 0 && !line.startsWith(u'#'))
            values.insert(line.left(equals), line.mid(equals + 1));
    }
    return values;
}

} // namespace wharf::test
