#pragma once

#include "core/Error.h"
#include "protocols/imap/MailboxData.h"
#include "protocols/imap/SequenceSet.h"

#include <QObject>
#include <QPointer>

#include <optional>

namespace wharf::imap {

class ImapSession;
struct VanishedData;

// Moves messages to another mailbox the best way the server allows: UID MOVE (RFC 6851);
// else UID COPY, UID STORE +FLAGS.SILENT (\Deleted) and UID EXPUNGE of just those UIDs
// (UIDPLUS, RFC 4315); else COPY, STORE and a plain EXPUNGE, which also removes other
// messages already marked \Deleted — the only way without UIDPLUS, as every client does.
// A failed copy stops before anything is deleted.
class MoveOperation : public QObject
{
    Q_OBJECT
public:
    enum class Method
    {
        Move,
        CopyAndUidExpunge,
        CopyAndExpunge,
    };

    MoveOperation(ImapSession *session, const SequenceSet &uids, const QByteArray &targetWireName,
                  QObject *parent = nullptr);
    void start();

    Method method() const { return m_method; }
    const Error &error() const { return m_error; }
    const std::optional<CopyUidData> &copyUid() const { return m_copyUid; }
    bool targetMissing() const { return m_targetMissing; }

Q_SIGNALS:
    void finished();

private:
    void afterCopy();
    void afterStore();
    void finish(const Error &error);

    QPointer<ImapSession> m_session;
    SequenceSet m_uids;
    QByteArray m_target;
    Method m_method = Method::Move;
    Error m_error;
    std::optional<CopyUidData> m_copyUid;
    bool m_targetMissing = false;
};

} // namespace wharf::imap
