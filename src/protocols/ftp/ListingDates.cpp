// Dates as FTP listings print them: month names in many languages, years left out, two-digit
// years, and the dozen orders in which Unix-like servers put day, month, year and time.

#include "protocols/ftp/ListingParserDetail.h"

#include <QHash>

namespace wharf::ftp::detail {

namespace {

struct MonthName
{
    const char16_t *name;
    int month;
};

// Lower case, without trailing dots. English first; then the abbreviations `ls` prints in
// other locales, and a few that FileZilla met on real servers (VMS's French "JUI").
constexpr MonthName kMonthNames[] = {
    {u"jan", 1},        {u"january", 1},    {u"januar", 1},    {u"janv", 1},
    {u"janvier", 1},    {u"ene", 1},        {u"enero", 1},     {u"gen", 1},
    {u"gennaio", 1},    {u"janeiro", 1},    {u"januari", 1},   {u"янв", 1},
    {u"января", 1},     {u"январь", 1},     {u"feb", 2},       {u"february", 2},
    {u"februar", 2},    {u"févr", 2},       {u"fév", 2},       {u"fevr", 2},
    {u"fev", 2},        {u"février", 2},    {u"febrero", 2},   {u"febbraio", 2},
    {u"fevereiro", 2},  {u"febr", 2},       {u"фев", 2},       {u"февр", 2},
    {u"февраля", 2},    {u"mar", 3},        {u"march", 3},     {u"mär", 3},
    {u"mrz", 3},        {u"märz", 3},       {u"mars", 3},      {u"marzo", 3},
    {u"março", 3},      {u"mrt", 3},        {u"maart", 3},     {u"márc", 3},
    {u"мар", 3},        {u"марта", 3},      {u"apr", 4},       {u"april", 4},
    {u"avr", 4},        {u"avril", 4},      {u"abr", 4},       {u"abril", 4},
    {u"aprile", 4},     {u"ápr", 4},        {u"апр", 4},       {u"апреля", 4},
    {u"may", 5},        {u"mai", 5},        {u"mayo", 5},      {u"mag", 5},
    {u"maggio", 5},     {u"maio", 5},       {u"mei", 5},       {u"máj", 5},
    {u"мая", 5},        {u"май", 5},        {u"jun", 6},       {u"june", 6},
    {u"juni", 6},       {u"juin", 6},       {u"junio", 6},     {u"giu", 6},
    {u"giugno", 6},     {u"junho", 6},      {u"jún", 6},       {u"июн", 6},
    {u"июня", 6},       {u"jul", 7},        {u"july", 7},      {u"juli", 7},
    {u"juil", 7},       {u"juillet", 7},    {u"jui", 7},       {u"julio", 7},
    {u"lug", 7},        {u"luglio", 7},     {u"julho", 7},     {u"júl", 7},
    {u"июл", 7},        {u"июля", 7},       {u"aug", 8},       {u"august", 8},
    {u"août", 8},       {u"aout", 8},       {u"ago", 8},       {u"agosto", 8},
    {u"авг", 8},        {u"августа", 8},    {u"sep", 9},       {u"sept", 9},
    {u"september", 9},  {u"septembre", 9},  {u"set", 9},       {u"settembre", 9},
    {u"septiembre", 9}, {u"setembro", 9},   {u"szept", 9},     {u"сен", 9},
    {u"сент", 9},       {u"сентября", 9},   {u"oct", 10},      {u"october", 10},
    {u"okt", 10},       {u"oktober", 10},   {u"octobre", 10},  {u"octubre", 10},
    {u"ott", 10},       {u"ottobre", 10},   {u"out", 10},      {u"outubro", 10},
    {u"окт", 10},       {u"октября", 10},   {u"nov", 11},      {u"november", 11},
    {u"novembre", 11},  {u"noviembre", 11}, {u"novembro", 11}, {u"ноя", 11},
    {u"нояб", 11},      {u"ноября", 11},    {u"dec", 12},      {u"december", 12},
    {u"dez", 12},       {u"dezember", 12},  {u"déc", 12},      {u"décembre", 12},
    {u"dic", 12},       {u"diciembre", 12}, {u"dicembre", 12}, {u"dezembro", 12},
    {u"дек", 12},       {u"декабря", 12},
};

const QHash<QString, int> &monthTable()
{
    static const QHash<QString, int> table = [] {
        QHash<QString, int> names;
        for (const MonthName &entry : kMonthNames)
            names.insert(QString::fromUtf16(entry.name), entry.month);
        return names;
    }();
    return table;
}

bool isHighByte(char c)
{
    return static_cast<unsigned char>(c) >= 0x80;
}

// "5", "05", "26.", "08," or a CJK "18日": the day of a month, 0 when not one. `plain` says
// whether it was digits alone, as `ls` prints it in the C locale.
int dayValue(QByteArrayView text, bool *plain)
{
    qsizetype digits = 0;
    while (digits < text.size() && digits < 3 && isDigit(text[digits]))
        ++digits;
    if (digits == 0 || digits > 2)
        return 0;
    const QByteArrayView suffix = text.sliced(digits);
    if (!suffix.isEmpty() && suffix != "." && suffix != "," && !isHighByte(suffix[0]))
        return 0;
    const int day = int(parseUnsigned(text.first(digits)).value_or(0));
    *plain = suffix.isEmpty();
    return day >= 1 && day <= 31 ? day : 0;
}

// A four-digit year, possibly followed by ',' or '.' or a CJK "年"; 0 when not one.
int yearValue(QByteArrayView text, bool *plain)
{
    if (text.size() < 4 || !allDigits(text.first(4)))
        return 0;
    const QByteArrayView suffix = text.sliced(4);
    if (!suffix.isEmpty() && suffix != "," && suffix != "." && !isHighByte(suffix[0]))
        return 0;
    *plain = suffix.isEmpty();
    const int year = int(parseUnsigned(text.first(4)).value_or(0));
    return year >= 1000 ? year : 0;
}

// "8月", "4\x8c\x8e": a number with a non-ASCII unit after it (CJK locales); 0 otherwise.
int numberWithHighSuffix(QByteArrayView text)
{
    qsizetype digits = 0;
    while (digits < text.size() && digits < 5 && isDigit(text[digits]))
        ++digits;
    if (digits == 0 || digits > 4 || digits == text.size() || !isHighByte(text[digits]))
        return 0;
    return int(parseUnsigned(text.first(digits)).value_or(0));
}

bool endsWithComma(QByteArrayView text)
{
    return !text.isEmpty() && text.back() == ',';
}

DateMatch dayMatch(QDate date, int tokenCount, int separator)
{
    return {QDateTime(date, QTime(0, 0), Qt::UTC), false, tokenCount, separator};
}

std::optional<DateMatch> timeMatch(QDate date, const ClockTime &clock, int tokenCount,
                                   int separator)
{
    const QDateTime when = utcDateTime(date, clock);
    if (!when.isValid())
        return std::nullopt;
    return DateMatch{when, true, tokenCount, separator};
}

// Month and day known; the third token is a time (year inferred) or a year.
std::optional<DateMatch> yearOrTime(int month, int day, QByteArrayView third, bool plain,
                                    const QDateTime &now, int tokenCount = 3)
{
    if (const auto clock = parseClock(third)) {
        const QDate date = inferYear(month, day, *clock, now);
        if (!date.isValid())
            return std::nullopt;
        return timeMatch(date, *clock, tokenCount, plain ? 1 : -1);
    }
    bool yearPlain = false;
    if (const int year = yearValue(third, &yearPlain)) {
        const QDate date(year, month, day);
        if (!date.isValid())
            return std::nullopt;
        return dayMatch(date, tokenCount, plain && yearPlain ? 1 : -1);
    }
    return std::nullopt;
}

// A date token followed by an optional time token.
std::optional<DateMatch> withOptionalTime(QDate date, QByteArrayView next, int separator)
{
    if (!date.isValid())
        return std::nullopt;
    if (const auto clock = parseClock(next))
        return timeMatch(date, *clock, 2, separator);
    return dayMatch(date, 1, separator);
}

// "+0100" or "-0530".
std::optional<int> zoneOffsetSeconds(QByteArrayView text)
{
    if (text.size() != 5 || (text[0] != '+' && text[0] != '-') || !allDigits(text.sliced(1)))
        return std::nullopt;
    const int hours = (text[1] - '0') * 10 + (text[2] - '0');
    const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
    if (hours > 14 || minutes > 59)
        return std::nullopt;
    const int seconds = hours * 3600 + minutes * 60;
    return text[0] == '-' ? -seconds : seconds;
}

bool isIsoDate(QByteArrayView text)
{
    return text.size() == 10 && allDigits(text.first(4)) && text[4] == '-' &&
           allDigits(text.sliced(5, 2)) && text[7] == '-' && allDigits(text.sliced(8, 2));
}

// `ls --time-style=long-iso` and full-iso: "2020-01-05 12:34", "2020-01-05 12:34:56.1 +0100",
// and iso's time-less "2019-01-05" (padded with a second blank).
std::optional<DateMatch> isoDate(QByteArrayView t0, QByteArrayView t1, QByteArrayView t2)
{
    const QDate date = parseNumericDate(t0, false);
    if (!date.isValid())
        return std::nullopt;
    const auto clock = parseClock(t1);
    if (!clock)
        return dayMatch(date, 1, 2);
    auto match = timeMatch(date, *clock, 2, 1);
    if (match && clock->hasSeconds) {
        if (const auto offset = zoneOffsetSeconds(t2)) {
            match->when = match->when.addSecs(-*offset);
            match->tokenCount = 3;
        }
    }
    return match;
}

} // namespace

QDate parseDayMonthNameYear(QByteArrayView text)
{
    const qsizetype first = text.indexOf('-');
    const qsizetype second = first < 0 ? -1 : text.indexOf('-', first + 1);
    if (first < 1 || second < 0)
        return {};
    bool plain = false;
    const int day = dayValue(text.first(first), &plain);
    const int month = monthFromName(text.sliced(first + 1, second - first - 1));
    const QByteArrayView yearText = text.sliced(second + 1);
    if (!day || !month || yearText.size() < 2 || yearText.size() > 4 || !allDigits(yearText))
        return {};
    return QDate(expandYear(int(parseUnsigned(yearText).value_or(0))), month, day);
}

int monthFromName(QByteArrayView token)
{
    while (!token.isEmpty() && (token.back() == '.' || token.back() == ','))
        token.chop(1);
    if (token.size() < 3 || token.size() > 20)
        return 0;
    const char c = token[0];
    if (!isHighByte(c) && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
        return 0;
    return monthTable().value(decodeText(token).toLower(), 0);
}

std::optional<ClockTime> parseClock(QByteArrayView text)
{
    const qsizetype colon = text.indexOf(':');
    if (colon < 1 || colon > 2 || text.size() < colon + 3)
        return std::nullopt;
    const QByteArrayView hourText = text.first(colon);
    const QByteArrayView minuteText = text.sliced(colon + 1, 2);
    if (!allDigits(hourText) || !allDigits(minuteText))
        return std::nullopt;
    const int hour = int(parseUnsigned(hourText).value_or(99));
    const int minute = int(parseUnsigned(minuteText).value_or(99));
    int second = 0;
    int msec = 0;
    QByteArrayView rest = text.sliced(colon + 3);
    const bool hasSeconds = !rest.isEmpty();
    if (hasSeconds) {
        if (rest.size() < 3 || rest[0] != ':' || !allDigits(rest.sliced(1, 2)))
            return std::nullopt;
        second = (rest[1] - '0') * 10 + (rest[2] - '0');
        rest = rest.sliced(3);
        if (!rest.isEmpty()) {
            const QByteArrayView fraction = rest.sliced(1);
            if (rest[0] != '.' || fraction.isEmpty() || fraction.size() > 9 || !allDigits(fraction))
                return std::nullopt;
            const QByteArray padded = (fraction.first(qMin<qsizetype>(3, fraction.size())))
                                          .toByteArray()
                                          .leftJustified(3, '0');
            msec = int(parseUnsigned(padded).value_or(0));
        }
    }
    if (hour == 24 && minute == 0 && second == 0 && msec == 0)
        return ClockTime{QTime(0, 0), true, hasSeconds};
    if (second == 60) // a leap second, as some servers print it
        second = 59;
    const QTime time(hour, minute, second, msec);
    if (!time.isValid())
        return std::nullopt;
    return ClockTime{time, false, hasSeconds};
}

int expandYear(int year)
{
    if (year < 70)
        return 2000 + year;
    if (year < 200)
        return 1900 + year;
    return year;
}

QDateTime utcDateTime(QDate date, const ClockTime &clock)
{
    if (!date.isValid() || !clock.time.isValid())
        return {};
    QDateTime when(date, clock.time, Qt::UTC);
    return clock.nextDay ? when.addDays(1) : when;
}

QDate inferYear(int month, int day, const ClockTime &clock, const QDateTime &now)
{
    const QDateTime limit = now.toUTC().addDays(1);
    const int thisYear = limit.date().year();
    // Eight years back always holds a 29 February.
    for (int year = thisYear; year >= thisYear - 8; --year) {
        const QDate date(year, month, day);
        if (date.isValid() && utcDateTime(date, clock) <= limit)
            return date;
    }
    return {};
}

QDateTime parseMlsdTime(QByteArrayView text)
{
    if (text.size() < 14 || !allDigits(text.first(14)))
        return {};
    auto number = [&](qsizetype from, qsizetype length) {
        return int(parseUnsigned(text.sliced(from, length)).value_or(-1));
    };
    const QDate date(number(0, 4), number(4, 2), number(6, 2));
    QByteArray clockText = text.sliced(8, 2).toByteArray();
    clockText += ':';
    clockText += text.sliced(10, 2);
    clockText += ':';
    clockText += text.sliced(12);
    const auto parsed = parseClock(clockText);
    if (!parsed)
        return {};
    return utcDateTime(date, *parsed);
}

QDateTime fromEpochSeconds(QByteArrayView digits)
{
    const auto seconds = parseUnsigned(digits);
    // 9999-12-31T23:59:59Z: beyond it QDateTime has no use for the number.
    if (!seconds || *seconds > 253402300799LL)
        return {};
    return QDateTime::fromSecsSinceEpoch(*seconds, Qt::UTC);
}

QDate parseNumericDate(QByteArrayView text, bool dayFirst)
{
    qsizetype firstSep = 0;
    while (firstSep < text.size() && isDigit(text[firstSep]))
        ++firstSep;
    if (firstSep == 0 || firstSep >= text.size())
        return {};
    const char sep = text[firstSep];
    if (sep != '-' && sep != '/' && sep != '.')
        return {};
    const qsizetype secondSep = text.indexOf(sep, firstSep + 1);
    if (secondSep < 0)
        return {};
    const QByteArrayView a = text.first(firstSep);
    const QByteArrayView b = text.sliced(firstSep + 1, secondSep - firstSep - 1);
    const QByteArrayView c = text.sliced(secondSep + 1);
    if (b.isEmpty() || b.size() > 2 || !allDigits(b) || c.isEmpty() || c.size() > 4 ||
        !allDigits(c) || a.size() > 4)
        return {};
    const int na = int(parseUnsigned(a).value_or(0));
    const int nb = int(parseUnsigned(b).value_or(0));
    const int nc = int(parseUnsigned(c).value_or(0));
    if (a.size() == 4)
        return c.size() <= 2 ? QDate(na, nb, nc) : QDate();
    if (c.size() == 1)
        return {};
    const int year = expandYear(nc);
    if (na > 12 || (dayFirst && nb <= 12))
        return QDate(year, nb, na);
    return QDate(year, na, nb);
}

std::optional<DateMatch> matchUnixDate(const Tokens &tokens, int at, const QDateTime &now,
                                       bool weak)
{
    auto token = [&](int k) {
        return at + k < tokens.size() ? tokens[at + k].text : QByteArrayView();
    };
    const QByteArrayView t0 = token(0), t1 = token(1), t2 = token(2), t3 = token(3);
    bool plainDay = false;
    bool plainYear = false;

    if (weak) {
        // "3 29 03:26": numeric month, day, time or year.
        if (t0.size() > 2 || !allDigits(t0) || t1.size() > 2 || !allDigits(t1))
            return std::nullopt;
        const int month = int(parseUnsigned(t0).value_or(0));
        const int day = int(parseUnsigned(t1).value_or(0));
        if (month < 1 || month > 12 || day < 1 || day > 31)
            return std::nullopt;
        if (const auto clock = parseClock(t2)) {
            const QDate date = inferYear(month, day, *clock, now);
            return date.isValid() ? timeMatch(date, *clock, 3, 1) : std::nullopt;
        }
        const int year = yearValue(t2, &plainYear);
        if (!plainYear || year < 1970 || year > 2999)
            return std::nullopt;
        return QDate(year, month, day).isValid()
                   ? std::optional(dayMatch(QDate(year, month, day), 3, 1))
                   : std::nullopt;
    }

    // "Jan 5 12:34", "Jan  5  2019", "Oct 08, 2002 09:47" (VShell), "szept 26 20:10".
    if (const int month = monthFromName(t0)) {
        const int day = dayValue(t1, &plainDay);
        if (!day)
            return std::nullopt;
        const bool plain = plainDay && t0.back() != '.' && t0.back() != ',';
        if (endsWithComma(t1) && yearValue(t2, &plainYear)) {
            if (const auto clock = parseClock(t3))
                return timeMatch(QDate(yearValue(t2, &plainYear), month, day), *clock, 4, -1);
        }
        return yearOrTime(month, day, t2, plain, now);
    }
    // "29 Jul 02:27", "01 oct 2004", "26. Juli, 20:10", "2.   Okt.  2003".
    if (const int day = dayValue(t0, &plainDay)) {
        if (const int month = monthFromName(t1)) {
            const bool plain = plainDay && t1.back() != '.' && t1.back() != ',';
            return yearOrTime(month, day, t2, plain, now);
        }
    }
    if (isIsoDate(t0))
        return isoDate(t0, t1, t2);
    // `ls --time-style=iso` for recent files, and old servers: "09-26 13:45", "09-26 2000".
    if (t0.size() == 5 && allDigits(t0.first(2)) && t0[2] == '-' && allDigits(t0.sliced(3))) {
        const int month = int(parseUnsigned(t0.first(2)).value_or(0));
        const int day = int(parseUnsigned(t0.sliced(3)).value_or(0));
        if (month >= 1 && month <= 12 && day >= 1 && day <= 31)
            return yearOrTime(month, day, t1, true, now, 2);
        return std::nullopt;
    }
    // "1999/10/12 17:12", "24-04-2003 17:12", "2004.07.15".
    if (t0.size() >= 6 && isDigit(t0[0]) && isDigit(t0.back())) {
        const bool slashes = t0.contains('/');
        if (const QDate date = parseNumericDate(t0, !slashes); date.isValid())
            return withOptionalTime(date, t1, -1);
        if (const QDate date = parseDayMonthNameYear(t0); date.isValid())
            return withOptionalTime(date, t1, -1);
    }
    // CJK locales: "8月 17 08:52", "4月 18日 2003年".
    if (const int month = numberWithHighSuffix(t0); month >= 1 && month <= 12) {
        const int day = dayValue(t1, &plainDay);
        if (!day)
            return std::nullopt;
        return yearOrTime(month, day, t2, plainDay, now);
    }
    // Year first: "2005년 1월 6일", "2003 3月 20".
    if (const int year = yearValue(t0, &plainYear)) {
        const int month = numberWithHighSuffix(t1);
        const int day = dayValue(t2, &plainDay);
        if (month < 1 || month > 12 || !day)
            return std::nullopt;
        const QDate date(year, month, day);
        if (!date.isValid())
            return std::nullopt;
        if (const auto clock = parseClock(t3))
            return timeMatch(date, *clock, 4, -1);
        return dayMatch(date, 3, -1);
    }
    return std::nullopt;
}

} // namespace wharf::ftp::detail
