#include "protocols/imap/ModifiedUtf7.h"

#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;
using wharf::imap::decodeMailboxName;
using wharf::imap::encodeMailboxName;

class TestImapModifiedUtf7 : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void names_data();
    void names();
    void invalid_data();
    void invalid();
    void utf8_data();
    void utf8();
    void encoderRepairsBrokenUtf16();
    void roundTripRandomNames();
    void decoderAcceptsOnlyCanonicalForms();
};

void TestImapModifiedUtf7::names_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("wire");

    QTest::newRow("ascii") << u"Sent Items"_s << QByteArray("Sent Items");
    QTest::newRow("empty") << QString() << QByteArray();
    QTest::newRow("umlaut") << u"Entwürfe"_s << QByteArray("Entw&APw-rfe");
    QTest::newRow("rfc 3501 example")
        << u"~peter/mail/台北/日本語"_s << QByteArray("~peter/mail/&U,BTFw-/&ZeVnLIqe-");
    QTest::newRow("ampersand") << u"Tom & Jerry"_s << QByteArray("Tom &- Jerry");
    QTest::newRow("ampersand then run") << u"&ä"_s << QByteArray("&-&AOQ-");
    QTest::newRow("run then ampersand") << u"ä&"_s << QByteArray("&AOQ-&-");
    QTest::newRow("run then dash") << u"ä-"_s << QByteArray("&AOQ--");
    QTest::newRow("outlook deleted items, german")
        << u"Gelöschte Elemente"_s << QByteArray("Gel&APY-schte Elemente");
    QTest::newRow("gmail drafts, german")
        << u"[Gmail]/Entwürfe"_s << QByteArray("[Gmail]/Entw&APw-rfe");
    QTest::newRow("cyrillic sent")
        << u"Отправленные"_s << QByteArray("&BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1-");
    QTest::newRow("two letters in one run") << u"ää"_s << QByteArray("&AOQA5A-");
    QTest::newRow("space splits runs") << u"ä ö"_s << QByteArray("&AOQ- &APY-");
    QTest::newRow("dovecot hierarchy")
        << u"Papierkorb/ÄÖÜ"_s << QByteArray("Papierkorb/&AMQA1gDc-");
    QTest::newRow("astral") << u"😀"_s << QByteArray("&2D3eAA-");
    QTest::newRow("astral between bmp") << u"ä😀ä"_s << QByteArray("&AOTYPd4AAOQ-");
    QTest::newRow("control character") << u"\t"_s << QByteArray("&AAk-");
    QTest::newRow("delete character") << u"\x7f"_s << QByteArray("&AH8-");
}

void TestImapModifiedUtf7::names()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, wire);
    QCOMPARE(encodeMailboxName(name, false), wire);
    QCOMPARE(decodeMailboxName(wire, false), std::optional<QString>(name));
}

void TestImapModifiedUtf7::invalid_data()
{
    QTest::addColumn<QByteArray>("wire");

    QTest::newRow("raw utf-8") << QByteArray("Entw\xc3\xbcrfe");
    QTest::newRow("raw latin-1") << QByteArray("Entw\xfcrfe");
    QTest::newRow("raw tab") << QByteArray("a\tb");
    QTest::newRow("raw delete") << QByteArray("a\x7f");
    QTest::newRow("unterminated shift") << QByteArray("Entw&APw");
    QTest::newRow("lone ampersand at end") << QByteArray("Tom &");
    QTest::newRow("ampersand inside shift") << QByteArray("&&-");
    QTest::newRow("standard base64 slash") << QByteArray("&U/BTFw-");
    QTest::newRow("padding") << QByteArray("&AOQ=-");
    QTest::newRow("one sextet") << QByteArray("&A-");
    QTest::newRow("odd byte count") << QByteArray("&AOQA-");
    QTest::newRow("one byte") << QByteArray("&AO-");
    QTest::newRow("nonzero padding bits") << QByteArray("&AOR-");
    QTest::newRow("lone high surrogate") << QByteArray("&2D0-");
    QTest::newRow("lone low surrogate") << QByteArray("&3gA-");
    QTest::newRow("high surrogate then bmp") << QByteArray("&2D0A5A-");
    QTest::newRow("encoded ampersand") << QByteArray("&ACY-");
    QTest::newRow("encoded INBOX") << QByteArray("&AEkATgBCAE8AWA-");
    QTest::newRow("encoded space inside a run") << QByteArray("&AOQAIAD2-");
    QTest::newRow("encoded NUL") << QByteArray("&AAA-");
    QTest::newRow("two runs in a row") << QByteArray("&AOQ-&APY-");
}

void TestImapModifiedUtf7::invalid()
{
    QFETCH(QByteArray, wire);
    QCOMPARE(decodeMailboxName(wire, false), std::nullopt);
}

