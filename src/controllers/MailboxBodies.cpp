#include "controllers/MailboxBodies.h"

#include "protocols/imap/FetchData.h"
#include "protocols/imap/ImapSession.h"
#include "protocols/imap/commands/FetchCommand.h"
#include "store/MailStore.h"

namespace wharf::controllers {

namespace {

// Messages per command and commands in flight: enough to keep the server busy while the
// store writes, few enough that a cancel does not wait long.
constexpr int kMessagesPerCommand = 50;
constexpr int kCommandsInFlight = 4;
// A batch is synced to disk once it holds this many messages or bytes.
constexpr qsizetype kBatchMessages = 500;
constexpr qint64 kBatchBytes = 32ll * 1024 * 1024;

// "* 12 FETCH (UID 40 BODY[] " -> 12.
quint32 sequenceInHead(const QByteArray &head)
{
    if (!head.startsWith("* "))
        return 0;
    quint64 value = 0;
    for (qsizetype i = 2; i < head.size() && head.at(i) >= '0' && head.at(i) <= '9'; ++i) {
        value = value * 10 + quint64(head.at(i) - '0');
        if (value > 0xffffffffu)
            return 0;
    }
    return quint32(value);
}

} // namespace

BodyDownload::BodyDownload(imap::ImapSession *session, store::MailStore *store, qint64 folderId,
                           quint32 uidValidity, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_store(store)
    , m_folderId(folderId)
    , m_uidValidity(uidValidity)
{}

BodyDownload::~BodyDownload() = default;

void BodyDownload::start(qint64 since)
{
    if (Error error = m_store->headersOnlyUids(m_folderId, m_uidValidity, since, &m_pending))
        return fail(error);
    QHash<quint32, store::RemoteMessageState> rows;
    if (Error error = m_store->remoteUids(m_folderId, m_uidValidity, &rows))
        return fail(error);
    m_rowOfUid.reserve(m_pending.size());
    for (const quint32 uid : std::as_const(m_pending))
        m_rowOfUid.insert(uid, rows.value(uid).id);
    m_total = m_pending.size();
    Q_EMIT progress(0, m_total);
    if (m_pending.isEmpty())
        return finish();
    for (int i = 0; i < kCommandsInFlight; ++i)
        sendNext();
}

void BodyDownload::cancel()
{
    if (m_finished)
        return;
    m_pending.clear();
    fail(Error(ErrorKind::Cancelled, QStringLiteral("Download cancelled")));
}

void BodyDownload::sendNext()
{
    if (m_pending.isEmpty() || m_finished || !m_session)
        return;
    const qsizetype count = std::min<qsizetype>(kMessagesPerCommand, m_pending.size());
    const imap::SequenceSet uids = imap::SequenceSet::fromList(m_pending.mid(0, count));
    m_pending.remove(0, count);
    auto *fetch = new imap::FetchCommand(uids, "(UID BODY.PEEK[])");
    fetch->setMaxLiteralSize(m_session->settings().maxMessageSize);
    connect(fetch, &imap::FetchCommand::chunkReceived, this, &BodyDownload::onChunk);
    connect(fetch, &imap::FetchCommand::messageFetched, this, &BodyDownload::onMessage);
    connect(fetch, &imap::ImapCommand::finished, this, [this, fetch] {
        --m_inFlight;
        if (m_finished)
            return;
        if (fetch->error())
            return fail(fetch->error());
        sendNext();
        if (m_inFlight == 0 && m_pending.isEmpty()) {
            if (Error error = flush())
                return fail(error);
            finish();
        }
    });
    ++m_inFlight;
    m_session->enqueue(fetch);
}

void BodyDownload::onChunk(const imap::LiteralChunk &chunk)
{
    if (m_finished)
        return;
    const quint32 sequence = sequenceInHead(chunk.head);
    std::shared_ptr<QTemporaryFile> &file = m_streams[sequence];
    if (!file) {
        file = std::make_shared<QTemporaryFile>(m_store->spoolFileTemplate());
        if (!file->open())
            return fail(Error(ErrorKind::LocalFile,
                              QStringLiteral("Cannot create a temporary file for a message: %1")
                                  .arg(file->errorString())));
    }
    if (file->write(chunk.data) != chunk.data.size()) {
        fail(Error(
            ErrorKind::LocalFile,
            QStringLiteral("Cannot write %1: %2").arg(file->fileName(), file->errorString())));
    }
}

void BodyDownload::onMessage(const imap::FetchData &data)
{
    if (m_finished || !data.uid)
        return;
    const qint64 row = m_rowOfUid.value(*data.uid);
    for (const imap::BodySection &section : data.sections) {
        if (!section.section.isEmpty() || row == 0)
            continue;
        store::BodyAttachment attachment;
        attachment.id = row;
        if (section.content.kind == imap::Value::Kind::StreamedLiteral) {
            const std::shared_ptr<QTemporaryFile> file = m_streams.take(data.sequence);
            if (!file || !file->flush())
                return fail(Error(
                    ErrorKind::ProtocolError,
                    QStringLiteral("The body of UID %1 did not arrive whole").arg(*data.uid)));
            attachment.sourcePath = file->fileName();
            m_batchFiles.append(file);
            m_batchBytes += file->size();
        } else if (section.content.isString()) {
            attachment.raw = section.content.bytes;
            m_batchBytes += attachment.raw.size();
        } else {
            continue; // NIL: the server lost the message; the next sync will see it gone
        }
        m_batch.append(std::move(attachment));
    }
    if (m_batch.size() >= kBatchMessages || m_batchBytes >= kBatchBytes) {
        if (Error error = flush())
            fail(error);
    }
}

Error BodyDownload::flush()
{
    if (m_batch.isEmpty())
        return {};
    qint64 attached = 0;
    const qint64 count = m_batch.size();
    // The words wait: an offline sync stores bodies, search() indexes them when asked.
    Error error = m_store->attachBodies(m_batch, &attached, store::TextIndexing::Deferred);
    m_batch.clear();
    m_batchFiles.clear();
    m_batchBytes = 0;
    if (error)
        return error;
    m_downloaded += count;
    Q_EMIT progress(m_downloaded, m_total);
    return {};
}

void BodyDownload::fail(const Error &error)
{
    if (m_finished)
        return;
    m_error = error;
    finish();
}

void BodyDownload::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_streams.clear();
    Q_EMIT finished();
}

} // namespace wharf::controllers
