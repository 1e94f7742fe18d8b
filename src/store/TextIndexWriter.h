#pragma once

#include "core/Error.h"
#include "store/IndexDatabase.h"
#include "store/MessageRecord.h"

#include <QList>
#include <QSqlQuery>

namespace wharf::store {

// Queues a message's words for later (one parameter: its id); RemoteHeaderWriter runs it
// through SQLite's own API.
inline constexpr char kQueueTextSql[] = "INSERT OR IGNORE INTO text_backlog (id) VALUES (?)";

// Whether a batch of bodies gets its words into the full-text index in the same
// transaction, or leaves them for later (MailStore::indexDeferredText()). An offline sync
// of thousands of bodies defers: indexing took a third of its time, and nobody searches
// while it runs.
enum class TextIndexing
{
    Now,
    Deferred,
};

// The one writer of a message's words (message_text) once it has a body, and of the queue
// of messages whose words are still to come (text_backlog; a row leaves it with its message
// by ON DELETE CASCADE). Works inside the caller's transaction; its statements are prepared
// once; must not outlive the database.
class TextIndexWriter
{
public:
    explicit TextIndexWriter(IndexDatabase &database);

    // Replaces the message's words (subject, addresses, body); takes it off the queue.
    Error write(qint64 id, const QString &subject, const MessageText &text);
    // Queues the message: its words (those of its headers, if any) stay as they are.
    Error defer(qint64 id);

    // The oldest queued messages' rows, at most `limit`, in one query.
    static Error deferred(IndexDatabase &database, qint64 limit, QList<MessageRecord> *rows);
    static Error deferredCount(IndexDatabase &database, qint64 *count);

private:
    Error prepare();
    Error forget(qint64 id); // off the queue
    // Runs one of the queue's statements for the message.
    Error execute(QSqlQuery &statement, qint64 id, const QString &purpose);

    QSqlQuery m_dropText;
    QSqlQuery m_addText;
    QSqlQuery m_queue;
    QSqlQuery m_unqueue;
    bool m_prepared = false;
};

} // namespace wharf::store
