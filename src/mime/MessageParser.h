#pragma once

#include "mime/MessagePart.h"

namespace wharf::mime {

// Builds the MIME tree of a message. Hostile input is expected: nesting deeper than
// kMaxDepth leaves the rest as an opaque leaf, a missing end boundary ends the part at the
// end of the data, preamble and epilogue are ignored, and nothing is copied but header
// fields: bodies are ranges of the shared input.
class MessageParser
{
public:
    static constexpr int kMaxDepth = 64;

    static MessagePart parse(const QByteArray &message);

private:
    static MessagePart parseEntity(const QByteArray &source, qsizetype begin, qsizetype end,
                                   QByteArrayView defaultType, int depth);
    static void splitMultipart(MessagePart &part, const QByteArray &boundary, int depth);
    static void assignNumber(MessagePart &part, const QByteArray &partNumber);
    static void numberMessage(MessagePart &root, const QByteArray &prefix);
};

} // namespace wharf::mime
