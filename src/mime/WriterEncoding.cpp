#include "mime/WriterEncoding.h"

namespace wharf::mime::writer {

namespace {

constexpr qsizetype MaxQpLine = 76; // RFC 2045 6.7 (5), the "=" of a soft break included
constexpr qsizetype MaxBase64Line = 76;
constexpr qsizetype MaxEncodedWord = 75; // RFC 2047 2
constexpr qsizetype MaxLine = 78;        // RFC 5322 2.1.1

const char Hex[] = "0123456789ABCDEF";

void appendEscape(QByteArray &out, unsigned char byte)
{
    out.append('=');
    out.append(Hex[byte >> 4]);
    out.append(Hex[byte & 0xf]);
}

// One line of quoted-printable without its line end.
void encodeQpLine(QByteArray &out, QByteArrayView line)
{
    qsizetype column = 0;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const auto byte = static_cast<unsigned char>(line[i]);
        const bool last = i + 1 == line.size();
        bool escape = byte == '=' || byte < 0x20 || byte > 0x7e;
        if (byte == ' ' || byte == '\t')
            escape = last; // transports strip trailing whitespace
        // mbox writers turn "From " into ">From ", and a lone "." ends SMTP DATA when a
        // server forgets dot-stuffing.
        if (i == 0 && ((byte == 'F' && line.startsWith("From ")) || byte == '.'))
            escape = true;
        if (byte == '\t' && !last)
            escape = false;
        const qsizetype width = escape ? 3 : 1;
        // Room for the soft break's "=" unless this is the line's last character.
        const qsizetype limit = last ? MaxQpLine : MaxQpLine - 1;
        if (column + width > limit) {
            out.append("=\r\n");
            column = 0;
        }
        if (escape)
            appendEscape(out, byte);
        else
            out.append(char(byte));
        column += width;
    }
}

QByteArray percentEncoded(const QByteArray &utf8)
{
    // RFC 2231 attribute-char: token characters except "*", "'" and "%".
    static const QByteArrayView Safe = "!#$&+-.^_`|~";
    QByteArray out;
    for (const char c : utf8) {
        const auto byte = static_cast<unsigned char>(c);
        if ((byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
            (byte >= '0' && byte <= '9') || Safe.contains(c)) {
            out.append(c);
        } else {
            out.append('%');
            out.append(Hex[byte >> 4]);
            out.append(Hex[byte & 0xf]);
        }
    }
    return out;
}

bool isPlainQuotable(const QString &value)
{
    for (const QChar c : value) {
        if (c.unicode() < 0x20 || c.unicode() > 0x7e || c == u'"' || c == u'\\')
            return false;
    }
    return !value.contains(QStringLiteral("=?"));
}

} // namespace

QByteArray quotedPrintable(QByteArrayView text)
{
    QByteArray out;
    out.reserve(text.size() * 11 / 10);
    qsizetype start = 0;
    while (start < text.size()) {
        const qsizetype end = text.indexOf("\r\n", start);
        encodeQpLine(out, text.sliced(start, (end < 0 ? text.size() : end) - start));
        if (end < 0) {
            out.append("=\r\n"); // no final line break in the text: end on a soft one
            return out;
        }
        out.append("\r\n");
        start = end + 2;
    }
    return out;
}

QByteArray base64Lines(QByteArrayView data)
{
    const QByteArray encoded = data.toByteArray().toBase64();
    QByteArray out;
    out.reserve(encoded.size() + encoded.size() / MaxBase64Line * 2 + 2);
    for (qsizetype i = 0; i < encoded.size(); i += MaxBase64Line) {
        out.append(QByteArrayView(encoded).sliced(i, std::min(MaxBase64Line, encoded.size() - i)));
        out.append("\r\n");
    }
    return out;
}

QByteArray canonicalLineEnds(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    QByteArray out;
    out.reserve(utf8.size() + utf8.size() / 20);
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        const char c = utf8[i];
        if (c == '\r') {
            out.append("\r\n");
            if (i + 1 < utf8.size() && utf8[i + 1] == '\n')
                ++i;
        } else if (c == '\n') {
            out.append("\r\n");
        } else {
            out.append(c);
        }
    }
    return out;
}

qsizetype longestLine(QByteArrayView data)
{
    qsizetype longest = 0;
    qsizetype start = 0;
    while (start <= data.size()) {
        qsizetype end = data.indexOf('\n', start);
        if (end < 0)
            end = data.size();
        qsizetype length = end - start;
        if (length > 0 && end < data.size() && data[end - 1] == '\r')
            --length;
        longest = std::max(longest, length);
        start = end + 1;
    }
    return longest;
}

QByteArray encodedWordsOnly(const QString &text, qsizetype firstLineUsed)
{
    QByteArray out;
    qsizetype column = firstLineUsed;
    QByteArray pending;
    auto flush = [&] {
        if (pending.isEmpty())
            return;
        const QByteArray word = "=?UTF-8?B?" + pending.toBase64() + "?=";
        if (!out.isEmpty()) {
            out.append("\r\n ");
            column = 1;
        }
        out.append(word);
        column += word.size();
        pending.clear();
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const bool pair =
            text[i].isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate();
        const QByteArray character = text.sliced(i, pair ? 2 : 1).toUtf8();
        if (pair)
            ++i;
        const qsizetype bytes = pending.size() + character.size();
        // One character is kept back for a closing '"' or '>' after the last word.
        const qsizetype budget =
            std::min(MaxEncodedWord, MaxLine - 1 - (out.isEmpty() ? column : 1));
        if (!pending.isEmpty() && 12 + (bytes + 2) / 3 * 4 > std::max<qsizetype>(budget, 20))
            flush();
        pending += character;
    }
    flush();
    return out;
}

QByteArray legacyParameter(QByteArrayView name, const QString &value)
{
    const QByteArray prefix = name.toByteArray() + "=\"";
    if (isPlainQuotable(value))
        return prefix + value.toLatin1() + '"';
    // Folding inside the quotes between encoded words is what Thunderbird writes and what
    // old clients decode; Wharf's reader prefers the RFC 2231 form anyway.
    return prefix + encodedWordsOnly(value, 1 + prefix.size()) + '"';
}

QByteArray fileNameParameters(QByteArrayView name, const QString &value)
{
    const QByteArray encoded = "utf-8''" + percentEncoded(value.toUtf8());
    QByteArray out;
    const QByteArray single = name.toByteArray() + "*=" + encoded;
    if (1 + single.size() + 1 <= MaxLine) {
        out = "\r\n " + single + ';';
    } else {
        // RFC 2231 3: continuations, never splitting a %XX escape.
        constexpr qsizetype Chunk = 60;
        qsizetype pos = 0;
        for (int section = 0; pos < encoded.size(); ++section) {
            qsizetype length = std::min(Chunk, encoded.size() - pos);
            const qsizetype percent = encoded.lastIndexOf('%', pos + length - 1);
            if (percent >= pos && percent + 3 > pos + length)
                length = percent - pos;
            out += "\r\n " + name.toByteArray() + '*' + QByteArray::number(section) +
                   "*=" + encoded.mid(pos, length) + ';';
            pos += length;
        }
    }
    return out + "\r\n " + legacyParameter(name, value);
}

} // namespace wharf::mime::writer
