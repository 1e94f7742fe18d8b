// The mboxrd writer against the reader: every message written comes back byte for byte
// (CRLF as LF, a final LF added), whatever "From " lines its body holds.

#include "mime/Mbox.h"

#include <QBuffer>
#include <QDateTime>
#include <QFile>
#include <QRandomGenerator>
#include <QTest>
#include <QTimeZone>

using namespace wharf::mime;

namespace {

// What the reader gives back for a message the writer wrote: LF endings, a final LF.
QByteArray expectedBack(QByteArray message)
{
    message.replace("\r\n", "\n");
    if (!message.isEmpty() && !message.endsWith('\n'))
        message += '\n';
    return message;
}

QList<QByteArray> readAll(const QByteArray &mbox)
{
    QBuffer buffer;
    buffer.setData(mbox);
    buffer.open(QIODevice::ReadOnly);
    QList<QByteArray> messages;
    if (!forEachMboxMessage(buffer, [&](QByteArray raw) { messages.append(std::move(raw)); }))
        qFatal("the reader failed on a buffer");
    return messages;
}

QByteArray written(const QList<QByteArray> &messages)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    const QDateTime date(QDate(2024, 1, 2), QTime(3, 4, 5), Qt::UTC);
    for (const QByteArray &message : messages) {
        if (!writeMboxMessage(buffer, message, date))
            qFatal("writing to a buffer failed");
    }
    return buffer.data();
}

// Takes `capacity` bytes, then refuses every write, as a full disk does.
class FullDevice : public QIODevice
{
public:
    explicit FullDevice(qint64 capacity)
        : m_capacity(capacity)
    {
        open(QIODevice::WriteOnly);
    }

protected:
    qint64 readData(char *, qint64) override { return -1; }
    qint64 writeData(const char *, qint64 length) override
    {
        if (m_capacity <= 0) {
            setErrorString(QStringLiteral("No space left on device"));
            return -1;
        }
        const qint64 taken = qMin(length, m_capacity);
        m_capacity -= taken;
        return taken;
    }

private:
    qint64 m_capacity;
};

} // namespace

class TestMboxWriter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void separatorLine_data();
    void separatorLine();
    void envelopeSender_data();
    void envelopeSender();
    void quotesFromLines();
    void roundTrip_data();
    void roundTrip();
    void roundTripRandom();
    void readsExistingFixture();
    void writeFailureIsReported();
    void readerStopsWhenAsked();
};

void TestMboxWriter::separatorLine_data()
{
    QTest::addColumn<QByteArray>("sender");
    QTest::addColumn<QDateTime>("date");
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("one-digit day padded")
        << QByteArray("a@example.org") << QDateTime(QDate(2024, 1, 2), QTime(3, 4, 5), Qt::UTC)
        << QByteArray("From a@example.org Tue Jan  2 03:04:05 2024\n");
    QTest::newRow("two-digit day, converted to UTC")
        << QByteArray("b@example.org")
        << QDateTime(QDate(1999, 12, 31), QTime(23, 30, 0), QTimeZone(-3600))
        << QByteArray("From b@example.org Sat Jan  1 00:30:00 2000\n");
    QTest::newRow("empty sender") << QByteArray()
                                  << QDateTime(QDate(2023, 11, 19), QTime(0, 0), Qt::UTC)
                                  << QByteArray("From MAILER-DAEMON Sun Nov 19 00:00:00 2023\n");
    QTest::newRow("sender with a space")
        << QByteArray("a b@example.org") << QDateTime(QDate(2023, 11, 19), QTime(0, 0), Qt::UTC)
        << QByteArray("From MAILER-DAEMON Sun Nov 19 00:00:00 2023\n");
    QTest::newRow("sender with a line break")
        << QByteArray("a@example.org\nX-Evil: 1")
        << QDateTime(QDate(2023, 11, 19), QTime(0, 0), Qt::UTC)
        << QByteArray("From MAILER-DAEMON Sun Nov 19 00:00:00 2023\n");
}

void TestMboxWriter::separatorLine()
{
    QFETCH(QByteArray, sender);
    QFETCH(QDateTime, date);
    QFETCH(QByteArray, line);
    QCOMPARE(mboxSeparatorLine(sender, date), line);
}

