#include "mime/TransferEncoding.h"

#include <array>

namespace wharf::mime {

int hexDigitValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

QByteArray decodeBase64(QByteArrayView encoded)
{
    static const auto table = [] {
        std::array<signed char, 256> values{};
        values.fill(-1);
        const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < 64; ++i)
            values[static_cast<unsigned char>(alphabet[i])] = static_cast<signed char>(i);
        return values;
    }();

    QByteArray out(encoded.size() / 4 * 3 + 3, Qt::Uninitialized);
    char *write = out.data();
    quint32 bits = 0;
    int count = 0;
    for (const char c : encoded) {
        const int value = table[static_cast<unsigned char>(c)];
        if (value < 0) {
            // Padding ends a quantum: what follows is a new run (mailers concatenate them),
            // not a continuation of the leftover bits.
            if (c == '=')
                count = 0;
            continue;
        }
        bits = (bits << 6) | quint32(value);
        count += 6;
        if (count >= 8) {
            count -= 8;
            *write++ = char((bits >> count) & 0xff);
        }
    }
    // Fewer than eight leftover bits are an incomplete quantum, not a byte.
    out.truncate(write - out.data());
    return out;
}

QByteArray decodeQuotedPrintable(QByteArrayView encoded)
{
    QByteArray out;
    out.reserve(encoded.size());
    const qsizetype size = encoded.size();
    for (qsizetype i = 0; i < size; ++i) {
        const char c = encoded[i];
        if (c != '=') {
            out.append(c);
            continue;
        }
        if (i + 2 < size && hexDigitValue(encoded[i + 1]) >= 0 &&
            hexDigitValue(encoded[i + 2]) >= 0) {
            out.append(char(hexDigitValue(encoded[i + 1]) * 16 + hexDigitValue(encoded[i + 2])));
            i += 2;
            continue;
        }
        // A soft line break: "=" then optional transport padding, then the line end.
        qsizetype j = i + 1;
        while (j < size && (encoded[j] == ' ' || encoded[j] == '\t'))
            ++j;
        if (j == size) {
            i = j - 1;
            continue;
        }
        if (encoded[j] == '\n') {
            i = j;
            continue;
        }
        if (encoded[j] == '\r' && j + 1 < size && encoded[j + 1] == '\n') {
            i = j + 1;
            continue;
        }
        out.append('='); // not an escape: keep it as written
    }
    return out;
}

QByteArray decodeTransferEncoding(QByteArrayView body, QByteArrayView encoding)
{
    const QByteArray name = encoding.trimmed().toByteArray().toLower();
    if (name == "base64")
        return decodeBase64(body);
    if (name == "quoted-printable")
        return decodeQuotedPrintable(body);
    return body.toByteArray();
}

} // namespace wharf::mime
