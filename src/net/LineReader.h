#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace wharf::net {

// Buffers bytes from a peer and hands them out as lines or as counted runs of bytes (an
// IMAP literal, a POP3 message, a data transfer). A pure function of the bytes it is
// given: no socket, so protocol parsers can be tested and fuzzed without one.
//
// Hard limits, because the peer is not trusted: a line longer than the line limit is an
// error as soon as the limit is passed (the reader does not wait for the end of it), and a
// counted run longer than the caller's maximum is refused before any byte of it is kept.
// Memory is never reserved from a length the peer announced.
class LineReader
{
public:
    static constexpr qsizetype kDefaultMaxLineLength = 64 * 1024;

    enum class Status
    {
        Ok,          // a line or chunk was taken
        NeedMore,    // nothing complete yet
        LineTooLong, // the peer passed the line limit: drop the connection
    };

    explicit LineReader(qsizetype maxLineLength = kDefaultMaxLineLength);

    void append(QByteArrayView data);

    // A complete line without its terminator. Lines end in CRLF; a bare LF is accepted
    // because real servers send it, and the CR before it is dropped.
    Status takeLine(QByteArray &line);

    // Starts a counted run of `length` bytes. Returns false (and changes nothing) when the
    // length is negative or above `maximum`.
    bool beginCounted(qint64 length, qint64 maximum);
    // Takes at most `maxChunk` bytes of the running counted run. Returns false when the run
    // has no buffered bytes yet.
    bool takeCounted(QByteArray &chunk, qsizetype maxChunk);
    qint64 countedRemaining() const { return m_countedRemaining; }
    bool inCountedRun() const { return m_countedRemaining > 0; }

    // Every byte received and not yet taken.
    qsizetype buffered() const { return m_buffer.size() - m_readPos; }
    qsizetype maxLineLength() const { return m_maxLineLength; }
    void clear();

private:
    void compact();

    QByteArray m_buffer;
    qsizetype m_readPos = 0;
    qsizetype m_scanPos = 0; // where the search for LF resumes, so a slow line costs O(n)
    qsizetype m_maxLineLength;
    qint64 m_countedRemaining = 0;
};

} // namespace wharf::net
