#include "protocols/ftp/ReplyData.h"

#include <limits>

namespace wharf::ftp {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

QByteArray firstWord(const QByteArray &line)
{
    const qsizetype space = line.indexOf(' ');
    return space < 0 ? line : line.first(space);
}

bool sameWord(const QByteArray &word, QByteArrayView wanted)
{
    return word.compare(wanted, Qt::CaseInsensitive) == 0;
}

// A run of comma-separated numbers in a 227 text, starting at a digit: "127,0,0,1,156,64".
struct NumberRun
{
    int values[6] = {};
    int count = 0;
    bool tooLong = false; // a member of more than three digits: not a byte
    qsizetype end = 0;
};

NumberRun readNumberRun(const QByteArray &text, qsizetype pos)
{
    NumberRun run;
    const qsizetype size = text.size();
    for (;;) {
        const qsizetype start = pos;
        int value = 0;
        while (pos < size && isDigit(text.at(pos))) {
            // Only the first four digits can matter (more is too long anyway); the rest
            // are skipped so a hostile number cannot overflow.
            if (pos - start < 4)
                value = value * 10 + (text.at(pos) - '0');
            ++pos;
        }
        if (pos - start > 3)
            run.tooLong = true;
        if (run.count < 6)
            run.values[run.count] = value;
        ++run.count;
        run.end = pos;
        // Separators seen in the wild: "," and ", " (and, rarely, " , ").
        qsizetype next = pos;
        while (next < size && text.at(next) == ' ')
            ++next;
        if (next >= size || text.at(next) != ',')
            return run;
        ++next;
        while (next < size && text.at(next) == ' ')
            ++next;
        if (next >= size || !isDigit(text.at(next)))
            return run;
        pos = next;
    }
}

// Decimal digits only, no sign, at most `maximum`.
std::optional<qint64> parseDecimal(QByteArrayView digits, qint64 maximum)
{
    if (digits.isEmpty())
        return std::nullopt;
    qint64 value = 0;
    for (const char c : digits) {
        if (!isDigit(c))
            return std::nullopt;
        const int digit = c - '0';
        if (value > (maximum - digit) / 10)
            return std::nullopt;
        value = value * 10 + digit;
    }
    return value;
}

bool usableInCommand(const QByteArray &path)
{
    return !path.isEmpty() && !path.contains('\0') && !path.contains('\r') && !path.contains('\n');
}

// The IPv4 address, also from an IPv4-mapped IPv6 one; nullopt for IPv6 and unspecified.
std::optional<quint32> ipv4Of(const QHostAddress &address)
{
    if (address.protocol() != QAbstractSocket::IPv4Protocol &&
        address.protocol() != QAbstractSocket::IPv6Protocol)
        return std::nullopt;
    bool ok = false;
    const quint32 v4 = address.toIPv4Address(&ok);
    if (!ok)
        return std::nullopt;
    return v4;
}

QByteArray dottedQuad(quint32 v4, char separator)
{
    QByteArray out;
    for (int shift = 24; shift >= 0; shift -= 8) {
        if (!out.isEmpty())
            out += separator;
        out += QByteArray::number((v4 >> shift) & 0xff);
    }
    return out;
}

// "type*;size*;modify;" -> names, lower-cased, without the '*' (a sloppy "size**" too).
QByteArrayList mlstFactList(const QByteArray &arguments, bool selectedOnly)
{
    QByteArrayList facts;
    for (const QByteArray &fact : arguments.split(';')) {
        QByteArray name = fact.trimmed().toLower();
        const bool selected = name.endsWith('*');
        while (name.endsWith('*'))
            name.chop(1);
        if (!name.isEmpty() && (selected || !selectedOnly))
            facts.append(name);
    }
    return facts;
}

void appendPadded(QByteArray &out, int value, int width)
{
    const QByteArray digits = QByteArray::number(value);
    out += QByteArray(width - digits.size(), '0');
    out += digits;
}

} // namespace

std::optional<PassiveAddress> parsePasvReply(const net::NumericReply &reply)
{
    if (reply.code != 227)
        return std::nullopt;
    const QByteArray text = reply.text();
    qsizetype pos = 0;
    while (pos < text.size()) {
        if (!isDigit(text.at(pos))) {
            ++pos;
            continue;
        }
        const NumberRun run = readNumberRun(text, pos);
        if (run.count == 6) {
            if (run.tooLong)
                return std::nullopt;
            for (const int value : run.values) {
                if (value > 255)
                    return std::nullopt;
            }
            const int port = run.values[4] * 256 + run.values[5];
            if (port == 0)
                return std::nullopt;
            const quint32 host = (quint32(run.values[0]) << 24) | (quint32(run.values[1]) << 16) |
                                 (quint32(run.values[2]) << 8) | quint32(run.values[3]);
            return PassiveAddress{dottedQuad(host, '.'), quint16(port)};
        }
        pos = run.end;
    }
    return std::nullopt;
}

