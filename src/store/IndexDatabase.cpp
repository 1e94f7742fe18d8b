#include "store/IndexDatabase.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace wharf::store {

namespace {

// Each entry upgrades the schema by one version; entry N-1 takes version N-1 to N. A
// migration never drops data the Maildir cannot give back (remote ids, headers-only rows).
const char *const kMigrations[] = {
    // Version 1.
    R"sql(
CREATE TABLE folders (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL DEFAULT '',
    stamp_new INTEGER NOT NULL DEFAULT -1,
    stamp_cur INTEGER NOT NULL DEFAULT -1,
    uid_validity INTEGER NOT NULL DEFAULT 0,
    uid_next INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
    maildir_key TEXT,
    relative_path TEXT,
    remote_uid_validity INTEGER NOT NULL DEFAULT 0,
    remote_uid INTEGER NOT NULL DEFAULT 0,
    remote_uidl BLOB,
    flags INTEGER NOT NULL DEFAULT 0,
    extra_flags TEXT NOT NULL DEFAULT '',
    internal_date INTEGER NOT NULL DEFAULT 0,
    size INTEGER NOT NULL DEFAULT 0,
    sender TEXT NOT NULL DEFAULT '',
    recipients TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT '',
    message_id BLOB NOT NULL DEFAULT '',
    in_reply_to BLOB NOT NULL DEFAULT '',
    message_references BLOB NOT NULL DEFAULT '',
    has_attachments INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX messages_by_key ON messages(maildir_key) WHERE maildir_key IS NOT NULL;
CREATE INDEX messages_by_folder_date ON messages(folder_id, internal_date, id);
CREATE INDEX messages_unread ON messages(folder_id) WHERE (flags & 1) = 0;
CREATE INDEX messages_by_message_id ON messages(message_id);
CREATE INDEX messages_by_uid ON messages(folder_id, remote_uid_validity, remote_uid)
    WHERE remote_uid != 0;
CREATE INDEX messages_by_uidl ON messages(folder_id, remote_uidl) WHERE remote_uidl IS NOT NULL;
CREATE VIRTUAL TABLE message_text USING fts5(subject, addresses, body,
    tokenize = 'unicode61 remove_diacritics 2');
)sql",
    // Version 2: following an IMAP server. Each folder remembers the mailbox it mirrors and
    // how far it got; a server message has at most one row per folder; the local actions
    // still to be replayed to the server are queued. extra_flags becomes a space-separated
    // list (one-letter Maildir keywords and IMAP keywords alike): the letters written run
    // together by version 1 are spaced out.
    R"sql(
ALTER TABLE folders ADD COLUMN remote_name BLOB;
ALTER TABLE folders ADD COLUMN highest_modseq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE folders ADD COLUMN last_full_sync INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX folders_by_remote_name ON folders(remote_name) WHERE remote_name IS NOT NULL;
CREATE TEMP TABLE uid_duplicates AS SELECT id, maildir_key IS NULL AS headers_only FROM (
    SELECT id, maildir_key, row_number() OVER (
        PARTITION BY folder_id, remote_uid_validity, remote_uid
        ORDER BY maildir_key IS NULL, id) AS rank
    FROM messages WHERE remote_uid != 0) WHERE rank > 1;
DELETE FROM message_text WHERE rowid IN (SELECT id FROM uid_duplicates WHERE headers_only);
DELETE FROM messages WHERE id IN (SELECT id FROM uid_duplicates WHERE headers_only);
UPDATE messages SET remote_uid_validity = 0, remote_uid = 0
    WHERE id IN (SELECT id FROM uid_duplicates);
DROP TABLE uid_duplicates;
DROP INDEX messages_by_uid;
CREATE UNIQUE INDEX messages_by_uid ON messages(folder_id, remote_uid_validity, remote_uid)
    WHERE remote_uid != 0;
CREATE TEMP TABLE spaced_flags (id INTEGER PRIMARY KEY, spaced TEXT NOT NULL);
WITH RECURSIVE letters(id, rest, spaced) AS (
    SELECT id, substr(extra_flags, 2), substr(extra_flags, 1, 1) FROM messages
        WHERE length(extra_flags) > 1
    UNION ALL
    SELECT id, substr(rest, 2), spaced || ' ' || substr(rest, 1, 1) FROM letters
        WHERE rest != '')
INSERT INTO spaced_flags SELECT id, spaced FROM letters WHERE rest = '';
UPDATE messages SET extra_flags = (SELECT spaced FROM spaced_flags s WHERE s.id = messages.id)
    WHERE id IN (SELECT id FROM spaced_flags);
DROP TABLE spaced_flags;
CREATE TABLE pending_actions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    folder_id INTEGER REFERENCES folders(id) ON DELETE SET NULL,
    uid_validity INTEGER NOT NULL DEFAULT 0,
    uids TEXT NOT NULL DEFAULT '',
    flags INTEGER NOT NULL DEFAULT 0,
    extra_flags TEXT NOT NULL DEFAULT '',
    target_folder_id INTEGER REFERENCES folders(id) ON DELETE SET NULL,
    message_id INTEGER REFERENCES messages(id) ON DELETE SET NULL,
    name TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX pending_actions_by_folder ON pending_actions(folder_id);
CREATE INDEX pending_actions_by_target ON pending_actions(target_folder_id);
CREATE INDEX pending_actions_by_message ON pending_actions(message_id);
)sql",
    // Version 3: the key a body is about to be published under, written before the rename,
    // so a file renamed into place by a process killed before the index said so goes back
    // to its headers-only row instead of becoming a second, local-only copy.
    R"sql(
ALTER TABLE messages ADD COLUMN incoming_key TEXT;
CREATE INDEX messages_by_incoming_key ON messages(incoming_key) WHERE incoming_key IS NOT NULL;
)sql",
    // Version 4: messages whose body's words are not in message_text yet (TextIndexWriter).
    R"sql(
