// Round-trip property: random drafts written by writeMessage and read back by
// Message::parse give every field back exactly. Fixed seed, so a failure reproduces.

#include "mime/Message.h"
#include "mime/MessageWriter.h"

#include <QRandomGenerator>
#include <QTest>

using namespace wharf;
using namespace wharf::mime;

namespace {

class Generator
{
public:
    explicit Generator(quint32 seed)
        : m_random(seed)
    {}

    int below(int n) { return int(m_random.bounded(n)); }
    bool chance(int percent) { return below(100) < percent; }

    QString pick(const QStringList &list) { return list[below(int(list.size()))]; }

    // Words from many scripts, with emoji, quotes and address syntax in between.
    QString words(int count)
    {
        static const QStringList pool{
            QStringLiteral("hello"),      QStringLiteral("Grüße"),
            QStringLiteral("日本語"),     QStringLiteral("Ελληνικά"),
            QStringLiteral("русский"),    QStringLiteral("עברית"),
            QStringLiteral("العربية"),    QStringLiteral("😀🎉"),
            QStringLiteral("\"quoted\""), QStringLiteral("(comment)"),
            QStringLiteral("a,b;c"),      QStringLiteral("<x@y>"),
            QStringLiteral("=?x?="),      QStringLiteral("back\\slash"),
            QStringLiteral("résumé"),     QStringLiteral("한국어"),
            QStringLiteral("中文"),       QStringLiteral("O'Brien"),
            QStringLiteral("Dr."),        QStringLiteral("x@evil.example")};
        QStringList out;
        for (int i = 0; i < count; ++i)
            out.append(pick(pool));
        return out.join(chance(10) ? QStringLiteral("  ") : QStringLiteral(" "));
    }

    MailAddress address()
    {
        static const QStringList domains{QStringLiteral("example.com"),
                                         QStringLiteral("mail.example.org")};
        const QString local = QStringLiteral("user%1.tag+%2").arg(below(1000)).arg(below(50));
        return {chance(20) ? QString() : words(1 + below(4)), local + u'@' + pick(domains), {}};
    }

    QString subject()
    {
        if (chance(10))
            return words(40 + below(40)); // very long
        if (chance(10))
            return QStringLiteral("  leading and trailing  ");
        return words(below(8));
    }

    QString text()
    {
        static const QStringList lines{
            QStringLiteral("Plain line."),       QStringLiteral("trailing spaces   "),
            QStringLiteral("From here on"),      QStringLiteral("."),
            QStringLiteral(".leading dot"),      QStringLiteral("tab\tinside\t"),
            QStringLiteral("= equals =3D sign"), QStringLiteral("")};
        QStringList out;
        const int count = below(12);
        for (int i = 0; i < count; ++i) {
            const int kind = below(10);
            if (kind == 0)
                out.append(QString(100 + below(1500), u'x'));
            else if (kind == 1)
                out.append(words(30 + below(60)));
            else if (kind < 4)
                out.append(words(1 + below(6)));
            else
                out.append(pick(lines));
        }
        return out.join(u'\n') + (chance(50) ? QStringLiteral("\n") : QString());
    }

    Attachment attachment()
    {
        static const QStringList names{
            QStringLiteral("résumé (final).pdf"),    QStringLiteral("日本語.txt"),
            QStringLiteral("report.tar.gz"),         QStringLiteral("a \"quoted\" name;.doc"),
            QStringLiteral("semi;colon=equals.bin"), QStringLiteral("😀.png")};
        static const QList<QByteArray> types{
            "application/octet-stream", "application/pdf", "image/png", "text/plain", {}};
        Attachment attachment;
        attachment.fileName =
            chance(15) ? QString(100 + below(200), u'名') + QStringLiteral(".dat") : pick(names);
        attachment.mimeType = types[below(int(types.size()))];
        attachment.data.resize(below(3000));
        for (char &byte : attachment.data)
            byte = char(below(256));
        return attachment;
    }

private:
    QRandomGenerator m_random;
};

QList<MailAddress> withoutGroups(QList<MailAddress> list)
{
    for (MailAddress &each : list)
        each.group.clear();
    return list;
}

QString lf(QString text)
{
    return text.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
}

} // namespace

class TestMessageWriterRoundTrip : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void randomDrafts();
};

void TestMessageWriterRoundTrip::randomDrafts()
{
    Generator generate(20260701);
    for (int round = 0; round < 300; ++round) {
        Draft draft;
        draft.from = generate.address();
        for (int i = generate.below(4); i > 0; --i)
            draft.to.append(generate.address());
        for (int i = generate.below(3); i > 0; --i)
            draft.cc.append(generate.address());
        draft.subject = generate.subject();
        draft.plainText = generate.text();
        if (generate.chance(40))
            draft.htmlText = QStringLiteral("<p>") + generate.text() + QStringLiteral("</p>");
        for (int i = generate.below(4); i > 0; --i)
            draft.attachments.append(generate.attachment());
        WriteOptions options;
        options.eightBitAllowed = generate.chance(30);

        auto result = writeMessage(draft, options);
        QVERIFY2(std::holds_alternative<QByteArray>(result), qPrintable(QString::number(round)));
        const QByteArray raw = std::get<QByteArray>(result);
        const QString where = QStringLiteral("round %1").arg(round);
        for (const QByteArray &line : raw.split('\n'))
            QVERIFY2(line.size() <= 999, qPrintable(where));
        // Header lines keep to 78 (plus the CR): nothing generated here is unbreakable.
        for (const QByteArray &line : raw.left(raw.indexOf("\r\n\r\n")).split('\n'))
            QVERIFY2(line.size() <= 79, line.constData());
        const Message message = Message::parse(raw);
        QCOMPARE(message.subject(), draft.subject);
        QCOMPARE(withoutGroups(message.from()), QList<MailAddress>{draft.from});
        QCOMPARE(withoutGroups(message.to()), draft.to);
        QCOMPARE(withoutGroups(message.cc()), draft.cc);

        QString plain, html;
        QList<const MessagePart *> files;
        for (const MessagePart *leaf : message.leafParts()) {
            if (leaf->disposition() == "attachment")
                files.append(leaf);
            else if (leaf->contentType() == "text/plain")
                plain = lf(leaf->decodedText());
            else if (leaf->contentType() == "text/html")
                html = lf(leaf->decodedText());
        }
        QVERIFY2(plain == draft.plainText, qPrintable(where));
        QVERIFY2(html == draft.htmlText, qPrintable(where));
        QCOMPARE(files.size(), draft.attachments.size());
        for (qsizetype i = 0; i < files.size(); ++i) {
            const Attachment &attachment = draft.attachments[i];
            QCOMPARE(files[i]->fileName(), attachment.fileName);
            if (!attachment.mimeType.isEmpty())
                QCOMPARE(files[i]->contentType(), attachment.mimeType);
            QVERIFY2(files[i]->decodedBytes() == attachment.data, qPrintable(where));
        }
    }
}

QTEST_GUILESS_MAIN(TestMessageWriterRoundTrip)
#include "tst_message_writer_roundtrip.moc"
