#include "protocols/imap/FetchData.h"
#include "protocols/imap/ResponseParser.h"

#include <QTest>

using namespace wharf::imap;

namespace {

// One response from server bytes; nullopt (with a warning) when the parser refuses it, so
// that a reader test never passes only because the line did not parse.
std::optional<Response> parseOne(QByteArray bytes, const ParserLimits &limits = {})
{
    if (!bytes.endsWith("\r\n"))
        bytes += "\r\n";
    wharf::Error error;
    const QList<Response> responses = parseResponses(bytes, &error, limits);
    if (error || responses.size() != 1) {
        qWarning("parser refused %s: %s", bytes.constData(), qPrintable(error.message()));
        return std::nullopt;
    }
    return responses.first();
}

// "{n}\r\n" + content, for literals in test lines.
QByteArray literal(const QByteArray &content)
{
    return '{' + QByteArray::number(content.size()) + "}\r\n" + content;
}

// The part tree in one line: "[section]type/subtype(children)".
QByteArray outline(const BodyPart &part)
{
    QByteArray text = '[' + part.section + ']' + part.type + '/' + part.subtype;
    if (!part.parts.isEmpty()) {
        QByteArrayList children;
        for (const BodyPart &child : part.parts)
            children.append(outline(child));
        text += '(' + children.join(' ') + ')';
    }
    return text;
}

const BodyPart *findSection(const BodyPart &part, const QByteArray &section)
{
    if (part.section == section && !part.isMultipart())
        return &part;
    for (const BodyPart &child : part.parts) {
        if (const BodyPart *found = findSection(child, section))
            return found;
    }
    return nullptr;
}

QDateTime utc(int year, int month, int day, int hour, int minute, int second)
{
    return QDateTime(QDate(year, month, day), QTime(hour, minute, second), Qt::UTC);
}

const QByteArray kRfcEnvelope =
    R"x(("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)" "IMAP4rev1 WG mtg summary and minutes" )x"
    R"x((("Terry Gray" NIL "gray" "cac.washington.edu")) )x"
    R"x((("Terry Gray" NIL "gray" "cac.washington.edu")) )x"
    R"x((("Terry Gray" NIL "gray" "cac.washington.edu")) ((NIL NIL "imap" "cac.washington.edu")) )x"
    R"x(((NIL NIL "minutes" "CNRI.Reston.VA.US")("John Klensin" NIL "KLENSIN" "MIT.EDU")) NIL NIL )x"
    R"x("<B27397-0100000@cac.washington.edu>"))x";

} // namespace

class TestImapFetchData : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void headerItems();
    void lowerCaseNamesAndGmailExtensions();
    void sections_data();
    void sections();
    void streamedLiteral();
    void envelope();
    void envelopeGroupsAndLiterals();
    void bodyStructures_data();
    void bodyStructures();
    void forwardedMessageAttachment();
    void exchangeAttachment();
    void sectionArgument();
    void malformed_data();
    void malformed();
    void notAList();
    void internalDate_data();
    void internalDate();
    void formatInternalDate();
};

void TestImapFetchData::headerItems()
{
    // RFC 3501 6.4.5's example as Dovecot answers a header-list UID FETCH, with CONDSTORE.
    const auto response = parseOne(
        "* 12 FETCH (UID 4827313 FLAGS (\\Seen $Forwarded) INTERNALDATE \"17-Jul-1996 02:44:25 "
        "-0700\" RFC822.SIZE 4286 MODSEQ (12121231000) ENVELOPE " +
        kRfcEnvelope +
        " BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92))");
    QVERIFY(response);
    QCOMPARE(response->name, QByteArray("FETCH"));
    QByteArray problem;
    const auto fetch = parseFetch(response->number, response->data, &problem);
    QVERIFY2(fetch, problem.constData());
    QCOMPARE(fetch->sequence, 12u);
    QCOMPARE(fetch->uid, 4827313u);
    QCOMPARE(fetch->flags, (QByteArrayList{"\\Seen", "$Forwarded"}));
    QCOMPARE(fetch->internalDate, utc(1996, 7, 17, 9, 44, 25));
    QCOMPARE(fetch->internalDate->timeSpec(), Qt::UTC);
    QCOMPARE(fetch->size, quint64(4286));
    QCOMPARE(fetch->modSeq, quint64(12121231000));
    QVERIFY(fetch->envelope);
    QCOMPARE(fetch->envelope->subject, QByteArray("IMAP4rev1 WG mtg summary and minutes"));
    QVERIFY(fetch->bodyStructure);
    QCOMPARE(outline(*fetch->bodyStructure), QByteArray("[1]text/plain"));
    QCOMPARE(fetch->bodyStructure->lines, quint64(92));
    QCOMPARE(fetch->bodyStructure->parameter("charset"), QByteArray("US-ASCII"));
    QVERIFY(fetch->sections.isEmpty());
    QVERIFY(fetch->unknownItems.isEmpty());
}

