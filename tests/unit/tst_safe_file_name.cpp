#include "mime/SafeFileName.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using wharf::mime::sanitizeFileName;
using wharf::mime::uniqueFilePathIn;

class TestSafeFileName : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sanitize_data();
    void sanitize();
    void fallback();
    void lengthCap_data();
    void lengthCap();
    void unique();
    void uniqueCountsLinksAndFolders();
    void uniqueKeepsLongNamesShort();
    void uniqueRefuses_data();
    void uniqueRefuses();
    void uniqueNeedsTheFolder();
};

namespace {

QString u8(const char *text)
{
    return QString::fromUtf8(text);
}

qsizetype utf8Bytes(const QString &text)
{
    return text.toUtf8().size();
}

// What every result must be, whatever went in.
void checkIsOneSafeComponent(const QString &name)
{
    QVERIFY(!name.isEmpty());
    QVERIFY(name != u"." && name != u"..");
    QVERIFY(!name.contains(u'/'));
    QVERIFY(!name.contains(u'\\'));
    QVERIFY(!name.startsWith(u'.'));
    QVERIFY(utf8Bytes(name) <= 255);
    QCOMPARE(QString::fromUtf8(name.toUtf8()), name); // no unpaired surrogates
    for (const QChar c : name)
        QVERIFY2(c.category() != QChar::Other_Control, qPrintable(name));
    QCOMPARE(name.normalized(QString::NormalizationForm_C), name);
    QCOMPARE(sanitizeFileName(name), name);
}

void touch(const QString &path)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::NewOnly));
}

} // namespace

void TestSafeFileName::sanitize_data()
{
    QTest::addColumn<QString>("proposed");
    QTest::addColumn<QString>("expected");
    const auto row = [](const char *tag, const QString &proposed, const QString &expected) {
        QTest::newRow(tag) << proposed << expected;
    };
    row("ordinary", u8("report 2024.pdf"), u8("report 2024.pdf"));
    row("unicode", u8("Übersicht – März.xlsx"), u8("Übersicht – März.xlsx"));
    row("relative traversal", u8("../../etc/passwd"), u8("passwd"));
    row("absolute", u8("/etc/passwd"), u8("passwd"));
    row("windows path", u8("C:\\Windows\\x.exe"), u8("x.exe"));
    row("drive relative", u8("C:x.exe"), u8("C_x.exe"));
    row("mixed separators", u8("a/b\\..\\c.txt"), u8("c.txt"));
    row("trailing slash", u8("dir/"), u8("dir"));
    row("dot dot", u8(".."), u8("attachment"));
    row("dot dot slash", u8("../"), u8("attachment"));
    row("dot", u8("."), u8("attachment"));
    row("slash", u8("/"), u8("attachment"));
    row("spaces", u8("   "), u8("attachment"));
    row("empty", QString(), u8("attachment"));
    row("only dots", u8("....."), u8("attachment"));
    row("dots and spaces", u8(". . ."), u8("attachment"));
    row("NUL", u8("a") + QChar(0) + u8("b"), u8("ab"));
    row("CR LF", u8("a\r\nb.txt"), u8("ab.txt"));
    row("tab, DEL, C1",
        u8("a\tb\x7f"
           "c\xc2\x85"
           "d\xc2\x9b.txt"),
        u8("abcd.txt"));
    row("line separator",
        u8("a\xe2\x80\xa8"
           "b"),
        u8("ab"));
    row("reserved punctuation", u8("what?*:<>|\".txt"), u8("what_______.txt"));
    row("CON", u8("CON"), u8("_CON"));
    row("con.txt", u8("con.txt"), u8("_con.txt"));
    row("LPT9.log", u8("LPT9.log"), u8("_LPT9.log"));
    row("nul with two extensions", u8("nul.tar.gz"), u8("_nul.tar.gz"));
    row("device with space before dot", u8("COM1 .txt"), u8("_COM1 .txt"));
    row("aux in a folder", u8("x/Aux"), u8("_Aux"));
    row("superscript port", u8("com\xc2\xb9"), u8("_com\xc2\xb9"));
    row("console", u8("conin$"), u8("_conin$"));
    row("not a device: CONSOLE", u8("CONSOLE.txt"), u8("CONSOLE.txt"));
    row("not a device: COM10", u8("COM10"), u8("COM10"));
    row("not a device: _CON", u8("_CON"), u8("_CON"));
    row("RTL override", u8("evil\xe2\x80\xaetxt.exe"), u8("eviltxt.exe"));
    row("isolates and marks",
        u8("\xe2\x81\xa6"
           "a\xe2\x81\xa9"
           "b\xe2\x80\x8e\xe2\x80\x8f.pdf"),
        u8("ab.pdf"));
    row("NFD to NFC", u8("Cafe\xcc\x81.txt"), u8("Caf\xc3\xa9.txt"));
    row("composes across a removed char", u8("e\xe2\x80\xae\xcc\x81"), u8("\xc3\xa9"));
    row("dotfile", u8(".bashrc"), u8("bashrc"));
    row("padded hidden", u8("  .hidden.txt  "), u8("hidden.txt"));
    row("trailing dot", u8("file.txt."), u8("file.txt"));
    row("unpaired surrogate", QString(QChar(0xd800)) + u8("x") + QChar(0xdc00), u8("x"));
    row("emoji kept", u8("\xf0\x9f\x98\x80.png"), u8("\xf0\x9f\x98\x80.png"));
}

