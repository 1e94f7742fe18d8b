#include "mime/ParameterValues.h"
#include "mime/SafeFileName.h"

#include <QTest>

using wharf::mime::attachmentFileName;
using wharf::mime::parseParameterizedValue;
using wharf::mime::sanitizeFileName;

class TestParameterValues : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fileName_data();
    void fileName();
    void contentTypeParameters();
    void extendedFlag();
    void duplicatesAndCase();
    void savedName_data();
    void savedName();
    void survivesJunk_data();
    void survivesJunk();
};

namespace {

QString u8(const char *text)
{
    return QString::fromUtf8(text);
}

void row(const char *tag, const QByteArray &disposition, const QByteArray &type,
         const QString &expected)
{
    QTest::newRow(tag) << disposition << type << expected;
}

} // namespace

// Rows follow the tc2231 matrix (greenbytes.de/tech/tc2231) where it applies; a mail reader
// is more lenient than a browser, so rows marked "lenient" recover what tc2231 rejects.
void TestParameterValues::fileName_data()
{
    QTest::addColumn<QByteArray>("disposition");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QString>("expected");
    const QByteArray none;

    // Plain and quoted values.
    row("token", "attachment; filename=foo.html", none, u8("foo.html"));
    row("quoted", "attachment; filename=\"foo.html\"", none, u8("foo.html"));
    row("quoted with space, then more", "attachment; filename=\"a b.pdf\"; size=12", none,
        u8("a b.pdf"));
    row("escaped char", "attachment; filename=\"f\\oo.html\"", none, u8("foo.html"));
    row("escaped quotes", "attachment; filename=\"\\\"quoting\\\" tested.html\"", none,
        u8("\"quoting\" tested.html"));
    row("semicolon in quotes", "attachment; filename=\"Here's a semicolon;.html\"", none,
        u8("Here's a semicolon;.html"));
    row("escapes in an earlier parameter", "attachment; foo=\"\\\"\\\\\";filename=\"foo.html\"",
        none, u8("foo.html"));
    row("upper-case name", "attachment; FILENAME=\"foo.html\"", none, u8("foo.html"));
    row("space around =", "attachment; filename = \"foo.html\"", none, u8("foo.html"));
    row("comments", "attachment (c); (x) filename=(y) \"foo.html\" (z)", none, u8("foo.html"));
    row("token then comment", "inline; filename=foo.html (Web page)", none, u8("foo.html"));
    row("lenient: token with spaces", "attachment; filename=foo bar.html", none,
        u8("foo bar.html"));
    row("lenient: token with brackets", "attachment; filename=foo[1](2).html", none,
        u8("foo[1](2).html"));
    row("lenient: no disposition type", "filename=foo.html", none, u8("foo.html"));
    row("folded", "attachment;\r\n\tfilename=\"a.pdf\"", none, u8("a.pdf"));
    row("plain value is not percent-decoded", "attachment; filename=\"foo-%41.html\"", none,
        u8("foo-%41.html"));
    row("raw UTF-8",
        "attachment; filename=\"\xc3\x9c"
        "bersicht.pdf\"",
        none, u8("Übersicht.pdf"));
    row("raw windows-1252",
        "attachment; filename=\"\xdc"
        "bersicht \x80.pdf\"",
        none, u8("Übersicht €.pdf"));

    // RFC 2231 extended values.
    row("2231 UTF-8", "attachment; filename*=UTF-8''foo-%c3%a4-%e2%82%ac.html", none,
        u8("foo-ä-€.html"));
    row("2231 with language", "attachment; filename*=UTF-8'de'%C3%BCbersicht.txt", none,
        u8("übersicht.txt"));
    row("2231 ISO-8859-1", "attachment; filename*=iso-8859-1''foo-%E4.html", none,
        u8("foo-ä.html"));
    row("2231 UTF-8 bytes labelled ISO-8859-1", "attachment; filename*=iso-8859-1''%c3%a4", none,
        u8("Ã¤"));
    row("2231 bad UTF-8", "attachment; filename*=UTF-8''foo-%E4.html", none,
        u8("foo-\xef\xbf\xbd.html"));
    row("2231 unknown charset, valid UTF-8", "attachment; filename*=x-bogus''caf%C3%A9", none,
        u8("café"));
    row("2231 unknown charset, bad bytes", "attachment; filename*=x-bogus''caf%E9", none,
        u8("caf\xef\xbf\xbd"));
    row("lenient: 2231 without charset", "attachment; filename*=''foo-%c3%a4.html", none,
        u8("foo-ä.html"));
    row("lenient: 2231 quoted", "attachment; filename*=\"UTF-8''foo-%c3%a4.html\"", none,
        u8("foo-ä.html"));
    row("lenient: 2231 space before =", "attachment; filename* =UTF-8''foo-%c3%a4.html", none,
        u8("foo-ä.html"));
    row("2231 space before * is junk", "attachment; filename *=UTF-8''foo-%c3%a4.html", none,
        QString());
    row("2231 without apostrophes is ignored",
        "attachment; filename*=foo%20bar.html; filename=plain.html", none, u8("plain.html"));
    row("2231 one apostrophe is ignored", "attachment; filename*=UTF-8'foo.html", none, QString());
    row("2231 double percent", "attachment; filename*=UTF-8''A-%2541.html", none, u8("A-%41.html"));
    row("2231 broken escapes stay", "attachment; filename*=UTF-8''a%zz%4", none, u8("a%zz%4"));
    row("2231 encoded slashes", "attachment; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd", none,
        u8("../../etc/passwd"));
    row("2231 encoded backslash", "attachment; filename*=UTF-8''%5Cfoo.html", none,
        u8("\\foo.html"));
    row("2231 is not RFC 2047", "attachment; filename*=UTF-8''%3D%3FUTF-8%3FB%3Fw6Q%3D%3F%3D", none,
        u8("=?UTF-8?B?w6Q=?="));

    // RFC 2231 continuations.
    row("continuation", "attachment; filename*0=\"foo.\"; filename*1=\"html\"", none,
        u8("foo.html"));
    row("continuation with escapes",
        "attachment; filename*0=\"foo\"; filename*1=\"\\b\\a\\r.html\"", none, u8("foobar.html"));
    row("encoded continuation",
        "attachment; filename*0*=UTF-8''foo-%c3%a4; filename*1*=-%e2%82%ac.html", none,
        u8("foo-ä-€.html"));
    row("character split across sections",
        "attachment; filename*0*=UTF-8''%e2%82; filename*1*=%ac.txt", none, u8("€.txt"));
    row("mixed sections",
        "attachment; filename*0*=ISO-8859-1''%E4; filename*1=\" b\"; filename*2*=%FC.txt", none,
        u8("ä bü.txt"));
    row("out of order", "attachment; filename*1=\"bar\"; filename*0=\"foo\"", none, u8("foobar"));
    row("missing section 0", "attachment; filename*1=\"foo.\"; filename*2=\"html\"", none,
        QString());
    row("gap stops the value", "attachment; filename*0=\"foo\"; filename*2=\"bar\"", none,
        u8("foo"));
    row("leading zero is no section", "attachment; filename*0=\"foo\"; filename*01=\"bar\"", none,
        u8("foo"));
    row("huge section number", "attachment; filename*0=\"a\"; filename*99999999999=\"b\"", none,
        u8("a"));

    // Precedence.
    row("2231 beats plain",
        "attachment; filename=\"foo-ae.html\"; filename*=UTF-8''foo-%c3%a4.html", none,
        u8("foo-ä.html"));
    row("2231 beats plain before it",
        "attachment; filename*=UTF-8''foo-%c3%a4.html; filename=\"foo-ae.html\"", none,
        u8("foo-ä.html"));
    row("name* beats name*0",
        "attachment; filename*0*=ISO-8859-15''euro-sign%3d%a4; "
        "filename*=ISO-8859-1''currency-sign%3d%a4",
        none, u8("currency-sign=¤"));
    row("continuation beats plain",
        "attachment; filename=\"plain.txt\"; filename*0=\"con\"; filename*1=\"t.txt\"", none,
        u8("cont.txt"));
    row("first duplicate wins", "attachment; filename=\"foo.html\"; filename=\"bar.html\"", none,
        u8("foo.html"));
    row("disposition beats type", "attachment; filename=a.pdf", "application/pdf; name=b.pdf",
        u8("a.pdf"));
    row("type name when no filename", "attachment", "application/pdf; name=\"report.pdf\"",
        u8("report.pdf"));
    row("type name*", none, "application/pdf; name*=UTF-8''r%C3%A9sum%C3%A9.pdf", u8("résumé.pdf"));
    row("empty filename falls back to name", "attachment; filename=; size=3",
        "text/plain; name=x.txt", u8("x.txt"));
    row("quoted empty filename falls back", "attachment; filename=\"\"", "text/plain; name=y.txt",
        u8("y.txt"));
    row("name in disposition is not a file name", "attachment; name=foo.html", none, QString());
    row("confusable parameter", "attachment; xfilename=foo.html", none, QString());

    // RFC 2047 inside quotes (Outlook, webmailers).
    row("Outlook B", "attachment; filename=\"=?UTF-8?B?w6TDtsO8LnBkZg==?=\"", none, u8("äöü.pdf"));
    row("Outlook Q", "attachment; filename=\"=?ISO-8859-1?Q?Gr=FC=DFe.txt?=\"", none,
        u8("Grüße.txt"));
    row("Outlook in Content-Type", "attachment",
        "application/msword; name=\"=?UTF-8?B?0J7RgtGH0ZHRgiDQt9CwINC80LDQuS5kb2N4?=\"",
        u8("Отчёт за май.docx"));
    row("encoded words joined", none, "text/plain; name=\"=?UTF-8?Q?a?= =?UTF-8?Q?b.txt?=\"",
        u8("ab.txt"));
    row("lenient: encoded word unquoted",
        "attachment; filename==?ISO-8859-1?Q?foo-=E4.html?=", none, u8("foo-ä.html"));

    // Broken input.
    row("unterminated quote", "attachment; filename=\"bar", none, u8("bar"));
    row("missing =", "attachment; filename", "text/plain; name=z.txt", u8("z.txt"));
    row("junk before", "attachment; ===; \"junk;\" ; filename=ok.txt", none, u8("ok.txt"));
    row("junk after quote", "attachment; filename=\"foo.html\".txt", none, u8("foo.html"));
    row("binary junk", "attachment;" + QByteArray("\x00\xff", 2) + ";filename=ok.txt", none,
        u8("ok.txt"));
    row("unterminated comment", "attachment; (filename=no.txt", none, QString());
    row("nothing", none, none, QString());
}