void TestImapFetchData::lowerCaseNamesAndGmailExtensions()
{
    const auto response = parseOne(
        "* 1 FETCH (X-GM-THRID 1266894439832287888 X-GM-MSGID 1266894439832287888 "
        "X-GM-LABELS (\\Important \"\\\\Sent\" Muy_Importante) uid 4 flags () modseq (4398) "
        "rfc822.size 44 internaldate \" 7-Feb-2023 10:01:02 +0100\" EMAILID (M6d99ac3275bb4e))");
    QVERIFY(response);
    QByteArray problem;
    const auto fetch = parseFetch(response->number, response->data, &problem);
    QVERIFY2(fetch, problem.constData());
    QCOMPARE(fetch->uid, 4u);
    QCOMPARE(fetch->flags, QByteArrayList());
    QCOMPARE(fetch->modSeq, quint64(4398));
    QCOMPARE(fetch->size, quint64(44));
    QCOMPARE(fetch->internalDate, utc(2023, 2, 7, 9, 1, 2));
    QCOMPARE(fetch->unknownItems,
             (QByteArrayList{"X-GM-THRID", "X-GM-MSGID", "X-GM-LABELS", "EMAILID"}));
    QVERIFY(!fetch->envelope);
    QVERIFY(!fetch->bodyStructure);
}

void TestImapFetchData::sections_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QByteArray>("section");
    QTest::addColumn<qint64>("origin"); // -1: none
    QTest::addColumn<int>("kind");
    QTest::addColumn<QByteArray>("content");

    const int string = int(Value::Kind::String);
    const int nil = int(Value::Kind::Nil);
    const QByteArray message = "From: a@example.org\r\nSubject: hi\r\n\r\nHello\r\n";
    const QByteArray header = "From: a@example.org\r\nSubject: hi\r\n\r\n";

    QTest::newRow("whole message") << "* 3 FETCH (UID 40 BODY[] " + literal(message) + ")"
                                   << QByteArray() << qint64(-1) << string << message;
    QTest::newRow("header fields")
        << "* 3 FETCH (UID 40 BODY[HEADER.FIELDS (FROM SUBJECT)] " + literal(header) + ")"
        << QByteArray("HEADER.FIELDS (FROM SUBJECT)") << qint64(-1) << string << header;
    QTest::newRow("partial") << "* 3 FETCH (UID 40 BODY[1.2]<4096> " + literal("chunk") + ")"
                             << QByteArray("1.2") << qint64(4096) << string << QByteArray("chunk");
    QTest::newRow("quoted") << QByteArray("* 3 FETCH (BODY[1] \"short\" UID 40)") << QByteArray("1")
                            << qint64(-1) << string << QByteArray("short");
    QTest::newRow("nil part (Exchange, a part that is gone)")
        << QByteArray("* 3 FETCH (UID 40 BODY[2] NIL)") << QByteArray("2") << qint64(-1) << nil
        << QByteArray();
    QTest::newRow("binary") << "* 3 FETCH (UID 40 BINARY[2] " + literal("\x01\x02 raw") + ")"
                            << QByteArray("2") << qint64(-1) << string
                            << QByteArray("\x01\x02 raw");
    QTest::newRow("lower-case body")
        << "* 3 FETCH (uid 40 body[text] " + literal("x") + ")" << QByteArray("text") << qint64(-1)
        << string << QByteArray("x");
    QTest::newRow("rfc822 (Courier, old clients)")
        << "* 3 FETCH (UID 40 RFC822 " + literal(message) + ")" << QByteArray() << qint64(-1)
        << string << message;
    QTest::newRow("rfc822.header") << "* 3 FETCH (UID 40 RFC822.HEADER " + literal(header) + ")"
                                   << QByteArray("HEADER") << qint64(-1) << string << header;
    QTest::newRow("rfc822.text") << "* 3 FETCH (UID 40 RFC822.TEXT " + literal("Hello\r\n") + ")"
                                 << QByteArray("TEXT") << qint64(-1) << string
                                 << QByteArray("Hello\r\n");
    QTest::newRow("empty literal") << QByteArray("* 3 FETCH (UID 40 BODY[1] {0}\r\n)")
                                   << QByteArray("1") << qint64(-1) << string << QByteArray();
}

