// libFuzzer target: decoding any header bytes must not crash, and encoding the decoded text
// must give valid header text (ASCII, lines and encoded words within RFC limits) that
// decodes back to exactly the same text.

#include "mime/EncodedWords.h"

#include <QList>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using wharf::mime::decodeHeaderText;
using wharf::mime::encodeHeaderText;
using wharf::mime::headerValueProblem;

namespace {

bool layoutOk(const QByteArray &encoded, qsizetype firstLineUsed)
{
    for (const char c : encoded) {
        if (static_cast<unsigned char>(c) >= 0x80 || c == '\0')
            return false;
    }
    const QList<QByteArray> lines = encoded.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QByteArray line = lines[i];
        if (i + 1 < lines.size()) {
            if (!line.endsWith('\r'))
                return false;
            line.chop(1);
        }
        if (i > 0 && (!(line.startsWith(' ') || line.startsWith('\t')) || line.trimmed().isEmpty()))
            return false;
        if (line.contains('\r') || (i == 0 ? firstLineUsed : 0) + line.size() > 78)
            return false;
        for (const QByteArray &word : QByteArray(line).replace('\t', ' ').split(' ')) {
            if (word.startsWith("=?") && word.size() > 75)
                return false;
        }
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView raw(reinterpret_cast<const char *>(data), qsizetype(size));
    const QString text = decodeHeaderText(raw);

    const bool unsafe = text.contains(u'\r') || text.contains(u'\n') || text.contains(QChar(0));
    if (headerValueProblem(text).has_value() != unsafe)
        std::abort();

    // The length decides how full the first line already is, so that varies too.
    const qsizetype firstLineUsed = qsizetype(size % 41);
    const QByteArray encoded = encodeHeaderText(text, firstLineUsed);
    if (!layoutOk(encoded, firstLineUsed))
        std::abort();
    // Control characters are encoded like any other, so the round trip holds for them too.
    if (decodeHeaderText(encoded) != text)
        std::abort();
    return 0;
}
