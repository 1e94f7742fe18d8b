#pragma once

#include "core/Error.h"
#include "protocols/imap/CommandBuilder.h"
#include "protocols/imap/ResponseParser.h"

#include <QObject>

namespace wharf::imap {

class ImapSession;

// One IMAP command, start to tagged completion (KIMAP's jobs): it says what to send, takes
// the untagged data meant for it and reports the result. A command is handed to
// ImapSession::enqueue(); the session owns the wire, the tags and the order, and deletes the
// command after finished() unless the caller took ownership (setAutoDelete(false)).
class ImapCommand : public QObject
{
    Q_OBJECT
public:
    // How the command may share the connection with others (RFC 3501 5.5).
    enum class Scheduling
    {
        // Sent while other pipelined commands still wait for their completion: UID FETCH,
        // UID STORE, UID SEARCH, LIST, STATUS, APPEND, ...
        Pipelined,
        // Waits until nothing else runs and holds the connection alone until completed:
        // SELECT, IDLE, LOGOUT, and commands addressing messages by sequence number, whose
        // numbers an untagged EXPUNGE in between would shift.
        Exclusive,
    };

    static constexpr qint64 kDefaultMaxLiteralSize = 8ll * 1024 * 1024;

    explicit ImapCommand(QObject *parent = nullptr);

    virtual Scheduling scheduling() const { return Scheduling::Pipelined; }
    // Largest literal this command accepts from the server (the parser's limit while it runs).
    virtual qint64 maxLiteralSize() const { return kDefaultMaxLiteralSize; }

    bool isFinished() const { return m_finished; }
    const Error &error() const { return m_error; }
    // The tagged completion: status, response code ([TRYCREATE], [APPENDUID ...]) and text.
    const Response &completion() const { return m_completion; }
    // "A12" once sent; empty before.
    const QByteArray &tag() const { return m_tag; }
    bool autoDelete() const { return m_autoDelete; }
    void setAutoDelete(bool autoDelete) { m_autoDelete = autoDelete; }

Q_SIGNALS:
    // Always emitted once, on success or failure: check error().
    void finished();

protected:
    friend class ImapSession;

    // The bytes after the tag. Called when the session sends the command.
    virtual CommandText command() const = 0;
    // Words for messages: "SELECT", "UID FETCH".
    virtual QByteArray name() const = 0;
    // Untagged data while this command runs; return true to keep it from the session (and
    // from commands after this one).
    virtual bool handleUntagged(const Response &response);
    virtual bool handleChunk(const LiteralChunk &chunk);
    // A "+" that is not a literal go-ahead (AUTHENTICATE, IDLE). Default: protocol error.
    virtual void handleContinuation(const Response &response);
    // The tagged completion. Default: OK succeeds, NO/BAD fail with the server's text.
    virtual void handleCompletion(const Response &response);
    // The session is gone (connection lost, BYE): fail with this error.
    virtual void handleAbort(const Error &error);

    // For subclasses.
    ImapSession *session() const { return m_session; }
    void succeed();
    void fail(const Error &error);
    // "SELECT Sent: the server said NO: [TRYCREATE] No such mailbox" style message.
    Error refusal(const Response &response) const;

private:
    void finish();

    ImapSession *m_session = nullptr;
    QByteArray m_tag;
    Response m_completion;
    Error m_error;
    bool m_finished = false;
    bool m_autoDelete = true;
};

} // namespace wharf::imap
