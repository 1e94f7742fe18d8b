// Writing messages: structure per kind of draft, header injection, line limits, encoding
// choices, envelope fields, and the reply helpers.

#include "mime/EncodedWords.h"
#include "mime/Message.h"
#include "mime/MessageWriter.h"
#include "mime/ReplyHelpers.h"

#include <QTest>
#include <QTimeZone>

Q_DECLARE_METATYPE(wharf::mime::Draft)

using namespace wharf;
using namespace wharf::mime;

namespace {

MailAddress mailbox(const char *name, const char *address)
{
    return {QString::fromUtf8(name), QString::fromUtf8(address), {}};
}

Draft basicDraft()
{
    Draft draft;
    draft.from = mailbox("Ann Example", "ann@example.org");
    draft.to = {mailbox("", "bob@example.net")};
    draft.subject = QStringLiteral("Hello");
    draft.plainText = QStringLiteral("Hi Bob,\nsee you.\n");
    return draft;
}

QByteArray written(const Draft &draft, const WriteOptions &options = {})
{
    auto result = writeMessage(draft, options);
    if (const Error *error = std::get_if<Error>(&result))
        qFatal("writeMessage failed: %s", qPrintable(error->message()));
    return std::get<QByteArray>(result);
}

QString rejection(const Draft &draft)
{
    auto result = writeMessage(draft);
    const Error *error = std::get_if<Error>(&result);
    if (!error)
        return {};
    return Error::kindName(error->kind()) + u' ' + error->message();
}

// "content-type[ filename]" per leaf.
QStringList leaves(const Message &message)
{
    QStringList out;
    for (const MessagePart *leaf : message.leafParts()) {
        QString entry = QString::fromLatin1(leaf->contentType());
        if (!leaf->fileName().isEmpty())
            entry += u' ' + leaf->fileName();
        out.append(entry);
    }
    return out;
}

QByteArray bodyEncoding(const QByteArray &message)
{
    return Message::parse(message).leafParts().first()->transferEncoding();
}

} // namespace

class TestMessageWriter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void structures_data();
    void structures();
    void bccIsNeverWritten();
    void headerInjectionIsRejected_data();
    void headerInjectionIsRejected();
    void lineLengths();
    void encodingChoice();
    void envelope();
    void forwardedMessage();
    void replySubject_data();
    void replySubject();
    void forwardSubject_data();
    void forwardSubject();
    void replyAll();
    void quoting();
};

void TestMessageWriter::structures_data()
{
    QTest::addColumn<Draft>("draft");
    QTest::addColumn<QByteArray>("rootType");
    QTest::addColumn<QStringList>("expected");

    Draft draft = basicDraft();
    QTest::newRow("text") << draft << QByteArray("text/plain")
                          << QStringList{QStringLiteral("text/plain")};
    draft.htmlText = QStringLiteral("<p>Hi <img src=\"cid:logo@x\"></p>");
    QTest::newRow("alternative") << draft << QByteArray("multipart/alternative")
                                 << QStringList{QStringLiteral("text/plain"),
                                                QStringLiteral("text/html")};
    draft.attachments.append({QStringLiteral("résumé (final).pdf"),
                              "application/pdf",
                              QByteArray("%PDF-1.4\0\x01\xff", 11),
                              false,
                              {}});
    QTest::newRow("mixed") << draft << QByteArray("multipart/mixed")
                           << QStringList{QStringLiteral("text/plain"), QStringLiteral("text/html"),
                                          QStringLiteral("application/pdf résumé (final).pdf")};
    draft.attachments.append(
        {QStringLiteral("logo.png"), "image/png", QByteArray("\x89PNG\r\n", 6), true, "logo@x"});
    QTest::newRow("related") << draft << QByteArray("multipart/mixed")
                             << QStringList{QStringLiteral("text/plain"),
                                            QStringLiteral("text/html"),
                                            QStringLiteral("image/png logo.png"),
                                            QStringLiteral("application/pdf résumé (final).pdf")};
    Draft htmlOnly = basicDraft();
    htmlOnly.plainText.clear();
    htmlOnly.htmlText = QStringLiteral("<b>x</b>");
    QTest::newRow("html only") << htmlOnly << QByteArray("text/html")
                               << QStringList{QStringLiteral("text/html")};
    Draft guessed = basicDraft();
    guessed.attachments.append(
        {QStringLiteral("日本語.txt"), {}, QByteArray("plain words\n"), false, {}});
    QTest::newRow("guessed type") << guessed << QByteArray("multipart/mixed")
                                  << QStringList{QStringLiteral("text/plain"),
                                                 QStringLiteral("text/plain 日本語.txt")};
}

