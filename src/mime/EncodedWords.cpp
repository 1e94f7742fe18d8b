#include "mime/EncodedWords.h"

#include "mime/Charset.h"
#include "mime/TransferEncoding.h"

#include <QList>
#include <QStringConverter>

#include <algorithm>

namespace wharf::mime {
namespace {

bool isWsp(char c)
{
    return c == ' ' || c == '\t';
}

// Printable ASCII other than '?': what charset, encoding and encoded text are made of.
bool isWordChar(char c)
{
    return c > ' ' && c < '\x7f' && c != '?';
}

QByteArray unfold(QByteArrayView raw)
{
    QByteArray out;
    out.reserve(raw.size());
    for (qsizetype i = 0; i < raw.size(); ++i) {
        // Bare LF too: messages saved on Unix lose their CRs.
        if (raw[i] == '\r' && i + 2 < raw.size() && raw[i + 1] == '\n' && isWsp(raw[i + 2])) {
            ++i;
            continue;
        }
        if (raw[i] == '\n' && i + 1 < raw.size() && isWsp(raw[i + 1]))
            continue;
        out.append(raw[i]);
    }
    return out;
}

std::optional<QByteArray> decodeQ(QByteArrayView text)
{
    QByteArray out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] == '_') {
            out.append(' ');
        } else if (text[i] == '=') {
            if (i + 2 >= text.size())
                return std::nullopt;
            const int high = hexDigitValue(text[i + 1]);
            const int low = hexDigitValue(text[i + 2]);
            if (high < 0 || low < 0)
                return std::nullopt;
            out.append(char(high * 16 + low));
            i += 2;
        } else {
            out.append(text[i]);
        }
    }
    return out;
}

int base64Value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

// Lenient about missing padding, which real mailers omit; strict about anything else.
std::optional<QByteArray> decodeB(QByteArrayView text)
{
    QByteArray out;
    out.reserve(text.size() * 3 / 4);
    quint32 bitsBuffer = 0;
    int bits = 0;
    qsizetype digits = 0;
    qsizetype padding = 0;
    for (const char c : text) {
        if (c == '=') {
            ++padding;
            continue;
        }
        const int value = base64Value(c);
        if (value < 0 || padding > 0)
            return std::nullopt;
        bitsBuffer = ((bitsBuffer << 6) | quint32(value)) & 0xffffff;
        bits += 6;
        ++digits;
        if (bits >= 8) {
            bits -= 8;
            out.append(char((bitsBuffer >> bits) & 0xff));
        }
    }
    if (digits % 4 == 1 || out.isEmpty())
        return std::nullopt;
    if (padding > 0 && (digits % 4 == 0 || padding > 2))
        return std::nullopt;
    return out;
}

struct Segment
{
    bool encoded = false;
    QByteArray charset; // canonical, for encoded segments
    QByteArray bytes;
    QList<qsizetype> wordEnds; // where joined words met, for decodeSegment
};

// A joined run of words decodes as one, unless that is worse than word by word: each
// ISO-2022-JP word returns to ASCII, and the escape sequences meeting at a join would
// decode as an error.
QString decodeSegment(const Segment &segment)
{
    const QString joined = decodeCharset(segment.bytes, segment.charset);
    if (segment.wordEnds.isEmpty() || !joined.contains(QChar::ReplacementCharacter))
        return joined;
    QString separate;
    qsizetype begin = 0;
    for (const qsizetype end : segment.wordEnds) {
        separate += decodeCharset(QByteArrayView(segment.bytes).sliced(begin, end - begin),
                                  segment.charset);
        begin = end;
    }
    separate += decodeCharset(QByteArrayView(segment.bytes).sliced(begin), segment.charset);
    return separate.count(QChar::ReplacementCharacter) < joined.count(QChar::ReplacementCharacter)
               ? separate
               : joined;
}

struct EncodedWord
{
    QByteArray charset;
    QByteArray bytes;
    qsizetype end = 0;
};

