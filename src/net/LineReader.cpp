#include "net/LineReader.h"

#include <algorithm>

namespace wharf::net {

LineReader::LineReader(qsizetype maxLineLength)
    : m_maxLineLength(maxLineLength)
{}

void LineReader::append(QByteArrayView data)
{
    m_buffer.append(data);
}

LineReader::Status LineReader::takeLine(QByteArray &line)
{
    const qsizetype available = buffered();
    const qsizetype newline = m_buffer.indexOf('\n', std::max(m_scanPos, m_readPos));
    if (newline < 0) {
        // +1: the CR of a CRLF may already be here while its LF is still on the way.
        if (available > m_maxLineLength + 1)
            return Status::LineTooLong;
        m_scanPos = m_buffer.size();
        return Status::NeedMore;
    }
    qsizetype end = newline;
    if (end > m_readPos && m_buffer.at(end - 1) == '\r')
        --end;
    if (end - m_readPos > m_maxLineLength)
        return Status::LineTooLong;
    line = m_buffer.sliced(m_readPos, end - m_readPos);
    m_readPos = newline + 1;
    m_scanPos = m_readPos;
    compact();
    return Status::Ok;
}

bool LineReader::beginCounted(qint64 length, qint64 maximum)
{
    if (length < 0 || length > maximum)
        return false;
    m_countedRemaining = length;
    return true;
}

bool LineReader::takeCounted(QByteArray &chunk, qsizetype maxChunk)
{
    const qsizetype size = qsizetype(std::min<qint64>({m_countedRemaining, buffered(), maxChunk}));
    if (size <= 0)
        return false;
    chunk = m_buffer.sliced(m_readPos, size);
    m_readPos += size;
    m_scanPos = m_readPos;
    m_countedRemaining -= size;
    compact();
    return true;
}

void LineReader::clear()
{
    m_buffer.clear();
    m_readPos = 0;
    m_scanPos = 0;
    m_countedRemaining = 0;
}

void LineReader::compact()
{
    // Drop consumed bytes once they are the larger half, so removal stays amortised O(1).
    if (m_readPos == m_buffer.size()) {
        m_buffer.clear();
        m_scanPos = 0;
        m_readPos = 0;
    } else if (m_readPos > 4096 && m_readPos * 2 > m_buffer.size()) {
        m_buffer.remove(0, m_readPos);
        m_scanPos -= m_readPos;
        m_readPos = 0;
    }
}

} // namespace wharf::net
