#include "protocols/imap/ModifiedUtf7.h"

#include <QStringDecoder>

#include <string>

namespace wharf::imap {

namespace {

// RFC 3501 5.1.3: base64 with ',' in place of '/' and no padding.
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

bool isDirect(char16_t unit)
{
    return unit >= 0x20 && unit <= 0x7e;
}

int sextet(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == ',')
        return 63;
    return -1;
}

void appendEncodedRun(QByteArray &out, const char16_t *units, qsizetype count)
{
    out.append('&');
    quint32 bits = 0;
    int bitCount = 0;
    for (qsizetype i = 0; i < count; ++i) {
        bits = (bits << 16) | units[i];
        bitCount += 16;
        while (bitCount >= 6) {
            bitCount -= 6;
            out.append(kAlphabet[(bits >> bitCount) & 0x3f]);
        }
        bits &= (1u << bitCount) - 1;
    }
    if (bitCount > 0)
        out.append(kAlphabet[(bits << (6 - bitCount)) & 0x3f]);
    out.append('-');
}

// Decodes the base64 between '&' and '-' (non-empty) and appends the UTF-16 to `out`.
// Canonical form only: the padding bits are zero, whole UTF-16 units, surrogates paired,
// and no character that could have been written directly.
bool decodeRun(QByteArrayView run, QString &out)
{
    quint32 bits = 0;
    int bitCount = 0;
    char16_t pendingHigh = 0;
    for (const char c : run) {
        const int value = sextet(c);
        if (value < 0)
            return false;
        bits = (bits << 6) | quint32(value);
        bitCount += 6;
        if (bitCount < 16)
            continue;
        bitCount -= 16;
        const auto unit = char16_t((bits >> bitCount) & 0xffff);
        bits &= (1u << bitCount) - 1;
        if (pendingHigh) {
            if (!QChar::isLowSurrogate(unit))
                return false;
            out.append(QChar(pendingHigh));
            out.append(QChar(unit));
            pendingHigh = 0;
        } else if (QChar::isHighSurrogate(unit)) {
            pendingHigh = unit;
        } else if (QChar::isLowSurrogate(unit) || isDirect(unit) || unit == 0) {
            // NUL never names a mailbox; a printable character here could make one name
            // look like another ("&AEkATgBCAE8AWA-" would otherwise read as INBOX).
            return false;
        } else {
            out.append(QChar(unit));
        }
    }
    // Leftovers: fewer than 6 bits, all zero (an odd byte count leaves 8 or more).
    return pendingHigh == 0 && bitCount < 6 && bits == 0;
}

std::optional<QString> decodeModifiedUtf7(const QByteArray &wire)
{
    QString name;
    name.reserve(wire.size());
    const qsizetype size = wire.size();
    bool previousWasRun = false;
    for (qsizetype i = 0; i < size;) {
        const char c = wire.at(i);
        if (c != '&') {
            if (!isDirect(char16_t(uchar(c))))
                return std::nullopt;
            name.append(QLatin1Char(c));
            previousWasRun = false;
            ++i;
            continue;
        }
        const qsizetype close = wire.indexOf('-', i + 1);
        if (close < 0)
            return std::nullopt;
        if (close == i + 1) {
            name.append(u'&');
            previousWasRun = false;
        } else {
            // "&AOQ-&APY-" should have been one run "&AOQA9g-": RFC 3501 asks for the
            // shortest form, and accepting both would give one name two spellings.
            if (previousWasRun)
                return std::nullopt;
            if (!decodeRun(QByteArrayView(wire).sliced(i + 1, close - i - 1), name))
                return std::nullopt;
            previousWasRun = true;
        }
        i = close + 1;
    }
    return name;
}

} // namespace

QByteArray encodeMailboxName(const QString &name, bool utf8Enabled)
{
    if (utf8Enabled)
        return name.toUtf8();
    QByteArray out;
    out.reserve(name.size() + 8);
    const char16_t *units = reinterpret_cast<const char16_t *>(name.utf16());
    const qsizetype size = name.size();
    // Runs are collected first so that a lone surrogate (not valid UTF-16, but a QString
    // may hold one) or a NUL goes out as U+FFFD and the result always decodes.
    std::u16string run;
    for (qsizetype i = 0; i <= size; ++i) {
        const char16_t unit = i < size ? units[i] : u'\0';
        const bool end = i == size;
        if (!end && !isDirect(unit)) {
            if (QChar::isHighSurrogate(unit) && i + 1 < size &&
                QChar::isLowSurrogate(units[i + 1])) {
                run.push_back(unit);
                run.push_back(units[++i]);
            } else if (QChar::isSurrogate(unit) || unit == 0) {
                run.push_back(u'\xfffd');
            } else {
                run.push_back(unit);
            }
            continue;
        }
        if (!run.empty()) {
            appendEncodedRun(out, run.data(), qsizetype(run.size()));
            run.clear();
        }
        if (end)
            break;
        out.append(char(unit));
        if (unit == u'&')
            out.append('-');
    }
    return out;
}

std::optional<QString> decodeMailboxName(const QByteArray &wire, bool utf8Enabled)
{
    if (!utf8Enabled)
        return decodeModifiedUtf7(wire);
    // Qt's decoder flags overlong forms, encoded surrogates and code points past U+10FFFF.
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString name = decoder.decode(wire);
    if (decoder.hasError() || name.contains(QChar(0)))
        return std::nullopt;
    return name;
}

} // namespace wharf::imap
