// LIST forms of servers that do not imitate `ls`: DOS/IIS, EPLF, VMS, OS/2, IBM AS/400,
// VShell, and the numeric Unix form. Line examples are in tests/unit/tst_ftp_listing.cpp.

#include "protocols/ftp/ListingParserDetail.h"

#include <algorithm>
#include <limits>

namespace wharf::ftp::detail {

namespace {

LineResult tooLarge(QByteArrayView size)
{
    return LineResult::broken(QStringLiteral("size %1 is too large").arg(printable(size)));
}

bool isSizeLike(QByteArrayView text)
{
    return !text.isEmpty() && isDigit(text[0]) && std::all_of(text.begin(), text.end(), [](char c) {
        return isDigit(c) || c == ',' || c == '.';
    });
}

// EPLF (cr.yp.to/ftp/list/eplf.html): "+i8388621.48594,m825718503,r,s280,up755\tname".
LineResult parseEplf(QByteArrayView line)
{
    if (!line.startsWith('+'))
        return LineResult::notMine();
    const qsizetype tab = line.indexOf('\t');
    if (tab < 0)
        return LineResult::broken(QStringLiteral("EPLF line without a tab before the name"));
    RemoteEntry entry;
    entry.modifiedHasTime = false;
    bool directory = false;
    QByteArrayView facts = line.sliced(1, tab - 1);
    while (!facts.isEmpty()) {
        const qsizetype comma = facts.indexOf(',');
        const QByteArrayView fact = comma < 0 ? facts : facts.first(comma);
        facts = comma < 0 ? QByteArrayView() : facts.sliced(comma + 1);
        if (fact.isEmpty())
            continue;
        const QByteArrayView value = fact.sliced(1);
        switch (fact[0]) {
        case '/':
            directory = true;
            break;
        case 's':
            if (isOverflowingNumber(value))
                return tooLarge(value);
            entry.size = parseUnsigned(value).value_or(-1);
            break;
        case 'm':
            entry.modified = fromEpochSeconds(value);
            entry.modifiedHasTime = entry.modified.isValid();
            break;
        case 'i':
            entry.uniqueId = value.toByteArray();
            break;
        case 'u':
            if (value.startsWith('p') && parseOctal(value.sliced(1)) >= 0) {
                entry.unixMode = parseOctal(value.sliced(1)) & 07777;
                entry.permissions = decodeText(value.sliced(1));
            }
            break;
        default: // 'r' (a file one may RETR) and facts EPLF may gain later
            break;
        }
    }
    entry.type = directory ? RemoteEntry::Type::Directory : RemoteEntry::Type::File;
    setName(entry, line.sliced(tab + 1));
    return LineResult::of(std::move(entry));
}

// IIS and other Windows servers: "01-05-20  12:34PM       <DIR>          name",
// "2002-09-02  19:06                9,730 name".
LineResult parseDos(QByteArrayView line, const Tokens &tokens)
{
    if (tokens.size() < 3)
        return LineResult::notMine();
    const QDate date = parseNumericDate(tokens[0].text, false);
    if (!date.isValid())
        return LineResult::notMine();
    QByteArrayView timeText = tokens[1].text;
    int next = 2;
    int meridiem = 0; // 1 AM, 2 PM
    auto meridiemOf = [](QByteArrayView text) {
        return equalsIgnoringCase(text, "AM") ? 1 : equalsIgnoringCase(text, "PM") ? 2 : 0;
    };
    if (timeText.size() > 2 && meridiemOf(timeText.last(2))) {
        meridiem = meridiemOf(timeText.last(2));
        timeText.chop(2);
    } else if (meridiemOf(tokens[2].text)) {
        meridiem = meridiemOf(tokens[2].text);
        next = 3;
    }
    auto clock = parseClock(timeText);
    if (!clock || clock->nextDay || next >= tokens.size())
        return LineResult::notMine();
    if (meridiem) {
        const int hour = clock->time.hour();
        if (hour < 1 || hour > 12)
            return LineResult::notMine();
        const int hour24 = (hour % 12) + (meridiem == 2 ? 12 : 0);
        clock->time = QTime(hour24, clock->time.minute(), clock->time.second());
    }

    RemoteEntry entry;
    entry.modified = utcDateTime(date, *clock);
    entry.modifiedHasTime = true;
    const Token &kind = tokens[next];
    qsizetype nameStart = kind.end;
    if (equalsIgnoringCase(kind.text, "<DIR>")) {
        // IIS pads "<DIR>" with ten blanks; more belong to the name.
        entry.type = RemoteEntry::Type::Directory;
        for (int skip = 10; skip > 0 && nameStart < line.size() && isBlank(line[nameStart]); --skip)
            ++nameStart;
    } else if (const auto size = parseGroupedNumber(kind.text)) {
        entry.type = RemoteEntry::Type::File;
        entry.size = *size;
        ++nameStart; // right-aligned sizes, then one blank
    } else if (isSizeLike(kind.text)) {
        return tooLarge(kind.text);
    } else {
        return LineResult::broken(QStringLiteral(
            "looks like a DOS listing line, but has neither <DIR> nor a size after the time"));
    }
    if (nameStart >= line.size())
        return LineResult::broken(QStringLiteral("DOS listing line without a name"));
    setName(entry, line.sliced(nameStart));
    return LineResult::of(std::move(entry));
}

// "0100644   500  101   12345    123456789       name": st_mode in octal, uid, gid, size,
// mtime in seconds.
LineResult parseNumericUnix(QByteArrayView line, const Tokens &tokens)
{
    if (tokens.size() < 6 || tokens[0].text.size() < 6)
        return LineResult::notMine();
    for (int k = 0; k < 5; ++k) {
        if (!allDigits(tokens[k].text))
            return LineResult::notMine();
    }
    const int mode = parseOctal(tokens[0].text);
    if (mode < 0)
        return LineResult::notMine();
    RemoteEntry entry;
    switch (mode & 0170000) {
    case 0040000:
        entry.type = RemoteEntry::Type::Directory;
        break;
    case 0100000:
        entry.type = RemoteEntry::Type::File;
        break;
    case 0120000:
        entry.type = RemoteEntry::Type::Symlink;
        break;
    default:
        entry.type = RemoteEntry::Type::Other;
        break;
    }
    entry.unixMode = mode & 07777;
    entry.permissions = decodeText(tokens[0].text);
    entry.owner = decodeText(tokens[1].text);
    entry.group = decodeText(tokens[2].text);
    const auto size = parseUnsigned(tokens[3].text);
    if (!size)
        return tooLarge(tokens[3].text);
    entry.size = *size;
    entry.modified = fromEpochSeconds(tokens[4].text);
    entry.modifiedHasTime = entry.modified.isValid();
    setName(entry, restAfterBlanks(line, tokens[4].end));
    return LineResult::of(std::move(entry));
}

bool isUpperWord(QByteArrayView text)
{
    return !text.isEmpty() && text.size() <= 4 &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// OS/2: " 1123 DIR  A    10-05-100  23:38  name" (a size, attributes, a date whose year may
// count from 1900, a time).
LineResult parseOs2(QByteArrayView line, const Tokens &tokens)
{
    if (tokens.size() < 4 || !allDigits(tokens[0].text))
        return LineResult::notMine();
    int k = 1;
    bool directory = false;
    while (k < tokens.size() && k <= 3 && isUpperWord(tokens[k].text)) {
        directory = directory || tokens[k].text == "DIR";
        ++k;
    }
    if (k + 2 >= tokens.size() || !tokens[k].text.contains('-'))
        return LineResult::notMine();
    const QDate date = parseNumericDate(tokens[k].text, false);
    const auto clock = parseClock(tokens[k + 1].text);
    if (!date.isValid() || !clock)
        return LineResult::notMine();
    const auto size = parseUnsigned(tokens[0].text);
    if (!size)
        return tooLarge(tokens[0].text);
    RemoteEntry entry;
    entry.type = directory ? RemoteEntry::Type::Directory : RemoteEntry::Type::File;
    entry.size = *size;
    entry.modified = utcDateTime(date, *clock);
    setName(entry, restAfterBlanks(line, tokens[k + 1].end));
    return LineResult::of(std::move(entry));
}

// IBM AS/400 (IBM i): "QSYS  77824 02/23/00 15:09:55 *DIR  name/".
LineResult parseAs400(QByteArrayView line, const Tokens &tokens)
{
    if (tokens.size() < 6 || !allDigits(tokens[1].text) || !tokens[4].text.startsWith('*'))
        return LineResult::notMine();
    const QByteArrayView dateText = tokens[2].text;
    const QDate date = parseNumericDate(dateText, dateText.contains('.'));
    const auto clock = parseClock(tokens[3].text);
    if (!date.isValid() || !clock)
        return LineResult::notMine();
    const auto size = parseUnsigned(tokens[1].text);
    if (!size)
        return tooLarge(tokens[1].text);
    RemoteEntry entry;
    entry.owner = decodeText(tokens[0].text);
    entry.size = *size;
    entry.modified = utcDateTime(date, *clock);
    const QByteArrayView kind = tokens[4].text;
    const bool directoryKind =
        kind == "*DIR" || kind == "*DDIR" || kind == "*LIB" || kind == "*FLR";
    QByteArrayView name = restAfterBlanks(line, tokens[4].end);
    if (name.endsWith('/')) {
        name.chop(1);
        entry.type = RemoteEntry::Type::Directory;
    } else {
        entry.type = directoryKind ? RemoteEntry::Type::Directory : RemoteEntry::Type::File;
    }
    setName(entry, name);
    return LineResult::of(std::move(entry));
}

// Old VShell: "206876  Apr 04, 2000 21:06 name", directories with a trailing '/'.
LineResult parseVShell(QByteArrayView line, const Tokens &tokens, const QDateTime &now)
{
    if (tokens.size() < 5 || !allDigits(tokens[0].text))
        return LineResult::notMine();
    const auto date = matchUnixDate(tokens, 1, now, false);
    if (!date || date->tokenCount < 3 || 1 + date->tokenCount >= tokens.size())
        return LineResult::notMine();
    const auto size = parseUnsigned(tokens[0].text);
    if (!size)
        return tooLarge(tokens[0].text);
    RemoteEntry entry;
    entry.size = *size;
    entry.modified = date->when;
    entry.modifiedHasTime = date->hasTime;
    QByteArrayView name = restAfterBlanks(line, tokens[date->tokenCount].end);
    entry.type = RemoteEntry::Type::File;
    if (name.endsWith('/')) {
        name.chop(1);
        entry.type = RemoteEntry::Type::Directory;
    }
    setName(entry, name);
    return LineResult::of(std::move(entry));
}

bool isVmsName(QByteArrayView text)
{
    const qsizetype semicolon = text.lastIndexOf(';');
    const QByteArrayView version = text.sliced(semicolon + 1);
    return semicolon > 0 && version.size() <= 5 && allDigits(version);
}

// An owner without brackets: "PRONAS".
bool isVmsOwner(QByteArrayView text)
{
    return std::all_of(text.begin(), text.end(),
                       [](char c) {
                           return isDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                                  c == '_' || c == '$';
                       }) &&
           std::any_of(text.begin(), text.end(), [](char c) { return !isDigit(c); });
}

// VMS sizes count blocks of 512 bytes: "155", "2/8" (used/allocated); some servers say "2KB".
std::optional<qint64> vmsSize(QByteArrayView text, bool *overflow)
{
    if (const auto size = parseSizeWithUnit(text))
        return size;
    const qsizetype slash = text.indexOf('/');
    const QByteArrayView used = slash < 0 ? text : text.first(slash);
    if (!allDigits(used) || (slash >= 0 && !allDigits(text.sliced(slash + 1))))
        return std::nullopt;
    const auto blocks = parseUnsigned(used);
    if (!blocks || *blocks > std::numeric_limits<qint64>::max() / 512) {
        *overflow = true;
        return std::nullopt;
    }
    return *blocks * 512;
}

// "NAME.EXT;1  155  2-JUL-2003 10:30:13.64  [GROUP,OWNER]  (RWED,RWED,RE,)", fields after the
// name in any order, owner and protection optional.
LineResult parseVms(QByteArrayView, const Tokens &tokens)
{
    if (tokens.size() < 3 || tokens[0].begin != 0 || !isVmsName(tokens[0].text))
        return LineResult::notMine();
    RemoteEntry entry;
    QDate date;
    std::optional<ClockTime> clock;
    bool haveSize = false;
    for (int k = 1; k < tokens.size(); ++k) {
        const QByteArrayView text = tokens[k].text;
        bool overflow = false;
        if (text.size() >= 2 && text.startsWith('(') && text.endsWith(')')) {
            entry.permissions = decodeText(text.sliced(1, text.size() - 2));
        } else if (text.size() >= 2 && text.startsWith('[') && text.endsWith(']')) {
            entry.owner = decodeText(text.sliced(1, text.size() - 2));
        } else if (const QDate day = date.isValid() ? QDate() : parseDayMonthNameYear(text);
                   day.isValid()) {
            date = day;
        } else if (date.isValid() && !clock && parseClock(text)) {
            clock = parseClock(text); // the time follows the date
        } else if (const auto size =
                       haveSize ? std::optional<qint64>() : vmsSize(text, &overflow)) {
            entry.size = *size;
            haveSize = true;
        } else if (overflow) {
            return tooLarge(text);
        } else if (entry.owner.isEmpty() && isVmsOwner(text)) {
            entry.owner = decodeText(text);
        } else {
            return LineResult::broken(
                QStringLiteral("VMS listing line with a field Wharf does not know: \"%1\"")
                    .arg(printable(text)));
        }
    }
    if (!date.isValid() || !haveSize)
        return LineResult::broken(QStringLiteral("VMS listing line without a size and a date"));
    entry.modified = clock ? utcDateTime(date, *clock) : QDateTime(date, QTime(0, 0), Qt::UTC);
    entry.modifiedHasTime = clock.has_value();
    QByteArrayView name = tokens[0].text;
    const QByteArrayView stem = name.first(name.lastIndexOf(';'));
    if (stem.size() > 4 && equalsIgnoringCase(stem.last(4), ".DIR")) {
        entry.type = RemoteEntry::Type::Directory;
        name = stem.chopped(4);
    } else {
        entry.type = RemoteEntry::Type::File;
    }
    setName(entry, name);
    return LineResult::of(std::move(entry));
}

} // namespace

bool isVmsNameOnly(QByteArrayView line)
{
    const Tokens tokens = tokenize(line);
    return tokens.size() == 1 && tokens[0].begin == 0 && isVmsName(tokens[0].text);
}

LineResult parseOtherList(QByteArrayView line, const QDateTime &now)
{
    if (line.startsWith('+'))
        return parseEplf(line);
    const Tokens tokens = tokenize(line);
    if (tokens.isEmpty())
        return LineResult::skip();
    // VMS frames its listing with "Directory DISK:[DIR]" and "Total of 3 files, 9/12 blocks."
    if ((tokens.size() == 2 && equalsIgnoringCase(tokens[0].text, "Directory") &&
         tokens[1].text.endsWith(']')) ||
        (tokens.size() > 2 && equalsIgnoringCase(tokens[0].text, "Total") &&
         tokens[1].text == "of"))
        return LineResult::skip();
    LineResult firstBroken;
    for (auto parse : {parseDos, parseNumericUnix, parseOs2, parseAs400, parseVms}) {
        LineResult result = parse(line, tokens);
        if (result.kind == LineKind::Entry)
            return result;
        if (result.kind == LineKind::Broken && firstBroken.kind == LineKind::NotMine)
            firstBroken = std::move(result);
    }
    LineResult vshell = parseVShell(line, tokens, now);
    if (vshell.kind == LineKind::Entry)
        return vshell;
    return firstBroken.kind == LineKind::Broken ? firstBroken : vshell;
}

} // namespace wharf::ftp::detail
