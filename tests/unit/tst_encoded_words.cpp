#include "mime/EncodedWords.h"

#include <QRandomGenerator>
#include <QTest>

using wharf::mime::decodeHeaderText;
using wharf::mime::encodeHeaderText;
using wharf::mime::headerValueProblem;

namespace {

QString text(const char *utf8)
{
    return QString::fromUtf8(utf8);
}

QByteArray b64Word(const QByteArray &charset, const QByteArray &bytes)
{
    return "=?" + charset + "?B?" + bytes.toBase64() + "?=";
}

// Every line of an encoded header, and every encoded word in it, within RFC limits.
QString layoutProblem(const QByteArray &encoded, qsizetype firstLineUsed)
{
    const QList<QByteArray> lines = encoded.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QByteArray line = lines[i];
        if (i + 1 < lines.size()) {
            if (!line.endsWith('\r'))
                return QStringLiteral("bare LF");
            line.chop(1);
            if (i + 1 < lines.size() && !lines[i + 1].startsWith(' ') &&
                !lines[i + 1].startsWith('\t'))
                return QStringLiteral("continuation line without leading whitespace");
        }
        if (line.contains('\r'))
            return QStringLiteral("bare CR");
        if ((i == 0 ? firstLineUsed : 0) + line.size() > 78)
            return QStringLiteral("line %1 is %2 characters").arg(i).arg(line.size());
        if (i > 0 && line.trimmed().isEmpty())
            return QStringLiteral("line %1 is only whitespace").arg(i);
        for (const QByteArray &word : QByteArray(line).replace('\t', ' ').split(' ')) {
            if (word.startsWith("=?") && word.size() > 75)
                return QStringLiteral("encoded word of %1 characters").arg(word.size());
        }
    }
    for (const char c : encoded) {
        if (static_cast<unsigned char>(c) >= 0x80 || c == '\0')
            return QStringLiteral("byte %1 is not ASCII").arg(int(static_cast<unsigned char>(c)));
    }
    return {};
}

// Random text from a few scripts, with whitespace runs, sized for one to several lines.
QString randomText(QRandomGenerator &random)
{
    static const char32_t pools[][8] = {
        {U'a', U'Z', U'0', U'=', U'?', U'_', U'.', U'"'},
        {U'ä', U'ö', U'ß', U'é', U'ø', U'ÿ', U'¡', U'\u00a0'},
        {U'日', U'本', U'語', U'中', U'文', U'한', U'グ', U'\u3000'},
        {U'😀', U'🎉', U'𝄞', U'𠀋', U'🇩', U'\U0010FFFD', U'€', U'\u200b'},
        {U' ', U' ', U' ', U'\t', U' ', U'a', U'b', U'c'},
    };
    QString result;
    const int length = random.bounded(0, 200);
    const int mix = random.bounded(1, 32); // which pools this string draws from
    for (int i = 0; i < length; ++i) {
        int pool = random.bounded(5);
        while (!(mix & (1 << pool)))
            pool = (pool + 1) % 5;
        const char32_t c = pools[pool][random.bounded(8)];
        result += QString::fromUcs4(&c, 1);
    }
    return result;
}

} // namespace

class TestEncodedWords : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void decodes_data();
    void decodes();
    void charsets_data();
    void charsets();
    void encodesPlainAsciiAsItIs_data();
    void encodesPlainAsciiAsItIs();
    void encodesOthers_data();
    void encodesOthers();
    void roundTripsRandomText();
    void headerValueProblems_data();
    void headerValueProblems();
};