CREATE TABLE text_backlog (id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE);
)sql",
};

constexpr int kMigrationCount = int(std::size(kMigrations));
static_assert(kMigrationCount == IndexDatabase::kSchemaVersion);

} // namespace

Error sqlError(const QString &purpose, const QString &detail)
{
    // SQLite says "database or disk is full"; the user should read what it is.
    if (detail.contains(QStringLiteral("disk is full"), Qt::CaseInsensitive)) {
        return Error(ErrorKind::LocalFile,
                     QStringLiteral("Mail index: cannot %1: No space left on device (%2)")
                         .arg(purpose, detail));
    }
    return Error(ErrorKind::LocalFile,
                 QStringLiteral("Mail index: cannot %1: %2").arg(purpose, detail));
}

IndexDatabase::~IndexDatabase()
{
    close();
}

void IndexDatabase::close()
{
    if (m_connectionName.isEmpty())
        return;
    if (m_database.isOpen())
        QFile::remove(inUseMarkerPath());
    m_database.close();
    m_database = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
    m_connectionName.clear();
}

Error IndexDatabase::execute(const QString &sql, const QString &purpose)
{
    QSqlQuery query(m_database);
    if (!query.exec(sql))
        return sqlError(purpose, query.lastError().text());
    return {};
}

Error IndexDatabase::open(const QString &path)
{
    m_path = path;
    m_recreated = !QFileInfo::exists(path);
    m_uncleanShutdown = QFileInfo::exists(inUseMarkerPath());
    // A file that is not a database fails already in the pragmas of openFile().
    Error error = openFile();
    if (!error)
        error = checkHealth();
    if (error) {
        if (error.kind() == ErrorKind::Usage)
            return error; // a newer Wharf's file: refuse, never overwrite
        if (Error moved = moveAside())
            return moved;
        m_recreated = true;
        if (Error reopened = openFile())
            return reopened;
    }
    if (Error migrated = migrate())
        return migrated;
    QFile marker(inUseMarkerPath());
    if (!marker.open(QIODevice::WriteOnly))
        return sqlError(QStringLiteral("mark %1 in use").arg(m_path), marker.errorString());
    return {};
}

QString IndexDatabase::inUseMarkerPath() const
{
    return m_path + QStringLiteral(".in-use");
}

