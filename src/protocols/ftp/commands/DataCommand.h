#pragma once

#include "protocols/ftp/FtpCommand.h"
#include "protocols/ftp/FtpSession.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>

class QTcpServer;

#include <optional>

namespace wharf::net {
class Connection;
}

namespace wharf::ftp {

// The part every transfer shares (LIST, MLSD, RETR, STOR, APPE): TYPE when the transfer
// needs the other one; EPSV, or PASV when the server refuses it (in active mode: EPRT, or
// PORT, and the server connects to a listener here); the data connection from FtpSession;
// REST when resuming; the transfer command; and the end, which needs both the server's
// final reply and the end of the data stream. A local failure (cancel, full disk, broken
// data connection) closes the data connection and sends ABOR then NOOP: the NOOP's 200 is
// the one reply that says the server is back in step, however many replies the ABOR caused
// (RFC 959 answers it with one or two, and servers differ).
class DataCommand : public FtpCommand
{
    Q_OBJECT
public:
    explicit DataCommand(QObject *parent = nullptr);

    void cancel() override;
    // Bytes moved on the data connection so far (after the restart offset).
    qint64 bytesTransferred() const { return m_bytes; }

Q_SIGNALS:
    // done and total count from the start of the file (total -1 when unknown); emitted at
    // most every 100 ms and once at the end.
    void progress(qint64 done, qint64 total);

protected:
    // The TYPE this transfer needs; none set (listings): whatever the session has.
    void requireTransferType(TransferType type) { m_type = type; }

    // The transfer command line: "RETR name", "MLSD dir".
    virtual QByteArray transferLine() const = 0;
    // Where the transfer starts (REST); 0: from the beginning.
    virtual qint64 restartOffset() const { return 0; }
    // Data arrived: read it with readData() and keep it.
    virtual void consumeData() { discardData(); }
    // The data connection is open (and encrypted when PROT P): an upload starts writing.
    virtual void dataConnectionReady() {}
    // 125/150: the server started the transfer.
    virtual void transferStarted(const net::NumericReply &reply) { Q_UNUSED(reply) }
    // The server's 2yz and the end of the data stream both arrived. Default: succeed.
    virtual void transferCompleted(const net::NumericReply &reply) { succeed(reply); }
    // The final reply of a step after the transfer (an upload's SIZE check).
    virtual void handleFollowUpReply(const net::NumericReply &reply) { Q_UNUSED(reply) }

    void start() override;
    void handleReply(const net::NumericReply &reply) override;
    void handleAbort(const Error &error) override;

    // For subclasses.
    net::Connection *data() const { return m_data; }
    QByteArray readData(qint64 maxBytes);
    // Into the caller's buffer: the count read, 0 when nothing is waiting.
    qint64 readData(char *into, qint64 maxBytes);
    void discardData();
    // Adds to the count and reports progress.
    void countBytes(qint64 bytes, qint64 total);
    // Stops the transfer because of something on this side; the command fails with `error`
    // once the server is back in step.
    void abortTransfer(const Error &error);
    // An upload wrote everything: close the data connection, the end of the file.
    void finishSending();
    // After transferCompleted(): the command sends another line and takes its reply in
    // handleFollowUpReply().
    void sendFollowUp(const QByteArray &line);
    // After transferCompleted(): another transfer in the same command (a listing's NLST after
    // an unreadable LIST), from a new EPSV/PASV on, with transferLine() as it is now.
    void startAnotherTransfer();

private:
    enum class Step
    {
        Type,
        Passive,
        Restart,
        Transfer,
        Aborting,
        FollowUp,
        Done,
    };

    // EPRT/PORT in active mode, else EPSV/PASV.
    void requestDataConnection();
    void sendPassive();
    void onPassivePort(quint16 port);
    void sendActive();
    void handleActiveReply(const net::NumericReply &reply);
    void onActiveConnection(qintptr socketDescriptor);
    void onAcceptTimeout();
    void closeListener();
    void watchData();
    void afterDataAddress();
    void sendTransfer();
    void onDataError(const Error &error);
    void onDataClosed();
    void maybeComplete();
    void failTransfer(const net::NumericReply &reply);
    void closeData();

    std::optional<TransferType> m_type;
    Step m_step = Step::Passive;
    bool m_usingPasv = false;
    bool m_active = false;
    bool m_usingPort = false;
    QPointer<QTcpServer> m_listener;
    QTimer m_acceptTimer;
    QPointer<net::Connection> m_data;
    bool m_dataEnded = false;
    bool m_serverDone = false;
    net::NumericReply m_transferReply;
    net::NumericReply m_transferFinal; // the transfer's final reply seen while aborting
    Error m_localError;
    qint64 m_bytes = 0;
    qint64 m_lastTotal = -1;
    QElapsedTimer m_sinceProgress;
};

} // namespace wharf::ftp
