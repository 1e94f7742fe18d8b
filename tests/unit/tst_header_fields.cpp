#include "mime/HeaderFields.h"

#include <QTest>

using wharf::mime::readHeaderFields;

class TestHeaderFields : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void keepsEveryFieldInOrder();
    void survivesJunk_data();
    void survivesJunk();
};

void TestHeaderFields::keepsEveryFieldInOrder()
{
    const QByteArray message = "Received: from a\r\n"
                               "Received: from b\r\n"
                               "Subject: =?UTF-8?B?w6Q=?=\r\n"
                               "X-Folded: one\r\n two\r\n"
                               "\r\n"
                               "Body: not a header\r\n";
    const auto fields = readHeaderFields(message);
    QCOMPARE(fields.size(), 4);
    QCOMPARE(fields[0].name, QByteArray("Received"));
    QCOMPARE(fields[0].value, QByteArray("from a"));
    QCOMPARE(fields[1].value, QByteArray("from b"));
    QCOMPARE(fields[2].value, QByteArray("=?UTF-8?B?w6Q=?=")); // raw, not decoded
    QCOMPARE(fields[3].name, QByteArray("X-Folded"));
    QVERIFY(fields[3].value.contains("one"));
    QVERIFY(fields[3].value.contains("two"));
}

void TestHeaderFields::survivesJunk_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("no colon") << QByteArray("garbage line\r\n\r\n");
    QTest::newRow("binary") << QByteArray("\x00\xff\xfe:\x01\r\n", 7);
    QTest::newRow("long line") << QByteArray("X: " + QByteArray(64 * 1024, 'a') + "\r\n\r\n");
}

void TestHeaderFields::survivesJunk()
{
    QFETCH(QByteArray, message);
    const auto fields = readHeaderFields(message);
    for (const auto &field : fields)
        QVERIFY(field.name.size() + field.value.size() <= message.size());
}

QTEST_GUILESS_MAIN(TestHeaderFields)
#include "tst_header_fields.moc"
