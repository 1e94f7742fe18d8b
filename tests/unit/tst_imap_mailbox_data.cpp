#include "protocols/imap/MailboxData.h"
#include "protocols/imap/ResponseParser.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace wharf::imap;

namespace {

// One response from server bytes; nullopt (with a warning) when the parser refuses it, so
// that a reader test never passes only because the line did not parse.
std::optional<Response> parseOne(QByteArray bytes)
{
    if (!bytes.endsWith("\r\n"))
        bytes += "\r\n";
    wharf::Error error;
    const QList<Response> responses = parseResponses(bytes, &error);
    if (error || responses.size() != 1) {
        qWarning("parser refused %s: %s", bytes.constData(), qPrintable(error.message()));
        return std::nullopt;
    }
    return responses.first();
}

QByteArray literal(const QByteArray &content)
{
    return '{' + QByteArray::number(content.size()) + "}\r\n" + content;
}

} // namespace

class TestImapMailboxData : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void listEntries_data();
    void listEntries();
    void listAttributes();
    void listRejects_data();
    void listRejects();
    void status_data();
    void status();
    void statusRejects_data();
    void statusRejects();
    void vanished_data();
    void vanished();
    void search_data();
    void search();
    void namespaces_data();
    void namespaces();
    void shapesTheParserAlsoRefuses();
    void flagsAndCapabilities();
};

void TestImapMailboxData::listEntries_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<bool>("utf8");
    QTest::addColumn<QByteArray>("wireName");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("delimiter");
    QTest::addColumn<QByteArray>("specialUse");

    QTest::newRow("dovecot sent") << QByteArray("* LIST (\\HasNoChildren \\Sent) \"/\" Sent")
                                  << false << QByteArray("Sent") << u"Sent"_s << u"/"_s
                                  << QByteArray("\\Sent");
    QTest::newRow("gmail all mail")
        << QByteArray("* LIST (\\All \\HasNoChildren) \"/\" \"[Gmail]/All Mail\"") << false
        << QByteArray("[Gmail]/All Mail") << u"[Gmail]/All Mail"_s << u"/"_s << QByteArray("\\All");
    QTest::newRow("gmail drafts, german")
        << QByteArray("* LIST (\\HasNoChildren \\Drafts) \"/\" \"[Gmail]/Entw&APw-rfe\"") << false
        << QByteArray("[Gmail]/Entw&APw-rfe") << u"[Gmail]/Entwürfe"_s << u"/"_s
        << QByteArray("\\Drafts");
    QTest::newRow("exchange deleted items")
        << QByteArray("* LIST (\\Marked \\HasNoChildren \\Trash) \"/\" \"Deleted Items\"") << false
        << QByteArray("Deleted Items") << u"Deleted Items"_s << u"/"_s << QByteArray("\\Trash");
    QTest::newRow("courier dot hierarchy")
        << QByteArray("* LIST (\\Unmarked \\HasNoChildren) \".\" \"INBOX.Sent\"") << false
        << QByteArray("INBOX.Sent") << u"INBOX.Sent"_s << u"."_s << QByteArray();
    QTest::newRow("cyrus inbox") << QByteArray("* LIST (\\HasChildren) \".\" INBOX") << false
                                 << QByteArray("INBOX") << u"INBOX"_s << u"."_s << QByteArray();
    QTest::newRow("inbox in lower case")
        << QByteArray("* LIST (\\HasNoChildren) \"/\" inbox") << false << QByteArray("inbox")
        << u"INBOX"_s << u"/"_s << QByteArray();
    QTest::newRow("no hierarchy") << QByteArray("* LIST (\\Noselect) NIL \"\"") << false
                                  << QByteArray() << QString() << QString() << QByteArray();
    QTest::newRow("backslash delimiter")
        << QByteArray("* LIST (\\HasNoChildren) \"\\\\\" \"Public\\\\Team\"") << false
        << QByteArray("Public\\Team") << u"Public\\Team"_s << u"\\"_s << QByteArray();
    QTest::newRow("literal name") << "* LIST () \"/\" " + literal("Weird \"Name\"") << false
                                  << QByteArray("Weird \"Name\"") << u"Weird \"Name\""_s << u"/"_s
                                  << QByteArray();
    QTest::newRow("number as name") << QByteArray("* LIST () \"/\" 2024") << false
                                    << QByteArray("2024") << u"2024"_s << u"/"_s << QByteArray();
    QTest::newRow("utf-8 enabled")
        << QByteArray("* LIST (\\HasNoChildren) \"/\" \"Entw\xc3\xbcrfe\"") << true
        << QByteArray("Entw\xc3\xbcrfe") << u"Entwürfe"_s << u"/"_s << QByteArray();
    QTest::newRow("utf-8 name without UTF8=ACCEPT shows the bytes")
        << QByteArray("* LIST (\\HasNoChildren) \"/\" \"Entw\xc3\xbcrfe\"") << false
        << QByteArray("Entw\xc3\xbcrfe") << u"Entw\u00c3\u00bcrfe"_s << u"/"_s << QByteArray();
    QTest::newRow("broken modified utf-7 shows the bytes")
        << QByteArray("* LIST () \"/\" \"Caf&AOk\"") << false << QByteArray("Caf&AOk")
        << u"Caf&AOk"_s << u"/"_s << QByteArray();
    QTest::newRow("lsub") << QByteArray("* LSUB () \".\" #news.comp.mail.misc") << false
                          << QByteArray("#news.comp.mail.misc") << u"#news.comp.mail.misc"_s
                          << u"."_s << QByteArray();
    QTest::newRow("extended data ignored")
        << QByteArray("* LIST (\\Subscribed) \"/\" \"Foo\" (\"CHILDINFO\" (\"SUBSCRIBED\"))")
        << false << QByteArray("Foo") << u"Foo"_s << u"/"_s << QByteArray();
    QTest::newRow("gmail xlist spam")
        << QByteArray("* XLIST (\\HasNoChildren \\Spam) \"/\" \"[Gmail]/Spam\"") << false
        << QByteArray("[Gmail]/Spam") << u"[Gmail]/Spam"_s << u"/"_s << QByteArray("\\Junk");
    QTest::newRow("special use in odd case")
        << QByteArray("* LIST (\\hasnochildren \\ARCHIVE) \"/\" Archive") << false
        << QByteArray("Archive") << u"Archive"_s << u"/"_s << QByteArray("\\Archive");
}

