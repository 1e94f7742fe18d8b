#include "mime/Charset.h"
#include "mime/TransferEncoding.h"

#include <QTest>

using namespace wharf::mime;

class TestTransferEncoding : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void base64_data();
    void base64();
    void quotedPrintable_data();
    void quotedPrintable();
    void charsets_data();
    void charsets();
};

void TestTransferEncoding::base64_data()
{
    QTest::addColumn<QByteArray>("encoded");
    QTest::addColumn<QByteArray>("decoded");
    QTest::newRow("lines") << QByteArray("SGVsbG8g\r\nV29ybGQ=\r\n") << QByteArray("Hello World");
    QTest::newRow("junk skipped") << QByteArray("SGVs!!bG8g V29y*bGQ=")
                                  << QByteArray("Hello World");
    QTest::newRow("missing padding") << QByteArray("SGVsbG8") << QByteArray("Hello");
    QTest::newRow("empty") << QByteArray() << QByteArray();
    QTest::newRow("incomplete last quantum")
        << QByteArray("SGVsbG8sIHdvcmxkIQ==A") << QByteArray("Hello, world!");
    QTest::newRow("concatenated runs")
        << QByteArray("SGVsbG8=V29ybGQ=") << QByteArray("HelloWorld");
    QTest::newRow("binary") << QByteArray("AP8QgA==") << QByteArray("\x00\xff\x10\x80", 4);
}

void TestTransferEncoding::base64()
{
    QFETCH(QByteArray, encoded);
    QFETCH(QByteArray, decoded);
    QCOMPARE(decodeBase64(encoded), decoded);
    QCOMPARE(decodeTransferEncoding(encoded, " BASE64 "), decoded);
}

void TestTransferEncoding::quotedPrintable_data()
{
    QTest::addColumn<QByteArray>("encoded");
    QTest::addColumn<QByteArray>("decoded");
    QTest::newRow("escapes") << QByteArray("caf=C3=A9") << QByteArray("caf\xc3\xa9");
    QTest::newRow("lowercase hex") << QByteArray("caf=c3=a9") << QByteArray("caf\xc3\xa9");
    QTest::newRow("soft break crlf") << QByteArray("soft=\r\nbreak") << QByteArray("softbreak");
    QTest::newRow("soft break lf") << QByteArray("soft=\nbreak") << QByteArray("softbreak");
    QTest::newRow("soft break padded") << QByteArray("soft=  \r\nbreak") << QByteArray("softbreak");
    QTest::newRow("hard breaks kept") << QByteArray("a\r\nb\n") << QByteArray("a\r\nb\n");
    QTest::newRow("invalid escape kept") << QByteArray("=ZZ and =4") << QByteArray("=ZZ and =4");
    QTest::newRow("trailing equals") << QByteArray("end=") << QByteArray("end");
}

void TestTransferEncoding::quotedPrintable()
{
    QFETCH(QByteArray, encoded);
    QFETCH(QByteArray, decoded);
    QCOMPARE(decodeQuotedPrintable(encoded), decoded);
}

void TestTransferEncoding::charsets_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QByteArray>("charset");
    QTest::addColumn<QString>("text");
    QTest::newRow("utf-8") << QByteArray("gr\xc3\xbc\xc3\x9f") << QByteArray("UTF-8")
                           << QStringLiteral("grüß");
    QTest::newRow("latin1") << QByteArray("caf\xe9") << QByteArray("iso-8859-1")
                            << QStringLiteral("café");
    QTest::newRow("latin1 label, windows bytes")
        << QByteArray("\x93hi\x94 \x80") << QByteArray("ISO-8859-1")
        << QStringLiteral("\u201chi\u201d \u20ac");
    QTest::newRow("ascii label, windows bytes")
        << QByteArray("it\x92s") << QByteArray("us-ascii") << QStringLiteral("it\u2019s");
    QTest::newRow("koi8-r") << QByteArray("\xf0\xd2\xc9\xd7\xc5\xd4") << QByteArray("koi8-r")
                            << QStringLiteral("Привет");
    QTest::newRow("shift_jis") << QByteArray("\x93\xfa\x96\x7b") << QByteArray("Shift_JIS")
                               << QStringLiteral("日本");
    QTest::newRow("quoted label") << QByteArray("caf\xc3\xa9") << QByteArray("\"utf-8\"")
                                  << QStringLiteral("café");
    QTest::newRow("unknown label, utf-8 bytes")
        << QByteArray("caf\xc3\xa9") << QByteArray("x-unknown") << QStringLiteral("café");
    QTest::newRow("no label, other bytes")
        << QByteArray("caf\xe9") << QByteArray() << QStringLiteral("café");
    QTest::newRow("bad utf-8 becomes U+FFFD")
        << QByteArray("a\xff") << QByteArray("utf-8") << QStringLiteral("a\ufffd");
}

void TestTransferEncoding::charsets()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QByteArray, charset);
    QFETCH(QString, text);
    QCOMPARE(decodeCharset(bytes, charset), text);
}

QTEST_GUILESS_MAIN(TestTransferEncoding)
#include "tst_transfer_encoding.moc"
