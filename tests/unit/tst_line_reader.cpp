#include "net/LineReader.h"

#include <QTest>

using wharf::net::LineReader;
using Status = LineReader::Status;

class TestLineReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void splitsLines_data();
    void splitsLines();
    void lineArrivingByteByByte();
    void overlongLineFailsBeforeItsEnd();
    void lineAtTheLimitIsAccepted();
    void countedRunStreamsInChunks();
    void absurdCountedLengthIsRefused();
    void countedThenLines();
};

void TestLineReader::splitsLines_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArrayList>("lines");
    QTest::addColumn<qsizetype>("left");

    QTest::newRow("crlf") << QByteArray("a\r\nbc\r\n") << QByteArrayList{"a", "bc"} << qsizetype(0);
    QTest::newRow("bare lf") << QByteArray("a\nb\n") << QByteArrayList{"a", "b"} << qsizetype(0);
    QTest::newRow("empty lines") << QByteArray("\r\n\r\n") << QByteArrayList{"", ""}
                                 << qsizetype(0);
    QTest::newRow("partial tail") << QByteArray("one\r\ntw") << QByteArrayList{"one"}
                                  << qsizetype(2);
    QTest::newRow("cr inside kept")
        << QByteArray("a\rb\r\n") << QByteArrayList{"a\rb"} << qsizetype(0);
    QTest::newRow("nul kept") << QByteArray("a\0b\r\n", 5) << QByteArrayList{QByteArray("a\0b", 3)}
                              << qsizetype(0);
}

void TestLineReader::splitsLines()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArrayList, lines);
    QFETCH(qsizetype, left);

    LineReader reader;
    reader.append(input);
    QByteArrayList taken;
    QByteArray line;
    while (reader.takeLine(line) == Status::Ok)
        taken.append(line);
    QCOMPARE(taken, lines);
    QCOMPARE(reader.buffered(), left);
}

void TestLineReader::lineArrivingByteByByte()
{
    LineReader reader;
    QByteArray line;
    const QByteArray input = "* OK ready\r\n";
    for (qsizetype i = 0; i + 1 < input.size(); ++i) {
        reader.append(input.sliced(i, 1));
        QCOMPARE(reader.takeLine(line), Status::NeedMore);
    }
    reader.append(input.last(1));
    QCOMPARE(reader.takeLine(line), Status::Ok);
    QCOMPARE(line, QByteArray("* OK ready"));
}

void TestLineReader::overlongLineFailsBeforeItsEnd()
{
    LineReader reader(16);
    QByteArray line;
    reader.append(QByteArray(17, 'x'));
    QCOMPARE(reader.takeLine(line), Status::NeedMore); // 17 may still end in CRLF at 16+CR
    reader.append("x");
    QCOMPARE(reader.takeLine(line), Status::LineTooLong);

    LineReader complete(16);
    complete.append(QByteArray(17, 'y') + "\r\n");
    QCOMPARE(complete.takeLine(line), Status::LineTooLong);
}

void TestLineReader::lineAtTheLimitIsAccepted()
{
    LineReader reader(16);
    QByteArray line;
    reader.append(QByteArray(16, 'z') + "\r");
    QCOMPARE(reader.takeLine(line), Status::NeedMore);
    reader.append("\n");
    QCOMPARE(reader.takeLine(line), Status::Ok);
    QCOMPARE(line, QByteArray(16, 'z'));
}

void TestLineReader::countedRunStreamsInChunks()
{
    LineReader reader;
    QVERIFY(reader.beginCounted(10, 100));
    QByteArray chunk;
    QVERIFY(!reader.takeCounted(chunk, 4));
    reader.append("0123456");
    QVERIFY(reader.takeCounted(chunk, 4));
    QCOMPARE(chunk, QByteArray("0123"));
    QVERIFY(reader.takeCounted(chunk, 4));
    QCOMPARE(chunk, QByteArray("456"));
    reader.append("789 rest\r\n");
    QVERIFY(reader.takeCounted(chunk, 4));
    QCOMPARE(chunk, QByteArray("789"));
    QVERIFY(!reader.inCountedRun());
    QByteArray line;
    QCOMPARE(reader.takeLine(line), Status::Ok);
    QCOMPARE(line, QByteArray(" rest"));
}

void TestLineReader::absurdCountedLengthIsRefused()
{
    LineReader reader;
    QVERIFY(!reader.beginCounted(Q_INT64_C(99999999999999), 50 * 1024 * 1024));
    QVERIFY(!reader.beginCounted(-1, 100));
    QVERIFY(!reader.inCountedRun());
}

void TestLineReader::countedThenLines()
{
    LineReader reader(8);
    // A literal longer than the line limit is fine: limits differ by purpose.
    reader.append(QByteArray(20, 'L') + "tail\r\n");
    QVERIFY(reader.beginCounted(20, 20));
    QByteArray chunk;
    QVERIFY(reader.takeCounted(chunk, 1024));
    QCOMPARE(chunk.size(), 20);
    QByteArray line;
    QCOMPARE(reader.takeLine(line), Status::Ok);
    QCOMPARE(line, QByteArray("tail"));
}

QTEST_GUILESS_MAIN(TestLineReader)
#include "tst_line_reader.moc"
