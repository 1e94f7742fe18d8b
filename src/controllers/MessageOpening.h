#pragma once

#include "core/Error.h"

#include <QObject>
#include <QPointer>
#include <QTemporaryFile>

#include <memory>

namespace wharf::store {
class MailStore;
}

namespace wharf::imap {
class ImapSession;
struct FetchData;
struct LiteralChunk;
} // namespace wharf::imap

namespace wharf::controllers {

class ImapConnectionPool;

// A message the user opened whose body is still on the server (a header sync, or a body
// older than the profile's offline days): BODY.PEEK[] of its uid on a session of the
// account's pool, streamed in chunks to a temporary file as it arrives (a 50 MB attachment
// is never held in memory while it downloads), then kept in the store as the row's local
// copy. A message that has its copy already is ready at once, without a connection.
class MessageOpening : public QObject
{
    Q_OBJECT
public:
    MessageOpening(ImapConnectionPool *pool, store::MailStore *store, qint64 messageId,
                   QObject *parent = nullptr);
    ~MessageOpening() override;

    void start();
    void cancel();

    // After finished() without an error: the local copy, in the store's Maildir.
    QString filePath() const { return m_filePath; }
    // Whether the body came from the server this time.
    bool downloaded() const { return m_downloaded; }
    const Error &error() const { return m_error; }

Q_SIGNALS:
    // Bytes of the body received so far, of `total` (the size the server announced).
    void progress(qint64 received, qint64 total);
    void finished();

private:
    void open();
    void onSession(imap::ImapSession *session);
    void fetch();
    void onChunk(const imap::LiteralChunk &chunk);
    void onMessage(const imap::FetchData &data);
    void keep();
    void fail(const Error &error);
    void finish();

    QPointer<ImapConnectionPool> m_pool;
    store::MailStore *m_store;
    qint64 m_messageId;
    qint64 m_folderId = 0;
    quint32 m_uidValidity = 0;
    quint32 m_uid = 0;
    qint64 m_size = 0;
    QByteArray m_wireName;
    QPointer<imap::ImapSession> m_session;
    std::unique_ptr<QTemporaryFile> m_spool;
    bool m_fetching = false;
    bool m_bodyArrived = false;
    QString m_filePath;
    bool m_downloaded = false;
    Error m_error;
    bool m_finished = false;
};

} // namespace wharf::controllers