void TestImapMailboxData::listEntries()
{
    QFETCH(QByteArray, line);
    QFETCH(bool, utf8);
    QFETCH(QByteArray, wireName);
    QFETCH(QString, name);
    QFETCH(QString, delimiter);
    QFETCH(QByteArray, specialUse);

    const auto response = parseOne(line);
    QVERIFY(response);
    const auto entry = parseListEntry(*response, utf8);
    QVERIFY(entry);
    QCOMPARE(entry->wireName, wireName);
    QCOMPARE(entry->name, name);
    QCOMPARE(entry->delimiter.isNull() ? QString() : QString(entry->delimiter), delimiter);
    QCOMPARE(entry->specialUse(), specialUse);
}

void TestImapMailboxData::listAttributes()
{
    const auto response = parseOne("* LIST (\\NOSELECT \\HasChildren $Custom) \"/\" \"[Gmail]\"");
    QVERIFY(response);
    const auto entry = parseListEntry(*response, false);
    QVERIFY(entry);
    QCOMPARE(entry->attributes, (QByteArrayList{"\\NOSELECT", "\\HasChildren", "$Custom"}));
    QVERIFY(entry->hasAttribute("\\Noselect"));
    QVERIFY(entry->hasAttribute("\\haschildren"));
    QVERIFY(!entry->hasAttribute("\\HasNoChildren"));
    QVERIFY(!entry->isSelectable());
    QCOMPARE(entry->specialUse(), QByteArray());

    const auto gone = parseOne("* LIST (\\NonExistent) \"/\" Old");
    QVERIFY(gone);
    QVERIFY(!parseListEntry(*gone, false)->isSelectable());
    const auto plain = parseOne("* LIST (\\HasNoChildren \\Flagged) \"/\" Starred");
    QVERIFY(plain);
    QVERIFY(parseListEntry(*plain, false)->isSelectable());
    QCOMPARE(parseListEntry(*plain, false)->specialUse(), QByteArray("\\Flagged"));
}

void TestImapMailboxData::listRejects_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("attribute is a string") << QByteArray("* LIST (\"\\Sent\") \"/\" foo");
    QTest::newRow("long delimiter") << QByteArray("* LIST () \"::\" foo");
    QTest::newRow("8-bit delimiter") << QByteArray("* LIST () \"\xc3\" foo");
    QTest::newRow("list as delimiter") << QByteArray("* LIST () (\"/\") foo");
    QTest::newRow("NIL name") << QByteArray("* LIST () \"/\" NIL");
    QTest::newRow("list as name") << QByteArray("* LIST () \"/\" (foo)");
}