void TestEncodedWords::decodes_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QString>("expected");
    auto row = [](const char *name, const QByteArray &raw, const QString &expected) {
        QTest::newRow(name) << raw << expected;
    };
    // RFC 2047 section 8.
    row("8 a", "(=?ISO-8859-1?Q?a?=)", text("(a)"));
    row("8 a b", "(=?ISO-8859-1?Q?a?= b)", text("(a b)"));
    row("8 ab", "(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)", text("(ab)"));
    row("8 ab two spaces", "(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)", text("(ab)"));
    row("8 ab folded", "(=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=)", text("(ab)"));
    row("8 a_b", "(=?ISO-8859-1?Q?a_b?=)", text("(a b)"));
    row("8 two charsets", "(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)", text("(a b)"));
    row("8 Keith", "=?US-ASCII?Q?Keith_Moore?= <moore@cs.utk.edu>",
        text("Keith Moore <moore@cs.utk.edu>"));
    row("8 Keld", "=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?= <keld@dkuug.dk>",
        text("Keld Jørn Simonsen <keld@dkuug.dk>"));
    row("8 Andre", "=?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>",
        text("André Pirard <PIRARD@vm1.ulg.ac.be>"));
    row("8 subject",
        "=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=\r\n"
        "    =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=",
        text("If you can read this you understand the example."));
    row("8 Olle", "=?ISO-8859-1?Q?Olle_J=E4rmefors?= <ole@ifi.unit.no>",
        text("Olle Järmefors <ole@ifi.unit.no>"));
    row("8 Patrik", "=?ISO-8859-1?Q?Patrik_F=E4ltstr=F6m?= <paf@nada.kth.se>",
        text("Patrik Fältström <paf@nada.kth.se>"));

    row("utf-8 Q", "=?utf-8?q?Gr=C3=BC=C3=9Fe?=", text("Grüße"));
    row("utf-8 B", "=?UTF-8?B?R3LDvMOfZQ==?=", text("Grüße"));
    row("B without padding", "=?UTF-8?B?R3LDvMOfZQ?=", text("Grüße"));
    row("lower-case hex", "=?utf-8?Q?=c3=bc?=", text("ü"));
    row("language suffix", "=?UTF-8*en?Q?hello_world?=", text("hello world"));
    row("split over B words", "=?UTF-8?B?4g==?= =?UTF-8?B?gqw=?=", text("€"));
    row("split over Q words", "=?UTF-8?Q?=F0=9F?=\r\n =?UTF-8?Q?=98=80?=", text("😀"));
    row("split over B and Q", "=?UTF-8?B?8J8=?==?utf-8?Q?=98=80?=", text("😀"));
    row("mixed", "Re: =?UTF-8?Q?K=C3=A4se?= und Brot", text("Re: Käse und Brot"));
    row("encoded then plain keeps space", "=?UTF-8?Q?a?= b =?UTF-8?Q?c?=", text("a b c"));
    row("unknown charset", "=?x-unknown?Q?abc?= x", text("=?x-unknown?Q?abc?= x"));
    row("bad encoding", "=?utf-8?X?abc?=", text("=?utf-8?X?abc?="));
    row("bad base64", "=?utf-8?B?@@@?=", text("=?utf-8?B?@@@?="));
    row("base64 one digit over", "=?utf-8?B?QUJDR?=", text("=?utf-8?B?QUJDR?="));
    row("bad Q escape", "=?utf-8?Q?a=G1?=", text("=?utf-8?Q?a=G1?="));
    row("truncated Q escape", "=?utf-8?Q?a=4?=", text("=?utf-8?Q?a=4?="));
    row("tiny", "=?=", text("=?="));
    row("empty parts",
        "=?"
        "?Q?"
        "?=",
        text("=?"
             "?Q?"
             "?="));
    row("empty text",
        "=?UTF-8?Q?"
        "?=",
        text("=?UTF-8?Q?"
             "?="));
    row("unterminated", "=?UTF-8?Q?abc", text("=?UTF-8?Q?abc"));
    row("space inside", "=?UTF-8?Q?a b?=", text("=?UTF-8?Q?a b?="));
    row("literal before valid", "=?=?UTF-8?Q?ok?=", text("=?ok"));
    row("space before bad word kept", "=?UTF-8?Q?a?= =?x?Q?b?=", text("a =?x?Q?b?="));
    row("invalid UTF-8 inside", "=?UTF-8?Q?a=FFb?=",
        text("a\xef\xbf\xbd"
             "b"));
    row("truncated UTF-8 inside", "=?UTF-8?Q?a=E2=82?=", text("a\xef\xbf\xbd\xef\xbf\xbd"));
    row("truncated Shift_JIS inside", "=?Shift_JIS?Q?a=93?=", text("a\xef\xbf\xbd"));
    row("lone surrogate from UTF-16", "=?UTF-16LE?Q?=00=D8=41=00?=",
        text("\xef\xbf\xbd"
             "A"));
    row("raw UTF-8",
        "Gr\xc3\xbc\xc3\x9f"
        "e",
        text("Grüße"));
    row("raw latin1",
        "Gr\xfc\xdf"
        "e",
        text("Grüße"));
    row("raw windows-1252", "\x93quoted\x94", text("“quoted”"));
    row("unfolding", "Subject text\r\n\tcontinued\r\n more", text("Subject text\tcontinued more"));
    row("LF unfolding", "one\n two", text("one two"));
    row("encoded CRLF stays", "=?UTF-8?Q?a=0D=0Ab?=", text("a\r\nb"));
    row("empty", "", QString());
}

void TestEncodedWords::decodes()
{
    QFETCH(QByteArray, raw);
    QFETCH(QString, expected);
    QCOMPARE(decodeHeaderText(raw), expected);
}

void TestEncodedWords::charsets_data()
{
    QTest::addColumn<QByteArray>("charset");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");
    auto row = [](const char *charset, const QByteArray &bytes, const char *expected) {
        QTest::newRow(charset) << QByteArray(charset) << bytes << text(expected);
    };
    row("UTF-8", "\xe2\x82\xac \xc3\xa4", "€ ä");
    row("ISO-8859-1", "caf\xe9", "café");
    row("iso-8859-15", "\xa4 \xbd", "€ œ");
    row("windows-1252", "\x80 \x93x\x94", "€ “x”");
    row("KOI8-R", "\xf0\xd2\xc9\xd7\xc5\xd4", "Привет");
    row("Shift_JIS", "\x93\xfa\x96\x7b\x8c\xea", "日本語");
    row("ISO-2022-JP", "\x1b$BF|K\\8l\x1b(B", "日本語");
    row("GB18030", "\xd6\xd0\xce\xc4", "中文");
    row("big5", "\xa4\xa4\xa4\xe5", "中文");
}

