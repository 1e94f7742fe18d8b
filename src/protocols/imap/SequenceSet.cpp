#include "protocols/imap/SequenceSet.h"

#include <algorithm>

namespace wharf::imap {

namespace {

using Range = SequenceSet::Range;

constexpr quint64 kMaxNumber = 0xffffffffu;

// nz-number (RFC 3501): no leading zero, at most 2^32-1.
std::optional<quint32> parseNumber(QByteArrayView text, quint32 star)
{
    if (text.size() == 1 && text.front() == '*') {
        // "*" in an empty mailbox has nothing to stand for; servers never send it in
        // VANISHED, COPYUID or ESEARCH, where callers pass 0.
        if (star == 0)
            return std::nullopt;
        return star;
    }
    if (text.isEmpty() || text.size() > 10 || text.front() == '0')
        return std::nullopt;
    quint64 value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + quint64(c - '0');
    }
    if (value > kMaxNumber)
        return std::nullopt;
    return quint32(value);
}

} // namespace

SequenceSet SequenceSet::fromList(QList<quint32> numbers)
{
    std::sort(numbers.begin(), numbers.end());
    SequenceSet set;
    for (const quint32 number : std::as_const(numbers))
        set.add(number);
    return set;
}

SequenceSet SequenceSet::range(quint32 first, quint32 last)
{
    SequenceSet set;
    set.addRange(first, last);
    return set;
}

std::optional<SequenceSet> SequenceSet::parse(QByteArrayView text, quint32 star)
{
    if (text.isEmpty())
        return std::nullopt;
    QList<Range> ranges;
    qsizetype start = 0;
    while (start <= text.size()) {
        qsizetype end = text.indexOf(',', start);
        if (end < 0)
            end = text.size();
        const QByteArrayView element = text.sliced(start, end - start);
        const qsizetype colon = element.indexOf(':');
        std::optional<quint32> first;
        std::optional<quint32> last;
        if (colon < 0) {
            first = last = parseNumber(element, star);
        } else {
            first = parseNumber(element.first(colon), star);
            last = parseNumber(element.sliced(colon + 1), star);
        }
        if (!first || !last)
            return std::nullopt;
        ranges.append({std::min(*first, *last), std::max(*first, *last)});
        start = end + 1;
    }
    // Servers send ascending sets; sorting first keeps a scrambled one O(n log n) too.
    if (!std::is_sorted(ranges.cbegin(), ranges.cend(),
                        [](const Range &a, const Range &b) { return a.first < b.first; })) {
        std::sort(ranges.begin(), ranges.end(),
                  [](const Range &a, const Range &b) { return a.first < b.first; });
    }
    SequenceSet set;
    set.m_ranges.reserve(ranges.size());
    for (const Range &r : std::as_const(ranges))
        set.addRange(r.first, r.last);
    return set;
}

void SequenceSet::add(quint32 number)
{
    // Fast path for numbers arriving in ascending order (UIDs from a FETCH, a SEARCH).
    if (!m_ranges.isEmpty()) {
        Range &back = m_ranges.last();
        if (number > back.last) {
            if (number == back.last + 1)
                back.last = number;
            else
                m_ranges.append({number, number});
            return;
        }
    }
    addRange(number, number);
}

void SequenceSet::addRange(quint32 first, quint32 last)
{
    if (first > last)
        std::swap(first, last);
    if (m_ranges.isEmpty() || quint64(first) > quint64(m_ranges.last().last) + 1) {
        m_ranges.append({first, last});
        return;
    }
    // Every range that overlaps or touches [first, last] is merged into one. The first
    // candidate is the first range ending at or after first-1.
    const auto begin =
        std::lower_bound(m_ranges.begin(), m_ranges.end(), quint64(first),
                         [](const Range &r, quint64 value) { return quint64(r.last) + 1 < value; });
    auto end = begin;
    while (end != m_ranges.end() && quint64(end->first) <= quint64(last) + 1)
        ++end;
    if (begin == end) {
        m_ranges.insert(begin - m_ranges.begin(), {first, last});
        return;
    }
    const Range merged{std::min(first, begin->first), std::max(last, (end - 1)->last)};
    const qsizetype index = begin - m_ranges.begin();
    m_ranges.remove(index + 1, (end - begin) - 1);
    m_ranges[index] = merged;
}

bool SequenceSet::contains(quint32 number) const
{
    const auto it = std::lower_bound(m_ranges.cbegin(), m_ranges.cend(), number,
                                     [](const Range &r, quint32 value) { return r.last < value; });
    return it != m_ranges.cend() && it->first <= number;
}

quint64 SequenceSet::count() const
{
    quint64 total = 0;
    for (const Range &r : m_ranges)
        total += quint64(r.last) - r.first + 1;
    return total;
}

QList<quint32> SequenceSet::toList() const
{
    QList<quint32> numbers;
    numbers.reserve(qsizetype(count()));
    for (const Range &r : m_ranges) {
        for (quint64 n = r.first; n <= r.last; ++n)
            numbers.append(quint32(n));
    }
    return numbers;
}

QByteArray SequenceSet::toByteArray() const
{
    QByteArray text;
    text.reserve(m_ranges.size() * 12);
    for (const Range &r : m_ranges) {
        if (!text.isEmpty())
            text.append(',');
        text.append(QByteArray::number(r.first));
        if (r.last != r.first) {
            text.append(':');
            text.append(QByteArray::number(r.last));
        }
    }
    return text;
}

// maxCount 0 means no limit: the whole set in one piece.
QList<SequenceSet> SequenceSet::split(quint64 maxCount) const
{
    QList<SequenceSet> pieces;
    if (m_ranges.isEmpty())
        return pieces;
    if (maxCount == 0)
        return {*this};
    SequenceSet current;
    quint64 inCurrent = 0;
    for (const Range &r : m_ranges) {
        quint64 first = r.first;
        while (first <= r.last) {
            const quint64 room = maxCount - inCurrent;
            const quint64 last = std::min<quint64>(r.last, first + room - 1);
            current.m_ranges.append({quint32(first), quint32(last)});
            inCurrent += last - first + 1;
            if (inCurrent == maxCount) {
                pieces.append(std::move(current));
                current = SequenceSet();
                inCurrent = 0;
            }
            first = last + 1;
        }
    }
    if (!current.isEmpty())
        pieces.append(std::move(current));
    return pieces;
}

} // namespace wharf::imap