void TestImapFetchData::sections()
{
    QFETCH(QByteArray, line);
    QFETCH(QByteArray, section);
    QFETCH(qint64, origin);
    QFETCH(int, kind);
    QFETCH(QByteArray, content);

    const auto response = parseOne(line);
    QVERIFY(response);
    QByteArray problem;
    const auto fetch = parseFetch(response->number, response->data, &problem);
    QVERIFY2(fetch, problem.constData());
    QCOMPARE(fetch->uid, 40u);
    QCOMPARE(fetch->sections.size(), 1);
    const BodySection &got = fetch->sections.first();
    QCOMPARE(got.section, section);
    QCOMPARE(got.origin.has_value(), origin >= 0);
    if (origin >= 0)
        QCOMPARE(*got.origin, quint64(origin));
    QCOMPARE(int(got.content.kind), kind);
    QCOMPARE(got.content.bytes, content);
    QVERIFY(fetch->unknownItems.isEmpty());
}

void TestImapFetchData::streamedLiteral()
{
    ParserLimits limits;
    limits.inlineLiteralLimit = 16;
    const QByteArray body(100, 'x');
    const auto response = parseOne("* 9 FETCH (UID 77 BODY[] " + literal(body) +
                                       " BINARY.SIZE[1] 1234 FLAGS (\\Seen))",
                                   limits);
    QVERIFY(response);
    QByteArray problem;
    const auto fetch = parseFetch(response->number, response->data, &problem);
    QVERIFY2(fetch, problem.constData());
    QCOMPARE(fetch->sections.size(), 1);
    QCOMPARE(fetch->sections.first().content.kind, Value::Kind::StreamedLiteral);
    QCOMPARE(fetch->sections.first().content.number, quint64(100));
    QCOMPARE(fetch->unknownItems, QByteArrayList{"BINARY.SIZE[1]"});
    QCOMPARE(fetch->flags, QByteArrayList{"\\Seen"});
}

void TestImapFetchData::envelope()
{
    const auto response = parseOne("* 1 FETCH (ENVELOPE " + kRfcEnvelope + ")");
    QVERIFY(response);
    const auto fetch = parseFetch(response->number, response->data);
    QVERIFY(fetch && fetch->envelope);
    const Envelope &envelope = *fetch->envelope;
    QCOMPARE(envelope.date, QByteArray("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)"));
    const EnvelopeAddress gray{"Terry Gray", {}, "gray", "cac.washington.edu"};
    QCOMPARE(envelope.from, QList<EnvelopeAddress>{gray});
    QCOMPARE(envelope.sender, QList<EnvelopeAddress>{gray});
    QCOMPARE(envelope.replyTo, QList<EnvelopeAddress>{gray});
    QCOMPARE(envelope.to, (QList<EnvelopeAddress>{{{}, {}, "imap", "cac.washington.edu"}}));
    QCOMPARE(envelope.cc, (QList<EnvelopeAddress>{{{}, {}, "minutes", "CNRI.Reston.VA.US"},
                                                  {"John Klensin", {}, "KLENSIN", "MIT.EDU"}}));
    QVERIFY(envelope.bcc.isEmpty());
    QVERIFY(envelope.inReplyTo.isEmpty());
    QCOMPARE(envelope.messageId, QByteArray("<B27397-0100000@cac.washington.edu>"));
}