Error IndexDatabase::openFile()
{
    close();
    m_connectionName = QStringLiteral("wharf-index-") + QUuid::createUuid().toString();
    m_database = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    m_database.setDatabaseName(m_path);
    if (!m_database.open())
        return sqlError(QStringLiteral("open %1").arg(m_path), m_database.lastError().text());
    // WAL: readers never block the writer; NORMAL sync keeps every commit across a process
    // crash (the Maildir file is already durable when its row is written). A checkpoint
    // (with its fsyncs) every 32 MB of WAL rather than SQLite's 4 MB: a header sync writes
    // batch after batch, and checkpoints took a quarter of its time on a busy disk.
    for (const char16_t *pragma :
         {u"PRAGMA journal_mode=WAL", u"PRAGMA synchronous=NORMAL", u"PRAGMA foreign_keys=ON",
          u"PRAGMA busy_timeout=5000", u"PRAGMA wal_autocheckpoint=8192"}) {
        QSqlQuery query(m_database);
        if (!query.exec(QString::fromUtf16(pragma)))
            return sqlError(QStringLiteral("set up %1").arg(m_path), query.lastError().text());
    }
    return {};
}

Error IndexDatabase::checkHealth()
{
    QSqlQuery query(m_database);
    // The full check reads every page (about a second for 100,000 messages), so it runs only
    // when the last session did not close the index: a crash, a power cut or a full disk.
    if (m_uncleanShutdown) {
        if (!query.exec(QStringLiteral("PRAGMA quick_check")) || !query.next())
            return sqlError(QStringLiteral("check %1").arg(m_path), query.lastError().text());
        if (query.value(0).toString() != u"ok")
            return sqlError(QStringLiteral("check %1").arg(m_path), query.value(0).toString());
        query.finish();
    }
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next())
        return sqlError(QStringLiteral("check %1").arg(m_path), query.lastError().text());
    const int version = query.value(0).toInt();
    if (version > kSchemaVersion) {
        return Error(ErrorKind::Usage,
                     QStringLiteral("Mail index %1 was written by a newer Wharf (schema %2, "
                                    "this one knows %3); it is left as it is")
                         .arg(m_path)
                         .arg(version)
                         .arg(kSchemaVersion));
    }
    if (version == 0) {
        // Version 0 with tables in it is not ours or was cut short: start again.
        query.finish();
        if (!query.exec(QStringLiteral("SELECT count(*) FROM sqlite_master")) || !query.next())
            return sqlError(QStringLiteral("check %1").arg(m_path), query.lastError().text());
        if (query.value(0).toInt() != 0)
            return sqlError(QStringLiteral("check %1").arg(m_path),
                            QStringLiteral("unknown tables without a schema version"));
    }
    return {};
}

Error IndexDatabase::migrate()
{
    QSqlQuery versionQuery(m_database);
    if (!versionQuery.exec(QStringLiteral("PRAGMA user_version")) || !versionQuery.next())
        return sqlError(QStringLiteral("read the schema version"), versionQuery.lastError().text());
    int version = versionQuery.value(0).toInt();
    versionQuery.finish();
    while (version < kSchemaVersion) {
        if (!m_database.transaction())
            return sqlError(QStringLiteral("migrate"), m_database.lastError().text());
        const QStringList statements =
            QString::fromUtf8(kMigrations[version]).split(u';', Qt::SkipEmptyParts);
        for (const QString &statement : statements) {
            if (statement.trimmed().isEmpty())
                continue;
            QSqlQuery query(m_database);
            if (!query.exec(statement)) {
                const QString detail = query.lastError().text();
                m_database.rollback();
                return sqlError(QStringLiteral("migrate to schema %1").arg(version + 1), detail);
            }
        }
        QSqlQuery bump(m_database);
        if (!bump.exec(QStringLiteral("PRAGMA user_version=%1").arg(version + 1)) ||
            !m_database.commit()) {
            m_database.rollback();
            return sqlError(QStringLiteral("migrate"), bump.lastError().text());
        }
        ++version;
    }
    return {};
}

Error IndexDatabase::moveAside()
{
    close();
    const QString aside =
        m_path + QStringLiteral(".damaged-") +
        QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMddThhmmss"));
    for (const char16_t *suffix : {u"", u"-wal", u"-shm"}) {
        const QString from = m_path + QString::fromUtf16(suffix);
        if (QFileInfo::exists(from) && !QFile::rename(from, aside + QString::fromUtf16(suffix)))
            return sqlError(QStringLiteral("move the damaged index aside"), from);
    }
    return {};
}

} // namespace wharf::store
