#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace wharf::ftp {

// Line ends for TYPE A transfers (RFC 959 3.1.1.1: the wire uses CRLF), converted as the
// bytes stream through in chunks of any size. Only line ends change: a CR not followed by
// LF is data (old Mac text, binary noise) and is kept as it is.
class AsciiConversion
{
public:
    enum class Direction
    {
        ToLocal,   // a download: CRLF -> LF, the Linux convention
        ToNetwork, // an upload: a lone LF -> CRLF; a CRLF already there is left alone
    };

    explicit AsciiConversion(Direction direction)
        : m_direction(direction)
    {}

    // The converted bytes of the next chunk. Downloading, a CR that ends the chunk is held
    // back until the next chunk says whether an LF follows it.
    QByteArray operator()(QByteArrayView chunk);
    // After the last chunk: the CR held back, if any.
    QByteArray finish();

private:
    Direction m_direction;
    bool m_pendingCr = false; // ToLocal: a CR held back; ToNetwork: the last byte was CR
};

} // namespace wharf::ftp
