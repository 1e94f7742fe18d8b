#include "mime/AddressList.h"

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>

using wharf::mime::MailAddress;
using wharf::mime::parseAddressList;

namespace {

// "name|address|group" per mailbox keeps the table rows readable.
QStringList flattened(const QList<MailAddress> &list)
{
    QStringList out;
    for (const MailAddress &a : list)
        out.append(a.name + u'|' + a.address + u'|' + a.group);
    return out;
}

QStringList rows(std::initializer_list<const char *> utf8)
{
    QStringList out;
    for (const char *row : utf8)
        out.append(QString::fromUtf8(row));
    return out;
}

// Every invariant a caller relies on, whatever the input.
void checkInvariants(QByteArrayView input, const QList<MailAddress> &list)
{
    QVERIFY(list.size() <= input.size());
    for (const MailAddress &a : list) {
        for (const QString &text : {a.name, a.address, a.group}) {
            const bool clean = std::all_of(text.cbegin(), text.cend(), [](QChar ch) {
                return ch.unicode() >= 0x20 && ch.unicode() != 0x7f;
            });
            QVERIFY2(clean, qPrintable(text.left(200)));
        }
    }
}

} // namespace

class TestAddressList : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parses_data();
    void parses();
    void displays_data();
    void displays();
    void survivesJunk_data();
    void survivesJunk();
    void survivesRandomBytes();
};

