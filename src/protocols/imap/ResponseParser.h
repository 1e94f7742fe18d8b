#pragma once

#include "core/Error.h"
#include "protocols/imap/Response.h"

#include <functional>

namespace wharf::net {
class LineReader;
}

namespace wharf::imap {

// Limits the parser enforces because the server is not trusted. The session sets
// maxLiteralSize from the running command (a message fetch allows the account's maximum
// message size; everything else a few MiB).
struct ParserLimits
{
    qint64 maxLiteralSize = 64ll * 1024 * 1024;
    // Literals up to this size are kept in the Value; bigger ones are streamed out as
    // LiteralChunk events and never held whole.
    qint64 inlineLiteralLimit = 1024 * 1024;
    qsizetype chunkSize = 256 * 1024;
    // Lines plus inline literals of one response.
    qint64 maxResponseSize = 128ll * 1024 * 1024;
    int maxNesting = 64; // parenthesis depth (BODYSTRUCTURE of nested messages)
};

// A piece of a streamed literal. `head` is the response's text before the literal (lines
// joined, earlier literals shown as {size}), so the receiver can tell which message and
// section it belongs to: "* 12 FETCH (UID 40 BODY[] ".
struct LiteralChunk
{
    QByteArray head;
    qint64 literalSize = 0;
    qint64 offset = 0; // of `data` within the literal
    QByteArray data;
    bool isLast() const { return offset + data.size() == literalSize; }
};

// Turns the bytes in a LineReader into responses. A pure function of those bytes: no
// socket, so it can be tested and fuzzed alone. The session feeds the connection's reader
// and calls next() until it returns NeedMore.
//
// Malformed responses: an untagged response whose name the parser does not know and whose
// tokens do not parse is returned with `data` empty and `text` holding the raw rest of the
// line, so an extension we do not speak never ends a session. A known response that does
// not parse (a FETCH with an unbalanced list, a number where a literal was announced with a
// bad length, ...) is an Error: its message quotes the response.
class ResponseParser
{
public:
    enum class Event
    {
        NeedMore,
        Response,
        LiteralChunk,
        Error,
    };

    explicit ResponseParser(net::LineReader &reader, const ParserLimits &limits = {});

    void setLimits(const ParserLimits &limits) { m_limits = limits; }
    const ParserLimits &limits() const { return m_limits; }
    // Called with every complete line received (not literal bytes), for the protocol log.
    void setLineObserver(std::function<void(const QByteArray &)> observer);

    // Parses as far as the buffered bytes allow. After Error the parser stays failed.
    Event next();
    Response takeResponse();
    LiteralChunk takeChunk();
    const Error &error() const { return m_error; }

private:
    Event fail(ErrorKind kind, const QString &message);
    Event addLine(QByteArray &&line);
    Event startLiteral(qint64 size, qsizetype markerLength);
    Event readLiteral();
    Event finishResponse();
    void reset();

    net::LineReader &m_reader;
    ParserLimits m_limits;
    std::function<void(const QByteArray &)> m_lineObserver;
    Error m_error;
    // The response being collected: its lines and, between them, its literals.
    QList<QByteArray> m_lines;
    QList<Value> m_literals;
    qint64 m_responseSize = 0;
    qint64 m_literalSize = -1; // >= 0 while a literal is being read
    qint64 m_literalOffset = 0;
    bool m_streaming = false;
    bool m_singleLine = false;  // status and continuation responses never carry literals
    qsizetype m_restOffset = 0; // where the data tokens start in the first line
    QByteArray m_head;          // LiteralChunk::head of the literal being streamed
    Response m_response;
    LiteralChunk m_chunk;
};

// Convenience for tests and fuzzing: every response in `bytes`, in order; stops at the
// first error (returned through *error) and ignores literal chunks except that the
// streamed literal's bytes are collected into `*streamed` when given.
QList<Response> parseResponses(QByteArrayView bytes, Error *error = nullptr,
                               const ParserLimits &limits = {}, QByteArray *streamed = nullptr);

} // namespace wharf::imap