void TestImapMailboxData::listRejects()
{
    QFETCH(QByteArray, line);
    const auto response = parseOne(line);
    QVERIFY(response);
    QCOMPARE(parseListEntry(*response, false).has_value(), false);
    QCOMPARE(parseListEntry(*response, true).has_value(), false);
}

void TestImapMailboxData::status_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("name");
    // messages, recent, uidNext, uidValidity, unseen, highestModSeq; -1 when absent
    QTest::addColumn<QList<qint64>>("values");

    QTest::newRow("rfc 3501") << QByteArray("* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)")
                              << u"blurdybloop"_s << QList<qint64>{231, -1, 44292, -1, -1, -1};
    QTest::newRow("dovecot, condstore")
        << QByteArray("* STATUS \"Sent\" (MESSAGES 5 RECENT 0 UIDNEXT 6 UIDVALIDITY 1690000000 "
                      "UNSEEN 1 HIGHESTMODSEQ 715194045007)")
        << u"Sent"_s << QList<qint64>{5, 0, 6, 1690000000, 1, 715194045007};
    QTest::newRow("gmail") << QByteArray("* STATUS \"[Gmail]/All Mail\" (MESSAGES 10 UIDNEXT 12)")
                           << u"[Gmail]/All Mail"_s << QList<qint64>{10, -1, 12, -1, -1, -1};
    QTest::newRow("extensions skipped")
        << QByteArray("* STATUS INBOX (MESSAGES 3 SIZE 12345 APPENDLIMIT 1000 MAILBOXID "
                      "(F2212ea87-6097-4256-9d51-71338625) UNSEEN 2)")
        << u"INBOX"_s << QList<qint64>{3, -1, -1, -1, 2, -1};
    QTest::newRow("lower case, encoded name")
        << QByteArray("* STATUS \"Entw&APw-rfe\" (messages 1 uidvalidity 4294967295)")
        << u"Entwürfe"_s << QList<qint64>{1, -1, -1, 4294967295, -1, -1};
    QTest::newRow("empty list") << QByteArray("* STATUS INBOX ()") << u"INBOX"_s
                                << QList<qint64>{-1, -1, -1, -1, -1, -1};
}

void TestImapMailboxData::status()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, name);
    QFETCH(QList<qint64>, values);

    const auto response = parseOne(line);
    QVERIFY(response);
    const auto status = parseStatus(*response, false);
    QVERIFY(status);
    QCOMPARE(status->name, name);
    const auto value = [](const auto &field) {
        return field ? qint64(*field) : qint64(-1);
    };
    QCOMPARE(value(status->messages), values.at(0));
    QCOMPARE(value(status->recent), values.at(1));
    QCOMPARE(value(status->uidNext), values.at(2));
    QCOMPARE(value(status->uidValidity), values.at(3));
    QCOMPARE(value(status->unseen), values.at(4));
    QCOMPARE(value(status->highestModSeq), values.at(5));
}

void TestImapMailboxData::statusRejects_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("odd item count") << QByteArray("* STATUS INBOX (MESSAGES 3 UIDNEXT)");
    QTest::newRow("word as count") << QByteArray("* STATUS INBOX (MESSAGES many)");
    QTest::newRow("above 32 bits") << QByteArray("* STATUS INBOX (UIDNEXT 4294967296)");
    QTest::newRow("list as item name") << QByteArray("* STATUS INBOX ((MESSAGES) 3)");
}

void TestImapMailboxData::statusRejects()
{
    QFETCH(QByteArray, line);
    const auto response = parseOne(line);
    QVERIFY(response);
    QCOMPARE(parseStatus(*response, false).has_value(), false);
}

void TestImapMailboxData::vanished_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<bool>("earlier");
    QTest::addColumn<QByteArray>("uids");

    QTest::newRow("earlier") << QByteArray("* VANISHED (EARLIER) 300:310,405,411") << true << true
                             << QByteArray("300:310,405,411");
    QTest::newRow("single") << QByteArray("* VANISHED 405") << true << false << QByteArray("405");
    QTest::newRow("lower case") << QByteArray("* VANISHED (earlier) 1:3") << true << true
                                << QByteArray("1:3");
    QTest::newRow("unknown tag") << QByteArray("* VANISHED (LATER) 1") << false << false
                                 << QByteArray();
    QTest::newRow("star") << QByteArray("* VANISHED 1:*") << false << false << QByteArray();
    QTest::newRow("zero") << QByteArray("* VANISHED 0") << false << false << QByteArray();
    QTest::newRow("two sets") << QByteArray("* VANISHED 1 2") << false << false << QByteArray();
}

