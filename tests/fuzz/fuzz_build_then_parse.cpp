// libFuzzer target: a draft made from the input is written and read back; whenever writing
// succeeds, the subject, display names and attachment bytes must survive unchanged.
// Input: fields separated by "\n--\n": subject, from name, to name, plain text, html text,
// then file name and data pairs. The first byte's low bit allows 8bit.

#include "mime/Message.h"
#include "mime/MessageWriter.h"

#include <cstdint>
#include <cstdlib>

using namespace wharf::mime;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 100000)
        return 0;
    const QByteArray raw(reinterpret_cast<const char *>(data) + 1, qsizetype(size) - 1);
    QList<QByteArray> fields;
    qsizetype start = 0;
    for (;;) {
        const qsizetype end = raw.indexOf("\n--\n", start);
        fields.append(raw.mid(start, end < 0 ? -1 : end - start));
        if (end < 0)
            break;
        start = end + 4;
    }
    const auto field = [&](qsizetype i) {
        return i < fields.size() ? fields[i] : QByteArray();
    };
    Draft draft;
    draft.subject = QString::fromUtf8(field(0));
    draft.from = {QString::fromUtf8(field(1)), QStringLiteral("from@example.com"), {}};
    draft.to = {{QString::fromUtf8(field(2)), QStringLiteral("to@example.com"), {}}};
    draft.plainText = QString::fromUtf8(field(3));
    draft.htmlText = QString::fromUtf8(field(4));
    for (qsizetype i = 5; i + 1 < fields.size() && draft.attachments.size() < 4; i += 2) {
        draft.attachments.append(
            {QString::fromUtf8(fields[i]), "application/octet-stream", fields[i + 1], false, {}});
    }
    WriteOptions options;
    options.eightBitAllowed = data[0] & 1;

    const auto result = writeMessage(draft, options);
    const QByteArray *written = std::get_if<QByteArray>(&result);
    if (!written)
        return 0;
    for (const QByteArray &line : written->split('\n')) {
        if (line.size() > 999)
            std::abort();
    }
    const Message message = Message::parse(*written);
    if (message.subject() != draft.subject)
        std::abort();
    const QList<MailAddress> from = message.from();
    if (from.size() != 1 || from[0].address != draft.from.address)
        std::abort();
    QList<QByteArray> attached;
    for (const MessagePart *leaf : message.leafParts()) {
        if (leaf->disposition() == "attachment")
            attached.append(leaf->decodedBytes());
    }
    if (attached.size() != draft.attachments.size())
        std::abort();
    for (qsizetype i = 0; i < attached.size(); ++i) {
        if (attached[i] != draft.attachments[i].data)
            std::abort();
    }
    return 0;
}