void TestAddressList::parses_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QStringList>("expected");

    // RFC 5322 Appendix A.
    QTest::newRow("A.1.1 From") << QByteArray("John Doe <jdoe@machine.example>")
                                << rows({"John Doe|jdoe@machine.example|"});
    QTest::newRow("A.1.1 To") << QByteArray("Mary Smith <mary@example.net>")
                              << rows({"Mary Smith|mary@example.net|"});
    QTest::newRow("A.1.2 From") << QByteArray("\"Joe Q. Public\" <john.q.public@example.com>")
                                << rows({"Joe Q. Public|john.q.public@example.com|"});
    QTest::newRow("A.1.2 To")
        << QByteArray("Mary Smith <mary@x.test>, jdoe@example.org, Who? <one@y.test>")
        << rows({"Mary Smith|mary@x.test|", "|jdoe@example.org|", "Who?|one@y.test|"});
    QTest::newRow("A.1.2 Cc")
        << QByteArray("<boss@nil.test>, \"Giant; \\\"Big\\\" Box\" <sysservices@example.net>")
        << rows({"|boss@nil.test|", "Giant; \"Big\" Box|sysservices@example.net|"});
    QTest::newRow("A.1.3 To")
        << QByteArray("A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;")
        << rows({"Ed Jones|c@a.test|A Group", "|joe@where.test|A Group",
                 "John|jdoe@one.test|A Group"});
    QTest::newRow("A.1.3 Cc") << QByteArray("Undisclosed recipients:;")
                              << rows({"||Undisclosed recipients"});
    QTest::newRow("A.5 From")
        << QByteArray("Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>")
        << rows({"Pete|pete@silly.test|"});
    QTest::newRow("A.5 To") << QByteArray("A Group(Some people)\r\n     :Chris Jones "
                                          "<c@(Chris's host.)public.example>,\r\n"
                                          "         joe@example.org,\r\n  John <jdoe@one.test> "
                                          "(my dear friend); (the end of the group)")
                            << rows({"Chris Jones|c@public.example|A Group",
                                     "|joe@example.org|A Group", "John|jdoe@one.test|A Group"});
    QTest::newRow("A.5 Cc") << QByteArray("(Empty list)(start)Hidden recipients  :(nobody(that I "
                                          "know))  ;")
                            << rows({"||Hidden recipients"});
    QTest::newRow("A.6.1 From") << QByteArray("Joe Q. Public <john.q.public@example.com>")
                                << rows({"Joe Q. Public|john.q.public@example.com|"});
    QTest::newRow("A.6.1 To")
        << QByteArray("Mary Smith <@node.test:mary@example.net>, , jdoe@test  . example")
        << rows({"Mary Smith|mary@example.net|", "|jdoe@test.example|"});
    QTest::newRow("A.6.3 From") << QByteArray("John Doe <jdoe@machine(comment).  example>")
                                << rows({"John Doe|jdoe@machine.example|"});
    QTest::newRow("A.6.3 To") << QByteArray(
                                     "\"Mary Smith: Personal Account\" <smith@home.example    >")
                              << rows({"Mary Smith: Personal Account|smith@home.example|"});
    QTest::newRow("A.6.3 spaced addr-spec")
        << QByteArray("<1234   @   local(blah)  .machine .example>")
        << rows({"|1234@local.machine.example|"});

    // The forms one by one.
    QTest::newRow("bare") << QByteArray("addr@x") << rows({"|addr@x|"});
    QTest::newRow("angle only") << QByteArray("<addr@x>") << rows({"|addr@x|"});
    QTest::newRow("escaped backslash")
        << QByteArray("\"C:\\\\Users\" <a@x>") << rows({"C:\\Users|a@x|"});
    QTest::newRow("nested comment name") << QByteArray("a@x (a (b) c)") << rows({"a (b) c|a@x|"});
    QTest::newRow("comment before angle")
        << QByteArray("(Real Name) <a@x>") << rows({"Real Name|a@x|"});
    QTest::newRow("phrase beats comment") << QByteArray("Bob <b@x> (work)") << rows({"Bob|b@x|"});
    QTest::newRow("group then mailbox")
        << QByteArray("Team: a@x, b@y; c@z") << rows({"|a@x|Team", "|b@y|Team", "|c@z|"});
    QTest::newRow("group left open") << QByteArray("Team: a@x") << rows({"|a@x|Team"});
    QTest::newRow("second group closes first")
        << QByteArray("A: a@x, B: b@y;") << rows({"|a@x|A", "|b@y|B"});
    QTest::newRow("route hops") << QByteArray("<@a.test,@b.test:addr@x>") << rows({"|addr@x|"});
    QTest::newRow("quoted local kept")
        << QByteArray("\"john doe\"@x") << rows({"|\"john doe\"@x|"});
    QTest::newRow("quoted local lossless")
        << QByteArray("\"john.doe\"@x") << rows({"|john.doe@x|"});
    QTest::newRow("quoted local escape") << QByteArray("\"a\\\"b\"@x") << rows({"|\"a\\\"b\"@x|"});
    QTest::newRow("quoted local obsolete mix")
        << QByteArray("john.\"doe smith\"@x") << rows({"|\"john.doe smith\"@x|"});
    QTest::newRow("domain literal") << QByteArray("a@[127.0.0.1]") << rows({"|a@[127.0.0.1]|"});
    QTest::newRow("domain literal open") << QByteArray("a@[1.2.3.4") << rows({"|a@[1.2.3.4|"});

    // RFC 2047 and RFC 6532.
    QTest::newRow("encoded name") << QByteArray("=?UTF-8?Q?J=C3=B6rg?= <j@x>")
                                  << rows({"Jörg|j@x|"});
    QTest::newRow("encoded words joined")
        << QByteArray("=?UTF-8?Q?J=C3=B6rg?=\r\n =?ISO-8859-1?Q?_M=FCller?= <j@x>")
        << rows({"Jörg Müller|j@x|"});
    QTest::newRow("encoded comma") << QByteArray("=?UTF-8?Q?M=C3=BCller,_J=C3=B6rg?= <j@x>, k@y")
                                   << rows({"Müller, Jörg|j@x|", "|k@y|"});
    QTest::newRow("encoded in quotes")
        << QByteArray("\"=?UTF-8?B?SsO2cmc=?=\" <j@x>") << rows({"Jörg|j@x|"});
    QTest::newRow("encoded comment name")
        << QByteArray("j@x (=?UTF-8?Q?J=C3=B6rg?=)") << rows({"Jörg|j@x|"});
    QTest::newRow("encoded group name")
        << QByteArray("=?UTF-8?Q?T=C3=A9am?=: a@x;") << rows({"|a@x|Téam"});
    QTest::newRow("raw UTF-8") << QByteArray("Jörg Müller <jörg@bücher.example>")
                               << rows({"Jörg Müller|jörg@bücher.example|"});

    // Breakage from real mail.
    QTest::newRow("stray commas") << QByteArray(", a@x,, b@y ,") << rows({"|a@x|", "|b@y|"});
    QTest::newRow("semicolon separator") << QByteArray("a@x; b@y") << rows({"|a@x|", "|b@y|"});
    QTest::newRow("missing >") << QByteArray("Name <a@x") << rows({"Name|a@x|"});
    QTest::newRow("missing > then comma")
        << QByteArray("Name <a@x, b@y") << rows({"Name|a@x|", "|b@y|"});
    QTest::newRow("stray >") << QByteArray("a@x>") << rows({"|a@x|"});
    QTest::newRow("missing comma") << QByteArray("A <a@x> B <b@y>") << rows({"A|a@x|", "B|b@y|"});
    QTest::newRow("missing @") << QByteArray("john") << rows({"|john|"});
    QTest::newRow("missing @ words")
        << QByteArray("Undisclosed recipients") << rows({"|Undisclosed recipients|"});
    QTest::newRow("name without angle")
        << QByteArray("John Doe jdoe@x") << rows({"John Doe|jdoe@x|"});
    QTest::newRow("two bare addresses") << QByteArray("a@x b@y") << rows({"|a@x b@y|"});
    QTest::newRow("unbalanced quote")
        << QByteArray("\"Bob <bob@x>, c@y") << rows({"\"Bob|bob@x|", "|c@y|"});
    QTest::newRow("unbalanced paren") << QByteArray("a@x (Real Name") << rows({"Real Name|a@x|"});
    QTest::newRow("stray paren") << QByteArray("Bob) <b@x>") << rows({"Bob|b@x|"});
    QTest::newRow("folding") << QByteArray("Mary\r\n Smith <mary@\r\n\texample.net>,\r\n jdoe@x")
                             << rows({"Mary Smith|mary@example.net|", "|jdoe@x|"});
    QTest::newRow("folded quoted")
        << QByteArray("\"Mary\r\n Smith\" <m@x>") << rows({"Mary Smith|m@x|"});
    QTest::newRow("empty") << QByteArray() << QStringList();
    QTest::newRow("only separators") << QByteArray(" , ,; ,") << QStringList();
    QTest::newRow("only a comment") << QByteArray("(nobody)") << QStringList();

    // Spoofing: controls in a decoded name become spaces.
    QTest::newRow("encoded CRLF") << QByteArray("=?UTF-8?Q?Evil=0D=0ABcc:_x@y?= <a@x>")
                                  << rows({"Evil  Bcc: x@y|a@x|"});
    QTest::newRow("encoded NUL and tab")
        << QByteArray("=?UTF-8?Q?a=00b=09c?= <a@x>") << rows({"a b c|a@x|"});
    QTest::newRow("controls in quotes") << QByteArray("\"a\x01"
                                                      "b\x7f\" <a@x>")
                                        << rows({"a b|a@x|"});
    QTest::newRow("raw NUL") << QByteArray("Eve\0Bob <a@x>", 13) << rows({"Eve Bob|a@x|"});
    QTest::newRow("line separator") << QByteArray("\"Eve\xe2\x80\xa8"
                                                  "Bob\" <a@x>")
                                    << rows({"Eve Bob|a@x|"});
}