void TestSafeFileName::sanitize()
{
    QFETCH(QString, proposed);
    QFETCH(QString, expected);
    const QString name = sanitizeFileName(proposed);
    QCOMPARE(name, expected);
    checkIsOneSafeComponent(name);
}

void TestSafeFileName::fallback()
{
    QCOMPARE(sanitizeFileName(u8(".."), u8("part-2.bin")), u8("part-2.bin"));
    QCOMPARE(sanitizeFileName(u8("ok.txt"), u8("part-2.bin")), u8("ok.txt"));
    // The fallback is no way around the rules.
    QCOMPARE(sanitizeFileName(QString(), u8("../x")), u8("x"));
    QCOMPARE(sanitizeFileName(QString(), u8("..")), u8("attachment"));
}

void TestSafeFileName::lengthCap_data()
{
    QTest::addColumn<QString>("proposed");
    QTest::addColumn<QString>("expected");
    QTest::newRow("ASCII, extension kept")
        << QString(400, u'a') + u8(".tar.gz") << QString(252, u'a') + u8(".gz");
    QTest::newRow("two-byte chars")
        << QString(400, QChar(0xe4)) + u8(".pdf") << QString(125, QChar(0xe4)) + u8(".pdf");
    QTest::newRow("four-byte chars") << u8("\xf0\x9f\x98\x80").repeated(100) + u8(".txt")
                                     << u8("\xf0\x9f\x98\x80").repeated(62) + u8(".txt");
    // q + combining acute has no precomposed form: 3 bytes that must stay together.
    QTest::newRow("graphemes stay whole")
        << u8("q\xcc\x81").repeated(200) + u8(".txt") << u8("q\xcc\x81").repeated(83) + u8(".txt");
    QTest::newRow("cut leaves a trailing space")
        << QString(250, u'a') + u8(" b") + u8(".pdf") << QString(250, u'a') + u8(".pdf");
    QTest::newRow("long tail is no extension")
        << u8("a.") + QString(300, u'x') << u8("a.") + QString(253, u'x');
    QTest::newRow("one huge grapheme")
        << u8("a") + u8("\xcc\x81").repeated(300) << u8("\xc3\xa1") + u8("\xcc\x81").repeated(126);
}

void TestSafeFileName::lengthCap()
{
    QFETCH(QString, proposed);
    QFETCH(QString, expected);
    const QString name = sanitizeFileName(proposed);
    QCOMPARE(name, expected);
    checkIsOneSafeComponent(name);
}

