#include "protocols/imap/SequenceSet.h"

#include <QRandomGenerator>
#include <QTest>

#include <set>

using wharf::imap::SequenceSet;
using Range = SequenceSet::Range;

class TestImapSequenceSet : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void parseRejects_data();
    void parseRejects();
    void addMergesNeighbours();
    void addRangeBridgesGaps();
    void extremes();
    void containsAndCount();
    void split_data();
    void split();
    void matchesStdSetOnRandomInput();
    void largeSets();
};

void TestImapSequenceSet::parse_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<quint32>("star");
    QTest::addColumn<QByteArray>("canonical");
    QTest::addColumn<quint64>("count");

    QTest::newRow("single") << QByteArray("7") << 100u << QByteArray("7") << quint64(1);
    QTest::newRow("ranges") << QByteArray("1:5,7,9:12") << 100u << QByteArray("1:5,7,9:12")
                            << quint64(10);
    QTest::newRow("star") << QByteArray("9:*") << 12u << QByteArray("9:12") << quint64(4);
    QTest::newRow("star first, reversed")
        << QByteArray("*:9") << 12u << QByteArray("9:12") << quint64(4);
    QTest::newRow("star below start")
        << QByteArray("20:*") << 12u << QByteArray("12:20") << quint64(9);
    QTest::newRow("lone star") << QByteArray("*") << 44292u << QByteArray("44292") << quint64(1);
    QTest::newRow("reversed range") << QByteArray("5:1") << 0u << QByteArray("1:5") << quint64(5);
    QTest::newRow("adjacent merged")
        << QByteArray("1:3,4,5:6") << 0u << QByteArray("1:6") << quint64(6);
    QTest::newRow("overlap merged")
        << QByteArray("1:10,5:15,3") << 0u << QByteArray("1:15") << quint64(15);
    QTest::newRow("unsorted") << QByteArray("405,411,300:310") << 0u
                              << QByteArray("300:310,405,411") << quint64(13);
    QTest::newRow("duplicates") << QByteArray("4,4,4") << 0u << QByteArray("4") << quint64(1);
    QTest::newRow("max uid") << QByteArray("4294967295") << 0u << QByteArray("4294967295")
                             << quint64(1);
    QTest::newRow("whole space") << QByteArray("1:*") << 0xffffffffu << QByteArray("1:4294967295")
                                 << quint64(0xffffffffu);
}

void TestImapSequenceSet::parse()
{
    QFETCH(QByteArray, text);
    QFETCH(quint32, star);
    QFETCH(QByteArray, canonical);
    QFETCH(quint64, count);

    const auto set = SequenceSet::parse(text, star);
    QVERIFY(set);
    QCOMPARE(set->toByteArray(), canonical);
    QCOMPARE(set->count(), count);
    // The canonical text parses back to the same set.
    QCOMPARE(SequenceSet::parse(canonical), set);
}

void TestImapSequenceSet::parseRejects_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<quint32>("star");

    QTest::newRow("empty") << QByteArray() << 10u;
    QTest::newRow("zero") << QByteArray("0") << 10u;
    QTest::newRow("zero in range") << QByteArray("0:5") << 10u;
    QTest::newRow("leading zero") << QByteArray("05") << 10u;
    QTest::newRow("overflow") << QByteArray("4294967296") << 10u;
    QTest::newRow("long overflow") << QByteArray("99999999999999999999") << 10u;
    QTest::newRow("letters") << QByteArray("1:5a") << 10u;
    QTest::newRow("negative") << QByteArray("-1") << 10u;
    QTest::newRow("plus") << QByteArray("+1") << 10u;
    QTest::newRow("space") << QByteArray("1, 2") << 10u;
    QTest::newRow("trailing comma") << QByteArray("1,2,") << 10u;
    QTest::newRow("leading comma") << QByteArray(",1") << 10u;
    QTest::newRow("double comma") << QByteArray("1,,2") << 10u;
    QTest::newRow("open range") << QByteArray("1:") << 10u;
    QTest::newRow("two colons") << QByteArray("1:2:3") << 10u;
    QTest::newRow("star without a value") << QByteArray("1:*") << 0u;
    QTest::newRow("double star") << QByteArray("**") << 10u;
}

