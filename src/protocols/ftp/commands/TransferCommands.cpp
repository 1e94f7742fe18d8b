#include "protocols/ftp/commands/TransferCommands.h"

#include "net/Connection.h"
#include "protocols/ftp/FtpSession.h"
#include "protocols/ftp/ReplyData.h"

#include <QIODevice>
#include <QRegularExpression>

namespace wharf::ftp {

namespace {

constexpr qint64 kChunkBytes = 256 * 1024;
// An upload is handed to the socket in pieces below glibc's mmap threshold (128 KiB): the
// socket's buffers then come from the heap's free lists instead of an mmap and munmap per
// piece, which cost FTPS uploads half their speed.
constexpr qint64 kUploadPieceBytes = 64 * 1024;
// Enough queued in the socket to keep the kernel busy, little enough to stay flat.
constexpr qint64 kMaxQueuedBytes = 1024 * 1024;

Error asciiResumeRefused(const QByteArray &verb)
{
    return Error(ErrorKind::Usage,
                 QStringLiteral("%1: an ASCII transfer cannot resume: converting line ends makes "
                                "the local and remote sizes differ")
                     .arg(QString::fromLatin1(verb)));
}

} // namespace

ListingCommand::ListingCommand(const QByteArray &path, QObject *parent)
    : DataCommand(parent)
    , m_path(path)
{}

void ListingCommand::start()
{
    m_format = session()->features().supportsMlsd() ? ListingFormat::Mlsd : ListingFormat::List;
    m_parser.emplace(m_format, QDateTime::currentDateTimeUtc());
    DataCommand::start();
}

QByteArray ListingCommand::name() const
{
    switch (m_format) {
    case ListingFormat::Mlsd:
        return "MLSD";
    case ListingFormat::List:
        return "LIST";
    case ListingFormat::Nlst:
        break;
    }
    return "NLST";
}

QByteArray ListingCommand::transferLine() const
{
    const QByteArray verb = name();
    return m_path.isEmpty() ? verb : verb + ' ' + m_path;
}

void ListingCommand::consumeData()
{
    const qint64 limit = session() ? session()->settings().maxListingBytes : 0;
    for (;;) {
        const QByteArray chunk = readData(kChunkBytes);
        if (chunk.isEmpty())
            return;
        countBytes(chunk.size(), -1);
        if (bytesTransferred() > limit) {
            abortTransfer(Error(ErrorKind::LimitExceeded,
                                QStringLiteral("%1: the listing is larger than the limit of %2 "
                                               "bytes")
                                    .arg(QString::fromLatin1(name()))
                                    .arg(limit)));
            return;
        }
        m_parser->addData(chunk);
    }
}

void ListingCommand::transferCompleted(const net::NumericReply &reply)
{
    m_listing = m_parser->finish();
    if (m_format == ListingFormat::List && m_listing.entries.isEmpty() &&
        m_listing.refused.isEmpty() && !m_listing.unparsed.isEmpty()) {
        // Not one line in a form Wharf knows: NLST still tells the names.
        m_unreadList = m_listing.unparsed;
        m_format = ListingFormat::Nlst;
        m_parser.emplace(m_format, QDateTime::currentDateTimeUtc());
        m_parser->setNameListDirectory(m_path);
        startAnotherTransfer();
        return;
    }
    m_listing.unparsed = m_unreadList + m_listing.unparsed;
    const bool nothing =
        m_listing.entries.isEmpty() && m_listing.refused.isEmpty() && m_listing.unparsed.isEmpty();
    if (m_format == ListingFormat::List && nothing && !m_path.isEmpty() &&
        !session()->homeDirectory().isEmpty()) {
        // vsftpd answers LIST of a missing folder with an empty listing and 226; only
        // entering it tells a missing folder from an empty one.
        m_listReply = reply;
        m_probe = Probe::EnterPath;
        sendFollowUp("CWD " + m_path);
        return;
    }
    succeed(reply);
}

void ListingCommand::handleFollowUpReply(const net::NumericReply &reply)
{
    if (reply.category() == 1)
        return;
    if (m_probe == Probe::EnterPath) {
        if (reply.category() != 2) {
            fail(Error(ErrorKind::ProtocolError,
                       QStringLiteral("LIST: the server listed nothing for %1 and cannot enter "
                                      "it: %2")
                           .arg(QString::fromUtf8(m_path), said(reply))),
                 reply);
            return;
        }
        m_probe = Probe::GoHome;
        sendFollowUp("CWD " + session()->homeDirectory());
        return;
    }
    if (reply.category() != 2) {
        // Every later command's relative path would now name another file.
        fail(Error(ErrorKind::ProtocolError,
                   QStringLiteral("CWD: cannot return to %1: %2")
                       .arg(QString::fromUtf8(session()->homeDirectory()), said(reply))),
             reply);
        return;
    }
    succeed(m_listReply);
}

DownloadCommand::DownloadCommand(const QByteArray &path, QIODevice *sink, qint64 offset,
                                 QObject *parent)
    : DataCommand(parent)
    , m_path(path)
    , m_sink(sink)
    , m_offset(offset)
{
    requireTransferType(TransferType::Binary);
}

void DownloadCommand::setAscii(bool ascii)
{
    requireTransferType(ascii ? TransferType::Ascii : TransferType::Binary);
    m_lineEnds.reset();
    if (ascii)
        m_lineEnds.emplace(AsciiConversion::Direction::ToLocal);
}

void DownloadCommand::start()
{
    if (m_lineEnds && m_offset > 0) {
        fail(asciiResumeRefused(name()));
        return;
    }
    DataCommand::start();
}

bool DownloadCommand::openSink()
{
    if (m_sink->isOpen() || m_openMode == QIODevice::NotOpen)
        return true;
    if (m_sink->open(m_openMode))
        return true;
    abortTransfer(
        Error(ErrorKind::LocalFile,
              QStringLiteral("RETR: cannot open the file: %1").arg(m_sink->errorString())));
    return false;
}

void DownloadCommand::transferCompleted(const net::NumericReply &reply)
{
    // An empty file from a server that sent no 150: created now.
    if (!openSink())
        return;
    // A CR that ended the file was held back for an LF that never came.
    if (const QByteArray rest = m_lineEnds ? m_lineEnds->finish() : QByteArray();
        !rest.isEmpty() && m_sink->write(rest) != rest.size()) {
        fail(Error(ErrorKind::LocalFile, QStringLiteral("RETR: writing the downloaded file "
                                                        "failed: %1")
                                             .arg(m_sink->errorString())),
             reply);
        return;
    }
    succeed(reply);
}

void DownloadCommand::transferStarted(const net::NumericReply &reply)
{
    if (!openSink())
        return;
    if (m_expectedSize >= 0)
        return;
    // "150 Opening BINARY mode data connection for f (1234 bytes)." (vsftpd, ProFTPD): what
    // is left to send after REST, so the offset is added.
    static const QRegularExpression bytes(QStringLiteral("\\((\\d{1,18}) bytes\\)"));
    const QRegularExpressionMatch match = bytes.match(QString::fromLatin1(reply.text()));
    if (match.hasMatch())
        m_expectedSize = match.captured(1).toLongLong() + m_offset;
}

void DownloadCommand::consumeData()
{
    if (m_buffer.isEmpty())
        m_buffer = QByteArray(kChunkBytes, Qt::Uninitialized);
    for (;;) {
        const qint64 count = readData(m_buffer.data(), m_buffer.size());
        if (count <= 0)
            return;
        if (!openSink())
            return;
        const QByteArray text =
            m_lineEnds ? (*m_lineEnds)({m_buffer.constData(), count}) : QByteArray();
        const char *bytes = m_lineEnds ? text.constData() : m_buffer.constData();
        const qint64 size = m_lineEnds ? text.size() : count;
        if (m_sink->write(bytes, size) != size) {
            abortTransfer(Error(ErrorKind::LocalFile,
                                QStringLiteral("RETR: writing the downloaded file failed: %1")
                                    .arg(m_sink->errorString())));
            return;
        }
        countBytes(count, m_expectedSize);
    }
}

UploadCommand::UploadCommand(const QByteArray &path, QIODevice *source, qint64 offset, Mode mode,
                             QObject *parent)
    : DataCommand(parent)
    , m_path(path)
    , m_source(source)
    , m_offset(offset)
    , m_mode(mode)
{
    requireTransferType(TransferType::Binary);
}

void UploadCommand::setAscii(bool ascii)
{
    requireTransferType(ascii ? TransferType::Ascii : TransferType::Binary);
    m_lineEnds.reset();
    if (ascii)
        m_lineEnds.emplace(AsciiConversion::Direction::ToNetwork);
}

QByteArray UploadCommand::name() const
{
    return m_useAppend ? "APPE" : "STOR";
}

void UploadCommand::start()
{
    m_useAppend =
        m_mode == Mode::Append || (m_offset > 0 && !session()->features().supportsRestStream());
    if (m_lineEnds && m_offset > 0) {
        fail(asciiResumeRefused(name()));
        return;
    }
    if (!m_source->isSequential()) {
        m_sourceSize = m_source->size();
        if (!m_source->seek(m_offset)) {
            fail(Error(ErrorKind::LocalFile,
                       QStringLiteral("%1: cannot read the file from byte %2: %3")
                           .arg(QString::fromLatin1(name()))
                           .arg(m_offset)
                           .arg(m_source->errorString())));
            return;
        }
    }
    DataCommand::start();
}

QByteArray UploadCommand::transferLine() const
{
    return (m_useAppend ? "APPE " : "STOR ") + m_path;
}

qint64 UploadCommand::restartOffset() const
{
    return m_useAppend ? 0 : m_offset;
}

void UploadCommand::dataConnectionReady()
{
    m_dataReady = true;
    startWriting();
}

void UploadCommand::transferStarted(const net::NumericReply &reply)
{
    Q_UNUSED(reply)
    m_serverReady = true;
    startWriting();
}

// Only once the server said 125/150 as well: a server that has not taken STOR yet may drop
// a data connection on which bytes arrive (pyftpdlib does, when REST delayed the STOR).
void UploadCommand::startWriting()
{
    if (m_writing || !m_dataReady || !m_serverReady || !data())
        return;
    m_writing = true;
    connect(data(), &net::Connection::bytesWritten, this, &UploadCommand::writeMore);
    writeMore();
}

void UploadCommand::writeMore()
{
    net::Connection *connection = data();
    if (!connection || m_sourceDone)
        return;
    if (m_buffer.isEmpty())
        m_buffer = QByteArray(kUploadPieceBytes, Qt::Uninitialized);
    while (connection->bytesToWrite() < kMaxQueuedBytes) {
        const qint64 count = m_source->read(m_buffer.data(), m_buffer.size());
        if (count < 0 || (count == 0 && !m_source->atEnd() && !m_source->isSequential())) {
            abortTransfer(Error(ErrorKind::LocalFile,
                                QStringLiteral("%1: reading the file failed: %2")
                                    .arg(QString::fromLatin1(name()), m_source->errorString())));
            return;
        }
        if (count == 0) {
            m_sourceDone = true;
            finishSending();
            return;
        }
        if (m_lineEnds)
            connection->sendBytes((*m_lineEnds)({m_buffer.constData(), count}));
        else
            connection->sendBytes(m_buffer.constData(), count);
        countBytes(count, m_sourceSize);
    }
}

void UploadCommand::transferCompleted(const net::NumericReply &reply)
{
    m_transferReply = reply;
    if (!session()->features().has("SIZE") || m_sourceSize < 0 || m_lineEnds) {
        succeed(reply);
        return;
    }
    sendFollowUp("SIZE " + m_path);
}

void UploadCommand::handleFollowUpReply(const net::NumericReply &reply)
{
    const auto size = reply.code == 213 ? parseSizeReply(reply) : std::nullopt;
    if (!size) {
        // The server stored the file and cannot say its size: the 226 stands.
        succeed(m_transferReply);
        return;
    }
    m_remoteSize = *size;
    if (m_remoteSize != m_sourceSize) {
        fail(Error(ErrorKind::NetworkError,
                   QStringLiteral("%1: the server has %2 of the file's %3 bytes after the upload")
                       .arg(QString::fromLatin1(name()))
                       .arg(m_remoteSize)
                       .arg(m_sourceSize)),
             reply);
        return;
    }
    succeed(m_transferReply);
}

} // namespace wharf::ftp