std::optional<quint16> parseEpsvReply(const net::NumericReply &reply)
{
    if (reply.code != 229)
        return std::nullopt;
    const QByteArray text = reply.text();
    for (qsizetype open = text.indexOf('('); open >= 0; open = text.indexOf('(', open + 1)) {
        // "(" d d d port d ")": the protocol and address fields are empty in EPSV.
        if (open + 6 >= text.size())
            break;
        const char delimiter = text.at(open + 1);
        if (delimiter < 33 || delimiter > 126 || isDigit(delimiter))
            continue;
        if (text.at(open + 2) != delimiter || text.at(open + 3) != delimiter)
            continue;
        const qsizetype digits = open + 4;
        const qsizetype close = text.indexOf(delimiter, digits);
        if (close < 0 || close + 1 >= text.size() || text.at(close + 1) != ')')
            continue;
        // Five digits at most: a hostile "000...0080" is refused rather than scanned.
        if (close - digits > 5)
            continue;
        const std::optional<qint64> port =
            parseDecimal(QByteArrayView(text).sliced(digits, close - digits), 65535);
        if (!port || *port == 0)
            continue;
        return quint16(*port);
    }
    return std::nullopt;
}

std::optional<QByteArray> parsePathReply(const net::NumericReply &reply)
{
    if (reply.code != 257)
        return std::nullopt;
    const QByteArray text = reply.text();
    const qsizetype open = text.indexOf('"');
    if (open < 0) {
        const QByteArray word = firstWord(text.trimmed());
        if (word.startsWith('/') && usableInCommand(word))
            return word;
        return std::nullopt;
    }
    QByteArray path;
    for (qsizetype i = open + 1; i < text.size(); ++i) {
        const char c = text.at(i);
        if (c != '"') {
            path += c;
            continue;
        }
        if (i + 1 < text.size() && text.at(i + 1) == '"') {
            path += '"';
            ++i;
            continue;
        }
        if (!usableInCommand(path))
            return std::nullopt;
        return path;
    }
    return std::nullopt; // no closing quote: where the name ends is unknown
}

std::optional<qint64> parseSizeReply(const net::NumericReply &reply)
{
    if (reply.code != 213)
        return std::nullopt;
    return parseDecimal(reply.text().trimmed(), std::numeric_limits<qint64>::max());
}

std::optional<QDateTime> parseFtpTime(QByteArrayView text)
{
    if (text.size() < 14)
        return std::nullopt;
    int fields[6] = {};
    const int widths[6] = {4, 2, 2, 2, 2, 2};
    qsizetype pos = 0;
    for (int i = 0; i < 6; ++i) {
        const std::optional<qint64> value = parseDecimal(text.sliced(pos, widths[i]), 9999);
        if (!value)
            return std::nullopt;
        fields[i] = int(*value);
        pos += widths[i];
    }
    int milliseconds = 0;
    if (pos < text.size()) {
        const QByteArrayView fraction = text.sliced(pos + 1);
        if (text.at(pos) != '.' || fraction.isEmpty())
            return std::nullopt;
        for (qsizetype i = 0; i < fraction.size(); ++i) {
            if (!isDigit(fraction.at(i)))
                return std::nullopt;
            if (i < 3)
                milliseconds += (fraction.at(i) - '0') * (i == 0 ? 100 : i == 1 ? 10 : 1);
        }
    }
    // RFC 3659 allows a leap second; QTime does not.
    const int seconds = fields[5] == 60 ? 59 : fields[5];
    const QDate date(fields[0], fields[1], fields[2]);
    const QTime time(fields[3], fields[4], seconds, milliseconds);
    if (!date.isValid() || !time.isValid())
        return std::nullopt;
    return QDateTime(date, time, Qt::UTC);
}

std::optional<QDateTime> parseMdtmReply(const net::NumericReply &reply)
{
    if (reply.code != 213)
        return std::nullopt;
    return parseFtpTime(reply.text().trimmed());
}

