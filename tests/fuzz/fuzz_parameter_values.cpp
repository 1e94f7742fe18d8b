// libFuzzer target: whatever a sender writes into Content-Disposition and Content-Type, the
// name that reaches the disk is one non-empty path component without separators or control
// characters, at most 255 UTF-8 bytes, in NFC, and sanitising it again changes nothing.
// Input: the Content-Disposition value, a newline, the Content-Type value.

#include "mime/ParameterValues.h"
#include "mime/SafeFileName.h"

#include <QByteArrayView>
#include <QString>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace wharf::mime;

namespace {

void check(bool ok)
{
    if (!ok)
        std::abort();
}

bool isSafe(const QString &name)
{
    if (name.isEmpty() || name.startsWith(u'.') || name.toUtf8().size() > 255)
        return false;
    for (const QChar c : name) {
        const char16_t u = c.unicode();
        const bool bidi = u == 0x200e || u == 0x200f || (u >= 0x202a && u <= 0x202e) ||
                          (u >= 0x2066 && u <= 0x2069);
        if (c == u'/' || c == u'\\' || c.category() == QChar::Other_Control || bidi)
            return false;
    }
    return QString::fromUtf8(name.toUtf8()) == name; // no unpaired surrogates
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype newline = input.indexOf('\n');
    const QByteArrayView disposition = newline < 0 ? input : input.first(newline);
    const QByteArrayView contentType = newline < 0 ? QByteArrayView() : input.sliced(newline + 1);

    for (const QByteArrayView value : {disposition, contentType}) {
        const ParameterizedValue parsed = parseParameterizedValue(value);
        for (const Parameter &parameter : parsed.parameters)
            check(!parameter.name.isEmpty() && parameter.name == parameter.name.toLower());
    }

    const QString proposed = attachmentFileName(disposition, contentType);
    const QString name = sanitizeFileName(proposed);
    check(isSafe(name));
    check(name.normalized(QString::NormalizationForm_C) == name);
    check(sanitizeFileName(name) == name);
    // The raw bytes as one name too: FTP listings arrive without any header around them.
    const QString direct = sanitizeFileName(QString::fromUtf8(input));
    check(isSafe(direct));
    check(sanitizeFileName(direct) == direct);
    return 0;
}
