#include "net/NumericReply.h"

#include <QTest>

using wharf::net::NumericReplyParser;
using Result = NumericReplyParser::Result;

class TestNumericReply : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void replies_data();
    void replies();
    void malformedFirstLine_data();
    void malformedFirstLine();
};

void TestNumericReply::replies_data()
{
    QTest::addColumn<QByteArrayList>("input");
    QTest::addColumn<int>("code");
    QTest::addColumn<QByteArrayList>("lines");

    QTest::newRow("single") << QByteArrayList{"220 ready"} << 220 << QByteArrayList{"ready"};
    QTest::newRow("bare code") << QByteArrayList{"250"} << 250 << QByteArrayList{""};
    QTest::newRow("smtp ehlo") << QByteArrayList{"250-mx", "250-STARTTLS", "250 AUTH PLAIN"} << 250
                               << QByteArrayList{"mx", "STARTTLS", "AUTH PLAIN"};
    QTest::newRow("ftp feat") << QByteArrayList{"211-Features:", " MLSD", " UTF8", "211 End"} << 211
                              << QByteArrayList{"Features:", " MLSD", " UTF8", "End"};
    QTest::newRow("ftp inner line with other code")
        << QByteArrayList{"230-Welcome", "123 not the end", "230 Done"} << 230
        << QByteArrayList{"Welcome", "123 not the end", "Done"};
}

void TestNumericReply::replies()
{
    QFETCH(QByteArrayList, input);
    QFETCH(int, code);
    QFETCH(QByteArrayList, lines);

    NumericReplyParser parser;
    for (qsizetype i = 0; i < input.size(); ++i) {
        const Result expected = i + 1 == input.size() ? Result::Complete : Result::NeedMore;
        QCOMPARE(parser.addLine(input.at(i)), expected);
    }
    const auto reply = parser.take();
    QCOMPARE(reply.code, code);
    QCOMPARE(reply.lines, lines);
    // The parser starts over for the next reply.
    QCOMPARE(parser.addLine("221 bye"), Result::Complete);
    QCOMPARE(parser.take().code, 221);
}

void TestNumericReply::malformedFirstLine_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("text") << QByteArray("hello");
    QTest::newRow("short") << QByteArray("25");
    QTest::newRow("bad separator") << QByteArray("250x");
    QTest::newRow("out of range") << QByteArray("999 what");
    QTest::newRow("empty") << QByteArray();
}

void TestNumericReply::malformedFirstLine()
{
    QFETCH(QByteArray, line);
    NumericReplyParser parser;
    QCOMPARE(parser.addLine(line), Result::Malformed);
}

QTEST_GUILESS_MAIN(TestNumericReply)
#include "tst_numeric_reply.moc"