void TestImapMailboxData::vanished()
{
    QFETCH(QByteArray, line);
    QFETCH(bool, valid);
    QFETCH(bool, earlier);
    QFETCH(QByteArray, uids);

    const auto response = parseOne(line);
    QVERIFY(response);
    const auto data = parseVanished(*response);
    QCOMPARE(data.has_value(), valid);
    if (valid) {
        QCOMPARE(data->earlier, earlier);
        QCOMPARE(data->uids.toByteArray(), uids);
    }
}

void TestImapMailboxData::search_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QByteArray>("numbers");
    QTest::addColumn<qint64>("count");         // -1: absent
    QTest::addColumn<qint64>("highestModSeq"); // -1: absent
    QTest::addColumn<QByteArray>("tag");

    QTest::newRow("search") << QByteArray("* SEARCH 2 84 882") << true << QByteArray("2,84,882")
                            << qint64(-1) << qint64(-1) << QByteArray();
    QTest::newRow("empty search") << QByteArray("* SEARCH") << true << QByteArray() << qint64(-1)
                                  << qint64(-1) << QByteArray();
    QTest::newRow("unsorted, runs")
        << QByteArray("* SEARCH 9 3 4 5 1") << true << QByteArray("1,3:5,9") << qint64(-1)
        << qint64(-1) << QByteArray();
    QTest::newRow("condstore modseq")
        << QByteArray("* SEARCH 2 5 6 (MODSEQ 917162500)") << true << QByteArray("2,5:6")
        << qint64(-1) << qint64(917162500) << QByteArray();
    QTest::newRow("bad number") << QByteArray("* SEARCH 2 abc") << false << QByteArray()
                                << qint64(-1) << qint64(-1) << QByteArray();
    QTest::newRow("zero") << QByteArray("* SEARCH 0") << false << QByteArray() << qint64(-1)
                          << qint64(-1) << QByteArray();
    QTest::newRow("modseq not last") << QByteArray("* SEARCH (MODSEQ 5) 2") << false << QByteArray()
                                     << qint64(-1) << qint64(-1) << QByteArray();
    QTest::newRow("modseq without number")
        << QByteArray("* SEARCH 2 (MODSEQ)") << false << QByteArray() << qint64(-1) << qint64(-1)
        << QByteArray();

    QTest::newRow("esearch all") << QByteArray("* ESEARCH (TAG \"A283\") UID ALL 2,10:11") << true
                                 << QByteArray("2,10:11") << qint64(-1) << qint64(-1)
                                 << QByteArray("A283");
    QTest::newRow("esearch count and all")
        << QByteArray("* ESEARCH (TAG \"A284\") UID COUNT 17 ALL 4:18,21") << true
        << QByteArray("4:18,21") << qint64(17) << qint64(-1) << QByteArray("A284");
    QTest::newRow("esearch min max")
        << QByteArray("* ESEARCH (TAG \"A285\") UID MIN 7 MAX 3800") << true << QByteArray("7,3800")
        << qint64(-1) << qint64(-1) << QByteArray("A285");
    QTest::newRow("esearch min and count")
        << QByteArray("* ESEARCH (TAG \"A282\") MIN 2 COUNT 3") << true << QByteArray("2")
        << qint64(3) << qint64(-1) << QByteArray("A282");
    QTest::newRow("esearch nothing found")
        << QByteArray("* ESEARCH (TAG \"A1\") UID") << true << QByteArray() << qint64(-1)
        << qint64(-1) << QByteArray("A1");
    QTest::newRow("esearch count zero")
        << QByteArray("* ESEARCH (TAG \"a567\") UID COUNT 0") << true << QByteArray() << qint64(0)
        << qint64(-1) << QByteArray("a567");
    QTest::newRow("esearch modseq")
        << QByteArray("* ESEARCH (TAG \"a\") ALL 1:3,5 MODSEQ 1236") << true << QByteArray("1:3,5")
        << qint64(-1) << qint64(1236) << QByteArray("a");
    QTest::newRow("esearch unknown return data skipped")
        << QByteArray("* ESEARCH (TAG \"A1\") UID PARTIAL (1:100 200:210) COUNT 12") << true
        << QByteArray() << qint64(12) << qint64(-1) << QByteArray("A1");
    QTest::newRow("esearch without correlator")
        << QByteArray("* ESEARCH ALL 5") << true << QByteArray("5") << qint64(-1) << qint64(-1)
        << QByteArray();
    QTest::newRow("esearch star") << QByteArray("* ESEARCH (TAG \"A1\") ALL 1:*") << false
                                  << QByteArray() << qint64(-1) << qint64(-1) << QByteArray();
    QTest::newRow("esearch name without value")
        << QByteArray("* ESEARCH (TAG \"A1\") COUNT") << false << QByteArray() << qint64(-1)
        << qint64(-1) << QByteArray();
    QTest::newRow("esearch word count") << QByteArray("* ESEARCH (TAG \"A1\") COUNT x") << false
                                        << QByteArray() << qint64(-1) << qint64(-1) << QByteArray();
    QTest::newRow("not a search") << QByteArray("* SORT 2 84 882") << false << QByteArray()
                                  << qint64(-1) << qint64(-1) << QByteArray();
}

