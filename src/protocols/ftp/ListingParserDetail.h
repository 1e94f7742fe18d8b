#pragma once

// Internals of the listing parsers, shared by ListingParser*.cpp, ListingDates.cpp and
// ListingBytes.cpp; not part of the library's API.

#include "protocols/ftp/RemoteEntry.h"

#include <QByteArrayView>
#include <QVarLengthArray>

#include <optional>

namespace wharf::ftp::detail {

// What one line turned out to be.
enum class LineKind
{
    Entry,   // `entry` holds it
    Skip,    // not an entry and not a problem ("total 12", cdir/pdir)
    NotMine, // this parser does not recognise the line; another may
    Broken,  // recognised but not usable; `reason` says why
};

struct LineResult
{
    LineKind kind = LineKind::NotMine;
    RemoteEntry entry;
    QString reason;

    static LineResult notMine() { return {}; }
    static LineResult skip() { return {LineKind::Skip, {}, {}}; }
    static LineResult broken(const QString &why) { return {LineKind::Broken, {}, why}; }
    static LineResult of(RemoteEntry entry) { return {LineKind::Entry, std::move(entry), {}}; }
};

inline bool isBlank(char c)
{
    return c == ' ' || c == '\t';
}
inline bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}
bool allDigits(QByteArrayView text);
// ASCII letters compared without case; other bytes exactly.
bool equalsIgnoringCase(QByteArrayView a, QByteArrayView b);

// A run of non-blank bytes and where it sits in the line.
struct Token
{
    qsizetype begin = 0;
    qsizetype end = 0; // one past the last byte
    QByteArrayView text;
};
using Tokens = QVarLengthArray<Token, 16>;
Tokens tokenize(QByteArrayView line);
// The line from `from` on, with leading blanks dropped.
QByteArrayView restAfterBlanks(QByteArrayView line, qsizetype from);

// UTF-8 when the bytes are valid UTF-8, else Latin-1 (every byte string is valid Latin-1).
QString decodeText(QByteArrayView bytes);
// For messages: decoded, control characters shown as \xNN, cut to a readable length.
QString printable(QByteArrayView bytes);
QString printable(const QString &text);
// An entry's name and wire name from the server's bytes.
void setName(RemoteEntry &entry, QByteArrayView bytes);

// Decimal digits only (at least one); nullopt on anything else or overflow.
std::optional<qint64> parseUnsigned(QByteArrayView digits);
// True when `text` is all digits but does not fit in qint64.
bool isOverflowingNumber(QByteArrayView text);
// "9,730" or "9.730" (groups of three) or plain digits.
std::optional<qint64> parseGroupedNumber(QByteArrayView text);
// "33.5k", "2KB", "1.5M": a number with a binary unit.
std::optional<qint64> parseSizeWithUnit(QByteArrayView text);
// Octal digits (at least one) up to 0177777; -1 otherwise.
int parseOctal(QByteArrayView text);
// rwxr-xr-x (nine characters, with s/S/t/T/l for the special bits) to a mode; -1 if malformed.
int modeFromPermissions(QByteArrayView nine);

// ---- dates (ListingDates.cpp) ----

// 1..12 for an English, German, French, Spanish, Italian, Portuguese, Dutch, Hungarian or
// Russian month name or abbreviation (any case, trailing '.' or ',' ignored); 0 otherwise.
int monthFromName(QByteArrayView token);
// "HH:MM", "HH:MM:SS" or "HH:MM:SS.fff"; "24:00" is the next day's midnight.
struct ClockTime
{
    QTime time;
    bool nextDay = false;
    bool hasSeconds = false;
};
std::optional<ClockTime> parseClock(QByteArrayView text);
// Two-digit years as IIS and `ls` mean them (70..99 the 1900s, the rest the 2000s), and the
// three-digit years of servers that print years since 1900 (103 is 2003).
int expandYear(int year);
// A UTC date-time from parts; invalid when the parts are.
QDateTime utcDateTime(QDate date, const ClockTime &clock);
// The newest date with this month and day that is not more than a day after `now`.
QDate inferYear(int month, int day, const ClockTime &clock, const QDateTime &now);
// "YYYYMMDDHHMMSS[.sss]" (MLSD) in UTC; invalid when malformed.
QDateTime parseMlsdTime(QByteArrayView text);
// Seconds since the epoch, for years 1..9999; invalid otherwise.
QDateTime fromEpochSeconds(QByteArrayView digits);
// A date made of three numbers split by '-', '/' or '.': "MM-DD-YY", "YYYY-MM-DD",
// "DD.MM.YYYY", "DD/MM/YY" when the first is above 12. `dayFirst` decides when both fit.
QDate parseNumericDate(QByteArrayView text, bool dayFirst);
// "01-jun-99", "7-JAN-2000" (VMS, some Unix servers).
QDate parseDayMonthNameYear(QByteArrayView text);

// A date (and maybe a time) starting at tokens[at], in one of the forms Unix-like servers
// print. `weak` allows the all-numeric "M D HH:MM" form, which is tried only when nothing
// else fits, as it can be mistaken for owner, group and size.
struct DateMatch
{
    QDateTime when;
    bool hasTime = false;
    int tokenCount = 0;
    // How many blanks separate the date from the name: `ls` forms put exactly one (or two after
    // a time-less ISO date), so a name's own leading blanks survive; other forms align with
    // any number, so all of them are dropped (-1).
    int separator = 1;
};
std::optional<DateMatch> matchUnixDate(const Tokens &tokens, int at, const QDateTime &now,
                                       bool weak);

// ---- line parsers ----
LineResult parseMlsd(QByteArrayView line);                            // ListingParser.cpp
LineResult parseUnix(QByteArrayView line, const QDateTime &now);      // ListingParserUnix.cpp
LineResult parseOtherList(QByteArrayView line, const QDateTime &now); // ListingParserOther.cpp
// Every LIST form in turn.
LineResult parseList(QByteArrayView line, const QDateTime &now);
// An NLST line: the name alone, "directory/" in front of it dropped (ListingParser.cpp).
LineResult parseNlst(QByteArrayView line, QByteArrayView directory);
// A line holding only a VMS file name ("NAME.EXT;1"), whose details follow on the next line.
bool isVmsNameOnly(QByteArrayView line);

} // namespace wharf::ftp::detail
