// libFuzzer target: any bytes parse into a message whose every part can be decoded, with
// no crash, no hang and no more parts than the input could describe.

#include "mime/Message.h"
#include "mime/MessageParser.h"

#include <cstdint>
#include <cstdlib>

using namespace wharf::mime;

namespace {

void walk(const MessagePart &part, int depth, qsizetype &parts)
{
    ++parts;
    if (depth > MessageParser::kMaxDepth + 1)
        std::abort();
    (void)part.decodedBytes();
    (void)part.decodedText();
    (void)part.fileName();
    for (const MessagePart &child : part.children())
        walk(child, depth + 1, parts);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray raw(reinterpret_cast<const char *>(data), qsizetype(size));
    const Message message = Message::parse(raw);
    qsizetype parts = 0;
    walk(message.root(), 0, parts);
    // Each child needs at least a delimiter line ("--" plus a boundary byte plus LF).
    if (parts > qsizetype(size) / 3 + 2)
        std::abort();
    (void)message.subject();
    (void)message.from();
    (void)message.to();
    (void)message.date();
    (void)message.references();
    for (const MessagePart *leaf : message.leafParts()) {
        if (!leaf->isLeaf() || leaf->partNumber().isEmpty())
            std::abort();
    }
    return 0;
}