void TestParameterValues::fileName()
{
    QFETCH(QByteArray, disposition);
    QFETCH(QByteArray, contentType);
    QFETCH(QString, expected);
    QCOMPARE(attachmentFileName(disposition, contentType), expected);
}

void TestParameterValues::contentTypeParameters()
{
    const auto parsed = parseParameterizedValue(
        "Text/Plain; Charset=\"UTF-8\" (comment); format=flowed;delsp=yes (RFC 3676)");
    QCOMPARE(parsed.type, QByteArray("text/plain"));
    QCOMPARE(parsed.parameters.size(), 3);
    QCOMPARE(parsed.parameters[0].name, QByteArray("charset"));
    QCOMPARE(parsed.parameters[0].value, u8("UTF-8"));
    QCOMPARE(parsed.parameters[1].name, QByteArray("format"));
    QCOMPARE(parsed.parameters[1].value, u8("flowed"));
    QCOMPARE(parsed.parameters[2].value, u8("yes"));
    QVERIFY(parsed.find("CHARSET"));
    QVERIFY(!parsed.find("boundary"));

    // A boundary may look like an encoded word; only file names get RFC 2047 decoding.
    const auto multipart = parseParameterizedValue("multipart/mixed; boundary==?utf-8?q?x?=");
    QCOMPARE(multipart.find("boundary")->value, u8("=?utf-8?q?x?="));
}