void TestImapModifiedUtf7::utf8_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<bool>("valid");

    QTest::newRow("ascii") << QByteArray("INBOX") << true;
    QTest::newRow("umlaut") << QByteArray("Entw\xc3\xbcrfe") << true;
    QTest::newRow("astral") << QByteArray("\xf0\x9f\x98\x80") << true;
    // With UTF8=ACCEPT the name is taken as it is: no shift decoding.
    QTest::newRow("looks like utf-7") << QByteArray("&AOQ-") << true;
    QTest::newRow("latin-1") << QByteArray("Entw\xfcrfe") << false;
    QTest::newRow("truncated sequence") << QByteArray("a\xc3") << false;
    QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << false;
    QTest::newRow("encoded surrogate") << QByteArray("\xed\xa0\x80") << false;
    QTest::newRow("above U+10FFFF") << QByteArray("\xf4\x90\x80\x80") << false;
    QTest::newRow("NUL") << QByteArray("a\0b", 3) << false;
}

void TestImapModifiedUtf7::utf8()
{
    QFETCH(QByteArray, wire);
    QFETCH(bool, valid);
    const auto name = decodeMailboxName(wire, true);
    QCOMPARE(name.has_value(), valid);
    if (valid) {
        QCOMPARE(*name, QString::fromUtf8(wire));
        QCOMPARE(encodeMailboxName(*name, true), wire);
    }
}

void TestImapModifiedUtf7::encoderRepairsBrokenUtf16()
{
    // A QString may hold a lone surrogate or a NUL; what goes on the wire still decodes.
    QString broken = u"a"_s;
    broken.append(QChar(char16_t(0xd83d)));
    broken.append(u'b');
    broken.append(QChar(char16_t(0)));
    const QByteArray wire = encodeMailboxName(broken, false);
    QCOMPARE(wire, QByteArray("a&,,0-b&,,0-"));
    QCOMPARE(decodeMailboxName(wire, false), std::optional<QString>(u"a\ufffdb\ufffd"_s));
}

namespace {

char32_t randomCodePoint(QRandomGenerator &random)
{
    switch (random.bounded(6)) {
    case 0:
        return char32_t(random.bounded(0x20, 0x7f)); // printable ASCII
    case 1:
        return random.bounded(2) ? U'&' : U'-';
    case 2:
        return char32_t(random.bounded(1, 0x20)); // controls other than NUL
    case 3:
        return char32_t(random.bounded(0x80, 0x800));
    case 4: {
        const auto c = char32_t(random.bounded(0x800, 0x10000));
        return (c >= 0xd800 && c <= 0xdfff) ? U'\ufffd' : c;
    }
    default:
        return char32_t(random.bounded(0x10000, 0x110000)); // astral planes
    }
}

} // namespace

void TestImapModifiedUtf7::roundTripRandomNames()
{
    QRandomGenerator random(5131);
    for (int i = 0; i < 20000; ++i) {
        QString name;
        const int length = int(random.bounded(0, 16));
        for (int j = 0; j < length; ++j) {
            const char32_t c = randomCodePoint(random);
            name.append(QString::fromUcs4(&c, 1));
        }
        const QByteArray wire = encodeMailboxName(name, false);
        for (const char c : wire)
            QVERIFY2(c >= 0x20 && c <= 0x7e, wire.constData());
        const auto decoded = decodeMailboxName(wire, false);
        QVERIFY2(decoded, wire.constData());
        QCOMPARE(*decoded, name);
        QCOMPARE(decodeMailboxName(encodeMailboxName(name, true), true),
                 std::optional<QString>(name));
    }
}

void TestImapModifiedUtf7::decoderAcceptsOnlyCanonicalForms()
{
    // Random wire strings built from direct letters, "&-" and shifts of random modified
    // base64: whatever decodes must encode back to the very same bytes, so one name never
    // has two spellings.
    static const char base64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";
    QRandomGenerator random(77);
    int accepted = 0;
    int withRun = 0;
    for (int i = 0; i < 50000; ++i) {
        QByteArray wire;
        bool hasRun = false;
        const int segments = int(random.bounded(1, 5));
        for (int j = 0; j < segments; ++j) {
            switch (random.bounded(4)) {
            case 0:
                wire.append(random.bounded(2) ? "a-" : "&-");
                break;
            case 1:
                wire.append(char(random.bounded(0x20, 0x7f)));
                break;
            default: {
                hasRun = true;
                wire.append('&');
                const int length = int(random.bounded(1, 9));
                for (int k = 0; k < length; ++k)
                    wire.append(base64[random.bounded(64)]);
                if (random.bounded(20) != 0)
                    wire.append('-');
            }
            }
        }
        const auto decoded = decodeMailboxName(wire, false);
        if (!decoded)
            continue;
        ++accepted;
        withRun += hasRun ? 1 : 0;
        QCOMPARE(encodeMailboxName(*decoded, false), wire);
    }
    // Enough accepted strings for the property to mean something.
    QVERIFY2(accepted > 5000, QByteArray::number(accepted).constData());
    QVERIFY2(withRun > 2000, QByteArray::number(withRun).constData());
}

QTEST_GUILESS_MAIN(TestImapModifiedUtf7)
#include "tst_imap_modified_utf7.moc"
