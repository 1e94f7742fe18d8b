#include "store/ThreadKeys.h"

#include <QTest>

using namespace wharf::store;

namespace {

QString describe(const QByteArrayList &ids)
{
    return QString::fromUtf8(ids.join(' '));
}

} // namespace

class TestThreadKeys : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void extractsMessageIds_data();
    void extractsMessageIds();
    void normalisesMessageId();
    void buildsReferences_data();
    void buildsReferences();
    void stripsSubjectPrefixes_data();
    void stripsSubjectPrefixes();
};

void TestThreadKeys::extractsMessageIds_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("ids");
    auto row = [](const char *name, const char *value, const char *ids) {
        QTest::newRow(name) << QByteArray(value) << QString::fromLatin1(ids);
    };
    row("one", "<a@x>", "a@x");
    row("several", "<a@x> <b@x>\r\n\t<c@x>", "a@x b@x c@x");
    row("no spaces between", "<a@x><b@x>", "a@x b@x");
    row("commas", "<a@x>,<b@x>", "a@x b@x");
    row("folded inside", "<a-very-long-\r\n id@x>", "a-very-long-id@x");
    row("comment with address", "<a@x> (message from Ann <ann@y>)", "a@x");
    row("nested comment", "(Ann (the (real) one) <ann@y>) <a@x>", "a@x");
    row("quoted prose", "\"Ann <ann@y>'s message of Monday\" <a@x>", "a@x");
    row("prose before", "Your message of Mon, 1 Jan 2001 from ann@y <a@x>", "a@x");
    row("doubled brackets", "<<a@x>>", "a@x");
    row("truncated", "<a@x> <b@x", "a@x b@x");
    row("unclosed comment", "<a@x> (never closed <b@x>", "a@x b@x");
    row("unclosed quote", "\"<a@x>", "a@x");
    row("no at sign in brackets", "<1234.5678>", "1234.5678");
    row("empty brackets", "<> <a@x>", "a@x");
    row("bare ids", "a@x b@x", "a@x b@x");
    row("bare id with comment", "a@x (Ann)", "a@x");
    row("bare among prose", "Your message of today ann@y", "");
    row("prose only", "Your message of Monday", "");
    row("empty", "", "");
    row("junk bytes", "\x01\x02<a\x01@x>\x7f", "a@x");
    row("repeats kept", "<a@x> <a@x>", "a@x a@x");
}

void TestThreadKeys::extractsMessageIds()
{
    QFETCH(QByteArray, value);
    QFETCH(QString, ids);
    QCOMPARE(describe(extractMessageIds(value)), ids);
}

void TestThreadKeys::normalisesMessageId()
{
    QCOMPARE(normaliseMessageId("<a@x>"), QByteArray("a@x"));
    QCOMPARE(normaliseMessageId("  <a@x>  (Ann)"), QByteArray("a@x"));
    QCOMPARE(normaliseMessageId("a@x"), QByteArray("a@x"));
    QCOMPARE(normaliseMessageId("12345"), QByteArray("12345"));
    QCOMPARE(normaliseMessageId("<1 2 3"), QByteArray("123"));
    QCOMPARE(normaliseMessageId("   "), QByteArray());
}