void TestImapFetchData::envelopeGroupsAndLiterals()
{
    // Group syntax kept as sent (start: host NIL; end: all NIL); a literal subject with
    // encoded words untouched; an empty address list "()" as Exchange sends for no Cc;
    // NIL sender and reply-to from a lax server stay empty.
    const QByteArray subject = "=?utf-8?Q?Gr=C3=BC=C3=9Fe?= \"quoted\"";
    const auto response = parseOne(
        "* 5 FETCH (UID 9 ENVELOPE (NIL " + literal(subject) +
        " ((\"Ann\" NIL \"ann\" \"example.org\")) NIL NIL ((NIL NIL \"undisclosed-recipients\" "
        "NIL)(NIL NIL NIL NIL)) () NIL \"<parent@example.org>\" \"<child@example.org>\"))");
    QVERIFY(response);
    QByteArray problem;
    const auto fetch = parseFetch(response->number, response->data, &problem);
    QVERIFY2(fetch, problem.constData());
    const Envelope &envelope = *fetch->envelope;
    QVERIFY(envelope.date.isEmpty());
    QCOMPARE(envelope.subject, subject);
    QVERIFY(envelope.sender.isEmpty());
    QVERIFY(envelope.replyTo.isEmpty());
    QCOMPARE(envelope.to,
             (QList<EnvelopeAddress>{{{}, {}, "undisclosed-recipients", {}}, {{}, {}, {}, {}}}));
    QVERIFY(envelope.cc.isEmpty());
    QCOMPARE(envelope.inReplyTo, QByteArray("<parent@example.org>"));
    QCOMPARE(envelope.messageId, QByteArray("<child@example.org>"));
}

void TestImapFetchData::bodyStructures_data()
{
    QTest::addColumn<QByteArray>("structure");
    QTest::addColumn<QByteArray>("outline");

    QTest::newRow("single text, Dovecot")
        << QByteArray(
               R"x(("text" "plain" ("charset" "utf-8") NIL NIL "7bit" 120 4 NIL NIL NIL NIL))x")
        << QByteArray("[1]text/plain");
    QTest::newRow("upper case, no extension data (BODY)")
        << QByteArray(R"x(("TEXT" "HTML" NIL NIL NIL "QUOTED-PRINTABLE" 120 4))x")
        << QByteArray("[1]text/html");
    QTest::newRow("text without line count")
        << QByteArray(R"x(("text" "plain" NIL NIL NIL "7bit" 120))x")
        << QByteArray("[1]text/plain");
    QTest::newRow("alternative, Exchange")
        << QByteArray(
               R"x((("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "QUOTED-PRINTABLE" 1234 40 NIL NIL NIL NIL))x"
               R"x(("TEXT" "HTML" ("CHARSET" "utf-8") NIL NIL "QUOTED-PRINTABLE" 5678 100 NIL NIL NIL NIL))x"
               R"x( "ALTERNATIVE" ("BOUNDARY" "_000_DB7PR") NIL NIL NIL))x")
        << QByteArray("[]multipart/alternative([1]text/plain [2]text/html)");
    QTest::newRow("related inside mixed, Gmail")
        << QByteArray(
               R"x(((("text" "html" ("charset" "UTF-8") NIL NIL "quoted-printable" 500 12 NIL NIL NIL))x"
               R"x(("image" "png" ("name" "logo.png") "<logo@x>" NIL "base64" 2000 NIL ("inline" ("filename" "logo.png")) NIL))x"
               R"x( "related" ("boundary" "b2") NIL NIL)("application" "pdf" ("name" "a.pdf") NIL NIL "base64" 9000 NIL)x"
               R"x( ("attachment" ("filename" "a.pdf")) NIL) "mixed" ("boundary" "b1") NIL NIL))x")
        << QByteArray("[]multipart/mixed([1]multipart/related([1.1]text/html [1.2]image/png) "
                      "[2]application/pdf)");
    QTest::newRow("message/rfc822 with a single part")
        << QByteArray(
               R"x((("text" "plain" NIL NIL NIL "7bit" 10 1)("message" "rfc822" NIL NIL NIL "7bit" 300 )x"
               R"x((NIL "inner" NIL NIL NIL NIL NIL NIL NIL NIL) ("text" "plain" NIL NIL NIL "7bit" 20 2) 9) "mixed"))x")
        << QByteArray("[]multipart/mixed([1]text/plain [2]message/rfc822([2.1]text/plain))");
    QTest::newRow("message/rfc822 sent as a basic part")
        << QByteArray(
               R"x((("text" "plain" NIL NIL NIL "7bit" 10 1)("MESSAGE" "RFC822" NIL NIL NIL "BASE64" 300 NIL ("attachment" NIL) NIL NIL) "mixed"))x")
        << QByteArray("[]multipart/mixed([1]text/plain [2]message/rfc822)");
    QTest::newRow("NIL type and subtype") << QByteArray(R"x((NIL NIL NIL NIL NIL "7bit" 5))x")
                                          << QByteArray("[1]application/octet-stream");
    QTest::newRow("multipart without subtype")
        << QByteArray(R"x((("text" "plain" NIL NIL NIL "7bit" 1 1)))x")
        << QByteArray("[]multipart/mixed([1]text/plain)");
    QTest::newRow("odd parameter list")
        << QByteArray(R"x(("text" "plain" ("charset" "utf-8" "format") NIL NIL "7bit" 1 1))x")
        << QByteArray("[1]text/plain");
}