void TestAddressList::parses()
{
    QFETCH(QByteArray, header);
    QFETCH(QStringList, expected);
    const auto list = parseAddressList(header);
    QCOMPARE(flattened(list), expected);
    checkInvariants(header, list);
}

void TestAddressList::displays_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("address");
    QTest::addColumn<QString>("group");
    QTest::addColumn<QString>("expected");
    const auto s = [](const char *utf8) {
        return QString::fromUtf8(utf8);
    };
    QTest::newRow("address only") << QString() << s("a@x") << QString() << s("a@x");
    QTest::newRow("name") << s("Bob") << s("b@x") << QString() << s("Bob <b@x>");
    QTest::newRow("non-ASCII") << s("Jörg") << s("j@x") << s("G") << s("Jörg <j@x>");
    QTest::newRow("name is the address") << s("A@X") << s("a@x") << QString() << s("a@x");
    QTest::newRow("address-like name") << s("boss@bank.example") << s("evil@x") << QString()
                                       << s("\"boss@bank.example\" <evil@x>");
    QTest::newRow("name with angle") << s("PayPal <service@paypal.com>") << s("evil@x") << QString()
                                     << s("\"PayPal <service@paypal.com>\" <evil@x>");
    QTest::newRow("comma") << s("Smith, John") << s("j@x") << QString()
                           << s("\"Smith, John\" <j@x>");
    QTest::newRow("escapes") << s("A \"B\" C\\D") << s("a@x") << QString()
                             << s("\"A \\\"B\\\" C\\\\D\" <a@x>");
    QTest::newRow("bidi override") << s("Bob \xe2\x80\xae"
                                        "gro.evil")
                                   << s("b@x\xe2\x80\xac") << QString() << s("Bob gro.evil <b@x>");
    QTest::newRow("no address") << s("Bob") << QString() << QString() << s("Bob <>");
    QTest::newRow("empty group") << QString() << QString() << s("undisclosed-recipients")
                                 << s("undisclosed-recipients:;");
    QTest::newRow("nothing") << QString() << QString() << QString() << QString();
}