void TestMessageWriter::structures()
{
    QFETCH(Draft, draft);
    QFETCH(QByteArray, rootType);
    QFETCH(QStringList, expected);
    const Message message = Message::parse(written(draft));
    QCOMPARE(message.root().contentType(), rootType);
    QCOMPARE(leaves(message), expected);
    const QList<const MessagePart *> parts = message.leafParts();
    QCOMPARE(parts.first()->decodedText().replace(QStringLiteral("\r\n"), QStringLiteral("\n")),
             draft.plainText.isEmpty() ? draft.htmlText : draft.plainText);
    for (const Attachment &attachment : std::as_const(draft.attachments)) {
        const auto found = std::find_if(parts.cbegin(), parts.cend(), [&](const MessagePart *p) {
            return p->fileName() == attachment.fileName;
        });
        QVERIFY(found != parts.cend());
        QCOMPARE((*found)->decodedBytes(), attachment.data);
        if (attachment.inline_) {
            QCOMPARE((*found)->contentId(), attachment.contentId);
            QCOMPARE((*found)->disposition(), QByteArray("inline"));
        }
    }
    if (draft.attachments.size() == 2) { // the inline image sits next to the html
        const MessagePart &alternative = message.root().children().first();
        QCOMPARE(alternative.children().last().contentType(), QByteArray("multipart/related"));
    }
}

void TestMessageWriter::bccIsNeverWritten()
{
    Draft draft = basicDraft();
    draft.bcc = {mailbox("Secret", "hidden@example.com")};
    const QByteArray message = written(draft);
    QVERIFY(!message.contains("hidden@example.com"));
    QVERIFY(Message::parse(message).bcc().isEmpty());
}

void TestMessageWriter::headerInjectionIsRejected_data()
{
    QTest::addColumn<Draft>("draft");
    QTest::addColumn<QString>("expected");
    Draft draft = basicDraft();
    draft.subject = QStringLiteral("a\r\nBcc: x@evil");
    QTest::newRow("subject CR") << draft << QStringLiteral("usage Subject contains a carriage");
    draft.subject = decodeHeaderText("=?UTF-8?Q?a=0D=0Abcc:_x@evil?=");
    QTest::newRow("decoded subject")
        << draft << QStringLiteral("usage Subject contains a carriage");
    draft = basicDraft();
    draft.from.name = QStringLiteral("Ann\nBcc: x@evil");
    QTest::newRow("name LF") << draft
                             << QStringLiteral("usage From display name contains a line feed");
    draft = basicDraft();
    draft.to = {mailbox("", "bob@example.net\r\nBcc: x@evil")};
    QTest::newRow("address") << draft << QStringLiteral("usage To address contains a carriage");
    draft = basicDraft();
    draft.attachments.append(
        {QStringLiteral("a") + QChar(0) + QStringLiteral(".txt"), "text/plain", "x", false, {}});
    QTest::newRow("file name NUL")
        << draft << QStringLiteral("usage Attachment 1 file name contains a NUL");
    draft = basicDraft();
    draft.inReplyTo = "<a@b>\r\nBcc: x@evil";
    QTest::newRow("in-reply-to") << draft
                                 << QStringLiteral("usage In-Reply-To contains a carriage");
    draft = basicDraft();
    draft.cc = {mailbox("", "not an address")};
    QTest::newRow("bad address") << draft
                                 << QStringLiteral(
                                        "usage Cc address \"not an address\" is not a plain");
}

void TestMessageWriter::headerInjectionIsRejected()
{
    QFETCH(Draft, draft);
    QFETCH(QString, expected);
    const QString message = rejection(draft);
    QVERIFY2(message.startsWith(expected), qPrintable(message));
}

