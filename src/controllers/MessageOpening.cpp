#include "controllers/MessageOpening.h"

#include "controllers/ImapConnectionPool.h"
#include "protocols/imap/FetchData.h"
#include "protocols/imap/ImapSession.h"
#include "protocols/imap/commands/FetchCommand.h"
#include "protocols/imap/commands/SelectCommand.h"
#include "store/MailStore.h"

namespace wharf::controllers {

MessageOpening::MessageOpening(ImapConnectionPool *pool, store::MailStore *store, qint64 messageId,
                               QObject *parent)
    : QObject(parent)
    , m_pool(pool)
    , m_store(store)
    , m_messageId(messageId)
{}

MessageOpening::~MessageOpening() = default;

void MessageOpening::start()
{
    // Even a message that is here already finishes from the event loop, never inside
    // start(): the caller may still be connecting to finished().
    QMetaObject::invokeMethod(this, &MessageOpening::open, Qt::QueuedConnection);
}

void MessageOpening::open()
{
    if (m_finished)
        return;
    std::optional<store::MessageRecord> row;
    if (Error error = m_store->message(m_messageId, &row))
        return fail(error);
    if (!row) {
        return fail(Error(ErrorKind::Usage,
                          QStringLiteral("No message with id %1 in this store").arg(m_messageId)));
    }
    if (row->hasLocalCopy()) {
        m_filePath = m_store->messageFilePath(*row);
        return finish();
    }
    store::RemoteFolderState state;
    if (Error error = m_store->remoteFolderState(row->folderId, &state))
        return fail(error);
    if (row->remote.uid == 0 || state.remoteName.isEmpty()) {
        return fail(Error(
            ErrorKind::Usage,
            QStringLiteral("Message %1 has no copy here and none on a server").arg(m_messageId)));
    }
    m_folderId = row->folderId;
    m_uidValidity = row->remote.uidValidity;
    m_uid = row->remote.uid;
    m_size = row->size;
    m_wireName = state.remoteName;
    // A session of its own: the folder must stay selected from EXAMINE to FETCH.
    m_pool->acquireExclusive(
        this, [this](imap::ImapSession *session) { onSession(session); },
        [this](const Error &error) { fail(error); });
}

void MessageOpening::cancel()
{
    fail(Error(ErrorKind::Cancelled,
               QStringLiteral("Opening message %1 cancelled").arg(m_messageId)));
}

void MessageOpening::onSession(imap::ImapSession *session)
{
    // Cancelled while the pool was still handing it over: give it back unused.
    if (m_finished) {
        if (m_pool)
            m_pool->release(session);
        return;
    }
    m_session = session;
    const imap::SelectedMailbox &selected = session->selectedMailbox();
    if (selected.isValid() && selected.wireName == m_wireName &&
        selected.uidValidity == m_uidValidity)
        return fetch();
    // EXAMINE: reading must not change the folder (no \Recent taken, no \Seen set).
    auto *examine = new imap::SelectCommand(m_wireName, true);
    connect(examine, &imap::ImapCommand::finished, this, [this, examine] {
        if (m_finished)
            return;
        if (examine->error())
            return fail(examine->error());
        if (examine->mailbox().uidValidity != m_uidValidity) {
            return fail(Error(ErrorKind::ProtocolError,
                              QStringLiteral("The folder was renumbered on the server "
                                             "(UIDVALIDITY changed); synchronise it again")));
        }
        fetch();
    });
    m_session->enqueue(examine);
}

void MessageOpening::fetch()
{
    m_spool = std::make_unique<QTemporaryFile>(m_store->spoolFileTemplate());
    if (!m_spool->open()) {
        return fail(Error(ErrorKind::LocalFile,
                          QStringLiteral("Cannot create a temporary file for a message: %1")
                              .arg(m_spool->errorString())));
    }
    auto *fetch =
        new imap::FetchCommand(imap::SequenceSet::range(m_uid, m_uid), "(UID BODY.PEEK[])");
    fetch->setMaxLiteralSize(m_session->settings().maxMessageSize);
    connect(fetch, &imap::FetchCommand::chunkReceived, this, &MessageOpening::onChunk);
    connect(fetch, &imap::FetchCommand::messageFetched, this, &MessageOpening::onMessage);
    connect(fetch, &imap::ImapCommand::finished, this, [this, fetch] {
        m_fetching = false;
        if (m_finished)
            return;
        if (fetch->error())
            return fail(fetch->error());
        if (!m_bodyArrived) {
            return fail(Error(ErrorKind::ProtocolError,
                              QStringLiteral("The server has no message of UID %1 in this "
                                             "folder any more")
                                  .arg(m_uid)));
        }
        keep();
    });
    m_fetching = true;
    m_session->enqueue(fetch);
}

void MessageOpening::onChunk(const imap::LiteralChunk &chunk)
{
    if (m_finished)
        return;
    if (m_spool->write(chunk.data) != chunk.data.size()) {
        return fail(
            Error(ErrorKind::LocalFile, QStringLiteral("Cannot write %1: %2")
                                            .arg(m_spool->fileName(), m_spool->errorString())));
    }
    Q_EMIT progress(chunk.offset + chunk.data.size(), chunk.literalSize);
}

void MessageOpening::onMessage(const imap::FetchData &data)
{
    if (m_finished || data.uid != m_uid)
        return;
    for (const imap::BodySection &section : data.sections) {
        if (!section.section.isEmpty())
            continue;
        if (section.content.kind == imap::Value::Kind::StreamedLiteral) {
            m_bodyArrived = true; // in the spool file already
        } else if (section.content.isString()) {
            const QByteArray &bytes = section.content.bytes;
            if (m_spool->write(bytes) != bytes.size()) {
                return fail(Error(ErrorKind::LocalFile,
                                  QStringLiteral("Cannot write %1: %2")
                                      .arg(m_spool->fileName(), m_spool->errorString())));
            }
            m_bodyArrived = true;
            Q_EMIT progress(bytes.size(), bytes.size());
        }
    }
}

void MessageOpening::keep()
{
    if (!m_spool->flush() || !m_spool->seek(0)) {
        return fail(
            Error(ErrorKind::LocalFile, QStringLiteral("Cannot read back %1: %2")
                                            .arg(m_spool->fileName(), m_spool->errorString())));
    }
    if (Error error = m_store->attachBody(m_messageId, *m_spool))
        return fail(error);
    std::optional<store::MessageRecord> row;
    if (Error error = m_store->message(m_messageId, &row))
        return fail(error);
    if (!row || !row->hasLocalCopy()) {
        return fail(Error(
            ErrorKind::Usage,
            QStringLiteral("Message %1 was removed while it was being fetched").arg(m_messageId)));
    }
    m_filePath = m_store->messageFilePath(*row);
    m_downloaded = true;
    finish();
}

void MessageOpening::fail(const Error &error)
{
    if (m_finished)
        return;
    m_error = error;
    finish();
}

void MessageOpening::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_spool.reset();
    if (m_pool && m_session) {
        if (m_fetching)
            m_session->abort(m_error); // stops the transfer: the connection goes with it
        else
            m_pool->release(m_session);
    }
    Q_EMIT finished();
}

} // namespace wharf::controllers
