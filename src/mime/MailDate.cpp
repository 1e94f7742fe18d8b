#include "mime/MailDate.h"

#include <QByteArrayList>
#include <QTimeZone>

namespace wharf::mime {

namespace {

// Removes (comments), nesting included, and turns commas into spaces.
QByteArray withoutComments(QByteArrayView text)
{
    QByteArray out;
    int depth = 0;
    for (const char c : text) {
        if (c == '(')
            ++depth;
        else if (c == ')' && depth > 0)
            --depth;
        else if (depth == 0)
            out.append(c == ',' ? ' ' : c);
    }
    return out;
}

int monthNumber(const QByteArray &word)
{
    static constexpr const char *months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                             "jul", "aug", "sep", "oct", "nov", "dec"};
    const QByteArray prefix = word.left(3).toLower();
    for (int i = 0; i < 12; ++i) {
        if (prefix == months[i])
            return i + 1;
    }
    return 0;
}

// Minutes east of UTC for a zone word, or nothing when the word is not a zone.
std::optional<int> zoneOffset(const QByteArray &word)
{
    if ((word.startsWith('+') || word.startsWith('-')) && word.size() == 5) {
        bool ok = false;
        const int value = word.mid(1).toInt(&ok);
        if (!ok || value % 100 >= 60)
            return std::nullopt;
        const int minutes = (value / 100) * 60 + value % 100;
        return word.startsWith('-') ? -minutes : minutes;
    }
    static const struct
    {
        const char *name;
        int hours;
    } named[] = {{"ut", 0},   {"utc", 0},  {"gmt", 0},  {"z", 0},    {"est", -5}, {"edt", -4},
                 {"cst", -6}, {"cdt", -5}, {"mst", -7}, {"mdt", -6}, {"pst", -8}, {"pdt", -7}};
    const QByteArray lower = word.toLower();
    for (const auto &zone : named) {
        if (lower == zone.name)
            return zone.hours * 60;
    }
    if (lower.size() == 1 && lower.at(0) >= 'a' && lower.at(0) <= 'z' && lower != "j")
        return 0;
    return std::nullopt;
}

bool isNumber(const QByteArray &word)
{
    if (word.isEmpty() || word.size() > 4)
        return false;
    for (const char c : word) {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

} // namespace

std::optional<QDateTime> parseMailDate(QByteArrayView text)
{
    const QByteArrayList words = withoutComments(text).simplified().split(' ');
    int month = 0;
    QList<int> numbers;
    QByteArray clock;
    int offsetMinutes = 0;
    for (const QByteArray &word : words) {
        if (word.isEmpty())
            continue;
        if (word.contains(':')) {
            if (!clock.isEmpty())
                return std::nullopt;
            clock = word;
        } else if (isNumber(word)) {
            numbers.append(word.toInt());
        } else if (const int m = monthNumber(word); m > 0 && month == 0 && word.size() >= 3) {
            month = m;
        } else if (const auto zone = zoneOffset(word); zone && !clock.isEmpty()) {
            offsetMinutes = *zone;
        }
        // Anything else (a day name, junk) carries no information.
    }
    if (month == 0 || numbers.size() != 2 || clock.isEmpty())
        return std::nullopt;
    const int day = numbers.at(0);
    int year = numbers.at(1);
    if (year < 50)
        year += 2000;
    else if (year < 1000)
        year += 1900;

    const QByteArrayList parts = clock.split(':');
    if (parts.size() < 2 || parts.size() > 3)
        return std::nullopt;
    bool okHour = false;
    bool okMinute = false;
    bool okSecond = true;
    const int hour = parts.at(0).toInt(&okHour);
    const int minute = parts.at(1).toInt(&okMinute);
    const int second = parts.size() == 3 ? parts.at(2).toInt(&okSecond) : 0;
    const QDate date(year, month, day);
    // 60 is a leap second; Qt has none, so it becomes the last second of the minute.
    const QTime time(hour, minute, std::min(second, 59));
    if (!okHour || !okMinute || !okSecond || !date.isValid() || !time.isValid())
        return std::nullopt;
    const QDateTime local(date, time, QTimeZone(offsetMinutes * 60));
    return local.toUTC();
}

} // namespace wharf::mime
