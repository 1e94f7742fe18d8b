#include "net/LineReader.h"
#include "protocols/imap/ResponseParser.h"

#include <QRandomGenerator>
#include <QTest>

using namespace wharf;
using namespace wharf::imap;
using namespace Qt::StringLiterals;

namespace {

// A compact, exact picture of a value: kinds are visible (#number, "string", {lit N}).
QByteArray dump(const Value &value)
{
    switch (value.kind) {
    case Value::Kind::Nil:
        return "NIL";
    case Value::Kind::Atom:
        return value.bytes;
    case Value::Kind::Number:
        return '#' + value.bytes;
    case Value::Kind::String:
        return '"' + value.bytes + '"';
    case Value::Kind::StreamedLiteral:
        return "{lit " + QByteArray::number(value.number) + '}';
    case Value::Kind::List: {
        QByteArrayList items;
        for (const Value &item : value.items)
            items.append(dump(item));
        return '(' + items.join(' ') + ')';
    }
    }
    return "?";
}

QByteArray dump(const QList<Value> &values)
{
    QByteArrayList items;
    for (const Value &value : values)
        items.append(dump(value));
    return items.join(' ');
}

QByteArray summary(const Response &r)
{
    QByteArray out;
    if (r.kind == ResponseKind::Tagged)
        out = r.tag + ' ' + r.name;
    else if (r.kind == ResponseKind::Continuation)
        out = "+" + r.name;
    else
        out =
            "*" + (r.hasNumber ? ' ' + QByteArray::number(r.number) : QByteArray()) + ' ' + r.name;
    if (!r.code.isEmpty())
        out += " [" + r.code.name + '|' + r.code.raw + '|' + dump(r.code.arguments) + ']';
    if (!r.text.isEmpty())
        out += " text=" + r.text;
    if (!r.data.isEmpty())
        out += " data=" + dump(r.data);
    return out;
}

struct Parsed
{
    QList<Response> responses;
    QList<LiteralChunk> chunks;
    QByteArrayList lines;
    Error error;
};

// Feeds `input` in pieces of the given sizes (the rest in one piece) and collects every event.
Parsed feed(const QByteArray &input, const QList<qsizetype> &pieces, const ParserLimits &limits,
            qsizetype maxLine = net::LineReader::kDefaultMaxLineLength)
{
    net::LineReader reader(maxLine);
    ResponseParser parser(reader, limits);
    Parsed parsed;
    parser.setLineObserver([&](const QByteArray &line) { parsed.lines.append(line); });
    qsizetype pos = 0;
    qsizetype piece = 0;
    while (pos <= input.size()) {
        const qsizetype size = piece < pieces.size()
                                   ? std::min(pieces.at(piece++), input.size() - pos)
                                   : input.size() - pos;
        reader.append(QByteArrayView(input).sliced(pos, size));
        pos += size;
        for (;;) {
            const ResponseParser::Event event = parser.next();
            if (event == ResponseParser::Event::Response)
                parsed.responses.append(parser.takeResponse());
            else if (event == ResponseParser::Event::LiteralChunk)
                parsed.chunks.append(parser.takeChunk());
            else if (event == ResponseParser::Event::Error) {
                parsed.error = parser.error();
                return parsed;
            } else
                break;
        }
        if (pos == input.size())
            break;
    }
    return parsed;
}

QByteArrayList summaries(const QList<Response> &responses)
{
    QByteArrayList out;
    for (const Response &r : responses)
        out.append(summary(r));
    return out;
}

struct Case
{
    const char *name;
    QByteArray input;
    QByteArrayList expected; // summaries of the responses before any error
    ErrorKind error = ErrorKind::None;
    ParserLimits limits = {};
};

ParserLimits smallLimits()
{
    ParserLimits limits;
    limits.maxLiteralSize = 64;
    limits.inlineLiteralLimit = 8;
    limits.chunkSize = 5;
    limits.maxResponseSize = 200;
    limits.maxNesting = 3;
    return limits;
}

const QList<Case> &cases()
{
    static const QList<Case> all = {
        // Status responses: the text is never tokenised.
        {"tagged ok", "A1 OK LOGIN completed\r\n", {"A1 OK text=LOGIN completed"}},
        {"tagged no with code",
         "a2 no [TRYCREATE] Mailbox doesn't exist\r\n",
         {"a2 NO [TRYCREATE||] text=Mailbox doesn't exist"}},
        {"tagged bad without text", "A3 BAD\r\nA4 BAD \r\n", {"A3 BAD", "A4 BAD"}},
        {"text with stray quote and paren",
         "A5 NO [ALERT] can't \"open (it {5}\r\n",
         {"A5 NO [ALERT||] text=can't \"open (it {5}"}},
        {"greeting with capabilities",
         "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ "
         "AUTH=PLAIN] Dovecot ready.\r\n",
         {"* OK [CAPABILITY|IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ "
          "AUTH=PLAIN|IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ AUTH=PLAIN] "
          "text=Dovecot ready."}},
        {"preauth and bye",
         "* PREAUTH [READ-WRITE] hi\r\n* BYE Logging out\r\n",
         {"* PREAUTH [READ-WRITE||] text=hi", "* BYE text=Logging out"}},
        {"select codes",
         "* OK [PERMANENTFLAGS (\\Answered \\Seen \\*)] Flags permitted.\r\n"
         "* OK [UIDVALIDITY 3857529045] UIDs valid\r\n* OK [UIDNEXT 4392] Predicted\r\n"
         "* OK [HIGHESTMODSEQ 715194045007] Highest\r\n* OK [NOMODSEQ] No\r\n"
         "* OK [CLOSED]\r\n* OK [UNSEEN 12]Message 12\r\n",
         {"* OK [PERMANENTFLAGS|(\\Answered \\Seen \\*)|(\\Answered \\Seen \\*)] "
          "text=Flags permitted.",
          "* OK [UIDVALIDITY|3857529045|#3857529045] text=UIDs valid",
          "* OK [UIDNEXT|4392|#4392] text=Predicted",
          "* OK [HIGHESTMODSEQ|715194045007|#715194045007] text=Highest",
          "* OK [NOMODSEQ||] text=No", "* OK [CLOSED||]", "* OK [UNSEEN|12|#12] text=Message 12"}},
        {"uidplus codes",
         "A6 OK [APPENDUID 38505 3955] APPEND completed\r\n"
         "A7 OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n",
         {"A6 OK [APPENDUID|38505 3955|#38505 #3955] text=APPEND completed",
          "A7 OK [COPYUID|38505 304,319:320 3956:3958|#38505 304,319:320 3956:3958] text=Done"}},
        {"badcharset",
         "A8 NO [BADCHARSET (UTF-8 \"US-ASCII\")] no\r\n",
         {"A8 NO [BADCHARSET|(UTF-8 \"US-ASCII\")|(UTF-8 \"US-ASCII\")] text=no"}},
        {"code that does not tokenise", "A9 NO [X-ODD (a] b\r\n", {"A9 NO [X-ODD|(a|] text=b"}},
        {"unclosed code is text", "* OK [ALERT no close\r\n", {"* OK text=[ALERT no close"}},
        {"continuations",
         "+ Ready for literal data\r\n+\r\n+ \r\n+ dGVzdA==\r\n",
         {"+ text=Ready for literal data", "+", "+", "+ text=dGVzdA=="}},
        // Numbered and data responses.
        {"numbered",
         "* 23 EXISTS\r\n* 5 RECENT\r\n* 44 expunge\r\n",
         {"* 23 EXISTS", "* 5 RECENT", "* 44 EXPUNGE"}},
        {"fetch flags",
         "* 12 FETCH (UID 40 FLAGS (\\Seen $Forwarded) RFC822.SIZE 4422)\r\n",
         {"* 12 FETCH data=(UID #40 FLAGS (\\Seen $Forwarded) RFC822.SIZE #4422)"}},
        {"fetch envelope",
         "* 1 FETCH (UID 7 INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" ENVELOPE (\"Wed, 17 "
         "Jul 1996 02:23:25 -0700\" \"IMAP4rev1 \\\"WG\\\" \\\\ mtg\" ((\"Terry Gray\" NIL "
         "\"gray\" \"cac.washington.edu\")) NIL nil ((NIL NIL \"imap\" \"cac\")) NIL NIL "
         "NIL \"<B27397-0100000@cac>\"))\r\n",
         {"* 1 FETCH data=(UID #7 INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" ENVELOPE (\"Wed, "
          "17 Jul 1996 02:23:25 -0700\" \"IMAP4rev1 \"WG\" \\ mtg\" ((\"Terry Gray\" NIL "
          "\"gray\" \"cac.washington.edu\")) NIL NIL ((NIL NIL \"imap\" \"cac\")) NIL NIL NIL "
          "\"<B27397-0100000@cac>\"))"}},
        {"fetch bodystructure",
         "* 2 FETCH (BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL "
         "\"7bit\" 12 1 NIL NIL NIL NIL)(\"application\" \"pdf\" (\"name\" \"a.pdf\") NIL NIL "
         "\"base64\" 5000 NIL (\"attachment\" (\"filename\" \"a.pdf\")) NIL NIL) \"mixed\" "
         "(\"boundary\" \"b1\") NIL NIL NIL))\r\n",
         {"* 2 FETCH data=(BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL "
          "\"7bit\" #12 #1 NIL NIL NIL NIL) (\"application\" \"pdf\" (\"name\" \"a.pdf\") NIL "
          "NIL \"base64\" #5000 NIL (\"attachment\" (\"filename\" \"a.pdf\")) NIL NIL) "
          "\"mixed\" (\"boundary\" \"b1\") NIL NIL NIL))"}},
        {"section atoms",
         "* 3 FETCH (BODY[HEADER.FIELDS (FROM TO)]<0> \"x\" BINARY[1]<0> NIL)\r\n",
         {"* 3 FETCH data=(BODY[HEADER.FIELDS (FROM TO)]<0> \"x\" BINARY[1]<0> NIL)"}},
        {"literal mid fetch",
         "* 4 FETCH (UID 9 BODY[HEADER] {20}\r\nSubject: a)\r\n{5}\r\n\r\n FLAGS (\\Seen))\r\n",
         {"* 4 FETCH data=(UID #9 BODY[HEADER] \"Subject: a)\r\n{5}\r\n\r\n\" FLAGS (\\Seen))"}},
        {"two literals and an empty one",
         "* 5 FETCH (BODY[1] {3}\r\nabc BODY[2] ~{4}\r\nd\0fg BODY[3] {0}\r\n)\r\n"_ba,
         {"* 5 FETCH data=(BODY[1] \"abc\" BODY[2] \"d\0fg\" BODY[3] \"\")"_ba}},
        {"literal plus marker",
         "* 6 FETCH (BODY[] {2+}\r\nhi)\r\n",
         {"* 6 FETCH data=(BODY[] \"hi\")"}},
        {"list special-use",
         "* LIST (\\HasNoChildren \\Sent) \"/\" Sent\r\n* LIST (\\Noselect) NIL \"\"\r\n"
         "* LIST () \".\" \"INBOX.Sent Items\" (\"CHILDINFO\" (\"SUBSCRIBED\"))\r\n"
         "* LIST (\\Drafts) \"/\" [Gmail]/Drafts\r\n* LSUB () \"/\" {5}\r\nfo\"o)\r\n",
         {"* LIST data=(\\HasNoChildren \\Sent) \"/\" Sent", "* LIST data=(\\Noselect) NIL \"\"",
          "* LIST data=() \".\" \"INBOX.Sent Items\" (\"CHILDINFO\" (\"SUBSCRIBED\"))",
          "* LIST data=(\\Drafts) \"/\" [Gmail]/Drafts", "* LSUB data=() \"/\" \"fo\"o)\""}},
        {"status",
         "* STATUS INBOX (MESSAGES 231 UIDNEXT 44292 HIGHESTMODSEQ 12)\r\n"
         "* STATUS \"Sent Items\" (UNSEEN 0)\r\n",
         {"* STATUS data=INBOX (MESSAGES #231 UIDNEXT #44292 HIGHESTMODSEQ #12)",
          "* STATUS data=\"Sent Items\" (UNSEEN #0)"}},
        {"search and esearch",
         "* SEARCH 2 84 882\r\n* SEARCH\r\n* SEARCH 1 (MODSEQ 917162500)\r\n"
         "* ESEARCH (TAG \"A282\") UID MIN 2 COUNT 3 ALL 2,10:11\r\n",
         {"* SEARCH data=#2 #84 #882", "* SEARCH", "* SEARCH data=#1 (MODSEQ #917162500)",
          "* ESEARCH data=(TAG \"A282\") UID MIN #2 COUNT #3 ALL 2,10:11"}},
        {"flags enabled capability",
         "* FLAGS (\\Answered \\Deleted \\Seen $Junk)\r\n* ENABLED CONDSTORE QRESYNC\r\n"
         "* CAPABILITY IMAP4rev1 IDLE\r\n",
         {"* FLAGS data=(\\Answered \\Deleted \\Seen $Junk)", "* ENABLED data=CONDSTORE QRESYNC",
          "* CAPABILITY data=IMAP4rev1 IDLE"}},
        {"namespace and id",
         "* NAMESPACE ((\"\" \"/\")) ((\"Other Users/\" \"/\" \"X-P\" (\"A\"))) NIL\r\n"
         "* ID (\"name\" \"Dovecot\")\r\n* ID NIL\r\n",
         {"* NAMESPACE data=((\"\" \"/\")) ((\"Other Users/\" \"/\" \"X-P\" (\"A\"))) NIL",
          "* ID data=(\"name\" \"Dovecot\")", "* ID data=NIL"}},
        {"vanished",
         "* VANISHED (EARLIER) 300:310,405,411\r\n* VANISHED 405\r\n",
         {"* VANISHED data=(EARLIER) 300:310,405,411", "* VANISHED data=#405"}},
        {"unknown extensions",
         "* XAPPLEPUSHSERVICE aps-version \"2\"\r\n* XODD (unbalanced \"stuff\r\n* 3 XTHING a\r\n",
         {"* XAPPLEPUSHSERVICE data=aps-version \"2\"", "* XODD text=(unbalanced \"stuff",
          "* 3 XTHING data=a"}},
        {"numbers and nil",
         "* SEARCH 18446744073709551615 18446744073709551616 007\r\n* ID nIl\r\n",
         {"* SEARCH data=#18446744073709551615 18446744073709551616 #007", "* ID data=NIL"}},
        {"eight-bit quoted",
         "* LIST () \"/\" \"Entw\xc3\xbcrfe \\\\ \\x\"\r\n",
         {"* LIST data=() \"/\" \"Entw\xc3\xbcrfe \\ x\""}},
        {"bare lf and blank lines",
         "\r\n* 1 EXISTS\n\nA1 OK done\n",
         {"* 1 EXISTS", "A1 OK text=done"}},
        {"incomplete tail is left", "* 1 EXISTS\r\n* 2 FETCH (BODY[] {10}\r\nabc", {"* 1 EXISTS"}},
        // Known responses that do not parse, and broken framing.
        {"unbalanced fetch",
         "* 1 EXISTS\r\n* 1 FETCH (UID 1\r\n",
         {"* 1 EXISTS"},
         ErrorKind::ProtocolError},
        {"extra paren", "* 1 FETCH (UID 1))\r\n", {}, ErrorKind::ProtocolError},
        {"unterminated quote", "* 1 FETCH (BODY[] \"abc)\r\n", {}, ErrorKind::ProtocolError},
        {"fetch without number", "* FETCH (UID 1)\r\n", {}, ErrorKind::ProtocolError},
        {"bad literal length", "* 1 FETCH (BODY[] {1x})\r\n", {}, ErrorKind::ProtocolError},
        {"literal not at line end",
         "* 1 FETCH (BODY[] {5} UID 3)\r\n",
         {},
         ErrorKind::ProtocolError},
        {"literal marker inside a quote",
         "* 1 FETCH (BODY[] \"a {3}\r\nabc\")\r\n",
         {},
         ErrorKind::ProtocolError},
        {"tagged not a status", "A1 FOO bar\r\n", {}, ErrorKind::ProtocolError},
        {"tag alone", "A1\r\n", {}, ErrorKind::ProtocolError},
        {"star alone", "*\r\n", {}, ErrorKind::ProtocolError},
        {"number out of range", "* 99999999999 EXISTS\r\n", {}, ErrorKind::ProtocolError},
        {"status without list", "* STATUS INBOX\r\n", {}, ErrorKind::ProtocolError},
        // Limits (small ones, see smallLimits()).
        {"literal over the limit",
         "* 1 FETCH (BODY[] {65}\r\n",
         {},
         ErrorKind::LimitExceeded,
         smallLimits()},
        {"absurd literal",
         "* 1 FETCH (BODY[] {99999999999999999999999}\r\n",
         {},
         ErrorKind::LimitExceeded,
         smallLimits()},
        {"nesting at the limit",
         "* 1 FETCH (((x)))\r\n",
         {"* 1 FETCH data=(((x)))"},
         ErrorKind::None,
         smallLimits()},
        {"nesting too deep",
         "* 1 FETCH ((((x))))\r\n",
         {},
         ErrorKind::LimitExceeded,
         smallLimits()},
        {"nested unknown too deep",
         "* X ((((x))))\r\n",
         {},
         ErrorKind::LimitExceeded,
         smallLimits()},
        {"response too big",
         "* 1 FETCH (BODY[1] {8}\r\n12345678 BODY[2] {8}\r\n12345678" + QByteArray(150, ' ') +
             "BODY[3] {8}\r\n",
         {},
         ErrorKind::LimitExceeded,
         smallLimits()},
        {"streamed literal",
         "* 12 FETCH (UID 40 BODY[1] {3}\r\nabc BODY[] {23}\r\n0123456789abcdefghijklm)\r\n"
         "A1 OK done\r\n",
         {"* 12 FETCH data=(UID #40 BODY[1] \"abc\" BODY[] {lit 23})", "A1 OK text=done"},
         ErrorKind::None,
         smallLimits()},
        {"streamed literals are not counted as response size",
         "* 1 FETCH (BODY[] {60}\r\n" + QByteArray(60, 'x') + " BODY[1] {60}\r\n" +
             QByteArray(60, 'y') + " BODY[2] {60}\r\n" + QByteArray(60, 'z') + ")\r\n",
         {"* 1 FETCH data=(BODY[] {lit 60} BODY[1] {lit 60} BODY[2] {lit 60})"},
         ErrorKind::None,
         smallLimits()},
    };
    return all;
}

void addCaseRows()
{
    QTest::addColumn<int>("index");
    for (int i = 0; i < cases().size(); ++i)
        QTest::newRow(cases().at(i).name) << i;
}

} // namespace

class TestImapResponseParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void responses_data() { addCaseRows(); }
    void responses();
    void fragmentation_data() { addCaseRows(); }
    void fragmentation();
    void statusAndKinds();
    void errorMessagesQuoteTheResponse();
    void streamedChunks();
    void lineTooLong();
    void lineObserverSeesLinesNotLiterals();
    void valueHelpers();
    void describeValues();
};

void TestImapResponseParser::responses()
{
    QFETCH(int, index);
    const Case &c = cases().at(index);
    Error error;
    const QList<Response> responses = parseResponses(c.input, &error, c.limits);
    QCOMPARE(summaries(responses), c.expected);
    QCOMPARE(error.kind(), c.error);
    if (c.error != ErrorKind::None)
        QVERIFY(!error.message().isEmpty());
}

// Every case again, one byte at a time and in random splits: same responses, chunks, error.
void TestImapResponseParser::fragmentation()
{
    QFETCH(int, index);
    const Case &c = cases().at(index);
    const Parsed whole = feed(c.input, {}, c.limits);
    QCOMPARE(summaries(whole.responses), c.expected);

    QList<QList<qsizetype>> splits{QList<qsizetype>(c.input.size(), 1)};
    QRandomGenerator random(quint32(1000 + index));
    for (int round = 0; round < 20; ++round) {
        QList<qsizetype> pieces;
        for (qsizetype total = 0; total < c.input.size(); total += pieces.last())
            pieces.append(1 + random.bounded(qsizetype(12)));
        splits.append(pieces);
    }
    for (const QList<qsizetype> &pieces : std::as_const(splits)) {
        const Parsed split = feed(c.input, pieces, c.limits);
        QCOMPARE(split.responses.size(), whole.responses.size());
        for (qsizetype i = 0; i < split.responses.size(); ++i) {
            const Response &a = split.responses.at(i);
            const Response &b = whole.responses.at(i);
            QCOMPARE(summary(a), summary(b));
            QVERIFY(a.data == b.data && a.code.arguments == b.code.arguments);
            QCOMPARE(a.status, b.status);
            QCOMPARE(a.kind, b.kind);
        }
        QCOMPARE(split.error.kind(), whole.error.kind());
        QCOMPARE(split.error.message(), whole.error.message());
        QCOMPARE(split.lines, whole.lines);
        QCOMPARE(split.chunks.size(), whole.chunks.size());
        for (qsizetype i = 0; i < split.chunks.size(); ++i) {
            QCOMPARE(split.chunks.at(i).offset, whole.chunks.at(i).offset);
            QCOMPARE(split.chunks.at(i).data, whole.chunks.at(i).data);
            QCOMPARE(split.chunks.at(i).head, whole.chunks.at(i).head);
        }
    }
}

void TestImapResponseParser::statusAndKinds()
{
    const QList<Response> r =
        parseResponses("A1 ok x\r\n* no y\r\n* BAD z\r\n* BYE\r\n* PREAUTH\r\n"
                       "+ go\r\n* 3 EXISTS\r\n");
    QCOMPARE(r.size(), 7);
    const QList<ResponseStatus> statuses{
        ResponseStatus::Ok,      ResponseStatus::No,   ResponseStatus::Bad, ResponseStatus::Bye,
        ResponseStatus::Preauth, ResponseStatus::None, ResponseStatus::None};
    for (int i = 0; i < r.size(); ++i)
        QCOMPARE(r.at(i).status, statuses.at(i));
    QVERIFY(r.at(0).isTagged("A1") && !r.at(0).isTagged("A2") && r.at(0).isStatus());
    QCOMPARE(r.at(5).kind, ResponseKind::Continuation);
    QVERIFY(r.at(6).isUntagged("exists") && r.at(6).hasNumber && r.at(6).number == 3);
    QVERIFY(!r.at(6).isStatus());
    QVERIFY(parseResponses("* OK [uidnext 5] x\r\n").first().code.is("UIDNEXT"));

    // A response never taken does not leak into the next one.
    net::LineReader reader;
    ResponseParser parser(reader);
    reader.append("* 3 EXISTS\r\n* OK [ALERT] a\r\nA1 OK b\r\n");
    QCOMPARE(parser.next(), ResponseParser::Event::Response);
    QCOMPARE(parser.next(), ResponseParser::Event::Response);
    QCOMPARE(parser.next(), ResponseParser::Event::Response);
    const Response last = parser.takeResponse();
    QCOMPARE(summary(last), QByteArray("A1 OK text=b"));
    QVERIFY(!last.hasNumber && last.code.isEmpty());
    QCOMPARE(parser.next(), ResponseParser::Event::NeedMore);
}

void TestImapResponseParser::errorMessagesQuoteTheResponse()
{
    Error error;
    parseResponses("* 7 FETCH (UID 1 FLAGS (\\Seen)\r\n", &error);
    QCOMPARE(error.kind(), ErrorKind::ProtocolError);
    QVERIFY2(error.message().contains(u"FETCH"), qPrintable(error.message()));
    QVERIFY2(error.message().contains(u"\"* 7 FETCH (UID 1 FLAGS (\\Seen)\""),
             qPrintable(error.message()));

    ParserLimits limits;
    limits.maxLiteralSize = 10;
    parseResponses("* 1 FETCH (BODY[] {11}\r\n", &error, limits);
    QCOMPARE(error.kind(), ErrorKind::LimitExceeded);
    QCOMPARE(error.message(),
             QStringLiteral("the server announced a literal of 11 bytes, more than the limit "
                            "of 10"));
}

void TestImapResponseParser::streamedChunks()
{
    const Case &c = *std::find_if(cases().begin(), cases().end(), [](const Case &candidate) {
        return qstrcmp(candidate.name, "streamed literal") == 0;
    });
    const Parsed parsed = feed(c.input, {}, c.limits);
    QCOMPARE(parsed.chunks.size(), 5); // 23 bytes in chunks of 5
    QByteArray reassembled;
    for (int i = 0; i < parsed.chunks.size(); ++i) {
        const LiteralChunk &chunk = parsed.chunks.at(i);
        QCOMPARE(chunk.head, QByteArray("* 12 FETCH (UID 40 BODY[1] {3} BODY[] "));
        QCOMPARE(chunk.literalSize, 23);
        QCOMPARE(chunk.offset, reassembled.size());
        QCOMPARE(chunk.data.size(), i < 4 ? 5 : 3);
        QCOMPARE(chunk.isLast(), i == 4);
        reassembled += chunk.data;
    }
    QCOMPARE(reassembled, QByteArray("0123456789abcdefghijklm"));

    QByteArray streamed;
    Error error;
    const QList<Response> responses = parseResponses(c.input, &error, c.limits, &streamed);
    QCOMPARE(streamed, reassembled);
    QVERIFY(!error);
    QCOMPARE(responses.first().data.first().items.last().kind, Value::Kind::StreamedLiteral);
    QCOMPARE(responses.first().data.first().items.last().number, 23u);
}

void TestImapResponseParser::lineTooLong()
{
    const Parsed parsed =
        feed("* 1 EXISTS\r\n* SEARCH " + QByteArray(40, '1') + "\r\n", {}, {}, 32);
    QCOMPARE(summaries(parsed.responses), QByteArrayList{"* 1 EXISTS"});
    QCOMPARE(parsed.error.kind(), ErrorKind::LimitExceeded);
    // A literal may be longer than a line: limits differ by purpose.
    const Parsed literal =
        feed("* 1 FETCH (BODY[] {40}\r\n" + QByteArray(40, 'x') + ")\r\n", {}, {}, 32);
    QVERIFY(!literal.error);
    QCOMPARE(literal.responses.size(), 1);
}

void TestImapResponseParser::lineObserverSeesLinesNotLiterals()
{
    const Parsed parsed = feed("* 1 FETCH (BODY[] {6}\r\nsecret UID 2)\r\n\r\nA1 OK\r\n", {}, {});
    QCOMPARE(parsed.lines, (QByteArrayList{"* 1 FETCH (BODY[] {6}", " UID 2)", "", "A1 OK"}));
}

void TestImapResponseParser::valueHelpers()
{
    const QList<Response> r = parseResponses("* X fetch \"42\" 4294967296 \"4x\" (a) NIL\r\n");
    QCOMPARE(r.size(), 1);
    const QList<Value> &v = r.first().data;
    QVERIFY(v.at(0).isAtom("FETCH") && !v.at(0).isAtom("FETC") && !v.at(1).isAtom("42"));
    quint32 small = 0;
    quint64 big = 0;
    QVERIFY(v.at(1).isString() && v.at(1).toUInt32(&small) && small == 42);
    QVERIFY(v.at(2).isNumber() && !v.at(2).toUInt32(&small));
    QVERIFY(v.at(2).toNumber(&big) && big == 4294967296u);
    QVERIFY(!v.at(2).toNumber(&big, 100));
    QVERIFY(!v.at(3).toNumber(&big) && !v.at(4).toNumber(&big) && !v.at(5).toNumber(&big));
    QCOMPARE(v.at(0).text(), QByteArray("fetch"));
    QCOMPARE(v.at(1).text(), QByteArray("42"));
    QVERIFY(v.at(4).text().isEmpty() && v.at(5).text().isEmpty() && v.at(5).isNil());
    QVERIFY(v.at(4).isList() && v.at(4).items.size() == 1);
    QCOMPARE(Value::numberValue(17).bytes, QByteArray("17"));
    QVERIFY(Value::numberValue(17).toUInt32(&small) && small == 17);
}

void TestImapResponseParser::describeValues()
{
    const QList<Response> r = parseResponses(
        "* 5 FETCH (UID 9 FLAGS (\\Seen) ENVELOPE (NIL \"a \\\"q\\\" \\\\\") BODY[] {4}\r\n"
        "a\r\nb)\r\n");
    QCOMPARE(r.size(), 1);
    QCOMPARE(describe(r.first().data),
             QByteArray("(UID 9 FLAGS (\\Seen) ENVELOPE (NIL \"a \\\"q\\\" \\\\\") BODY[] {4})"));
    Value streamed;
    streamed.kind = Value::Kind::StreamedLiteral;
    streamed.number = 1234;
    QCOMPARE(describe(streamed), QByteArray("{1234}"));
    QCOMPARE(describe(Value::list({})), QByteArray("()"));
    QCOMPARE(describe(QList<Value>{Value::atom("A"), Value::nil(), Value::numberValue(3)}),
             QByteArray("A NIL 3"));
    QCOMPARE(describe(Value::string("")), QByteArray("\"\""));
}

QTEST_GUILESS_MAIN(TestImapResponseParser)
#include "tst_imap_response_parser.moc"