void TestImapMailboxData::search()
{
    QFETCH(QByteArray, line);
    QFETCH(bool, valid);
    QFETCH(QByteArray, numbers);
    QFETCH(qint64, count);
    QFETCH(qint64, highestModSeq);
    QFETCH(QByteArray, tag);

    const auto response = parseOne(line);
    QVERIFY(response);
    const auto data = parseSearch(*response);
    QCOMPARE(data.has_value(), valid);
    if (!valid)
        return;
    QCOMPARE(data->numbers.toByteArray(), numbers);
    QCOMPARE(data->count ? qint64(*data->count) : qint64(-1), count);
    QCOMPARE(data->highestModSeq ? qint64(*data->highestModSeq) : qint64(-1), highestModSeq);
    QCOMPARE(data->tag, tag);
}

void TestImapMailboxData::namespaces_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<bool>("hasPersonal");
    QTest::addColumn<QByteArray>("prefix");
    QTest::addColumn<QString>("delimiter");

    QTest::newRow("dovecot, gmail, exchange") << QByteArray("* NAMESPACE ((\"\" \"/\")) NIL NIL")
                                              << true << true << QByteArray() << u"/"_s;
    QTest::newRow("courier") << QByteArray("* NAMESPACE ((\"INBOX.\" \".\")) NIL ((\"#shared.\" "
                                           "\".\"))")
                             << true << true << QByteArray("INBOX.") << u"."_s;
    QTest::newRow("cyrus") << QByteArray("* NAMESPACE ((\"INBOX.\" \".\")) ((\"user.\" \".\")) "
                                         "((\"\" \".\"))")
                           << true << true << QByteArray("INBOX.") << u"."_s;
    QTest::newRow("two personal, first wins")
        << QByteArray("* NAMESPACE ((\"\" \"/\")(\"#mh/\" \"/\" \"X-PARAM\" (\"FLAG1\" "
                      "\"FLAG2\"))) NIL NIL")
        << true << true << QByteArray() << u"/"_s;
    QTest::newRow("no personal") << QByteArray("* NAMESPACE NIL NIL ((\"Public Folders/\" \"/\"))")
                                 << true << false << QByteArray() << QString();
    QTest::newRow("flat") << QByteArray("* NAMESPACE ((\"\" NIL)) NIL NIL") << true << true
                          << QByteArray() << QString();
    QTest::newRow("long delimiter") << QByteArray("* NAMESPACE ((\"\" \"//\")) NIL NIL") << false
                                    << false << QByteArray() << QString();
    QTest::newRow("empty description")
        << QByteArray("* NAMESPACE (()) NIL NIL") << false << false << QByteArray() << QString();
    QTest::newRow("bad other-users part") << QByteArray("* NAMESPACE ((\"\" \"/\")) \"x\" NIL")
                                          << false << false << QByteArray() << QString();
}

void TestImapMailboxData::namespaces()
{
    QFETCH(QByteArray, line);
    QFETCH(bool, valid);
    QFETCH(bool, hasPersonal);
    QFETCH(QByteArray, prefix);
    QFETCH(QString, delimiter);

    const auto response = parseOne(line);
    QVERIFY(response);
    const auto data = parseNamespace(*response);
    QCOMPARE(data.has_value(), valid);
    if (!valid)
        return;
    QCOMPARE(data->hasPersonal, hasPersonal);
    QCOMPARE(data->personalPrefix, prefix);
    QCOMPARE(data->personalDelimiter.isNull() ? QString() : QString(data->personalDelimiter),
             delimiter);
}

