// libFuzzer target: the line reader must never crash, never hand out a line over its limit,
// and never give back more bytes than it was given, whatever the peer sends and however the
// bytes are split into reads.

#include "net/LineReader.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using wharf::net::LineReader;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    // The first bytes choose the limits, so short and long limits are both explored.
    const qsizetype maxLine = 1 + data[0] % 64;
    const qint64 maxCounted = data[1] % 128;
    data += 2;
    size -= 2;

    LineReader reader(maxLine);
    qsizetype given = 0;
    qsizetype taken = 0;
    size_t pos = 0;
    while (pos < size) {
        // Each chunk's first byte says how long the read is and what to do with it.
        const uint8_t control = data[pos++];
        const size_t length = std::min<size_t>(control % 32, size - pos);
        reader.append(
            QByteArrayView(reinterpret_cast<const char *>(data + pos), qsizetype(length)));
        given += qsizetype(length);
        pos += length;

        if (control & 0x80 && !reader.inCountedRun()) {
            const qint64 announced = (control & 0x7f) * 3 - 20;
            const bool accepted = reader.beginCounted(announced, maxCounted);
            if (accepted != (announced >= 0 && announced <= maxCounted))
                std::abort();
        }
        QByteArray chunk;
        while (reader.inCountedRun() && reader.takeCounted(chunk, 7)) {
            if (chunk.isEmpty() || chunk.size() > 7)
                std::abort();
            taken += chunk.size();
        }
        if (reader.inCountedRun())
            continue;
        QByteArray line;
        LineReader::Status status;
        while ((status = reader.takeLine(line)) == LineReader::Status::Ok) {
            if (line.size() > maxLine)
                std::abort();
            taken += line.size() + 1; // at least the LF
        }
        if (status == LineReader::Status::LineTooLong)
            return 0; // the connection would be dropped here
    }
    if (taken + reader.buffered() > given || reader.buffered() < 0)
        std::abort();
    return 0;
}
