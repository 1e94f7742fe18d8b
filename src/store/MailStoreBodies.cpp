// MailStore: bodies fetched for headers-only rows. One body (a message opened) and many (an
// offline sync) take the same path: written in tmp/, made durable, renamed into place under
// the row's flags, then the rows updated in one transaction. A sync of 20,000 bodies pays
// one file-system sync per batch instead of a file and a directory fsync per message.
#include "store/MailStore.h"

#include "store/DurableFiles.h"

#include <QFile>
#include <QSet>

#include <cerrno>

namespace wharf::store {

namespace {

Error noMessage(qint64 id)
{
    return Error(ErrorKind::Usage, QStringLiteral("No message with id %1 in this store").arg(id));
}

// What a headers-only row becomes with its file: the server's envelope and flags stay; the
// body adds what only it tells.
MessageSummary withBody(const MessageRecord &row, const QString &key, const QString &relativePath,
                        MessageSummary body)
{
    MessageSummary result;
    MessageRecord &updated = result.record;
    updated = row;
    updated.maildirKey = key;
    updated.relativePath = relativePath;
    updated.size = body.record.size;
    updated.hasAttachments = body.record.hasAttachments;
    updated.messageId = body.record.messageId;
    updated.inReplyTo = body.record.inReplyTo;
    updated.references = body.record.references;
    result.text = std::move(body.text);
    return result;
}

} // namespace

Error MailStore::stageBody(const MessageRecord &row, const QByteArray &raw, QIODevice *source,
                           bool sync, QList<PendingMessage> *staged)
{
    const MaildirFolder maildir = maildirFor(row.folderId);
    if (maildir.path().isEmpty())
        return Error(ErrorKind::Usage, QStringLiteral("No folder with id %1").arg(row.folderId));
    const QString key = MaildirFolder::newKey();
    MessageSummary summary;
    if (!source) {
        if (Error error = writeMessageFile(maildir, key, raw, row.internalDate, sync))
            return error;
        summary = summarizeMessage(raw);
    } else {
        NewFileWriter writer;
        if (Error error = writer.open(maildir.temporaryPathFor(key)))
            return error;
        auto fail = [&writer](Error error) {
            writer.discard();
            return error;
        };
        if (Error error = writer.copyFrom(*source))
            return fail(error);
        // The index needs the parsed message once; this is the one copy in memory.
        QFile written(writer.path());
        if (!written.open(QIODevice::ReadOnly))
            return fail(errorFromErrno(EIO, QStringLiteral("read back"), writer.path()));
        summary = summarizeMessage(written.readAll());
        written.close();
        if (Error error = writer.setModificationTime(row.internalDate))
            return fail(error);
        if (Error error = writer.close(sync))
            return fail(error);
    }
    PendingMessage pending;
    pending.folderId = row.folderId;
    pending.summary =
        withBody(row, key, MaildirFolder::relativePathFor(key, row.flags, row.extraFlags),
                 std::move(summary));
    staged->append(std::move(pending));
    return {};
}

Error MailStore::publishBodies(QList<PendingMessage> &staged, bool filesSynced,
                               TextIndexing indexing)
{
    if (staged.isEmpty())
        return {};
    QList<MessageRecord> expected;
    expected.reserve(staged.size());
    for (const PendingMessage &pending : std::as_const(staged))
        expected.append(pending.summary.record);
    if (Error error = inTransaction([&] { return m_remote.expectCopies(expected); })) {
        withdraw(staged, 0);
        return error;
    }
    // Row by row inside publishBatch()'s transaction. The row must still be headers-only
    // then: attach() refuses one that got a body meanwhile.
    CopyAttacher attacher(m_database, indexing);
    return publishBatch(staged, filesSynced, [&attacher](PendingMessage &pending) {
        return attacher.attach(pending.summary.record, pending.summary.text);
    });
}

Error MailStore::adoptExpectedCopy(qint64 folderId, const MaildirEntry &entry, bool *adopted)
{
    *adopted = false;
    std::optional<MessageRecord> row;
    if (Error error = m_remote.rowExpecting(entry.key, &row))
        return error;
    if (!row || row->folderId != folderId)
        return {};
    QFile file(maildirFor(folderId).absolutePath(entry.relativePath));
    if (!file.open(QIODevice::ReadOnly))
        return {}; // gone again since the scan
    const MessageSummary found =
        withBody(*row, entry.key, entry.relativePath, summarizeMessage(file.readAll()));
    if (Error error = m_remote.attachCopy(found.record, found.text))
        return error;
    ++m_reconciledChanges;
    *adopted = true;
    return {};
}

Error MailStore::attachBodies(const QList<BodyAttachment> &batch, qint64 *attached,
                              TextIndexing indexing)
{
    if (attached)
        *attached = 0;
    // A body on its own is fsynced with its directory: cheaper than syncing the whole file
    // system, which may hold other programs' writes.
    const bool single = batch.size() == 1;
    QList<PendingMessage> staged;
    staged.reserve(batch.size());
    QSet<qint64> seen;
    auto fail = [&](Error error) {
        withdraw(staged, 0);
        return error;
    };
    QList<qint64> ids;
    ids.reserve(batch.size());
    for (const BodyAttachment &item : batch)
        ids.append(item.id);
    QHash<qint64, MessageRecord> rows;
    if (Error error = m_index.messages(ids, &rows))
        return error;
    for (const BodyAttachment &item : batch) {
        const auto row = rows.constFind(item.id);
        // Gone: expunged while its body was on the way; nothing to keep it for.
        if (row == rows.cend() || row->hasLocalCopy() || seen.contains(item.id))
            continue;
        seen.insert(item.id);
        Error error;
        if (item.sourcePath.isEmpty()) {
            error = stageBody(*row, item.raw, nullptr, single, &staged);
        } else {
            QFile source(item.sourcePath);
            if (source.open(QIODevice::ReadOnly))
                error = stageBody(*row, {}, &source, single, &staged);
            else
                error =
                    Error(ErrorKind::LocalFile, QStringLiteral("Cannot read %1: %2")
                                                    .arg(item.sourcePath, source.errorString()));
        }
        if (error)
            return fail(error);
    }
    if (Error error = publishBodies(staged, single, indexing))
        return error;
    if (attached)
        *attached = staged.size();
    return {};
}

Error MailStore::indexDeferredText(qint64 maxMessages, qint64 *remaining)
{
    QList<MessageRecord> rows;
    if (Error error = TextIndexWriter::deferred(m_database, maxMessages, &rows))
        return error;
    // Read and parsed before the transaction, which then only writes. A row without a
    // readable file (headers only, or the file went behind the index's back: reconcile()
    // sees to that) gets the words of its headers, as the server described them.
    QList<MessageText> texts;
    texts.reserve(rows.size());
    for (const MessageRecord &row : std::as_const(rows)) {
        MessageText text{row.from + u' ' + row.recipients, {}};
        if (row.hasLocalCopy()) {
            QFile file(maildirFor(row.folderId).absolutePath(row.relativePath));
            if (file.open(QIODevice::ReadOnly))
                text = summarizeMessage(file.readAll()).text;
        }
        texts.append(std::move(text));
    }
    Error error = inTransaction([&]() -> Error {
        TextIndexWriter writer(m_database);
        for (qsizetype i = 0; i < rows.size(); ++i) {
            if (Error written = writer.write(rows[i].id, rows[i].subject, texts[i]))
                return written;
        }
        return {};
    });
    if (error)
        return error;
    if (remaining)
        return TextIndexWriter::deferredCount(m_database, remaining);
    return {};
}

Error MailStore::attachBody(qint64 id, QIODevice &source)
{
    std::optional<MessageRecord> row;
    if (Error error = m_index.message(id, &row))
        return error;
    if (!row)
        return noMessage(id);
    if (row->hasLocalCopy())
        return {};
    QList<PendingMessage> staged;
    if (Error error = stageBody(*row, {}, &source, true, &staged))
        return error;
    return publishBodies(staged, true);
}

Error MailStore::attachBody(qint64 id, const QByteArray &raw)
{
    std::optional<MessageRecord> row;
    if (Error error = m_index.message(id, &row))
        return error;
    if (!row)
        return noMessage(id);
    return attachBodies({BodyAttachment{id, raw, {}}});
}

} // namespace wharf::store