void TestParameterValues::extendedFlag()
{
    const auto parsed =
        parseParameterizedValue("attachment; a=1; b*=UTF-8''2; c*0=3; c*1=4; d*0*=''5");
    QCOMPARE(parsed.parameters.size(), 4);
    QVERIFY(!parsed.find("a")->extended);
    QVERIFY(parsed.find("b")->extended);
    QCOMPARE(parsed.find("c")->value, u8("34"));
    QVERIFY(parsed.find("c")->extended);
    QCOMPARE(parsed.find("d")->value, u8("5"));
}

void TestParameterValues::duplicatesAndCase()
{
    const auto parsed = parseParameterizedValue("ATTACHMENT; Size=1; SIZE=2; size*=''3");
    QCOMPARE(parsed.type, QByteArray("attachment"));
    QCOMPARE(parsed.parameters.size(), 1);
    QCOMPARE(parsed.parameters[0].name, QByteArray("size"));
    QCOMPARE(parsed.parameters[0].value, u8("3")); // RFC 2231 wins over the plain ones
}

// The whole way from header to disk name: what the parser lets through, the gate stops.
void TestParameterValues::savedName_data()
{
    QTest::addColumn<QByteArray>("disposition");
    QTest::addColumn<QString>("expected");
    QTest::newRow("encoded traversal")
        << QByteArray("attachment; filename*=UTF-8''..%2F..%2F.bashrc") << u8("bashrc");
    QTest::newRow("encoded word traversal")
        << QByteArray("attachment; filename=\"=?UTF-8?Q?..=2F..=2Fx.sh?=\"") << u8("x.sh");
    QTest::newRow("encoded CR LF")
        << QByteArray("attachment; filename*=UTF-8''a%0D%0Ab.txt") << u8("ab.txt");
    QTest::newRow("encoded RTL override")
        << QByteArray("attachment; filename*=UTF-8''evil%E2%80%AEtxt.exe") << u8("eviltxt.exe");
    QTest::newRow("no name at all") << QByteArray("attachment") << u8("attachment");
}

void TestParameterValues::savedName()
{
    QFETCH(QByteArray, disposition);
    QFETCH(QString, expected);
    QCOMPARE(sanitizeFileName(attachmentFileName(disposition, {})), expected);
}

void TestParameterValues::survivesJunk_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::newRow("only separators") << QByteArray(";;;;;====\"\"\"");
    QTest::newRow("deep comment") << QByteArray(10000, '(');
    QTest::newRow("many sections") << [] {
        QByteArray value = "attachment";
        for (int i = 1000; i >= 0; --i)
            value += "; filename*" + QByteArray::number(i) + "*=%41";
        return value;
    }();
    QTest::newRow("long value") << QByteArray("a; b=" + QByteArray(64 * 1024, 'x'));
    QTest::newRow("backslash at end") << QByteArray("a; b=\"\\");
}

void TestParameterValues::survivesJunk()
{
    QFETCH(QByteArray, value);
    const auto parsed = parseParameterizedValue(value);
    for (const auto &parameter : parsed.parameters)
        QVERIFY(!parameter.name.isEmpty());
    const QString name = attachmentFileName(value, value);
    QVERIFY(name.size() <= value.size());
}

QTEST_GUILESS_MAIN(TestParameterValues)
#include "tst_parameter_values.moc"