void TestMessageWriter::lineLengths()
{
    Draft draft = basicDraft();
    draft.subject = QString(40, u'ä') + QStringLiteral(" and a long plain tail ").repeated(8);
    draft.from.name = QStringLiteral("Ünïcödé Nämé, with \"quotes\" and (comments) ").repeated(4);
    for (int i = 0; i < 12; ++i)
        draft.cc.append(mailbox("Some Person", "someone.with.a.long.address@example.com"));
    draft.plainText = QString(3000, u'x') + u'\n' + QString(2000, u'ü');
    draft.references = QByteArrayList(20, "<0123456789abcdef@example.com>");
    draft.attachments.append(
        {QString(300, u'名') + QStringLiteral(".txt"), "text/plain", "x", false, {}});
    const QByteArray message = written(draft);
    const qsizetype headerEnd = message.indexOf("\r\n\r\n");
    const QList<QByteArray> lines = message.split('\n');
    qsizetype offset = 0;
    for (const QByteArray &line : lines) {
        QVERIFY2(line.size() <= 999, line.constData());
        if (offset < headerEnd)
            QVERIFY2(line.size() <= 79, line.constData()); // 78 and the CR
        offset += line.size() + 1;
    }
    const Message parsed = Message::parse(message);
    QCOMPARE(parsed.subject(), draft.subject);
    QCOMPARE(parsed.from().first().name, draft.from.name.trimmed());
    QCOMPARE(parsed.cc().size(), 12);
    QCOMPARE(parsed.references().size(), 20);
    QCOMPARE(parsed.leafParts().last()->fileName(), draft.attachments.first().fileName);
}

void TestMessageWriter::encodingChoice()
{
    Draft draft = basicDraft();
    QCOMPARE(bodyEncoding(written(draft)), QByteArray("7bit"));
    draft.plainText = QStringLiteral("Grüße aus Köln, the rest is plain ASCII text.\n");
    QCOMPARE(bodyEncoding(written(draft)), QByteArray("quoted-printable"));
    QCOMPARE(bodyEncoding(written(draft, {true, {}, "x.invalid"})), QByteArray("8bit"));
    draft.plainText = QStringLiteral("日本語のテキストです。これは長い文章です。\n");
    QCOMPARE(bodyEncoding(written(draft)), QByteArray("base64"));
    draft.plainText = QStringLiteral("trailing space \nFrom the start\n.\n");
    const QByteArray message = written(draft);
    QCOMPARE(bodyEncoding(message), QByteArray("quoted-printable"));
    QVERIFY(message.contains("trailing space=20\r\n=46rom the start\r\n=2E\r\n"));
    draft.plainText = QString(2000, u'a') + u'\n';
    QCOMPARE(bodyEncoding(written(draft, {true, {}, "x.invalid"})), QByteArray("quoted-printable"));
}

void TestMessageWriter::envelope()
{
    Draft draft = basicDraft();
    draft.inReplyTo = "<parent@example.org>";
    draft.references = {"<root@example.org>", "<parent@example.org>"};
    draft.replyTo = {mailbox("List", "list@example.org")};
    const QDateTime date(QDate(2003, 7, 1), QTime(10, 52, 37), QTimeZone(7200));
    const QByteArray first = written(draft, {false, date, "host.example"});
    QVERIFY(first.contains("\r\nDate: Tue, 01 Jul 2003 10:52:37 +0200\r\n"));
    QVERIFY(first.contains("\r\nMIME-Version: 1.0\r\n"));
    const Message message = Message::parse(first);
    QCOMPARE(message.date(), date.toUTC());
    QVERIFY(message.messageId().endsWith("@host.example>"));
    QCOMPARE(message.inReplyTo(), draft.inReplyTo);
    QCOMPARE(message.references(), draft.references);
    QCOMPARE(message.replyTo(), draft.replyTo);
    QCOMPARE(message.from(), QList<MailAddress>{draft.from});
    QVERIFY(Message::parse(written(draft)).messageId() != message.messageId());
    QVERIFY(Message::parse(written(draft)).date().has_value());
}

