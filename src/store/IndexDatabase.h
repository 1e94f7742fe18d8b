#pragma once

#include "core/Error.h"

#include <QSqlDatabase>
#include <QString>

namespace wharf::store {

// One account's SQLite index file (QSQLITE, WAL): the schema, its migrations, and the
// decision what to do with a file that is damaged. The index is a cache of the Maildir plus
// what only a server knows (remote ids, headers-only messages, how far a folder was synced)
// and the local changes queued for the server: losing it costs a rebuild and a sync, and
// those queued changes, never mail.
class IndexDatabase
{
public:
    static constexpr int kSchemaVersion = 4;

    IndexDatabase() = default;
    ~IndexDatabase();
    IndexDatabase(const IndexDatabase &) = delete;
    IndexDatabase &operator=(const IndexDatabase &) = delete;

    // Opens or creates the file. A file that is not a database, fails SQLite's quick check
    // (run when the last session did not close the file cleanly) or lacks the schema is moved aside
    // (as "<name>.damaged-<time>") and a fresh one is created: wasRecreated() then tells the caller
    // to rebuild from the Maildir. A file written by a newer Wharf is refused, not touched.
    Error open(const QString &path);
    void close();

    QSqlDatabase &database() { return m_database; }
    const QString &path() const { return m_path; }
    bool wasRecreated() const { return m_recreated; }

    // Runs a statement that returns no rows; the error names the statement's purpose.
    Error execute(const QString &sql, const QString &purpose);

private:
    Error openFile();
    Error checkHealth();
    Error migrate();
    Error moveAside();
    // Present while a program has the index open; left behind by a crash.
    QString inUseMarkerPath() const;

    QSqlDatabase m_database;
    QString m_connectionName;
    QString m_path;
    bool m_recreated = false;
    bool m_uncleanShutdown = false;
};

Error sqlError(const QString &purpose, const QString &detail);

} // namespace wharf::store
