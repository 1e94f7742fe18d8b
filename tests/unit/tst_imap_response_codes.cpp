// The response codes sync relies on: COPYUID, APPENDUID and the numeric ones.

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
} // namespace

class TestImapResponseCodes : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void copyUid_data();
    void copyUid();
    void appendUid_data();
    void appendUid();
    void numericCodes_data();
    void numericCodes();
};

void TestImapResponseCodes::copyUid_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<quint32>("uidValidity");
    QTest::addColumn<QList<quint32>>("source");
    QTest::addColumn<QList<quint32>>("destination");

    QTest::newRow("rfc 4315") << QByteArray("A003 OK [COPYUID 38505 304,319:320 3956:3958] Done")
                              << true << 38505u << QList<quint32>{304, 319, 320}
                              << QList<quint32>{3956, 3957, 3958};
    QTest::newRow("dovecot move, untagged")
        << QByteArray("* OK [COPYUID 1690000000 1:3 7:9] Moved UIDs.") << true << 1690000000u
        << QList<quint32>{1, 2, 3} << QList<quint32>{7, 8, 9};
    QTest::newRow("server order kept")
        << QByteArray("A1 OK [COPYUID 9 5,3,4 10:12] Done") << true << 9u << QList<quint32>{5, 3, 4}
        << QList<quint32>{10, 11, 12};
    QTest::newRow("reversed range is ascending")
        << QByteArray("A1 OK [COPYUID 9 4:2 100:102] Done") << true << 9u << QList<quint32>{2, 3, 4}
        << QList<quint32>{100, 101, 102};
    QTest::newRow("single") << QByteArray("A1 OK [COPYUID 9 7 12] Done") << true << 9u
                            << QList<quint32>{7} << QList<quint32>{12};
    QTest::newRow("counts differ") << QByteArray("A1 OK [COPYUID 9 1:3 5:6] Done") << false << 0u
                                   << QList<quint32>{} << QList<quint32>{};
    QTest::newRow("star") << QByteArray("A1 OK [COPYUID 9 1:* 5:6] Done") << false << 0u
                          << QList<quint32>{} << QList<quint32>{};
    QTest::newRow("zero validity") << QByteArray("A1 OK [COPYUID 0 1 5] Done") << false << 0u
                                   << QList<quint32>{} << QList<quint32>{};
    QTest::newRow("missing destination") << QByteArray("A1 OK [COPYUID 9 1] Done") << false << 0u
                                         << QList<quint32>{} << QList<quint32>{};
    QTest::newRow("hostile size") << QByteArray("A1 OK [COPYUID 9 1:4294967295 1:4294967295] x")
                                  << false << 0u << QList<quint32>{} << QList<quint32>{};
    QTest::newRow("other code") << QByteArray("A1 OK [APPENDUID 9 1] Done") << false << 0u
                                << QList<quint32>{} << QList<quint32>{};
}

void TestImapResponseCodes::copyUid()
{
    QFETCH(QByteArray, line);
    QFETCH(bool, valid);
    QFETCH(quint32, uidValidity);
    QFETCH(QList<quint32>, source);
    QFETCH(QList<quint32>, destination);

    const auto response = parseOne(line);
    QVERIFY(response);
    const auto data = parseCopyUid(response->code);
    QCOMPARE(data.has_value(), valid);
    if (!valid)
        return;
    QCOMPARE(data->uidValidity, uidValidity);
    QCOMPARE(data->sourceUids, source);
    QCOMPARE(data->destinationUids, destination);
}

void TestImapResponseCodes::appendUid_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<quint32>("uidValidity");
    QTest::addColumn<QList<quint32>>("uids");

    QTest::newRow("rfc 4315") << QByteArray("A003 OK [APPENDUID 38505 3955] APPEND completed")
                              << true << 38505u << QList<quint32>{3955};
    QTest::newRow("multiappend") << QByteArray("A003 OK [APPENDUID 38505 3955:3957,3960] Done")
                                 << true << 38505u << QList<quint32>{3955, 3956, 3957, 3960};
    QTest::newRow("lower case code")
        << QByteArray("A003 OK [appenduid 7 12] Done") << true << 7u << QList<quint32>{12};
    QTest::newRow("no uid") << QByteArray("A003 OK [APPENDUID 38505] Done") << false << 0u
                            << QList<quint32>{};
    QTest::newRow("zero validity")
        << QByteArray("A003 OK [APPENDUID 0 5] Done") << false << 0u << QList<quint32>{};
    QTest::newRow("zero uid") << QByteArray("A003 OK [APPENDUID 5 0] Done") << false << 0u
                              << QList<quint32>{};
    QTest::newRow("copyuid") << QByteArray("A003 OK [COPYUID 5 1 2] Done") << false << 0u
                             << QList<quint32>{};
}

void TestImapResponseCodes::appendUid()
{
    QFETCH(QByteArray, line);
    QFETCH(bool, valid);
    QFETCH(quint32, uidValidity);
    QFETCH(QList<quint32>, uids);

    const auto response = parseOne(line);
    QVERIFY(response);
    const auto data = parseAppendUid(response->code);
    QCOMPARE(data.has_value(), valid);
    if (!valid)
        return;
    QCOMPARE(data->uidValidity, uidValidity);
    QVERIFY(data->sourceUids.isEmpty());
    QCOMPARE(data->destinationUids, uids);
}

void TestImapResponseCodes::numericCodes_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<qint64>("value"); // -1: nullopt

    QTest::newRow("uidvalidity") << QByteArray("* OK [UIDVALIDITY 3857529045] UIDs valid")
                                 << qint64(3857529045);
    QTest::newRow("uidnext") << QByteArray("* OK [UIDNEXT 4392] Predicted next UID")
                             << qint64(4392);
    QTest::newRow("highestmodseq")
        << QByteArray("* OK [HIGHESTMODSEQ 715194045007] Highest") << qint64(715194045007);
    QTest::newRow("unseen") << QByteArray("* OK [UNSEEN 12] Message 12 is first unseen")
                            << qint64(12);
    QTest::newRow("word") << QByteArray("* OK [UIDNEXT abc] x") << qint64(-1);
    QTest::newRow("two numbers") << QByteArray("* OK [UIDNEXT 1 2] x") << qint64(-1);
    QTest::newRow("no argument") << QByteArray("* OK [READ-WRITE] Select completed") << qint64(-1);
}

void TestImapResponseCodes::numericCodes()
{
    QFETCH(QByteArray, line);
    QFETCH(qint64, value);
    const auto response = parseOne(line);
    QVERIFY(response);
    const auto number = numericCode(response->code);
    QCOMPARE(number ? qint64(*number) : qint64(-1), value);
}

QTEST_GUILESS_MAIN(TestImapResponseCodes)
#include "tst_imap_response_codes.moc"
