#pragma once

#include "protocols/ftp/AsciiConversion.h"
#include "protocols/ftp/ListingParser.h"
#include "protocols/ftp/commands/DataCommand.h"

#include <QIODevice>

namespace wharf::ftp {

// MLSD when the server offers it (RFC 3659: exact sizes, UTC times, no guessing), else
// LIST. The listing is parsed as it arrives and capped by the session's maxListingBytes.
// When not one LIST line could be read, NLST follows, so the names are known at least
// (type Other, size and time unknown); the LIST lines stay reported in `unparsed`.
class ListingCommand : public DataCommand
{
    Q_OBJECT
public:
    // `path` on the wire; empty: the current directory.
    explicit ListingCommand(const QByteArray &path = {}, QObject *parent = nullptr);

    const Listing &listing() const { return m_listing; }
    ListingFormat format() const { return m_format; }

protected:
    QByteArray name() const override;
    void start() override;
    QByteArray transferLine() const override;
    void consumeData() override;
    void transferCompleted(const net::NumericReply &reply) override;
    void handleFollowUpReply(const net::NumericReply &reply) override;

private:
    enum class Probe
    {
        None,
        EnterPath, // CWD path: does the folder exist?
        GoHome,    // CWD home: back where every other command expects the session
    };

    QByteArray m_path;
    Probe m_probe = Probe::None;
    net::NumericReply m_listReply;
    ListingFormat m_format = ListingFormat::Mlsd;
    std::optional<ListingParser> m_parser;
    Listing m_listing;
    QList<ListingProblem> m_unreadList; // the LIST lines, when NLST followed
};

// RETR into `sink` (opened for writing by the caller and positioned at `offset`), from
// `offset` on with REST. Bytes go from the socket to the sink in bounded chunks: memory
// stays flat whatever the file's size.
class DownloadCommand : public DataCommand
{
    Q_OBJECT
public:
    DownloadCommand(const QByteArray &path, QIODevice *sink, qint64 offset = 0,
                    QObject *parent = nullptr);
    // The size the file will have, when the caller knows it (SIZE, a listing); else the
    // "(N bytes)" of the server's 150 is used.
    void setExpectedSize(qint64 size) { m_expectedSize = size; }
    // The sink (a QFile not yet open) is opened with `mode` only once the server starts
    // sending: a refused RETR (550) leaves an existing file as it was.
    void setOpenWhenStarted(QIODevice::OpenMode mode) { m_openMode = mode; }
    // TYPE A, CRLF turned into LF on the way to the sink; not with an offset.
    void setAscii(bool ascii);

protected:
    QByteArray name() const override { return "RETR"; }
    void start() override;
    QByteArray transferLine() const override { return "RETR " + m_path; }
    qint64 restartOffset() const override { return m_offset; }
    void transferStarted(const net::NumericReply &reply) override;
    void consumeData() override;
    void transferCompleted(const net::NumericReply &reply) override;

private:
    bool openSink();

    QByteArray m_path;
    QIODevice *m_sink;
    QByteArray m_buffer; // reused for every read: a 1 GiB file is not 4,096 allocations
    QIODevice::OpenMode m_openMode = QIODevice::NotOpen;
    qint64 m_offset;
    qint64 m_expectedSize = -1;
    std::optional<AsciiConversion> m_lineEnds;
};

// STOR (or APPE) from `source`, from `offset` on. Resuming uses REST + STOR when the server
// lists REST STREAM, else APPE. After the server's 226 the remote size is checked with SIZE
// when offered: a short file fails the command (vsftpd with TLS 1.3 sometimes says 426 or
// even 226 over a truncated upload), so the caller can resume or retry.
class UploadCommand : public DataCommand
{
    Q_OBJECT
public:
    enum class Mode
    {
        Store,
        Append,
    };

    UploadCommand(const QByteArray &path, QIODevice *source, qint64 offset = 0,
                  Mode mode = Mode::Store, QObject *parent = nullptr);

    // The remote size after the upload, when SIZE said it; -1 otherwise.
    qint64 remoteSize() const { return m_remoteSize; }
    // TYPE A, LF sent as CRLF; not with an offset. The server stores the text its way, so
    // the size after the upload is not compared.
    void setAscii(bool ascii);

protected:
    QByteArray name() const override;
    void start() override;
    QByteArray transferLine() const override;
    qint64 restartOffset() const override;
    void dataConnectionReady() override;
    void transferStarted(const net::NumericReply &reply) override;
    void transferCompleted(const net::NumericReply &reply) override;
    void handleFollowUpReply(const net::NumericReply &reply) override;

private:
    void startWriting();
    void writeMore();

    QByteArray m_path;
    QIODevice *m_source;
    QByteArray m_buffer; // reused for every read
    qint64 m_offset;
    Mode m_mode;
    bool m_useAppend = false;
    bool m_dataReady = false;
    bool m_serverReady = false; // 125/150 came
    bool m_writing = false;
    bool m_sourceDone = false;
    qint64 m_sourceSize = -1;
    qint64 m_remoteSize = -1;
    net::NumericReply m_transferReply;
    std::optional<AsciiConversion> m_lineEnds;
};

} // namespace wharf::ftp
