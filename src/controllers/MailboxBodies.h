#pragma once

#include "core/Error.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTemporaryFile>

#include <memory>

namespace wharf::store {
class MailStore;
struct BodyAttachment;
} // namespace wharf::store

namespace wharf::imap {
class ImapSession;
struct FetchData;
struct LiteralChunk;
} // namespace wharf::imap

namespace wharf::controllers {

// Downloads the bodies of a folder's headers-only messages for offline reading, newest
// first, on a session that has the folder selected: several UID FETCH BODY.PEEK[] commands
// in flight, a big message streamed to a temporary file as it arrives (never held whole),
// and the bodies handed to the store in batches (one file-system sync per batch).
class BodyDownload : public QObject
{
    Q_OBJECT
public:
    BodyDownload(imap::ImapSession *session, store::MailStore *store, qint64 folderId,
                 quint32 uidValidity, QObject *parent = nullptr);
    ~BodyDownload() override;

    // Messages that arrived at or after `since` (ms since the epoch; 0: all).
    void start(qint64 since);
    void cancel();

    qint64 downloaded() const { return m_downloaded; }
    const Error &error() const { return m_error; }

Q_SIGNALS:
    void progress(qint64 done, qint64 total);
    void finished();

private:
    void sendNext();
    void onChunk(const imap::LiteralChunk &chunk);
    void onMessage(const imap::FetchData &data);
    Error flush();
    void fail(const Error &error);
    void finish();

    QPointer<imap::ImapSession> m_session;
    store::MailStore *m_store;
    qint64 m_folderId;
    quint32 m_uidValidity;
    QList<quint32> m_pending;
    QHash<quint32, qint64> m_rowOfUid;
    // Streamed bodies by message sequence number (the one thing every chunk's head has).
    QHash<quint32, std::shared_ptr<QTemporaryFile>> m_streams;
    QList<store::BodyAttachment> m_batch;
    QList<std::shared_ptr<QTemporaryFile>> m_batchFiles;
    qint64 m_batchBytes = 0;
    qint64 m_total = 0;
    qint64 m_downloaded = 0;
    int m_inFlight = 0;
    Error m_error;
    bool m_finished = false;
};

} // namespace wharf::controllers
