// libFuzzer target: the IMAP response parser must never crash, leak or hit undefined
// behaviour, whatever the server sends, and must give the same responses, chunks and error
// whether the bytes come in one read or one byte at a time.

#include "net/LineReader.h"
#include "protocols/imap/ResponseParser.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace wharf;
using namespace wharf::imap;

namespace {

struct Outcome
{
    QList<Response> responses;
    QByteArray streamed;
    qsizetype chunks = 0;
    ErrorKind error = ErrorKind::None;
};

Outcome byteByByte(QByteArrayView input, const ParserLimits &limits)
{
    net::LineReader reader;
    ResponseParser parser(reader, limits);
    Outcome outcome;
    for (const char byte : input) {
        reader.append(QByteArrayView(&byte, 1));
        for (;;) {
            const ResponseParser::Event event = parser.next();
            if (event == ResponseParser::Event::Response) {
                outcome.responses.append(parser.takeResponse());
            } else if (event == ResponseParser::Event::LiteralChunk) {
                const LiteralChunk chunk = parser.takeChunk();
                if (chunk.data.isEmpty() || chunk.data.size() > limits.chunkSize ||
                    chunk.offset + chunk.data.size() > chunk.literalSize)
                    std::abort();
                outcome.streamed += chunk.data;
                ++outcome.chunks;
            } else if (event == ResponseParser::Event::Error) {
                outcome.error = parser.error().kind();
                return outcome;
            } else {
                break;
            }
        }
    }
    return outcome;
}

bool sameResponse(const Response &a, const Response &b)
{
    return a.kind == b.kind && a.tag == b.tag && a.status == b.status &&
           a.hasNumber == b.hasNumber && a.number == b.number && a.name == b.name &&
           a.code.name == b.code.name && a.code.raw == b.code.raw &&
           a.code.arguments == b.code.arguments && a.text == b.text && a.data == b.data;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ParserLimits limits;
    limits.maxLiteralSize = 1024 * 1024;
    limits.inlineLiteralLimit = 4 * 1024;
    limits.chunkSize = 1024;
    limits.maxResponseSize = 256 * 1024;
    limits.maxNesting = 16;
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));

    Error error;
    QByteArray streamed;
    const QList<Response> whole = parseResponses(input, &error, limits, &streamed);
    for (const Response &response : whole)
        (void)describe(response.data);

    // Byte by byte is slow; long inputs are covered by the one-read path alone.
    if (size > 4096)
        return 0;
    const Outcome split = byteByByte(input, limits);
    if (split.error != error.kind() || split.streamed != streamed ||
        split.responses.size() != whole.size())
        std::abort();
    for (qsizetype i = 0; i < whole.size(); ++i) {
        if (!sameResponse(whole.at(i), split.responses.at(i)))
            std::abort();
    }
    return 0;
}
