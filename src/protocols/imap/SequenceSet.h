#pragma once

#include <QByteArray>
#include <QList>

#include <optional>

namespace wharf::imap {

// A set of UIDs or sequence numbers kept as sorted, merged ranges: "1:5,7,9:12". Used for
// commands (UID FETCH 1:500), VANISHED, COPYUID/APPENDUID, ESEARCH results.
class SequenceSet
{
public:
    struct Range
    {
        quint32 first = 0;
        quint32 last = 0; // inclusive
        bool operator==(const Range &) const = default;
    };

    SequenceSet() = default;
    static SequenceSet fromList(QList<quint32> numbers);
    static SequenceSet range(quint32 first, quint32 last);
    // Parses "1:5,7,9:*". `star` is what "*" stands for (the largest UID or message number
    // known); nullopt on any syntax error, a zero, or a number above 2^32-1.
    static std::optional<SequenceSet> parse(QByteArrayView text, quint32 star = ~quint32(0));

    void add(quint32 number);
    void addRange(quint32 first, quint32 last);
    bool contains(quint32 number) const;
    bool isEmpty() const { return m_ranges.isEmpty(); }
    quint64 count() const;
    const QList<Range> &ranges() const { return m_ranges; }
    QList<quint32> toList() const; // expanded; callers keep sets small or iterate ranges
    // Canonical text: ascending, merged: "1:5,7".
    QByteArray toByteArray() const;
    // Splits into pieces of at most `maxCount` numbers each, for batched commands.
    QList<SequenceSet> split(quint64 maxCount) const;

    bool operator==(const SequenceSet &) const = default;

private:
    QList<Range> m_ranges;
};

} // namespace wharf::imap