void TestMboxWriter::envelopeSender_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QByteArray>("sender");
    QTest::newRow("return-path first")
        << QByteArray("From: Ann <ann@example.org>\nReturn-Path: <bounce@example.org>\n\nx\n")
        << QByteArray("bounce@example.org");
    QTest::newRow("from when no return-path")
        << QByteArray("Subject: s\nFrom: \"Ann, A\" <ann@example.org>, bob@example.org\n\nx\n")
        << QByteArray("ann@example.org");
    QTest::newRow("null return-path falls back to from")
        << QByteArray("Return-Path: <>\nFrom: c@example.org\n\nx\n") << QByteArray("c@example.org");
    QTest::newRow("no sender at all")
        << QByteArray("Subject: s\n\nx\n") << QByteArray("MAILER-DAEMON");
    QTest::newRow("quoted local part with a space")
        << QByteArray("From: \"a b\"@example.org\n\nx\n") << QByteArray("MAILER-DAEMON");
    QTest::newRow("headers only, CRLF")
        << QByteArray("From: d@example.org\r\n") << QByteArray("d@example.org");
}

void TestMboxWriter::envelopeSender()
{
    QFETCH(QByteArray, message);
    QFETCH(QByteArray, sender);
    QCOMPARE(mboxEnvelopeSender(message), sender);
}

void TestMboxWriter::quotesFromLines()
{
    const QByteArray message = "From: a@example.org\r\nSubject: quoting\r\n\r\n"
                               "From the start\r\n"
                               ">From once\n"
                               ">>>From thrice\n"
                               "> From not a from line\n"
                               "Fromage is not either\n"
                               "From\n"
                               " From indented\n"
                               "last line From without newline";
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QVERIFY(
        writeMboxMessage(buffer, message, QDateTime(QDate(2024, 1, 2), QTime(3, 4, 5), Qt::UTC)));
    QCOMPARE(buffer.data(), QByteArray("From a@example.org Tue Jan  2 03:04:05 2024\n"
                                       "From: a@example.org\nSubject: quoting\n\n"
                                       ">From the start\n"
                                       ">>From once\n"
                                       ">>>>From thrice\n"
                                       "> From not a from line\n"
                                       "Fromage is not either\n"
                                       "From\n"
                                       " From indented\n"
                                       "last line From without newline\n"
                                       "\n"));
}

void TestMboxWriter::roundTrip_data()
{
    QTest::addColumn<QList<QByteArray>>("messages");
    const QByteArray plain = "From: a@example.org\nSubject: one\n\nhello\n";
    QTest::newRow("one plain") << QList<QByteArray>{plain};
    QTest::newRow("from lines in bodies")
        << QList<QByteArray>{"Subject: a\n\nFrom here\n>From there\n>>From everywhere\n\nFrom \n",
                             "Subject: b\n\n>From\n>\n>>\nFrom", plain};
    QTest::newRow("message starting with a separator") << QList<QByteArray>{
        "From x@example.org Mon Jan  1 00:00:00 2024\nSubject: s\n\nbody\n", plain};
    QTest::newRow("no final newline") << QList<QByteArray>{"Subject: a\n\nno newline", plain};
    QTest::newRow("trailing empty lines")
        << QList<QByteArray>{"Subject: a\n\nbody\n\n\n", "Subject: b\n\n\n", plain};
    QTest::newRow("empty message") << QList<QByteArray>{QByteArray(), plain, QByteArray()};
    QTest::newRow("crlf and lone cr")
        << QList<QByteArray>{"Subject: a\r\n\r\nFrom crlf\r\nbare\rcr\r\n\r\n", plain};
    QTest::newRow("headers only") << QList<QByteArray>{"Subject: only headers\n", plain};
    // Longer than the writer's chunk, with a "From " line on either side of a chunk edge.
    QByteArray big = "Subject: big\n\n";
    for (int i = 0; big.size() < 3 * 64 * 1024; ++i)
        big += (i % 7 == 0 ? QByteArray("From line ") : QByteArray("text line ")) +
               QByteArray::number(i) + QByteArray(i % 50, 'x') + '\n';
    QTest::newRow("bigger than a chunk") << QList<QByteArray>{big, plain, big};
}