void TestThreadKeys::buildsReferences_data()
{
    QTest::addColumn<QByteArray>("references");
    QTest::addColumn<QByteArray>("inReplyTo");
    QTest::addColumn<QString>("ids");
    auto row = [](const char *name, const char *references, const char *inReplyTo,
                  const char *ids) {
        QTest::newRow(name) << QByteArray(references) << QByteArray(inReplyTo)
                            << QString::fromLatin1(ids);
    };
    row("references only", "<a@x> <b@x>", "", "a@x b@x");
    row("in-reply-to only", "", "<b@x>", "b@x");
    row("in-reply-to already last", "<a@x> <b@x>", "<b@x>", "a@x b@x");
    row("in-reply-to appended", "<a@x>", "<b@x>", "a@x b@x");
    row("in-reply-to earlier cuts", "<a@x> <b@x> <c@x>", "<b@x>", "a@x b@x");
    row("repeats dropped", "<a@x> <b@x> <a@x> <c@x>", "", "a@x b@x c@x");
    row("in-reply-to comment", "", "<b@x> (message from Ann <ann@y> of Monday)", "b@x");
    row("in-reply-to prose style", "<a@x>",
        "Ann's message of \"Mon, 1 Jan 2001 10:00:00 +0000\" <b@x>", "a@x b@x");
    row("in-reply-to several ids", "", "<b@x> <c@x>", "b@x");
    row("in-reply-to without brackets", "<a@x>", "b@x", "a@x b@x");
    row("in-reply-to junk", "<a@x>", "your mail", "a@x");
    row("both empty", "", "", "");
}

void TestThreadKeys::buildsReferences()
{
    QFETCH(QByteArray, references);
    QFETCH(QByteArray, inReplyTo);
    QFETCH(QString, ids);
    QCOMPARE(describe(threadReferences(references, inReplyTo)), ids);
}

void TestThreadKeys::stripsSubjectPrefixes_data()
{
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QString>("base");
    QTest::addColumn<bool>("prefixed");
    auto row = [](const char *subject, const char *base, bool prefixed) {
        QTest::newRow(subject) << QString::fromUtf8(subject) << QString::fromUtf8(base) << prefixed;
    };
    row("Meeting", "Meeting", false);
    row("Re: Meeting", "Meeting", true);
    row("RE: Meeting", "Meeting", true);
    row("re:Meeting", "Meeting", true);
    row("RE : Meeting", "Meeting", true);
    row("Re: Re: RE: Meeting", "Meeting", true);
    row("Re[2]: Meeting", "Meeting", true);
    row("Re(3): Meeting", "Meeting", true);
    row("Re^2: Meeting", "Meeting", true);
    row("Fwd: Meeting", "Meeting", true);
    row("Fw: Meeting", "Meeting", true);
    row("FW: Re: Meeting", "Meeting", true);
    row("AW: Meeting", "Meeting", true);
    row("WG: AW: Meeting", "Meeting", true);
    row("SV: Meeting", "Meeting", true);
    row("VS: Meeting", "Meeting", true);
    row("Antw: Meeting", "Meeting", true);
    row("TR: Meeting", "Meeting", true);
    row("RIF: Meeting", "Meeting", true);
    row("R: Meeting", "Meeting", true);
    row("Odp: Meeting", "Meeting", true);
    row("YNT: Meeting", "Meeting", true);
    row("ΑΠ: Meeting", "Meeting", true);
    row("Σχετ: Meeting", "Meeting", true);
    row("回复：会议", "会议", true);
    row("转发: 会议", "会议", true);
    row("返信: 会議", "会議", true);
    row("[dev] Meeting", "Meeting", false);
    row("[dev] Re: [dev] Re: Meeting", "Meeting", true);
    row("Re: [dev] Meeting", "Meeting", true);
    row("Meeting (fwd)", "Meeting", true);
    row("  Re:   Meeting \t notes ", "Meeting notes", true);
    row("[announce]", "[announce]", false);
    row("Re:", "", true);
    row("", "", false);
    row("Fix: crash on start", "Fix: crash on start", false);
    row("Reply: Meeting", "Reply: Meeting", false);
    row("Re Meeting", "Re Meeting", false);
    row("Re[x]: Meeting", "Re[x]: Meeting", false);
}

void TestThreadKeys::stripsSubjectPrefixes()
{
    QFETCH(QString, subject);
    QFETCH(QString, base);
    QFETCH(bool, prefixed);
    bool hadPrefix = !prefixed;
    QCOMPARE(baseSubject(subject, &hadPrefix), base);
    QCOMPARE(hadPrefix, prefixed);
    QCOMPARE(baseSubject(base), base);
}

QTEST_GUILESS_MAIN(TestThreadKeys)
#include "tst_thread_keys.moc"