void TestAddressList::displays()
{
    QFETCH(QString, name);
    QFETCH(QString, address);
    QFETCH(QString, group);
    QFETCH(QString, expected);
    QCOMPARE((MailAddress{name, address, group}.toDisplayString()), expected);
}

// Inputs built to make a careless parser quadratic or loop; only the invariants are
// checked (the 10 MB list must also come back complete). Timing is measured by hand.
void TestAddressList::survivesJunk_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<qsizetype>("count"); // -1: any
    QTest::newRow("10 MB list") << QByteArray("a@b, ").repeated(2 * 1024 * 1024)
                                << qsizetype(2 * 1024 * 1024);
    const qsizetype n = 256 * 1024;
    QTest::newRow("open quotes") << QByteArray("\"\\").repeated(n) << qsizetype(-1);
    QTest::newRow("open parens") << QByteArray(n, '(') << qsizetype(0);
    QTest::newRow("open brackets") << QByteArray("[\\").repeated(n) << qsizetype(-1);
    QTest::newRow("angles") << QByteArray(n, '<') << qsizetype(0);
    QTest::newRow("closers") << QByteArray(")>]").repeated(n) << qsizetype(-1);
    QTest::newRow("encoded word starts") << QByteArray("=?a?q?,").repeated(n) << qsizetype(-1);
    QTest::newRow("colons") << QByteArray(n, ':') << qsizetype(0);
    QTest::newRow("routes") << QByteArray("<@a,").repeated(n) << qsizetype(-1);
    QTest::newRow("colons after @")
        << QByteArray("x ").repeated(n) + "@" + QByteArray(n, ':') << qsizetype(1);
    QTest::newRow("ats after comments")
        << "<" + QByteArray("()").repeated(n) + QByteArray(n, '@') << qsizetype(1);
    QTest::newRow("encoded junk name")
        << QByteArray("=?a?q?x =?").repeated(n) + "<a@b>" << qsizetype(1);
    QTest::newRow("dots") << QByteArray(n, '.') << qsizetype(1);
    QTest::newRow("long name") << QByteArray("x ").repeated(n) + "<a@b>" << qsizetype(1);
}

void TestAddressList::survivesJunk()
{
    QFETCH(QByteArray, header);
    QFETCH(qsizetype, count);
    const auto list = parseAddressList(header);
    if (count >= 0)
        QCOMPARE(list.size(), count);
    checkInvariants(header, list);
}

void TestAddressList::survivesRandomBytes()
{
    // A small in-tree fuzz run, seeded so a failure reproduces; libFuzzer goes further.
    QRandomGenerator random(5322);
    const QByteArray alphabet("ab@.,;:<>()\"\\[]= ?\r\n\t\x01\xc3\xa9");
    for (int round = 0; round < 2000; ++round) {
        QByteArray input(random.bounded(64), '\0');
        for (char &c : input)
            c = alphabet[random.bounded(alphabet.size())];
        checkInvariants(input, parseAddressList(input));
        if (QTest::currentTestFailed())
            QFAIL(input.toPercentEncoding().constData());
    }
}

QTEST_GUILESS_MAIN(TestAddressList)
#include "tst_address_list.moc"