// Each charset in B and in Q, and split at every byte across two adjacent words.
void TestEncodedWords::charsets()
{
    QFETCH(QByteArray, charset);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    QCOMPARE(decodeHeaderText(b64Word(charset, bytes)), expected);
    QCOMPARE(decodeHeaderText("=?" + charset + "?Q?" +
                              bytes.toPercentEncoding({}, {}, '=').replace("=20", "_") + "?="),
             expected);
    for (qsizetype cut = 1; cut < bytes.size(); ++cut) {
        const QByteArray raw = b64Word(charset, bytes.first(cut)) + "\r\n " +
                               b64Word(charset.toLower(), bytes.sliced(cut));
        QCOMPARE(decodeHeaderText(raw), expected);
    }
}

void TestEncodedWords::encodesPlainAsciiAsItIs_data()
{
    QTest::addColumn<QString>("input");
    QTest::newRow("word") << text("Hello");
    QTest::newRow("sentence") << text("Re: [wharf] a plain subject, with (punctuation)!");
    QTest::newRow("double space") << text("two  spaces");
    QTest::newRow("question marks") << text("what? ?= =");
}

void TestEncodedWords::encodesPlainAsciiAsItIs()
{
    QFETCH(QString, input);
    QCOMPARE(encodeHeaderText(input, 9), input.toLatin1());
}

void TestEncodedWords::encodesOthers_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<qsizetype>("firstLineUsed");
    auto row = [](const char *name, const QString &input, qsizetype used = 9) {
        QTest::newRow(name) << input << used;
    };
    row("empty", QString());
    row("umlaut", text("Grüße aus Köln"));
    row("looks encoded", text("=?UTF-8?Q?abc?="));
    row("looks encoded inside", text("x=?y"));
    row("long ascii word", QString(200, u'x'));
    row("long ascii word first", text("abcdefghij").repeated(7) + text(" tail"), 20);
    row("long ascii sentence", text("the quick brown fox jumps over the lazy dog ").repeated(5));
    row("leading and trailing space", text("  padded  "));
    row("only spaces", text("   "));
    row("long space run", text("a") + QString(100, u' ') + text("b"));
    row("tabs", text("a\tb\t\tc"));
    row("control characters", text("bell\x07 cr\r lf\n nul") + QChar(0));
    row("cjk", text("日本語のテキスト").repeated(10));
    row("emoji", text("😀🎉𝄞").repeated(20));
    row("mixed", text("Re: Fwd: Grüße — 日本 😀 and some plain words ").repeated(4));
    row("full first line", text("ä"), 70);
    row("no first line", text("plain ä"), 0);
}

void TestEncodedWords::encodesOthers()
{
    QFETCH(QString, input);
    QFETCH(qsizetype, firstLineUsed);
    const QByteArray encoded = encodeHeaderText(input, firstLineUsed);
    QCOMPARE(decodeHeaderText(encoded), input);
    if (firstLineUsed < 60)
        QCOMPARE(layoutProblem(encoded, firstLineUsed), QString());
}

void TestEncodedWords::roundTripsRandomText()
{
    QRandomGenerator random(2047);
    for (int i = 0; i < 500; ++i) {
        const QString input = randomText(random);
        const qsizetype used = random.bounded(0, 40);
        const QByteArray encoded = encodeHeaderText(input, used);
        if (decodeHeaderText(encoded) != input || !layoutProblem(encoded, used).isEmpty()) {
            qWarning() << input << used << encoded << layoutProblem(encoded, used);
            QFAIL("round trip or layout failed");
        }
    }
}

void TestEncodedWords::headerValueProblems_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("rejected");
    QTest::newRow("plain") << text("Re: hello") << false;
    QTest::newRow("unicode") << text("Grüße 日本 😀\t") << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("CR") << text("a\rBcc: x@example.org") << true;
    QTest::newRow("LF") << text("a\nBcc: x@example.org") << true;
    QTest::newRow("CRLF") << text("a\r\n") << true;
    QTest::newRow("NUL") << (text("a") + QChar(0) + text("b")) << true;
    QTest::newRow("decoded CRLF") << decodeHeaderText("=?UTF-8?Q?a=0D=0ABcc:_x?=") << true;
}

void TestEncodedWords::headerValueProblems()
{
    QFETCH(QString, value);
    QFETCH(bool, rejected);
    const auto problem = headerValueProblem(value);
    QCOMPARE(problem.has_value(), rejected);
    if (problem) {
        QVERIFY(!problem->isEmpty());
        QVERIFY(!problem->contains(u'\n'));
    }
}

QTEST_GUILESS_MAIN(TestEncodedWords)
#include "tst_encoded_words.moc"