void TestImapMailboxData::shapesTheParserAlsoRefuses()
{
    // The parser already refuses these lines; the readers must too when handed such
    // tokens some other way.
    const auto response = [](const char *name, const QList<Value> &data) {
        Response r;
        r.name = name;
        r.data = data;
        return r;
    };
    const Value slash = Value::string("/");
    QVERIFY(!parseListEntry(response("LIST", {Value::atom("\\Noselect"), slash, Value::atom("a")}),
                            false));
    QVERIFY(!parseListEntry(response("LIST", {Value::list({}), slash}), false));
    QVERIFY(!parseListEntry(response("STATUS", {Value::list({}), slash, Value::atom("a")}), false));
    QVERIFY(parseListEntry(response("LIST", {Value::list({}), slash, Value::atom("a")}), false));
    QVERIFY(!parseStatus(
        response("STATUS", {Value::atom("INBOX"), Value::atom("MESSAGES"), Value::numberValue(3)}),
        false));
    QVERIFY(!parseStatus(
        response("STATUS", {Value::list({Value::atom("MESSAGES"), Value::numberValue(3)})}),
        false));
    QVERIFY(!parseStatus(response("LIST", {Value::atom("INBOX"), Value::list({})}), false));
    QVERIFY(parseStatus(response("STATUS", {Value::atom("INBOX"), Value::list({})}), false));
    QVERIFY(!parseVanished(response("VANISHED", {})));
    QVERIFY(!parseVanished(response("VANISHED", {Value::list({Value::atom("EARLIER")})})));
    QVERIFY(!parseVanished(response("EXPUNGE", {Value::atom("1:3")})));
    QVERIFY(parseVanished(response("VANISHED", {Value::atom("1:3")})));
    const Value personal = Value::list({Value::list({Value::string(""), slash})});
    QVERIFY(!parseNamespace(response("NAMESPACE", {personal, Value::nil()})));
    QVERIFY(!parseNamespace(
        response("NAMESPACE", {personal, Value::nil(), Value::nil(), Value::nil()})));
    QVERIFY(parseNamespace(response("NAMESPACE", {personal, Value::nil(), Value::nil()})));
}

void TestImapMailboxData::flagsAndCapabilities()
{
    const auto flags =
        parseOne("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded Junk)");
    QVERIFY(flags);
    QCOMPARE(flags->data.size(), 1);
    QCOMPARE(parseFlagList(flags->data.first()),
             (QByteArrayList{"\\Answered", "\\Flagged", "\\Deleted", "\\Seen", "\\Draft",
                             "$Forwarded", "Junk"}));

    const auto permanent = parseOne(
        "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Limited");
    QVERIFY(permanent);
    QCOMPARE(permanent->code.name, QByteArray("PERMANENTFLAGS"));
    QCOMPARE(permanent->code.arguments.size(), 1);
    QCOMPARE(parseFlagList(permanent->code.arguments.first()),
             (QByteArrayList{"\\Answered", "\\Flagged", "\\Deleted", "\\Seen", "\\Draft", "\\*"}));
    QCOMPARE(parseFlagList(Value::atom("\\Seen")), QByteArrayList());
    QCOMPARE(parseFlagList(Value::list(
                 {Value::atom("\\Seen"), Value::nil(), Value::list({Value::atom("x")})})),
             QByteArrayList{"\\Seen"});

    const auto capability =
        parseOne("* CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ "
                 "auth=plain Condstore");
    QVERIFY(capability);
    QCOMPARE(parseCapabilities(capability->data),
             (QByteArrayList{"IMAP4REV1", "SASL-IR", "LOGIN-REFERRALS", "ID", "ENABLE", "IDLE",
                             "LITERAL+", "AUTH=PLAIN", "CONDSTORE"}));
    const auto greeting =
        parseOne("* OK [CAPABILITY IMAP4rev1 starttls AUTH=PLAIN UTF8=ACCEPT] Dovecot ready.");
    QVERIFY(greeting);
    QCOMPARE(greeting->code.name, QByteArray("CAPABILITY"));
    QCOMPARE(parseCapabilities(greeting->code.arguments),
             (QByteArrayList{"IMAP4REV1", "STARTTLS", "AUTH=PLAIN", "UTF8=ACCEPT"}));
}

QTEST_GUILESS_MAIN(TestImapMailboxData)
#include "tst_imap_mailbox_data.moc"