QByteArray formatFtpTime(const QDateTime &time)
{
    if (!time.isValid())
        return {};
    const QDateTime utc = time.toUTC();
    const QDate date = utc.date();
    const QTime clock = utc.time();
    if (date.year() < 1 || date.year() > 9999)
        return {};
    QByteArray text;
    appendPadded(text, date.year(), 4);
    for (const int field : {date.month(), date.day(), clock.hour(), clock.minute(), clock.second()})
        appendPadded(text, field, 2);
    return text;
}

FeatureSet FeatureSet::fromReply(const net::NumericReply &reply)
{
    if (reply.code != 211 || reply.lines.size() <= 2)
        return {};
    return fromLines(reply.lines.mid(1, reply.lines.size() - 2));
}

FeatureSet FeatureSet::fromLines(const QByteArrayList &lines)
{
    FeatureSet set;
    for (const QByteArray &line : lines) {
        const QByteArray feature = line.trimmed();
        if (!feature.isEmpty())
            set.m_lines.append(feature);
    }
    return set;
}

bool FeatureSet::has(QByteArrayView feature) const
{
    for (const QByteArray &line : m_lines) {
        if (sameWord(firstWord(line), feature))
            return true;
    }
    return false;
}

QByteArray FeatureSet::arguments(QByteArrayView feature) const
{
    for (const QByteArray &line : m_lines) {
        const QByteArray word = firstWord(line);
        if (sameWord(word, feature))
            return line.sliced(word.size()).trimmed();
    }
    return {};
}

bool FeatureSet::supportsRestStream() const
{
    for (const QByteArray &line : m_lines) {
        const QByteArray word = firstWord(line);
        if (!sameWord(word, "REST"))
            continue;
        const QByteArrayList modes = line.sliced(word.size()).simplified().split(' ');
        for (const QByteArray &mode : modes) {
            if (sameWord(mode, "STREAM"))
                return true;
        }
    }
    return false;
}

bool FeatureSet::supportsMlsd() const
{
    return has("MLST") || has("MLSD");
}

QByteArrayList FeatureSet::mlstFacts() const
{
    return mlstFactList(arguments("MLST"), false);
}

QByteArrayList FeatureSet::mlstSelectedFacts() const
{
    return mlstFactList(arguments("MLST"), true);
}

QByteArrayList FeatureSet::authMechanisms() const
{
    QByteArrayList mechanisms;
    for (const QByteArray &line : m_lines) {
        const QByteArray word = firstWord(line);
        if (!sameWord(word, "AUTH"))
            continue;
        QByteArray arguments = line.sliced(word.size());
        arguments.replace(';', ' ');
        for (const QByteArray &mechanism : arguments.simplified().split(' ')) {
            const QByteArray upper = mechanism.toUpper();
            if (!upper.isEmpty() && !mechanisms.contains(upper))
                mechanisms.append(upper);
        }
    }
    return mechanisms;
}

QByteArray eprtArgument(const QHostAddress &address, quint16 port)
{
    if (port == 0)
        return {};
    const QByteArray portText = QByteArray::number(port);
    if (const std::optional<quint32> v4 = ipv4Of(address)) {
        if (*v4 == 0)
            return {};
        return "|1|" + dottedQuad(*v4, '.') + '|' + portText + '|';
    }
    if (address.protocol() != QAbstractSocket::IPv6Protocol ||
        address.isEqual(QHostAddress(QHostAddress::AnyIPv6)))
        return {};
    QHostAddress plain = address;
    plain.setScopeId(QString());
    return "|2|" + plain.toString().toLatin1() + '|' + portText + '|';
}

std::optional<QByteArray> portArgument(const QHostAddress &address, quint16 port)
{
    const std::optional<quint32> v4 = ipv4Of(address);
    if (!v4 || *v4 == 0 || port == 0)
        return std::nullopt;
    return dottedQuad(*v4, ',') + ',' + QByteArray::number(port >> 8) + ',' +
           QByteArray::number(port & 0xff);
}

ReplyClass replyClass(int code)
{
    if (code < 100 || code > 599)
        return ReplyClass::Invalid;
    switch (code / 100) {
    case 1:
        return ReplyClass::Preliminary;
    case 2:
        return ReplyClass::Completion;
    case 3:
        return ReplyClass::Intermediate;
    case 4:
        return ReplyClass::TransientFailure;
    default:
        return ReplyClass::PermanentFailure;
    }
}

} // namespace wharf::ftp