void TestImapSequenceSet::parseRejects()
{
    QFETCH(QByteArray, text);
    QFETCH(quint32, star);
    QCOMPARE(SequenceSet::parse(text, star), std::nullopt);
}

void TestImapSequenceSet::addMergesNeighbours()
{
    SequenceSet set;
    set.add(5);
    set.add(7);
    QCOMPARE(set.toByteArray(), QByteArray("5,7"));
    set.add(6); // fills the gap: one range
    QCOMPARE(set.ranges(), (QList<Range>{{5, 7}}));
    set.add(4); // extends downward
    set.add(8); // extends upward
    set.add(6); // already there
    QCOMPARE(set.ranges(), (QList<Range>{{4, 8}}));
    set.add(1);
    set.add(10);
    QCOMPARE(set.toByteArray(), QByteArray("1,4:8,10"));
    set.add(2); // inserted in the middle, touching 1 only
    QCOMPARE(set.toByteArray(), QByteArray("1:2,4:8,10"));
    QCOMPARE(set.toList(), (QList<quint32>{1, 2, 4, 5, 6, 7, 8, 10}));
}

void TestImapSequenceSet::addRangeBridgesGaps()
{
    SequenceSet set = *SequenceSet::parse("1:2,5,8:9,20:30,40");
    set.addRange(10, 3); // reversed; touches 1:2 and 8:9 and swallows 5
    QCOMPARE(set.toByteArray(), QByteArray("1:10,20:30,40"));
    set.addRange(11, 19); // bridges exactly
    QCOMPARE(set.toByteArray(), QByteArray("1:30,40"));
    set.addRange(35, 36); // lands alone in a gap
    QCOMPARE(set.toByteArray(), QByteArray("1:30,35:36,40"));
    set.addRange(25, 45); // overlaps the tail
    QCOMPARE(set.toByteArray(), QByteArray("1:45"));
    set.addRange(50, 60);
    set.addRange(47, 48);
    QCOMPARE(set.toByteArray(), QByteArray("1:45,47:48,50:60"));
    QCOMPARE(set.count(), quint64(45 + 2 + 11));
    QCOMPARE(SequenceSet::range(9, 3), *SequenceSet::parse("3:9"));
}

void TestImapSequenceSet::extremes()
{
    SequenceSet set;
    set.add(0xffffffffu);
    set.add(0xfffffffeu);
    QCOMPARE(set.toByteArray(), QByteArray("4294967294:4294967295"));
    set.addRange(1, 0xfffffffdu);
    QCOMPARE(set.ranges(), (QList<Range>{{1, 0xffffffffu}}));
    QCOMPARE(set.count(), quint64(0xffffffffu));
    QVERIFY(set.contains(0xffffffffu));
    QVERIFY(!set.contains(0));
    // Splitting the whole space must end (no wrap-around at 2^32-1).
    const auto pieces = set.split(0x80000000u);
    QCOMPARE(pieces.size(), 2);
    QCOMPARE(pieces.at(1).toByteArray(), QByteArray("2147483649:4294967295"));
}

void TestImapSequenceSet::containsAndCount()
{
    const SequenceSet set = *SequenceSet::parse("3:5,9,20:22");
    const QList<quint32> members{3, 4, 5, 9, 20, 21, 22};
    for (quint32 n = 0; n < 30; ++n)
        QCOMPARE(set.contains(n), members.contains(n));
    QCOMPARE(set.count(), quint64(7));
    QVERIFY(!SequenceSet().contains(1));
    QCOMPARE(SequenceSet().count(), quint64(0));
    QCOMPARE(SequenceSet().toByteArray(), QByteArray());
    QVERIFY(SequenceSet().split(10).isEmpty());
}

