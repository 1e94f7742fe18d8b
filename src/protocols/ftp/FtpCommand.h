#pragma once

#include "core/Error.h"
#include "net/NumericReply.h"

#include <QObject>

namespace wharf::ftp {

class FtpSession;

// One FTP operation, start to final reply (KIMAP's jobs, FileZilla's operations): it sends
// its command lines through the session, takes every reply while it runs and reports the
// result. FTP has no pipelining, so the session runs one command at a time; a command may
// send several lines (RNFR then RNTO, EPSV then RETR) before it finishes. The session
// deletes the command after finished() unless the caller took ownership
// (setAutoDelete(false)).
class FtpCommand : public QObject
{
    Q_OBJECT
public:
    explicit FtpCommand(QObject *parent = nullptr);

    bool isFinished() const { return m_finished; }
    const Error &error() const { return m_error; }
    // The reply that ended the command (the final one of its last line).
    const net::NumericReply &lastReply() const { return m_lastReply; }
    bool autoDelete() const { return m_autoDelete; }
    void setAutoDelete(bool autoDelete) { m_autoDelete = autoDelete; }

    // Stops the command: a queued one finishes at once with Cancelled, a running one as
    // soon as the server is back in step (a transfer is aborted with ABOR).
    virtual void cancel();

Q_SIGNALS:
    // Always emitted once, on success or failure: check error().
    void finished();

protected:
    friend class FtpSession;

    // Words for messages: "RETR", "MKD".
    virtual QByteArray name() const = 0;
    // The session hands over the connection: send the first line.
    virtual void start() = 0;
    // A complete reply to what this command sent (1yz preliminary replies included).
    virtual void handleReply(const net::NumericReply &reply) = 0;
    // The session is gone (connection lost, 421): fail with this error.
    virtual void handleAbort(const Error &error);

    FtpSession *session() const { return m_session; }
    void send(const QByteArray &line);
    void succeed(const net::NumericReply &reply = {});
    void fail(const Error &error, const net::NumericReply &reply = {});
    // "MKD: the server refused: 550 Permission denied" (ErrorKind by reply class).
    Error refusal(const net::NumericReply &reply) const;
    // The server's text quoted for a message, e.g. "550 No such file".
    static QString said(const net::NumericReply &reply);

private:
    void finish();

    FtpSession *m_session = nullptr;
    net::NumericReply m_lastReply;
    Error m_error;
    bool m_finished = false;
    bool m_autoDelete = true;
};

} // namespace wharf::ftp
