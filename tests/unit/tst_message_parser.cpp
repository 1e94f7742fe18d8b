// The MIME tree: IMAP part numbers, boundaries as real mail has them, decoding, limits.

#include "mime/Message.h"
#include "mime/MessageParser.h"

#include <QTest>

using namespace wharf::mime;

namespace {

// "number content-type size" of every leaf, for compact comparisons.
QStringList leafSummary(const Message &message)
{
    QStringList summary;
    for (const MessagePart *part : message.leafParts()) {
        summary.append(QStringLiteral("%1 %2 %3")
                           .arg(QString::fromLatin1(part->partNumber()),
                                QString::fromLatin1(part->contentType()))
                           .arg(part->decodedBytes().size()));
    }
    return summary;
}

QByteArray crlf(const char *text)
{
    return QByteArray(text).replace("\n", "\r\n");
}

} // namespace

class TestMessageParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void structures_data();
    void structures();
    void partBodiesExcludeTheLineBreakBeforeADelimiter();
    void decodesTransferEncodings();
    void nestingIsCapped();
    void headersStayReachable();
    void envelope();
};

void TestMessageParser::structures_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QStringList>("leaves");

    QTest::newRow("single part") << crlf("Subject: x\n\nhello\n")
                                 << QStringList{QStringLiteral("1 text/plain 7")};
    QTest::newRow("no headers") << crlf("\nbody only\n")
                                << QStringList{QStringLiteral("1 text/plain 11")};
    QTest::newRow("no body") << crlf("Subject: x\n")
                             << QStringList{QStringLiteral("1 text/plain 0")};
    QTest::newRow("multipart with preamble and epilogue")
        << crlf("Content-Type: multipart/mixed; boundary=\"b\"\n\npreamble\n--b\n\none\n--b\n"
                "Content-Type: image/png\n\nPNG\n--b--\nepilogue\n")
        << QStringList{QStringLiteral("1 text/plain 3"), QStringLiteral("2 image/png 3")};
    QTest::newRow("nested multipart")
        << crlf("Content-Type: multipart/mixed; boundary=outer\n\n--outer\n"
                "Content-Type: multipart/alternative; boundary=inner\n\n--inner\n\nplain\n"
                "--inner\nContent-Type: text/html\n\n<p>x</p>\n--inner--\n--outer\n"
                "Content-Type: application/pdf\n\n%PDF\n--outer--\n")
        << QStringList{QStringLiteral("1.1 text/plain 5"), QStringLiteral("1.2 text/html 8"),
                       QStringLiteral("2 application/pdf 4")};
    QTest::newRow("inner boundary is a prefix of the outer")
        << crlf("Content-Type: multipart/mixed; boundary=ab\n\n--ab\n"
                "Content-Type: multipart/mixed; boundary=abc\n\n--abc\n\nx\n--abc--\n--ab--\n")
        << QStringList{QStringLiteral("1.1 text/plain 1")};
    QTest::newRow("missing end boundary")
        << crlf("Content-Type: multipart/mixed; boundary=b\n\n--b\n\none\n--b\n\ntwo\n")
        << QStringList{QStringLiteral("1 text/plain 3"), QStringLiteral("2 text/plain 5")};
    QTest::newRow("delimiter with trailing whitespace")
        << crlf("Content-Type: multipart/mixed; boundary=b\n\n--b  \n\none\n--b--\t\n")
        << QStringList{QStringLiteral("1 text/plain 3")};
    QTest::newRow("delimiter text inside a line is not a delimiter")
        << crlf("Content-Type: multipart/mixed; boundary=b\n\n--b\n\nsee --b here\n--b--\n")
        << QStringList{QStringLiteral("1 text/plain 12")};
    QTest::newRow("multipart without any delimiter is one part")
        << crlf("Content-Type: multipart/mixed; boundary=b\n\njust text\n")
        << QStringList{QStringLiteral("1 multipart/mixed 11")};
    QTest::newRow("multipart without boundary parameter")
        << crlf("Content-Type: multipart/mixed\n\njust text\n")
        << QStringList{QStringLiteral("1 multipart/mixed 11")};
    QTest::newRow("message/rfc822 with a multipart inside")
        << crlf("Content-Type: multipart/mixed; boundary=b\n\n--b\n\nsee attached\n--b\n"
                "Content-Type: message/rfc822\n\nSubject: inner\n"
                "Content-Type: multipart/mixed; boundary=c\n\n--c\n\ninner text\n--c\n"
                "Content-Type: image/gif\n\nGIF\n--c--\n--b--\n")
        << QStringList{QStringLiteral("1 text/plain 12"), QStringLiteral("2.1 text/plain 10"),
                       QStringLiteral("2.2 image/gif 3")};
    QTest::newRow("message/rfc822 with a single part inside")
        << crlf("Content-Type: message/rfc822\n\nSubject: inner\n\nbody\n")
        << QStringList{QStringLiteral("1.1 text/plain 6")};
    QTest::newRow("digest parts default to message/rfc822")
        << crlf("Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: one\n\nfirst\n"
                "--d\nContent-Type: text/plain\n\nnot a message\n--d--\n")
        << QStringList{QStringLiteral("1.1 text/plain 5"), QStringLiteral("2 text/plain 13")};
    QTest::newRow("invalid content type falls back")
        << crlf("Content-Type: garbage\n\nx\n") << QStringList{QStringLiteral("1 text/plain 3")};
    QTest::newRow("bare LF line endings")
        << QByteArray("Content-Type: multipart/mixed; boundary=b\n\n--b\n\none\n--b--\n")
        << QStringList{QStringLiteral("1 text/plain 3")};
}

