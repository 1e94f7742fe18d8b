#include "protocols/ftp/AsciiConversion.h"

namespace wharf::ftp {

QByteArray AsciiConversion::operator()(QByteArrayView chunk)
{
    QByteArray out;
    if (m_direction == Direction::ToLocal) {
        out.reserve(chunk.size() + 1);
        for (const char c : chunk) {
            if (m_pendingCr) {
                m_pendingCr = false;
                if (c != '\n')
                    out += '\r'; // a lone CR is data
            }
            if (c == '\r')
                m_pendingCr = true;
            else
                out += c;
        }
        return out;
    }
    out.reserve(chunk.size() + chunk.size() / 32 + 1);
    for (const char c : chunk) {
        if (c == '\n' && !m_pendingCr)
            out += '\r';
        out += c;
        m_pendingCr = c == '\r';
    }
    return out;
}

QByteArray AsciiConversion::finish()
{
    const bool held = m_direction == Direction::ToLocal && m_pendingCr;
    m_pendingCr = false;
    return held ? QByteArray("\r") : QByteArray();
}

} // namespace wharf::ftp