void TestMboxWriter::roundTrip()
{
    QFETCH(QList<QByteArray>, messages);
    const QList<QByteArray> back = readAll(written(messages));
    QCOMPARE(back.size(), messages.size());
    for (qsizetype i = 0; i < messages.size(); ++i)
        QCOMPARE(back[i], expectedBack(messages[i]));
}

void TestMboxWriter::roundTripRandom()
{
    // Lines built from the pieces that matter to mbox quoting; fixed seed, reproducible.
    static const QByteArray pieces[] = {"From ", ">",  ">From ", "From", " ",           "x",
                                        "\r",    "\n", "\r\n",   "\n\n", "Subject: y\n"};
    QRandomGenerator random(20240102);
    QList<QByteArray> messages;
    for (int m = 0; m < 300; ++m) {
        QByteArray message = "Subject: random " + QByteArray::number(m) + "\n\n";
        const int count = int(random.bounded(40));
        for (int i = 0; i < count; ++i)
            message += pieces[random.bounded(int(std::size(pieces)))];
        messages.append(message);
    }
    const QList<QByteArray> back = readAll(written(messages));
    QCOMPARE(back.size(), messages.size());
    for (qsizetype i = 0; i < messages.size(); ++i)
        QCOMPARE(back[i], expectedBack(messages[i]));
}

void TestMboxWriter::readsExistingFixture()
{
    // The writer's output for what the reader made of the fixture reads back the same.
    QFile fixture(QStringLiteral(WHARF_MIME_FIXTURES "/mboxrd-quoting.mbox"));
    QVERIFY2(fixture.open(QIODevice::ReadOnly), qPrintable(fixture.fileName()));
    const QList<QByteArray> original = readAll(fixture.readAll());
    QCOMPARE(original.size(), 3);
    QVERIFY(original[0].contains("\nFrom the start\n>From quoted twice\n"));
    const QByteArray mbox = written(original);
    QVERIFY(mbox.contains("\n>From the start\n>>From quoted twice\n"));
    const QList<QByteArray> back = readAll(mbox);
    QCOMPARE(back.size(), original.size());
    for (qsizetype i = 0; i < original.size(); ++i)
        QCOMPARE(back[i], expectedBack(original[i]));
}

void TestMboxWriter::writeFailureIsReported()
{
    const QDateTime date = QDateTime::currentDateTimeUtc();
    const QByteArray message = "Subject: s\n\n" + QByteArray(200 * 1024, 'x') + '\n';
    for (qint64 capacity : {0, 10, 1000, 64 * 1024, 150 * 1024}) {
        FullDevice device(capacity);
        QVERIFY2(!writeMboxMessage(device, message, date), qPrintable(QString::number(capacity)));
        QCOMPARE(device.errorString(), QStringLiteral("No space left on device"));
    }
    FullDevice roomy(1024 * 1024);
    QVERIFY(writeMboxMessage(roomy, message, date));

    QBuffer readOnly;
    readOnly.open(QIODevice::ReadOnly);
    QVERIFY(!writeMboxMessage(readOnly, "Subject: s\n\nx\n", date));
}

void TestMboxWriter::readerStopsWhenAsked()
{
    QBuffer buffer;
    buffer.setData(written({"Subject: 1\n\n1\n", "Subject: 2\n\n2\n", "Subject: 3\n\n3\n"}));
    buffer.open(QIODevice::ReadOnly);
    QList<QByteArray> seen;
    QVERIFY(forEachMboxMessageWhile(buffer, [&](QByteArray raw) {
        seen.append(raw);
        return seen.size() < 2;
    }));
    QCOMPARE(seen, (QList<QByteArray>{"Subject: 1\n\n1\n", "Subject: 2\n\n2\n"}));
    QVERIFY(!buffer.atEnd()); // the third message was never read
}

QTEST_GUILESS_MAIN(TestMboxWriter)
#include "tst_mbox_writer.moc"