void TestMessageParser::structures()
{
    QFETCH(QByteArray, message);
    QFETCH(QStringList, leaves);
    QCOMPARE(leafSummary(Message::parse(message)), leaves);
}

void TestMessageParser::partBodiesExcludeTheLineBreakBeforeADelimiter()
{
    const Message message = Message::parse(
        crlf("Content-Type: multipart/mixed; boundary=b\n\n--b\n\nline one\n\n--b--\n"));
    const auto leaves = message.leafParts();
    QCOMPARE(leaves.size(), 1);
    // The blank line before the delimiter is content; only the last CRLF is not.
    QCOMPARE(leaves.first()->decodedBytes(), QByteArray("line one\r\n"));
}

void TestMessageParser::decodesTransferEncodings()
{
    const Message message = Message::parse(
        crlf("Content-Type: multipart/mixed; boundary=b\n\n--b\n"
             "Content-Type: text/plain; charset=\"UTF-8\"\nContent-Transfer-Encoding: base64\n\n"
             "w6Rww7Zs\n--b\nContent-Type: text/plain; charset=iso-8859-1\n"
             "Content-Transfer-Encoding: Quoted-Printable\n\ncaf=E9 soft=\nbreak =3d\n--b\n"
             "Content-Type: text/plain; charset=iso-8859-1\n\nquote \x93x\x94\n--b--\n"));
    const auto leaves = message.leafParts();
    QCOMPARE(leaves.size(), 3);
    QCOMPARE(leaves[0]->decodedText(), QStringLiteral("äpöl"));
    QCOMPARE(leaves[0]->charset(), QStringLiteral("utf-8"));
    QCOMPARE(leaves[1]->decodedText(), QStringLiteral("café softbreak ="));
    // Mislabelled windows-1252: curly quotes, not C1 controls.
    QCOMPARE(leaves[2]->decodedText(), QStringLiteral("quote \u201cx\u201d"));
}

void TestMessageParser::nestingIsCapped()
{
    QByteArray message;
    const int levels = 200;
    for (int i = 0; i < levels; ++i)
        message += "Content-Type: multipart/mixed; boundary=b" + QByteArray::number(i) +
                   "\r\n\r\n--b" + QByteArray::number(i) + "\r\n";
    message += "\r\ndeep\r\n";
    const Message parsed = Message::parse(message);
    const auto leaves = parsed.leafParts();
    QCOMPARE(leaves.size(), 1);
    // The part at the cap is one opaque leaf holding the rest.
    QCOMPARE(leaves.first()->partNumber().count('.'), MessageParser::kMaxDepth - 1);
}

void TestMessageParser::headersStayReachable()
{
    const Message message = Message::parse(crlf("Received: a\nReceived: b\nX-Odd: one\n two\n"
                                                "Subject: =?UTF-8?B?w6Q=?=\n\nbody\n"));
    QCOMPARE(message.headers().size(), 4);
    QCOMPARE(message.headers().at(1).value, QByteArray("b"));
    QCOMPARE(message.header("x-odd"), QByteArray("one two"));
    QCOMPARE(message.header("Subject"), QByteArray("=?UTF-8?B?w6Q=?="));
}

void TestMessageParser::envelope()
{
    const Message message =
        Message::parse(crlf("From: =?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>\n"
                            "To: a@example.org, \"B, Bee\" <b@example.org>\nCc: c@example.org\n"
                            "Date: Tue, 1 Jul 2003 10:52:37 +0200\nMessage-ID: <id1@example.org>\n"
                            "In-Reply-To: <id0@example.org>\n"
                            "References: <r1@x> junk <r2@x>\n <id0@example.org>\n"
                            "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\n\nbody\n"));
    QCOMPARE(message.subject(), QStringLiteral("Grüße"));
    QCOMPARE(message.from().size(), 1);
    QCOMPARE(message.from().first().name, QStringLiteral("André Pirard"));
    QCOMPARE(message.from().first().address, QStringLiteral("PIRARD@vm1.ulg.ac.be"));
    QCOMPARE(message.to().size(), 2);
    QCOMPARE(message.to().at(1).name, QStringLiteral("B, Bee"));
    QCOMPARE(message.cc().first().address, QStringLiteral("c@example.org"));
    QCOMPARE(message.date()->toString(Qt::ISODate), QStringLiteral("2003-07-01T08:52:37Z"));
    QCOMPARE(message.messageId(), QByteArray("<id1@example.org>"));
    QCOMPARE(message.inReplyTo(), QByteArray("<id0@example.org>"));
    QCOMPARE(message.references(), (QByteArrayList{"<r1@x>", "<r2@x>", "<id0@example.org>"}));
}

QTEST_GUILESS_MAIN(TestMessageParser)
#include "tst_message_parser.moc"