void TestSafeFileName::unique()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QDir dir(temp.path());
    const QString root = QFileInfo(temp.path()).canonicalFilePath();

    QCOMPARE(uniqueFilePathIn(dir, u8("a.txt")), root + u8("/a.txt"));
    touch(root + u8("/a.txt"));
    QCOMPARE(uniqueFilePathIn(dir, u8("a.txt")), root + u8("/a (1).txt"));
    touch(root + u8("/a (1).txt"));
    touch(root + u8("/a (2).txt"));
    QCOMPARE(uniqueFilePathIn(dir, u8("a.txt")), root + u8("/a (3).txt"));

    touch(root + u8("/README"));
    QCOMPARE(uniqueFilePathIn(dir, u8("README")), root + u8("/README (1)"));
    touch(root + u8("/.profile"));
    QCOMPARE(uniqueFilePathIn(dir, u8(".profile")), root + u8("/.profile (1)"));
    touch(root + u8("/archive.tar.gz"));
    QCOMPARE(uniqueFilePathIn(dir, u8("archive.tar.gz")), root + u8("/archive.tar (1).gz"));
    // Not a Qt resource path, just an odd local name.
    QCOMPARE(uniqueFilePathIn(dir, u8(":colon")), root + u8("/:colon"));
}

void TestSafeFileName::uniqueCountsLinksAndFolders()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString root = QFileInfo(temp.path()).canonicalFilePath();
    // A dangling link: writing through it would create a file wherever it points.
    QVERIFY(QFile::link(root + u8("/elsewhere/target"), root + u8("/link.txt")));
    QCOMPARE(uniqueFilePathIn(QDir(root), u8("link.txt")), root + u8("/link (1).txt"));
    QVERIFY(QDir(root).mkdir(u8("sub")));
    QCOMPARE(uniqueFilePathIn(QDir(root), u8("sub")), root + u8("/sub (1)"));
}

void TestSafeFileName::uniqueKeepsLongNamesShort()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString root = QFileInfo(temp.path()).canonicalFilePath();
    const QString longName = QString(125, QChar(0xe4)) + u8(".pdf");
    touch(root + u8("/") + longName);
    const QString path = uniqueFilePathIn(QDir(root), longName);
    const QString name = QFileInfo(path).fileName();
    QCOMPARE(name, QString(123, QChar(0xe4)) + u8(" (1).pdf"));
    QVERIFY(utf8Bytes(name) <= 255);
}

void TestSafeFileName::uniqueRefuses_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("empty") << QString();
    QTest::newRow("dot") << u8(".");
    QTest::newRow("dot dot") << u8("..");
    QTest::newRow("slash") << u8("../x");
    QTest::newRow("backslash") << u8("..\\x");
    QTest::newRow("absolute") << u8("/etc/passwd");
    QTest::newRow("NUL") << u8("a") + QChar(0) + u8("b");
    QTest::newRow("too long") << QString(256, u'a');
}

void TestSafeFileName::uniqueRefuses()
{
    QFETCH(QString, name);
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    QCOMPARE(uniqueFilePathIn(QDir(temp.path()), name), QString());
}

void TestSafeFileName::uniqueNeedsTheFolder()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    QCOMPARE(uniqueFilePathIn(QDir(temp.filePath(u8("missing"))), u8("a.txt")), QString());
    // A folder reached through a link: the path is in the real folder.
    const QString root = QFileInfo(temp.path()).canonicalFilePath();
    QVERIFY(QDir(root).mkdir(u8("real")));
    QVERIFY(QFile::link(root + u8("/real"), root + u8("/alias")));
    QCOMPARE(uniqueFilePathIn(QDir(root + u8("/alias")), u8("a.txt")), root + u8("/real/a.txt"));
}

QTEST_GUILESS_MAIN(TestSafeFileName)
#include "tst_safe_file_name.moc"