void TestImapFetchData::bodyStructures()
{
    QFETCH(QByteArray, structure);
    QFETCH(QByteArray, outline);
    const auto response = parseOne("* 1 FETCH (BODYSTRUCTURE " + structure + ")");
    QVERIFY(response);
    QByteArray problem;
    const auto fetch = parseFetch(response->number, response->data, &problem);
    QVERIFY2(fetch, problem.constData());
    QVERIFY(fetch->bodyStructure);
    QCOMPARE(::outline(*fetch->bodyStructure), outline);
}

void TestImapFetchData::forwardedMessageAttachment()
{
    // multipart/mixed holding a text and a forwarded message that is itself
    // multipart/alternative (Dovecot's form, lower case, full extension data).
    const QByteArray structure =
        R"x((("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 12 1 NIL NIL NIL NIL))x"
        R"x(("message" "rfc822" ("name" "Fwd.eml") NIL "Forwarded" "7bit" 900 )x"
        R"x(("Tue, 1 Aug 2023 10:00:00 +0000" "Fwd" (("Ann" NIL "ann" "example.org")) )x"
        R"x((("Ann" NIL "ann" "example.org")) (("Ann" NIL "ann" "example.org")) )x"
        R"x(((NIL NIL "bob" "example.com")) NIL NIL NIL "<fwd@example.org>") )x"
        R"x((("text" "plain" ("charset" "utf-8") NIL NIL "quoted-printable" 100 3 NIL NIL NIL NIL))x"
        R"x(("text" "html" ("charset" "utf-8") NIL NIL "quoted-printable" 200 5 NIL NIL NIL NIL))x"
        R"x( "alternative" ("boundary" "inner") NIL NIL NIL) 30 NIL ("attachment" ("filename" "Fwd.eml")) NIL NIL))x"
        R"x( "mixed" ("boundary" "outer") NIL NIL NIL))x";
    const auto response = parseOne("* 7 FETCH (UID 70 BODYSTRUCTURE " + structure + ")");
    QVERIFY(response);
    const auto fetch = parseFetch(response->number, response->data);
    QVERIFY(fetch && fetch->bodyStructure);
    const BodyPart &top = *fetch->bodyStructure;
    QCOMPARE(outline(top),
             QByteArray("[]multipart/mixed([1]text/plain [2]message/rfc822("
                        "[2]multipart/alternative([2.1]text/plain [2.2]text/html)))"));
    QCOMPARE(top.parameter("BOUNDARY"), QByteArray("outer"));
    const BodyPart &forwarded = top.parts.at(1);
    QVERIFY(forwarded.envelope);
    QCOMPARE(forwarded.envelope->subject, QByteArray("Fwd"));
    QCOMPARE(forwarded.envelope->to, (QList<EnvelopeAddress>{{{}, {}, "bob", "example.com"}}));
    QCOMPARE(forwarded.size, quint64(900));
    QCOMPARE(forwarded.lines, quint64(30));
    QCOMPARE(forwarded.description, QByteArray("Forwarded"));
    QCOMPARE(forwarded.disposition, QByteArray("attachment"));
    QCOMPARE(forwarded.dispositionParameters,
             (QList<QPair<QByteArray, QByteArray>>{{"filename", "Fwd.eml"}}));
    const BodyPart *html = findSection(top, "2.2");
    QVERIFY(html);
    QCOMPARE(html->subtype, QByteArray("html"));
    QCOMPARE(html->encoding, QByteArray("quoted-printable"));
    QCOMPARE(html->size, quint64(200));
    QCOMPARE(html->lines, quint64(5));
    QCOMPARE(forwarded.parts.first().parameter("boundary"), QByteArray("inner"));
}

