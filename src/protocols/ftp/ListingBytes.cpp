// Bytes, names and numbers as every listing form needs them: tokens, UTF-8 or Latin-1 names,
// sizes that must not overflow, permission strings.

#include "protocols/ftp/ListingParserDetail.h"

#include <QStringDecoder>

#include <algorithm>
#include <limits>

namespace wharf::ftp::detail {

bool allDigits(QByteArrayView text)
{
    return !text.isEmpty() && std::all_of(text.begin(), text.end(), isDigit);
}

Tokens tokenize(QByteArrayView line)
{
    Tokens tokens;
    qsizetype i = 0;
    while (i < line.size()) {
        while (i < line.size() && isBlank(line[i]))
            ++i;
        if (i == line.size())
            break;
        const qsizetype begin = i;
        while (i < line.size() && !isBlank(line[i]))
            ++i;
        tokens.append(Token{begin, i, line.sliced(begin, i - begin)});
    }
    return tokens;
}

QByteArrayView restAfterBlanks(QByteArrayView line, qsizetype from)
{
    while (from < line.size() && isBlank(line[from]))
        ++from;
    return line.sliced(qMin(from, line.size()));
}

QString decodeText(QByteArrayView bytes)
{
    const bool ascii = std::all_of(bytes.begin(), bytes.end(),
                                   [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (ascii)
        return QString::fromLatin1(bytes);
    // Stateless: a sequence cut at the end is an error, not state kept for more input. A BOM
    // at the start is part of the name, not a marker to drop.
    QStringDecoder decoder(QStringConverter::Utf8, QStringConverter::Flag::Stateless |
                                                       QStringConverter::Flag::ConvertInitialBom);
    QString text = decoder.decode(bytes);
    if (decoder.hasError())
        return QString::fromLatin1(bytes);
    return text;
}

QString printable(const QString &text)
{
    constexpr qsizetype kMaxShown = 160;
    QString shown;
    for (const QChar c : text) {
        if (shown.size() >= kMaxShown) {
            shown += u"...";
            break;
        }
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            shown += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
        else
            shown += c;
    }
    return shown;
}

QString printable(QByteArrayView bytes)
{
    return printable(decodeText(bytes));
}

void setName(RemoteEntry &entry, QByteArrayView bytes)
{
    entry.wireName = bytes.toByteArray();
    entry.name = decodeText(bytes);
}

std::optional<qint64> parseUnsigned(QByteArrayView digits)
{
    if (!allDigits(digits))
        return std::nullopt;
    qint64 value = 0;
    for (const char c : digits) {
        const int digit = c - '0';
        if (value > (std::numeric_limits<qint64>::max() - digit) / 10)
            return std::nullopt;
        value = value * 10 + digit;
    }
    return value;
}

bool isOverflowingNumber(QByteArrayView text)
{
    return allDigits(text) && !parseUnsigned(text);
}

std::optional<qint64> parseGroupedNumber(QByteArrayView text)
{
    if (allDigits(text))
        return parseUnsigned(text);
    const qsizetype firstSep =
        std::find_if(text.begin(), text.end(), [](char c) { return !isDigit(c); }) - text.begin();
    if (firstSep == 0 || firstSep > 3 || firstSep == text.size())
        return std::nullopt;
    const char sep = text[firstSep];
    if (sep != ',' && sep != '.')
        return std::nullopt;
    QByteArray digits = text.first(firstSep).toByteArray();
    for (qsizetype i = firstSep; i < text.size(); i += 4) {
        if (text[i] != sep || i + 4 > text.size() || !allDigits(text.sliced(i + 1, 3)))
            return std::nullopt;
        digits += text.sliced(i + 1, 3);
    }
    return parseUnsigned(digits);
}

std::optional<qint64> parseSizeWithUnit(QByteArrayView text)
{
    qsizetype i = 0;
    while (i < text.size() && isDigit(text[i]))
        ++i;
    const QByteArrayView whole = text.first(i);
    QByteArrayView fraction;
    if (i < text.size() && text[i] == '.') {
        const qsizetype start = ++i;
        while (i < text.size() && isDigit(text[i]))
            ++i;
        fraction = text.sliced(start, i - start);
        if (fraction.isEmpty() || fraction.size() > 3)
            return std::nullopt;
    }
    if (whole.isEmpty() || i == text.size())
        return std::nullopt;
    int shift = 0;
    switch (text[i] | 0x20) {
    case 'k':
        shift = 10;
        break;
    case 'm':
        shift = 20;
        break;
    case 'g':
        shift = 30;
        break;
    case 't':
        shift = 40;
        break;
    default:
        return std::nullopt;
    }
    const QByteArrayView unitRest = text.sliced(i + 1);
    if (!unitRest.isEmpty() && unitRest != "B" && unitRest != "b")
        return std::nullopt;
    const auto wholeValue = parseUnsigned(whole);
    if (!wholeValue || *wholeValue > (std::numeric_limits<qint64>::max() >> shift) - 1)
        return std::nullopt;
    qint64 value = *wholeValue << shift;
    if (!fraction.isEmpty()) {
        qint64 scale = 1;
        for (qsizetype k = 0; k < fraction.size(); ++k)
            scale *= 10;
        value += (parseUnsigned(fraction).value_or(0) << shift) / scale;
    }
    return value;
}

int parseOctal(QByteArrayView text)
{
    if (text.isEmpty())
        return -1;
    int value = 0;
    for (const char c : text) {
        if (c < '0' || c > '7')
            return -1;
        value = value * 8 + (c - '0');
        if (value > 0177777)
            return -1;
    }
    return value;
}

int modeFromPermissions(QByteArrayView nine)
{
    if (nine.size() != 9)
        return -1;
    int mode = 0;
    for (int who = 0; who < 3; ++who) {
        const int shift = 3 * (2 - who);
        const char read = nine[3 * who], write = nine[3 * who + 1], exec = nine[3 * who + 2];
        if (read == 'r')
            mode |= 4 << shift;
        else if (read != '-')
            return -1;
        if (write == 'w')
            mode |= 2 << shift;
        else if (write != '-')
            return -1;
        const int special = who == 0 ? 04000 : who == 1 ? 02000 : 01000;
        const char setExec = who == 2 ? 't' : 's';
        if (exec == 'x') {
            mode |= 1 << shift;
        } else if (exec == setExec) {
            mode |= (1 << shift) | special;
        } else if (exec == setExec - ('a' - 'A')) {
            mode |= special;
        } else if (who == 1 && (exec == 'l' || exec == 'L')) {
            mode |= special; // mandatory locking: set-group-ID without execute
        } else if (exec != '-') {
            return -1;
        }
    }
    return mode;
}

bool equalsIgnoringCase(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z')
            x = char(x + ('a' - 'A'));
        if (y >= 'A' && y <= 'Z')
            y = char(y + ('a' - 'A'));
        if (x != y)
            return false;
    }
    return true;
}

} // namespace wharf::ftp::detail