// The encoded word starting with "=?" at start, or nothing when the text there is not one.
std::optional<EncodedWord> parseEncodedWord(QByteArrayView s, qsizetype start)
{
    qsizetype pos = start + 2;
    const qsizetype charsetStart = pos;
    while (pos < s.size() && isWordChar(s[pos]))
        ++pos;
    if (pos == charsetStart || pos + 2 >= s.size() || s[pos] != '?' || s[pos + 2] != '?')
        return std::nullopt;
    const QByteArrayView label = s.sliced(charsetStart, pos - charsetStart);
    const char encoding = s[pos + 1];
    pos += 3;
    const qsizetype textStart = pos;
    while (pos < s.size() && isWordChar(s[pos]))
        ++pos;
    if (pos == textStart || pos + 1 >= s.size() || s[pos] != '?' || s[pos + 1] != '=')
        return std::nullopt;
    const QByteArrayView text = s.sliced(textStart, pos - textStart);

    std::optional<QByteArray> bytes;
    if (encoding == 'Q' || encoding == 'q')
        bytes = decodeQ(text);
    else if (encoding == 'B' || encoding == 'b')
        bytes = decodeB(text);
    if (!bytes)
        return std::nullopt;
    // The decoder's own name, so "utf-8" and "UTF8" words join as one charset.
    QByteArray charset = charsetName(label);
    if (charset.isEmpty())
        return std::nullopt;
    return EncodedWord{charset, *bytes, pos + 2};
}

QString withoutLoneSurrogates(QString text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i].isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate())
            ++i;
        else if (text[i].isSurrogate())
            text[i] = QChar::ReplacementCharacter;
    }
    return text;
}

} // namespace

QString decodeHeaderText(QByteArrayView raw)
{
    // Most names and subjects are plain ASCII on one line: nothing to unfold or decode. A
    // header sync decodes hundreds of thousands of them.
    const bool plain = std::all_of(raw.cbegin(), raw.cend(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte >= 0x20 && byte < 0x7f;
    });
    if (plain && !raw.contains("=?"))
        return QString::fromLatin1(raw);
    const QByteArray s = unfold(raw);
    QList<Segment> segments;
    QByteArray literal;
    auto flushLiteral = [&] {
        if (!literal.isEmpty())
            segments.append({false, {}, literal, {}});
        literal.clear();
    };
    qsizetype i = 0;
    while (i < s.size()) {
        if (s[i] == '=' && i + 1 < s.size() && s[i + 1] == '?') {
            if (auto word = parseEncodedWord(s, i)) {
                const bool afterWord = !segments.isEmpty() && segments.last().encoded;
                if (afterWord &&
                    std::all_of(literal.cbegin(), literal.cend(), [](char c) { return isWsp(c); }))
                    literal.clear(); // RFC 2047 §6.2
                flushLiteral();
                // Joined as bytes, so a character split across two words comes out whole.
                if (!segments.isEmpty() && segments.last().encoded &&
                    segments.last().charset == word->charset) {
                    segments.last().wordEnds.append(segments.last().bytes.size());
                    segments.last().bytes += word->bytes;
                } else {
                    segments.append({true, word->charset, word->bytes, {}});
                }
                i = word->end;
                continue;
            }
        }
        literal.append(s[i]);
        ++i;
    }
    flushLiteral();

    // RFC 6532 allows raw UTF-8; anything else 8-bit is most likely a Windows mailer's.
    const QByteArray rawCharset = s.isValidUtf8() ? QByteArray("UTF-8") : "windows-1252";
    QString out;
    for (const Segment &segment : std::as_const(segments))
        out += segment.encoded ? decodeSegment(segment) : decodeCharset(segment.bytes, rawCharset);
    return withoutLoneSurrogates(out);
}

std::optional<QString> headerValueProblem(const QString &value)
{
    for (const QChar c : value) {
        if (c == u'\r')
            return QStringLiteral("contains a carriage return (CR), which could end the header");
        if (c == u'\n')
            return QStringLiteral("contains a line feed (LF), which could end the header");
        if (c == u'\0')
            return QStringLiteral("contains a NUL character, which mail servers reject");
    }
    return std::nullopt;
}

} // namespace wharf::mime