void TestImapFetchData::exchangeAttachment()
{
    // Office 365: upper-case tokens, NIL md5, disposition parameters beyond the name.
    const QByteArray structure =
        R"x((("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 50 2 NIL NIL NIL NIL))x"
        R"x(("APPLICATION" "PDF" ("NAME" "report.pdf") NIL "report.pdf" "BASE64" 123456 NIL )x"
        R"x(("attachment" ("FILENAME" "report.pdf" "SIZE" "90210" "CREATION-DATE" )x"
        R"x("Tue, 01 Aug 2023 09:00:00 GMT")) NIL NIL) "MIXED" ("BOUNDARY" "_004_") NIL "en-US" NIL))x";
    const auto response = parseOne("* 2 FETCH (UID 8 BODYSTRUCTURE " + structure + ")");
    QVERIFY(response);
    const auto fetch = parseFetch(response->number, response->data);
    QVERIFY(fetch && fetch->bodyStructure);
    const BodyPart &pdf = fetch->bodyStructure->parts.at(1);
    QCOMPARE(pdf.section, QByteArray("2"));
    QCOMPARE(pdf.type, QByteArray("application"));
    QCOMPARE(pdf.subtype, QByteArray("pdf"));
    QCOMPARE(pdf.encoding, QByteArray("base64"));
    QCOMPARE(pdf.size, quint64(123456));
    QCOMPARE(pdf.parameter("name"), QByteArray("report.pdf"));
    QCOMPARE(pdf.parameters.first().first, QByteArray("name"));
    QCOMPARE(pdf.description, QByteArray("report.pdf"));
    QCOMPARE(pdf.disposition, QByteArray("attachment"));
    QCOMPARE(pdf.dispositionParameters.size(), 3);
    QCOMPARE(pdf.dispositionParameters.at(1), (QPair<QByteArray, QByteArray>{"size", "90210"}));
    QCOMPARE(fetch->bodyStructure->subtype, QByteArray("mixed"));
}

void TestImapFetchData::sectionArgument()
{
    // A part parsed on its own gets the number it is given, and its children below it.
    const auto response = parseOne(
        R"x(* 1 FETCH (BODY (("text" "plain" NIL NIL NIL "7bit" 1 1)("text" "html" NIL NIL NIL "7bit" 1 1) "alternative")))x");
    QVERIFY(response);
    const Value &value = response->data.first().items.at(1);
    const auto part = parseBodyStructure(value, "4");
    QVERIFY(part);
    QCOMPARE(outline(*part),
             QByteArray("[4]multipart/alternative([4.1]text/plain [4.2]text/html)"));
    const auto leaf = parseBodyStructure(value.items.first(), "4.1");
    QVERIFY(leaf);
    QCOMPARE(leaf->section, QByteArray("4.1"));
    QCOMPARE(parseBodyStructure(Value::string("text")), std::nullopt);
}