void TestMessageWriter::forwardedMessage()
{
    const QByteArray original = "From: Carol <carol@example.com>\r\nSubject: Minutes\r\n"
                                "Content-Type: text/plain; charset=utf-8\r\n\r\nThe minutes.\r\n";
    Draft draft = basicDraft();
    draft.forwardedMessage = original;
    Message message = Message::parse(written(draft));
    QCOMPARE(leaves(message),
             (QStringList{QStringLiteral("text/plain"), QStringLiteral("text/plain")}));
    const MessagePart &attached = message.root().children().last();
    QCOMPARE(attached.contentType(), QByteArray("message/rfc822"));
    QCOMPARE(attached.transferEncoding(), QByteArray("7bit"));
    QCOMPARE(attached.decodedBytes(), original);
    draft.forwardedMessage = QByteArray(original).replace("\r\n", "\n");
    message = Message::parse(written(draft));
    QCOMPARE(message.root().children().last().transferEncoding(), QByteArray("base64"));
    QCOMPARE(message.root().children().last().decodedBytes(), draft.forwardedMessage);
    draft.forwardAsAttachment = false;
    message = Message::parse(written(draft));
    QCOMPARE(message.leafParts().size(), 1);
    const QString text = message.leafParts().first()->decodedText();
    QVERIFY(text.contains(QStringLiteral("-------- Forwarded Message --------")));
    QVERIFY(text.contains(QStringLiteral("Subject: Minutes")));
    QVERIFY(text.contains(QStringLiteral("The minutes.")));
}

void TestMessageWriter::replySubject_data()
{
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QString>("expected");
    const auto row = [](const char *in, const char *out) {
        QTest::newRow(in) << QString::fromUtf8(in) << QString::fromUtf8(out);
    };
    row("Hello", "Re: Hello");
    row("Re: Hello", "Re: Hello");
    row("RE: re: Aw: Hello", "Re: Hello");
    row("AW:Sv: Antw: Hello", "Re: Hello");
    row("Re[2]: Hello", "Re: Hello");
    row("Fwd: Hello", "Re: Fwd: Hello");
    row("Reply needed", "Re: Reply needed");
    row("", "Re: ");
}

void TestMessageWriter::replySubject()
{
    QFETCH(QString, subject);
    QFETCH(QString, expected);
    QCOMPARE(wharf::mime::replySubject(subject), expected);
}

void TestMessageWriter::forwardSubject_data()
{
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QString>("expected");
    const auto row = [](const char *in, const char *out) {
        QTest::newRow(in) << QString::fromUtf8(in) << QString::fromUtf8(out);
    };
    row("Hello", "Fwd: Hello");
    row("Fwd: Hello", "Fwd: Hello");
    row("FW: WG: fwd: Hello", "Fwd: Hello");
    row("Re: Hello", "Fwd: Re: Hello");
    row("Fwdx: Hello", "Fwd: Fwdx: Hello");
}

void TestMessageWriter::forwardSubject()
{
    QFETCH(QString, subject);
    QFETCH(QString, expected);
    QCOMPARE(wharf::mime::forwardSubject(subject), expected);
}

void TestMessageWriter::replyAll()
{
    const Message original = Message::parse(
        "From: Ann <ann@example.org>\r\nTo: me@example.com, Bob <BOB@example.net>\r\n"
        "Cc: bob@example.net, Carol <carol@example.com>, ME@Example.com\r\n\r\nbody\r\n");
    const QList<MailAddress> expected{mailbox("Ann", "ann@example.org"),
                                      mailbox("Bob", "BOB@example.net"),
                                      mailbox("Carol", "carol@example.com")};
    QCOMPARE(replyAllRecipients(original, {QStringLiteral("me@example.com")}), expected);
    const Message withReplyTo = Message::parse(
        "From: Ann <ann@example.org>\r\nReply-To: list@example.org\r\nTo: ann@example.org\r\n\r\n");
    QCOMPARE(replyAllRecipients(withReplyTo, {}),
             (QList<MailAddress>{mailbox("", "list@example.org"), mailbox("", "ann@example.org")}));
}

void TestMessageWriter::quoting()
{
    const Message original = Message::parse(
        "From: Ann <ann@example.org>\r\nDate: Tue, 01 Jul 2003 10:52:37 +0200\r\n\r\n");
    QCOMPARE(quotedReply(original, QStringLiteral("one\r\n\r\n> two\r\n")),
             QStringLiteral("On Tue, 01 Jul 2003 08:52 UTC, Ann wrote:\n> one\n>\n>> two\n"));
    QCOMPARE(quotedReply(Message::parse("From: a@b\r\n\r\n"), QStringLiteral("x")),
             QStringLiteral("a@b wrote:\n> x\n"));
}

QTEST_GUILESS_MAIN(TestMessageWriter)
#include "tst_message_writer.moc"
