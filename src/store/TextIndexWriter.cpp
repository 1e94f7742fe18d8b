#include "store/TextIndexWriter.h"

#include "store/IndexRows.h"

#include <QSqlError>

namespace wharf::store {

TextIndexWriter::TextIndexWriter(IndexDatabase &database)
    : m_dropText(database.database())
    , m_addText(database.database())
    , m_queue(database.database())
    , m_unqueue(database.database())
{}

Error TextIndexWriter::prepare()
{
    if (!m_dropText.prepare(QStringLiteral("DELETE FROM message_text WHERE rowid = ?")) ||
        !m_addText.prepare(QStringLiteral("INSERT INTO message_text (rowid, subject, addresses, "
                                          "body) VALUES (?, ?, ?, ?)")) ||
        !m_queue.prepare(QString::fromLatin1(kQueueTextSql)) ||
        !m_unqueue.prepare(QStringLiteral("DELETE FROM text_backlog WHERE id = ?"))) {
        return sqlError(QStringLiteral("prepare the text index"),
                        m_dropText.lastError().text() + m_addText.lastError().text() +
                            m_queue.lastError().text() + m_unqueue.lastError().text());
    }
    m_prepared = true;
    return {};
}

Error TextIndexWriter::write(qint64 id, const QString &subject, const MessageText &text)
{
    if (!m_prepared) {
        if (Error error = prepare())
            return error;
    }
    m_dropText.bindValue(0, id);
    m_addText.bindValue(0, id);
    m_addText.bindValue(1, sqlText(subject));
    m_addText.bindValue(2, sqlText(text.addresses));
    m_addText.bindValue(3, sqlText(text.body));
    if (!m_dropText.exec() || !m_addText.exec())
        return sqlError(QStringLiteral("index a message's text"), m_addText.lastError().text());
    return forget(id);
}

Error TextIndexWriter::defer(qint64 id)
{
    return execute(m_queue, id, QStringLiteral("queue a message's text"));
}

Error TextIndexWriter::forget(qint64 id)
{
    return execute(m_unqueue, id, QStringLiteral("index a message's text"));
}

Error TextIndexWriter::execute(QSqlQuery &statement, qint64 id, const QString &purpose)
{
    if (!m_prepared) {
        if (Error error = prepare())
            return error;
    }
    statement.bindValue(0, id);
    if (!statement.exec())
        return sqlError(purpose, statement.lastError().text());
    return {};
}

Error TextIndexWriter::deferred(IndexDatabase &database, qint64 limit, QList<MessageRecord> *rows)
{
    rows->clear();
    QSqlQuery query(database.database());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT %1 FROM text_backlog b JOIN messages m ON m.id = b.id "
                                 "ORDER BY b.id LIMIT ?")
                      .arg(kMessageColumns));
    query.addBindValue(limit);
    if (!query.exec())
        return sqlError(QStringLiteral("read the text backlog"), query.lastError().text());
    while (query.next())
        rows->append(messageFromRow(query));
    return {};
}

Error TextIndexWriter::deferredCount(IndexDatabase &database, qint64 *count)
{
    QSqlQuery query(database.database());
    if (!query.exec(QStringLiteral("SELECT count(*) FROM text_backlog")) || !query.next())
        return sqlError(QStringLiteral("read the text backlog"), query.lastError().text());
    *count = query.value(0).toLongLong();
    return {};
}

} // namespace wharf::store