void TestImapFetchData::malformed_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QByteArray>("problemMentions");

    QTest::newRow("item without value")
        << QByteArray("* 1 FETCH (UID 5 FLAGS)") << QByteArray("FLAGS");
    QTest::newRow("name is a string")
        << QByteArray("* 1 FETCH (\"UID\" 5)") << QByteArray("\"UID\"");
    QTest::newRow("name is a list") << QByteArray("* 1 FETCH ((UID) 5)") << QByteArray("(UID)");
    QTest::newRow("uid not a number") << QByteArray("* 1 FETCH (UID abc)") << QByteArray("UID");
    QTest::newRow("uid zero") << QByteArray("* 1 FETCH (UID 0)") << QByteArray("UID");
    QTest::newRow("uid above 32 bits")
        << QByteArray("* 1 FETCH (UID 4294967296)") << QByteArray("UID");
    QTest::newRow("flags not a list")
        << QByteArray("* 1 FETCH (FLAGS \\Seen)") << QByteArray("FLAGS");
    QTest::newRow("flags with a list")
        << QByteArray("* 1 FETCH (FLAGS (\\Seen (x)))") << QByteArray("FLAGS");
    QTest::newRow("size not a number")
        << QByteArray("* 1 FETCH (RFC822.SIZE NIL)") << QByteArray("RFC822.SIZE");
    QTest::newRow("modseq empty list")
        << QByteArray("* 1 FETCH (MODSEQ ())") << QByteArray("MODSEQ");
    QTest::newRow("bad internal date")
        << QByteArray("* 1 FETCH (INTERNALDATE \"Tue, 1 Aug 2023 10:00:00 +0000\")")
        << QByteArray("INTERNALDATE");
    QTest::newRow("envelope with nine fields")
        << QByteArray("* 1 FETCH (ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL))")
        << QByteArray("ENVELOPE");
    QTest::newRow("envelope address of three")
        << QByteArray("* 1 FETCH (ENVELOPE (NIL NIL ((NIL \"a\" \"b\")) NIL NIL NIL NIL NIL "
                      "NIL NIL))")
        << QByteArray("ENVELOPE");
    QTest::newRow("envelope address list is a string")
        << QByteArray("* 1 FETCH (ENVELOPE (NIL NIL \"a@b\" NIL NIL NIL NIL NIL NIL NIL))")
        << QByteArray("ENVELOPE");
    QTest::newRow("body size not a number")
        << QByteArray("* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL \"7bit\" abc 1))")
        << QByteArray("BODYSTRUCTURE");
    QTest::newRow("body part too short")
        << QByteArray("* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL))")
        << QByteArray("BODYSTRUCTURE");
    QTest::newRow("body parameter is a list")
        << QByteArray("* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" ((\"a\") \"b\") NIL NIL "
                      "\"7bit\" 1 1))")
        << QByteArray("BODYSTRUCTURE");
    QTest::newRow("bad part inside a multipart")
        << QByteArray("* 1 FETCH (BODYSTRUCTURE ((\"text\" \"plain\") \"mixed\"))")
        << QByteArray("BODYSTRUCTURE");
    QTest::newRow("empty bodystructure")
        << QByteArray("* 1 FETCH (BODYSTRUCTURE ())") << QByteArray("BODYSTRUCTURE");
    QTest::newRow("message/rfc822 with a bad envelope")
        << QByteArray("* 1 FETCH (BODYSTRUCTURE (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 5 "
                      "(NIL) (\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1) 1))")
        << QByteArray("BODYSTRUCTURE");
    QTest::newRow("body as a string")
        << QByteArray("* 1 FETCH (BODY \"text\")") << QByteArray("BODY");
    QTest::newRow("section content is a list")
        << QByteArray("* 1 FETCH (BODY[1] (a b))") << QByteArray("BODY[1]");
    QTest::newRow("section content is a number")
        << QByteArray("* 1 FETCH (BODY[1] 12)") << QByteArray("BODY[1]");
    QTest::newRow("bad origin") << QByteArray("* 1 FETCH (BODY[1]<x> \"a\")")
                                << QByteArray("BODY[1]<x>");
    QTest::newRow("text after section")
        << QByteArray("* 1 FETCH (BODY[1]junk \"a\")") << QByteArray("BODY[1]junk");
    QTest::newRow("rfc822 as a list")
        << QByteArray("* 1 FETCH (RFC822 ())") << QByteArray("RFC822");
    QTest::newRow("unknown item without value")
        << QByteArray("* 1 FETCH (UID 3 X-GM-MSGID)") << QByteArray("X-GM-MSGID");
}

void TestImapFetchData::malformed()
{
    QFETCH(QByteArray, line);
    QFETCH(QByteArray, problemMentions);
    const auto response = parseOne(line);
    QVERIFY(response);
    QByteArray problem;
    QCOMPARE(parseFetch(response->number, response->data, &problem), std::nullopt);
    QVERIFY2(problem.contains(problemMentions), problem.constData());
    // Without somewhere to put the problem it still fails.
    QCOMPARE(parseFetch(response->number, response->data), std::nullopt);
}

void TestImapFetchData::notAList()
{
    QByteArray problem;
    QCOMPARE(parseFetch(1, {Value::atom("UID"), Value::numberValue(5)}, &problem), std::nullopt);
    QVERIFY(problem.contains("list"));
    QCOMPARE(parseFetch(1, {}, &problem), std::nullopt);
    QCOMPARE(parseFetch(1, {Value::list({}), Value::list({})}, &problem), std::nullopt);
    // An empty list is a FETCH that says nothing, which is not an error.
    const auto empty = parseFetch(3, {Value::list({})});
    QVERIFY(empty);
    QCOMPARE(empty->sequence, 3u);
    QVERIFY(!empty->uid && !empty->flags && empty->sections.isEmpty());
}

void TestImapFetchData::internalDate_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QDateTime>("expected"); // invalid: rejected

    QTest::newRow("rfc 3501") << QByteArray("17-Jul-1996 02:44:25 -0700")
                              << utc(1996, 7, 17, 9, 44, 25);
    QTest::newRow("space-padded day")
        << QByteArray(" 7-Feb-2023 10:01:02 +0100") << utc(2023, 2, 7, 9, 1, 2);
    QTest::newRow("one-digit day")
        << QByteArray("7-Feb-2023 10:01:02 +0000") << utc(2023, 2, 7, 10, 1, 2);
    QTest::newRow("zero-padded day, lower-case month")
        << QByteArray("07-feb-2023 10:01:02 +0000") << utc(2023, 2, 7, 10, 1, 2);
    QTest::newRow("half-hour zone across new year")
        << QByteArray("31-Dec-1999 23:30:00 -0130") << utc(2000, 1, 1, 1, 0, 0);
    QTest::newRow("india") << QByteArray("01-Mar-2024 05:00:00 +0530")
                           << utc(2024, 2, 29, 23, 30, 0);
    QTest::newRow("leap day") << QByteArray("29-Feb-2024 12:00:00 +0000")
                              << utc(2024, 2, 29, 12, 0, 0);
    QTest::newRow("not a leap year") << QByteArray("29-Feb-2023 12:00:00 +0000") << QDateTime();
    QTest::newRow("day 32") << QByteArray("32-Jan-2000 00:00:00 +0000") << QDateTime();
    QTest::newRow("three-digit day") << QByteArray("017-Jul-1996 02:44:25 -0700") << QDateTime();
    QTest::newRow("bad month") << QByteArray("17-Jux-1996 02:44:25 -0700") << QDateTime();
    QTest::newRow("two-digit year") << QByteArray("17-Jul-96 02:44:25 -0700") << QDateTime();
    QTest::newRow("hour 24") << QByteArray("17-Jul-1996 24:00:00 -0700") << QDateTime();
    QTest::newRow("no zone") << QByteArray("17-Jul-1996 02:44:25") << QDateTime();
    QTest::newRow("short zone") << QByteArray("17-Jul-1996 02:44:25 +07") << QDateTime();
    QTest::newRow("zone minutes 60") << QByteArray("17-Jul-1996 02:44:25 +0760") << QDateTime();
    QTest::newRow("zone hours 24") << QByteArray("17-Jul-1996 02:44:25 +2400") << QDateTime();
    QTest::newRow("zone name") << QByteArray("17-Jul-1996 02:44:25 PDT") << QDateTime();
    QTest::newRow("trailing text") << QByteArray("17-Jul-1996 02:44:25 -0700 x") << QDateTime();
    QTest::newRow("rfc 5322 date") << QByteArray("Wed, 17 Jul 1996 02:44:25 -0700") << QDateTime();
    QTest::newRow("empty") << QByteArray() << QDateTime();
    QTest::newRow("truncated") << QByteArray("17-Ju") << QDateTime();
}

