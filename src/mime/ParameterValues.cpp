#include "mime/ParameterValues.h"

#include "mime/Charset.h"
#include "mime/TransferEncoding.h"

#include "mime/EncodedWords.h"

#include <QMap>

#include <optional>
#include <utility>

namespace wharf::mime {

namespace {

// Higher section numbers are not written by any mailer; the cap keeps the number parse
// free of overflow and the section map small whatever a hostile header claims.
constexpr int MaxSection = 999;

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// RFC 2045 token characters: printable ASCII except space and tspecials.
bool isTokenChar(char c)
{
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f)
        return false;
    return QByteArrayView("()<>@,;:\\\"/[]?=").indexOf(c) < 0;
}

struct RawParameter
{
    QByteArray name;
    QByteArray value;
};

class Lexer
{
public:
    explicit Lexer(QByteArrayView input)
        : in(input)
    {}

    bool atEnd() const { return pos >= in.size(); }
    char peek() const { return in[pos]; }
    void advance() { ++pos; }
    void rewind() { pos = 0; }

    // RFC 822 comments nest and may hold quoted pairs; an unterminated one runs to the end.
    void skipSpaceAndComments()
    {
        while (!atEnd()) {
            if (isSpace(peek())) {
                ++pos;
            } else if (peek() == '(') {
                int depth = 0;
                for (; !atEnd(); ++pos) {
                    const char c = peek();
                    if (c == '\\') {
                        ++pos;
                    } else if (c == '(') {
                        ++depth;
                    } else if (c == ')' && --depth == 0) {
                        ++pos;
                        break;
                    }
                }
            } else {
                return;
            }
        }
    }

    // A media type ("text/plain") is two tokens joined by a slash.
    QByteArray readToken(bool withSlash = false)
    {
        const qsizetype start = pos;
        while (!atEnd() && (isTokenChar(peek()) || (withSlash && peek() == '/')))
            ++pos;
        return in.sliced(start, pos - start).toByteArray();
    }

    // At the opening quote. Backslash escapes the next byte; no closing quote means the
    // value runs to the end (broken mailers truncate).
    QByteArray readQuoted()
    {
        QByteArray out;
        for (++pos; !atEnd(); ++pos) {
            const char c = peek();
            if (c == '"') {
                ++pos;
                break;
            }
            if (c == '\\' && pos + 1 < in.size())
                ++pos;
            out.append(peek());
        }
        return out;
    }

    // Unquoted values keep everything up to the next `;` (so `name=a b.pdf` survives), less a
    // trailing comment such as RFC 2045's `charset=us-ascii (Plain text)`.
    QByteArray readUnquoted()
    {
        const qsizetype start = pos;
        while (!atEnd() && peek() != ';')
            ++pos;
        QByteArray value = in.sliced(start, pos - start).toByteArray().trimmed();
        while (value.endsWith(')')) {
            int depth = 0;
            qsizetype open = value.size() - 1;
            for (; open >= 0; --open) {
                if (value[open] == ')')
                    ++depth;
                else if (value[open] == '(' && --depth == 0)
                    break;
            }
            if (open < 0 || (open > 0 && !isSpace(value[open - 1])))
                break;
            value = value.left(open).trimmed();
        }
        return value;
    }

    // Junk: skip to the next `;` outside quoted strings.
    void skipToSemicolon()
    {
        bool quoted = false;
        for (; !atEnd(); ++pos) {
            const char c = peek();
            if (quoted && c == '\\')
                ++pos;
            else if (c == '"')
                quoted = !quoted;
            else if (c == ';' && !quoted)
                return;
        }
    }

private:
    QByteArrayView in;
    qsizetype pos = 0;
};

QList<RawParameter> lexParameters(Lexer &lexer)
{
    QList<RawParameter> raw;
    while (!lexer.atEnd()) {
        if (lexer.peek() == ';')
            lexer.advance();
        lexer.skipSpaceAndComments();
        if (lexer.atEnd())
            break;
        const QByteArray name = lexer.readToken().toLower();
        lexer.skipSpaceAndComments();
        if (name.isEmpty() || lexer.atEnd() || lexer.peek() != '=') {
            lexer.skipToSemicolon();
            continue;
        }
        lexer.advance();
        lexer.skipSpaceAndComments();
        QByteArray value;
        if (!lexer.atEnd() && lexer.peek() == '"') {
            value = lexer.readQuoted();
            lexer.skipToSemicolon(); // anything after the closing quote is junk
        } else {
            value = lexer.readUnquoted();
        }
        raw.append({name, value});
    }
    return raw;
}

QString decodeIn(QByteArrayView charset, QByteArrayView bytes)
{
    // RFC 2231 says which charset; an unknown one reads as UTF-8, bad bytes become U+FFFD.
    return decodeCharset(bytes, charsetName(charset).isEmpty() ? QByteArrayView("utf-8") : charset);
}

// Raw 8-bit in a plain value: UTF-8 (RFC 6532) when it is valid, else the usual Windows
// charset of old mailers (what decodeCharset does without a label).
QString decodeRaw(QByteArrayView bytes)
{
    return decodeCharset(bytes, {});
}

// A `%` that starts no valid escape stays as it is.
QByteArray percentDecode(QByteArrayView in)
{
    QByteArray out;
    out.reserve(in.size());
    for (qsizetype i = 0; i < in.size(); ++i) {
        if (in[i] == '%' && i + 2 < in.size() && hexDigitValue(in[i + 1]) >= 0 &&
            hexDigitValue(in[i + 2]) >= 0) {
            out.append(char(hexDigitValue(in[i + 1]) * 16 + hexDigitValue(in[i + 2])));
            i += 2;
        } else {
            out.append(in[i]);
        }
    }
    return out;
}

// charset'language'bytes; without both apostrophes the value is not RFC 2231 at all.
std::optional<QString> decodeExtended(QByteArrayView value)
{
    const qsizetype first = value.indexOf('\'');
    const qsizetype second = first < 0 ? -1 : value.indexOf('\'', first + 1);
    if (second < 0)
        return std::nullopt;
    return decodeIn(value.first(first), percentDecode(value.sliced(second + 1)));
}

struct Section
{
    QByteArray value;
    bool encoded = false;
};

// Sections 0, 1, 2... up to the first gap. The charset comes from an encoded section 0;
// encoded bytes are decoded together so a character may span sections, plain sections
// are decoded on their own.
QString joinSections(const QMap<int, Section> &sections)
{
    QByteArray charset;
    QString out;
    QByteArray pending;
    for (int n = 0; sections.contains(n); ++n) {
        const Section &section = sections[n];
        if (!section.encoded) {
            out += decodeIn(charset, pending) + decodeRaw(section.value);
            pending.clear();
            continue;
        }
        QByteArrayView bytes = section.value;
        if (n == 0) {
            const qsizetype first = bytes.indexOf('\'');
            const qsizetype second = first < 0 ? -1 : bytes.indexOf('\'', first + 1);
            if (second >= 0) {
                charset = bytes.first(first).toByteArray();
                bytes = bytes.sliced(second + 1);
            }
        }
        pending += percentDecode(bytes);
    }
    return out + decodeIn(charset, pending);
}

struct Collected
{
    std::optional<QByteArray> plain;
    std::optional<QString> extended;
    QMap<int, Section> sections;
};

// name*N or name*N* with N written without leading zeros: the section number, else -1.
int sectionNumber(QByteArrayView digits)
{
    if (digits.isEmpty() || digits.size() > 3 || (digits.size() > 1 && digits[0] == '0'))
        return -1;
    int n = 0;
    for (const char c : digits) {
        if (c < '0' || c > '9')
            return -1;
        n = n * 10 + (c - '0');
    }
    return n <= MaxSection ? n : -1;
}

} // namespace