void TestImapSequenceSet::split_data()
{
    QTest::addColumn<QByteArray>("set");
    QTest::addColumn<quint64>("maxCount");
    QTest::addColumn<QByteArrayList>("pieces");

    QTest::newRow("fits") << QByteArray("1:5") << quint64(5) << QByteArrayList{"1:5"};
    QTest::newRow("cut inside a range")
        << QByteArray("1:10") << quint64(4) << QByteArrayList{"1:4", "5:8", "9:10"};
    QTest::newRow("across ranges")
        << QByteArray("1:3,7,10:12,20") << quint64(3) << QByteArrayList{"1:3", "7,10:11", "12,20"};
    QTest::newRow("singles") << QByteArray("2,4,6") << quint64(1) << QByteArrayList{"2", "4", "6"};
    QTest::newRow("no limit") << QByteArray("2,4:9") << quint64(0) << QByteArrayList{"2,4:9"};
}

void TestImapSequenceSet::split()
{
    QFETCH(QByteArray, set);
    QFETCH(quint64, maxCount);
    QFETCH(QByteArrayList, pieces);

    const auto parsed = SequenceSet::parse(set);
    QVERIFY(parsed);
    QByteArrayList texts;
    SequenceSet joined;
    for (const SequenceSet &piece : parsed->split(maxCount)) {
        texts.append(piece.toByteArray());
        if (maxCount > 0)
            QVERIFY(piece.count() <= maxCount);
        for (const Range &r : piece.ranges())
            joined.addRange(r.first, r.last);
    }
    QCOMPARE(texts, pieces);
    QCOMPARE(joined, *parsed);
}

void TestImapSequenceSet::matchesStdSetOnRandomInput()
{
    QRandomGenerator random(20240605);
    for (int round = 0; round < 200; ++round) {
        std::set<quint32> model;
        SequenceSet set;
        const int operations = int(random.bounded(1, 60));
        for (int i = 0; i < operations; ++i) {
            const quint32 a = random.bounded(1u, 120u);
            if (random.bounded(2) == 0) {
                set.add(a);
                model.insert(a);
            } else {
                const quint32 b = random.bounded(1u, 120u);
                set.addRange(a, b);
                for (quint32 n = std::min(a, b); n <= std::max(a, b); ++n)
                    model.insert(n);
            }
        }
        const QList<quint32> expected(model.begin(), model.end());
        QCOMPARE(set.toList(), expected);
        QCOMPARE(set.count(), quint64(model.size()));
        // Ranges are sorted, disjoint and never touch.
        for (qsizetype i = 1; i < set.ranges().size(); ++i)
            QVERIFY(quint64(set.ranges().at(i - 1).last) + 1 < set.ranges().at(i).first);
        QCOMPARE(SequenceSet::parse(set.toByteArray()), set);
        QList<quint32> shuffled = expected;
        std::shuffle(shuffled.begin(), shuffled.end(), random);
        QCOMPARE(SequenceSet::fromList(shuffled), set);
    }
}

void TestImapSequenceSet::largeSets()
{
    // 100,000 UIDs with every tenth one missing: fromList of a shuffled copy, add() in
    // order, and parse of the text must agree.
    QList<quint32> uids;
    for (quint32 uid = 1; uid <= 111111; ++uid) {
        if (uid % 10 != 0)
            uids.append(uid);
    }
    QCOMPARE(uids.size(), 100000);
    SequenceSet inOrder;
    for (const quint32 uid : std::as_const(uids))
        inOrder.add(uid);
    QCOMPARE(inOrder.count(), quint64(100000));
    QCOMPARE(inOrder.ranges().size(), 11112);
    QList<quint32> shuffled = uids;
    QRandomGenerator random(7);
    std::shuffle(shuffled.begin(), shuffled.end(), random);
    QCOMPARE(SequenceSet::fromList(shuffled), inOrder);
    QCOMPARE(SequenceSet::parse(inOrder.toByteArray()), inOrder);
    QVERIFY(inOrder.contains(111109));
    QVERIFY(!inOrder.contains(111110));
    QVERIFY(!inOrder.contains(50000));
    QVERIFY(inOrder.contains(50001));
    QCOMPARE(inOrder.toList(), uids);
    quint64 total = 0;
    for (const SequenceSet &piece : inOrder.split(1000)) {
        QCOMPARE(piece.count(), quint64(1000));
        total += piece.count();
    }
    QCOMPARE(total, quint64(100000));
}

QTEST_GUILESS_MAIN(TestImapSequenceSet)
#include "tst_imap_sequence_set.moc"
