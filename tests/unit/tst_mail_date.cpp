#include "mime/MailDate.h"

#include <QTest>

using wharf::mime::parseMailDate;

class TestMailDate : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parses_data();
    void parses();
};

void TestMailDate::parses_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("utc"); // empty: not a date

    auto row = [](const char *name, const char *text, const char *utc) {
        QTest::newRow(name) << QByteArray(text) << QString::fromLatin1(utc);
    };
    row("rfc 5322", "Fri, 21 Nov 1997 09:55:06 -0600", "1997-11-21T15:55:06Z");
    row("no day name", "21 Nov 1997 09:55:06 +0000", "1997-11-21T09:55:06Z");
    row("no seconds", "Fri, 21 Nov 1997 09:55 -0600", "1997-11-21T15:55:00Z");
    row("two-digit year 97", "21 Nov 97 09:55:06 GMT", "1997-11-21T09:55:06Z");
    row("two-digit year 03", "1 Jul 03 10:52:37 +0200", "2003-07-01T08:52:37Z");
    row("three-digit year", "1 Jan 103 00:00:00 +0000", "2003-01-01T00:00:00Z");
    row("named zone EST", "Thu, 13 Feb 1969 23:32:54 EST", "1969-02-14T04:32:54Z");
    row("named zone PDT", "Mon, 2 Jun 2003 12:00:00 PDT", "2003-06-02T19:00:00Z");
    row("military zone", "Mon, 2 Jun 2003 12:00:00 Z", "2003-06-02T12:00:00Z");
    row("no zone", "Mon, 2 Jun 2003 12:00:00", "2003-06-02T12:00:00Z");
    row("comment and spaces", "Thu,\r\n 13\r\n  Feb 1969 23:32 -0330 (Newfoundland Time)",
        "1969-02-14T03:02:00Z");
    row("month first", "Jan 05 2020 10:00:00 +0100", "2020-01-05T09:00:00Z");
    row("full month name", "5 January 2020 10:00:00 +0000", "2020-01-05T10:00:00Z");
    row("leap second", "31 Dec 2016 23:59:60 +0000", "2016-12-31T23:59:59Z");
    row("empty", "", "");
    row("garbage", "yesterday at noon", "");
    row("bad day", "31 Feb 2020 10:00:00 +0000", "");
    row("bad hour", "1 Feb 2020 25:00:00 +0000", "");
    row("no time", "1 Feb 2020", "");
    row("bad zone minutes", "1 Feb 2020 10:00:00 +0099", "2020-02-01T10:00:00Z");
}

void TestMailDate::parses()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, utc);
    const auto parsed = parseMailDate(text);
    if (utc.isEmpty()) {
        QVERIFY2(!parsed, qPrintable(parsed ? parsed->toString(Qt::ISODate) : QString()));
        return;
    }
    QVERIFY(parsed);
    QCOMPARE(parsed->toString(Qt::ISODate), utc);
}

QTEST_GUILESS_MAIN(TestMailDate)
#include "tst_mail_date.moc"