const Parameter *ParameterizedValue::find(QByteArrayView name) const
{
    for (const Parameter &parameter : parameters) {
        if (QByteArrayView(parameter.name).compare(name, Qt::CaseInsensitive) == 0)
            return &parameter;
    }
    return nullptr;
}

ParameterizedValue parseParameterizedValue(QByteArrayView fieldValue)
{
    ParameterizedValue result;
    Lexer lexer(fieldValue);
    lexer.skipSpaceAndComments();
    const QByteArray type = lexer.readToken(true);
    lexer.skipSpaceAndComments();
    if (!lexer.atEnd() && lexer.peek() == '=') {
        // No type at all, just parameters (`filename=a.pdf`): keep them rather than lose
        // the name.
        lexer.rewind();
    } else {
        result.type = type.toLower();
        lexer.skipToSemicolon();
    }

    QList<QByteArray> order;
    QMap<QByteArray, Collected> byName;
    for (const RawParameter &raw : lexParameters(lexer)) {
        QByteArray base = raw.name;
        int section = -1;
        bool encoded = false;
        bool extended = false;
        const qsizetype star = raw.name.indexOf('*');
        if (star > 0) {
            QByteArrayView rest = QByteArrayView(raw.name).sliced(star + 1);
            encoded = rest.endsWith('*');
            if (encoded)
                rest.chop(1);
            if (rest.isEmpty() && encoded) {
                // name** is neither form; keep it as an odd plain name
            } else if (rest.isEmpty()) {
                extended = true;
                base = raw.name.left(star);
            } else if ((section = sectionNumber(rest)) >= 0) {
                base = raw.name.left(star);
            }
        }
        if (!byName.contains(base))
            order.append(base);
        Collected &collected = byName[base];
        if (extended) {
            if (!collected.extended)
                collected.extended = decodeExtended(raw.value);
        } else if (section >= 0) {
            if (!collected.sections.contains(section))
                collected.sections.insert(section, {raw.value, encoded});
        } else if (!collected.plain) {
            collected.plain = raw.value;
        }
    }

    for (const QByteArray &name : std::as_const(order)) {
        const Collected &collected = byName[name];
        if (collected.extended)
            result.parameters.append({name, *collected.extended, true});
        else if (collected.sections.contains(0))
            result.parameters.append({name, joinSections(collected.sections), true});
        else if (collected.plain)
            result.parameters.append({name, decodeRaw(*collected.plain), false});
    }
    return result;
}

namespace {

QString fileNameFrom(QByteArrayView fieldValue, QByteArrayView parameterName)
{
    const ParameterizedValue parsed = parseParameterizedValue(fieldValue);
    const Parameter *parameter = parsed.find(parameterName);
    if (!parameter)
        return {};
    QString name = parameter->value;
    // Encoded words are not allowed inside quoted strings (RFC 2047 section 5), but Outlook
    // and many webmailers put them there, and every reader decodes them.
    if (!parameter->extended && name.contains(QLatin1String("=?")))
        name = decodeHeaderText(name.toUtf8());
    return name.trimmed();
}

} // namespace

QString attachmentFileName(QByteArrayView contentDisposition, QByteArrayView contentType)
{
    const QString fromDisposition = fileNameFrom(contentDisposition, "filename");
    if (!fromDisposition.isEmpty())
        return fromDisposition;
    return fileNameFrom(contentType, "name");
}

} // namespace wharf::mime