void TestImapFetchData::internalDate()
{
    QFETCH(QByteArray, text);
    QFETCH(QDateTime, expected);
    const auto parsed = parseInternalDate(text);
    QCOMPARE(parsed.has_value(), expected.isValid());
    if (parsed) {
        QCOMPARE(*parsed, expected);
        QCOMPARE(parsed->timeSpec(), Qt::UTC);
    }
}

void TestImapFetchData::formatInternalDate()
{
    QCOMPARE(wharf::imap::formatInternalDate(utc(2023, 2, 7, 9, 1, 2)),
             QByteArray("07-Feb-2023 09:01:02 +0000"));
    // Another zone is converted to UTC first.
    const QDateTime pacific(QDate(1996, 7, 17), QTime(2, 44, 25), Qt::OffsetFromUTC, -7 * 3600);
    QCOMPARE(wharf::imap::formatInternalDate(pacific), QByteArray("17-Jul-1996 09:44:25 +0000"));
    QCOMPARE(wharf::imap::formatInternalDate(QDateTime()), QByteArray());
    // What it writes, it reads back.
    for (int month = 1; month <= 12; ++month) {
        const QDateTime when = utc(2001, month, month + 10, month, 2 * month, 59);
        QCOMPARE(parseInternalDate(wharf::imap::formatInternalDate(when)), when);
    }
}

QTEST_GUILESS_MAIN(TestImapFetchData)
#include "tst_imap_fetch_data.moc"
