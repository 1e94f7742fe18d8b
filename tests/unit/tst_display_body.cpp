#include "mime/DisplayBody.h"

#include <QTest>

using namespace wharf::mime;

namespace {

QByteArray crlf(const char *text)
{
    return QByteArray(text).replace("\n", "\r\n");
}

const char *kAlternative = "Content-Type: multipart/alternative; boundary=a\n\n--a\n"
                           "Content-Type: text/plain\n\nplain\n--a\n"
                           "Content-Type: text/html\n\n<p>html</p>\n--a--\n";

} // namespace

class TestDisplayBody : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void picks_data();
    void picks();
};

void TestDisplayBody::picks_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<int>("preference");
    QTest::addColumn<QByteArray>("part"); // empty: no body

    const int plain = int(BodyPreference::PlainText);
    const int html = int(BodyPreference::Html);
    QTest::newRow("single text") << crlf("Subject: x\n\nhi\n") << html << QByteArray("1");
    QTest::newRow("alternative, plain wanted") << crlf(kAlternative) << plain << QByteArray("1");
    QTest::newRow("alternative, html wanted") << crlf(kAlternative) << html << QByteArray("2");
    QTest::newRow("alternative with html only, plain wanted")
        << crlf("Content-Type: multipart/alternative; boundary=a\n\n--a\n"
                "Content-Type: text/html\n\n<p>x</p>\n--a--\n")
        << plain << QByteArray("1");
    QTest::newRow("mixed: text then attachment")
        << crlf("Content-Type: multipart/mixed; boundary=m\n\n--m\n"
                "Content-Type: text/plain\nContent-Disposition: attachment; filename=a.txt\n\n"
                "attached\n--m\nContent-Type: text/plain\n\nbody\n--m--\n")
        << plain << QByteArray("2");
    QTest::newRow("mixed around alternative")
        << crlf("Content-Type: multipart/mixed; boundary=m\n\n--m\n"
                "Content-Type: multipart/alternative; boundary=a\n\n--a\n"
                "Content-Type: text/plain\n\nplain\n--a\n"
                "Content-Type: text/html\n\n<p>html</p>\n--a--\n--m\n"
                "Content-Type: application/pdf\n\n%PDF\n--m--\n")
        << html << QByteArray("1.2");
    QTest::newRow("related root") << crlf(
                                         "Content-Type: multipart/related; boundary=r\n\n--r\n"
                                         "Content-Type: text/html\n\n<img src=cid:x>\n--r\n"
                                         "Content-Type: image/png\nContent-ID: <x>\n\nPNG\n--r--\n")
                                  << plain << QByteArray("1");
    QTest::newRow("attached message is not the body")
        << crlf("Content-Type: multipart/mixed; boundary=m\n\n--m\n"
                "Content-Type: message/rfc822\n\nSubject: inner\n\ninner text\n--m--\n")
        << plain << QByteArray();
    QTest::newRow("only an image")
        << crlf("Content-Type: image/png\n\nPNG\n") << plain << QByteArray();
}

void TestDisplayBody::picks()
{
    QFETCH(QByteArray, message);
    QFETCH(int, preference);
    QFETCH(QByteArray, part);
    const Message parsed = Message::parse(message);
    const MessagePart *body = displayBody(parsed, BodyPreference(preference));
    QCOMPARE(body ? body->partNumber() : QByteArray(), part);
}

QTEST_GUILESS_MAIN(TestDisplayBody)
#include "tst_display_body.moc"
