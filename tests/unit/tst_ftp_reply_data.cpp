#include "net/NumericReply.h"
#include "protocols/ftp/ReplyData.h"

#include <QTest>

using namespace wharf;
using namespace wharf::ftp;

Q_DECLARE_METATYPE(wharf::ftp::ReplyClass)

namespace {

// A reply as the server sent it ("227 ...", or "211-...\r\n ...\r\n211 End") through the
// real collector, so the readers see exactly what the session will hand them. An input
// the collector does not complete fails the test at the caller's QVERIFY.
std::optional<net::NumericReply> collect(const QByteArray &bytes)
{
    const QByteArrayList lines = bytes.split('\n');
    net::NumericReplyParser parser;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QByteArray line = lines.at(i);
        if (line.endsWith('\r'))
            line.chop(1);
        const auto result = parser.addLine(line);
        const bool last = i + 1 == lines.size();
        if (result != (last ? net::NumericReplyParser::Result::Complete
                            : net::NumericReplyParser::Result::NeedMore)) {
            qWarning("collector did not take line %lld of %s", qlonglong(i), bytes.constData());
            return std::nullopt;
        }
    }
    return parser.take();
}

QDateTime utc(int y, int mo, int d, int h, int mi, int s, int ms = 0)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s, ms), Qt::UTC);
}

// Real FEAT replies. vsftpd 3.0.3 and pyftpdlib 1.5.7 were captured from the Debian 12
// packages; the others are copied from published session logs of those servers.
const QByteArray kVsftpdFeat = "211-Features:\r\n AUTH TLS\r\n EPRT\r\n EPSV\r\n MDTM\r\n PASV\r\n"
                               " PBSZ\r\n PROT\r\n REST STREAM\r\n SIZE\r\n TVFS\r\n211 End";
const QByteArray kPyftpdlibFeat =
    "211-Features supported:\r\n EPRT\r\n EPSV\r\n MDTM\r\n MFMT\r\n"
    " MLST type*;perm*;size*;modify*;unique*;unix.mode;unix.uid;unix.gid;\r\n"
    " REST STREAM\r\n SIZE\r\n TVFS\r\n UTF8\r\n211 End FEAT.";
const QByteArray kPyftpdlibTlsFeat =
    "211-Features supported:\r\n AUTH SSL\r\n AUTH TLS\r\n EPRT\r\n EPSV\r\n MDTM\r\n MFMT\r\n"
    " MLST type*;perm*;size*;modify*;unique*;unix.mode;unix.uid;unix.gid;\r\n PBSZ\r\n"
    " PROT\r\n REST STREAM\r\n SIZE\r\n TVFS\r\n UTF8\r\n211 End FEAT.";
const QByteArray kProftpdFeat =
    "211-Features:\r\n LANG en-US.UTF-8*;en-US\r\n MDTM\r\n MFMT\r\n TVFS\r\n AUTH TLS\r\n UTF8\r\n"
    " MFF modify;UNIX.group;UNIX.mode;\r\n"
    " MLST modify*;perm*;size*;type*;unique*;UNIX.group*;UNIX.mode*;UNIX.owner*;\r\n"
    " PBSZ\r\n PROT\r\n SITE MKDIR\r\n SITE RMDIR\r\n SITE UTIME\r\n SITE SYMLINK\r\n"
    " REST STREAM\r\n SIZE\r\n211 End";
// Not RFC 2389 (feature lines must start with a space), but ProFTPD 1.3.6+ sends it.
const QByteArray kProftpdPrefixedFeat =
    "211-Features:\r\n211-CLNT\r\n211-EPRT\r\n211-EPSV\r\n211-HOST\r\n"
    "211-LANG en-US.UTF-8*;en-US\r\n211-MDTM\r\n211-MFF modify;UNIX.group;UNIX.mode;\r\n"
    "211-MFMT\r\n211-MLST modify*;perm*;size*;type*;unique*;UNIX.group*;UNIX.groupname*;"
    "UNIX.mode*;UNIX.owner*;UNIX.ownername*;\r\n211-REST STREAM\r\n211-SITE COPY\r\n"
    "211-SITE MKDIR\r\n211-SITE RMDIR\r\n211-SITE SYMLINK\r\n211-SITE UTIME\r\n211-SIZE\r\n"
    "211-TVFS\r\n211-UTF8\r\n211 End";
const QByteArray kIis7Feat = "211-Extended features supported:\r\n LANG EN*\r\n UTF8\r\n"
                             " AUTH TLS;TLS-C;SSL;TLS-P;\r\n PBSZ\r\n PROT C;P;\r\n CCC\r\n"
                             " HOST\r\n SIZE\r\n MDTM\r\n REST STREAM\r\n211 END";
const QByteArray kIis6Feat = "211-FEAT\r\n    SIZE\r\n    MDTM\r\n211 END";
const QByteArray kFileZillaServerFeat =
    "211-Features:\r\n MDTM\r\n REST STREAM\r\n SIZE\r\n MODE Z\r\n MLST type*;size*;modify*;\r\n"
    " MLSD\r\n AUTH SSL\r\n AUTH TLS\r\n UTF8\r\n CLNT\r\n MFMT\r\n211 End";
const QByteArray kPureFtpdFeat =
    "211-Extensions supported:\r\n EPRT\r\n IDLE\r\n MDTM\r\n SIZE\r\n MFMT\r\n REST STREAM\r\n"
    " MLST type*;size*;sizd*;modify*;UNIX.mode*;UNIX.uid*;UNIX.gid*;unique*;\r\n MLSD\r\n"
    " AUTH TLS\r\n PBSZ\r\n PROT\r\n UTF8\r\n TVFS\r\n ESTA\r\n PASV\r\n EPSV\r\n SPSV\r\n"
    " ESTP\r\n211 End.";
const QByteArray kServUFeat =
    "211-Extensions supported\r\n UTF8\r\n OPTS MODE;MLST;UTF8\r\n CLNT\r\n CSID Name; Version;\r\n"
    " HOST domain\r\n SITE PSWD;SET;ZONE;CHMOD;MSG;EXEC;HELP\r\n AUTH TLS;SSL;TLS-C;TLS-P;\r\n"
    " PBSZ\r\n PROT\r\n CCC\r\n SSCN\r\n RMDA directoryname\r\n DSIZ\r\n AVBL\r\n EPRT\r\n EPSV\r\n"
    " MODE Z\r\n THMB BMP|JPEG|GIF|TIFF|PNG max_width max_height pathname\r\n REST STREAM\r\n"
    " SIZE\r\n MDTM\r\n MDTM YYYYMMDDHHMMSS[+-TZ];filename\r\n MFMT\r\n MFCT\r\n"
    " MFF Create;Modify;\r\n XCRC filename;start;end\r\n"
    " MLST Type*;Size*;Create;Modify*;Perm;Win32.ea;Win32.dt;Win32.dl\r\n211 End";
const QByteArray kWsFtpFeat =
    "211-Extensions supported\r\n    SIZE\r\n    XMD5\r\n    XSHA1\r\n    XSHA256\r\n"
    "    XSHA512\r\n    XQUOTA\r\n    LANG EN, ES, FR, GE\r\n    MDTM\r\n"
    "    MLST size*;type*;perm*;create*;modify*;\r\n    REST STREAM\r\n    TVFS\r\n    UTF8\r\n"
    "    AUTH SSL;TLS-P;\r\n    PBSZ\r\n    PROT C;P;\r\n211 end";

} // namespace

class TestFtpReplyData : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void passive_data();
    void passive();
    void extendedPassive_data();
    void extendedPassive();
    void path_data();
    void path();
    void size_data();
    void size();
    void ftpTime_data();
    void ftpTime();
    void mdtm_data();
    void mdtm();
    void formatTime_data();
    void formatTime();
    void features_data();
    void features();
    void featureLookups();
    void featureFromLinesMatchesReply();
    void noFeatures_data();
    void noFeatures();
    void collectorKeepsUnprefixedFeatureLines();
    void activeArguments_data();
    void activeArguments();
    void portArgumentReadsBackAsPasv();
    void replyClasses_data();
    void replyClasses();
};

void TestFtpReplyData::passive_data()
{
    QTest::addColumn<QByteArray>("reply");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<int>("port");

    const auto ok = [](const char *name, const QByteArray &reply, const QByteArray &host,
                       int port) {
        QTest::newRow(name) << reply << true << host << port;
    };
    const auto bad = [](const char *name, const QByteArray &reply) {
        QTest::newRow(name) << reply << false << QByteArray() << 0;
    };

    ok("vsftpd", "227 Entering Passive Mode (127,0,0,1,141,74).", "127.0.0.1", 141 * 256 + 74);
    ok("pyftpdlib", "227 Entering passive mode (127,0,0,1,148,37).", "127.0.0.1", 37925);
    ok("proftpd", "227 Entering Passive Mode (192,168,1,10,195,80).", "192.168.1.10", 50000);
    ok("iis", "227 Entering Passive Mode (10,0,0,4,195,149).", "10.0.0.4", 50069);
    ok("filezilla server", "227 Entering Passive Mode (192,168,0,2,19,137)", "192.168.0.2", 5001);
    ok("pure-ftpd", "227 Entering Passive Mode (127,0,0,1,117,55)", "127.0.0.1", 30007);
    ok("serv-u", "227 Entering Passive Mode (66,220,9,50,35,40)", "66.220.9.50", 9000);
    ok("no parentheses", "227 Entering Passive Mode 127,0,0,1,4,1", "127.0.0.1", 1025);
    ok("equals sign", "227 Entering Passive Mode=127,0,0,1,4,1", "127.0.0.1", 1025);
    ok("spaces after commas", "227 Entering Passive Mode (10, 0, 0, 4, 4, 1)", "10.0.0.4", 1025);
    ok("number before the address", "227 Passive 1 ready (127,0,0,1,4,1)", "127.0.0.1", 1025);
    ok("unroutable announced host", "227 Entering Passive Mode (0,0,0,0,195,80)", "0.0.0.0", 50000);
    ok("highest port", "227 Entering Passive Mode (127,0,0,1,255,255)", "127.0.0.1", 65535);
    ok("lowest port", "227 Entering Passive Mode (127,0,0,1,0,1)", "127.0.0.1", 1);

    bad("five numbers", "227 Entering Passive Mode (127,0,0,1,4).");
    bad("no numbers", "227 Entering Passive Mode");
    bad("seven numbers", "227 Entering Passive Mode (127,0,0,1,4,1,9)");
    bad("256 in an address byte", "227 Entering Passive Mode (127,0,0,256,4,1)");
    bad("256 in a port byte", "227 Entering Passive Mode (127,0,0,1,256,1)");
    bad("port over 65535", "227 Entering Passive Mode (127,0,0,1,255,256)");
    bad("port 0", "227 Entering Passive Mode (127,0,0,1,0,0)");
    bad("letter", "227 Entering Passive Mode (127,0,0,a,4,1)");
    bad("empty member", "227 Entering Passive Mode (127,,0,0,1,4,1)");
    bad("negative", "227 Entering Passive Mode (127,0,0,1,-4,1)");
    bad("hostile long number", "227 Entering Passive Mode (127,0,0,1,99999999999999999999999,1)");
    bad("leading zeros", "227 Entering Passive Mode (0000127,0,0,1,4,1)");
    bad("wrong code", "200 Entering Passive Mode (127,0,0,1,4,1)");
    bad("refusal", "500 PASV not understood.");
}

void TestFtpReplyData::passive()
{
    QFETCH(QByteArray, reply);
    QFETCH(bool, valid);
    QFETCH(QByteArray, host);
    QFETCH(int, port);

    const auto collected = collect(reply);
    QVERIFY(collected);
    const std::optional<PassiveAddress> address = parsePasvReply(*collected);
    QCOMPARE(address.has_value(), valid);
    if (valid) {
        QCOMPARE(address->announcedHost, host);
        QCOMPARE(int(address->port), port);
    }
}

void TestFtpReplyData::extendedPassive_data()
{
    QTest::addColumn<QByteArray>("reply");
    QTest::addColumn<int>("port"); // 0: refused

    QTest::newRow("vsftpd") << QByteArray("229 Entering Extended Passive Mode (|||31917|)")
                            << 31917;
    QTest::newRow("pyftpdlib") << QByteArray("229 Entering extended passive mode (|||35547|).")
                               << 35547;
    QTest::newRow("proftpd") << QByteArray("229 Entering Extended Passive Mode (|||50000|)")
                             << 50000;
    QTest::newRow("iis") << QByteArray("229 Entering Extended Passive Mode (|||50069|).") << 50069;
    QTest::newRow("pure-ftpd") << QByteArray("229 Extended Passive mode OK (|||30007|)") << 30007;
    QTest::newRow("rfc 2428 example")
        << QByteArray("229 Entering Extended Passive Mode (|||6446|)") << 6446;
    QTest::newRow("delimiter !") << QByteArray("229 Entering Extended Passive Mode (!!!6446!)")
                                 << 6446;
    QTest::newRow("delimiter #") << QByteArray("229 Entering Extended Passive Mode (###6446#)")
                                 << 6446;
    QTest::newRow("delimiter ~") << QByteArray("229 ok (~~~6446~)") << 6446;
    QTest::newRow("delimiter (") << QByteArray("229 ok ((((6446()") << 6446;
    QTest::newRow("earlier parenthesis") << QByteArray("229 (EPSV) ok (|||6446|)") << 6446;
    QTest::newRow("highest port") << QByteArray("229 ok (|||65535|)") << 65535;
    QTest::newRow("leading zero") << QByteArray("229 ok (|||01025|)") << 1025;

    QTest::newRow("port 0") << QByteArray("229 ok (|||0|)") << 0;
    QTest::newRow("port 65536") << QByteArray("229 ok (|||65536|)") << 0;
    QTest::newRow("hostile long port") << QByteArray("229 ok (|||000000000000000080|)") << 0;
    QTest::newRow("no port") << QByteArray("229 ok (||||)") << 0;
    QTest::newRow("letters") << QByteArray("229 ok (|||64a6|)") << 0;
    QTest::newRow("sign") << QByteArray("229 ok (|||+6446|)") << 0;
    QTest::newRow("no closing delimiter") << QByteArray("229 ok (|||6446)") << 0;
    QTest::newRow("no closing parenthesis") << QByteArray("229 ok (|||6446|") << 0;
    QTest::newRow("mixed delimiters") << QByteArray("229 ok (|!|6446|)") << 0;
    QTest::newRow("digit delimiter") << QByteArray("229 ok (1116446 1)") << 0;
    QTest::newRow("space delimiter") << QByteArray("229 ok (   6446 )") << 0;
    QTest::newRow("delete delimiter") << QByteArray("229 ok (\x7f\x7f\x7f"
                                                    "6446\x7f)")
                                      << 0;
    QTest::newRow("address given") << QByteArray("229 ok (|1|10.0.0.1|6446|)") << 0;
    QTest::newRow("no parentheses")
        << QByteArray("229 Entering Extended Passive Mode |||6446|") << 0;
    QTest::newRow("wrong code") << QByteArray("227 ok (|||6446|)") << 0;
    QTest::newRow("refusal") << QByteArray("500 EPSV not understood") << 0;
}

void TestFtpReplyData::extendedPassive()
{
    QFETCH(QByteArray, reply);
    QFETCH(int, port);

    const auto collected = collect(reply);
    QVERIFY(collected);
    const std::optional<quint16> parsed = parseEpsvReply(*collected);
    QCOMPARE(parsed.has_value(), port != 0);
    if (parsed)
        QCOMPARE(int(*parsed), port);
}

void TestFtpReplyData::path_data()
{
    QTest::addColumn<QByteArray>("reply");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QByteArray>("path");

    const auto ok = [](const char *name, const QByteArray &reply, const QByteArray &path) {
        QTest::newRow(name) << reply << true << path;
    };
    const auto bad = [](const char *name, const QByteArray &reply) {
        QTest::newRow(name) << reply << false << QByteArray();
    };

    ok("vsftpd", "257 \"/\" is the current directory", "/");
    ok("pyftpdlib pwd", "257 \"/we\"\"ird\" is the current directory.", "/we\"ird");
    ok("pyftpdlib mkd", "257 \"/a\"\"b\" directory created.", "/a\"b");
    ok("proftpd", "257 \"/home/wharf\" is the current directory", "/home/wharf");
    ok("iis", "257 \"/\" is current directory.", "/");
    ok("pure-ftpd", "257 \"/\" is your current location", "/");
    ok("filezilla server mkd", "257 \"/new dir\" created successfully", "/new dir");
    ok("quote at the end", "257 \"/ends with quote\"\"\" is current directory",
       "/ends with quote\"");
    ok("only a quote", "257 \"\"\"\" created", "\"");
    ok("trailing space kept", "257 \"/dir \" is current directory", "/dir ");
    ok("utf-8",
       "257 \"/\xc3\x9c"
       "bung\" created",
       "/\xc3\x9c"
       "bung");
    ok("multi-line", "257-\"/srv/ftp\" is the current directory\r\n257 end", "/srv/ftp");
    ok("no quotes", "257 /home/user is current directory", "/home/user");

    bad("missing end quote", "257 \"/unterminated is current directory");
    bad("doubled quote at the end", "257 \"/a\"\"");
    bad("empty", "257 \"\" is current directory");
    bad("no quotes and not a path", "257 MKD command successful");
    bad("carriage return", "257 \"/a\rb\" created");
    bad("nul", QByteArray("257 \"/a") + '\0' + QByteArray("b\" created"));
    bad("wrong code", "250 \"/\" is the current directory.");
    bad("refusal", "550 Create directory operation failed.");
}

void TestFtpReplyData::path()
{
    QFETCH(QByteArray, reply);
    QFETCH(bool, valid);
    QFETCH(QByteArray, path);

    const auto collected = collect(reply);
    QVERIFY(collected);
    const std::optional<QByteArray> parsed = parsePathReply(*collected);
    QCOMPARE(parsed.has_value(), valid);
    if (valid)
        QCOMPARE(*parsed, path);
}

void TestFtpReplyData::size_data()
{
    QTest::addColumn<QByteArray>("reply");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qint64>("size");

    QTest::newRow("vsftpd") << QByteArray("213 6") << true << qint64(6);
    QTest::newRow("empty file") << QByteArray("213 0") << true << qint64(0);
    QTest::newRow("over 4 GiB") << QByteArray("213 4294967296") << true << qint64(4294967296);
    QTest::newRow("largest") << QByteArray("213 9223372036854775807") << true
                             << std::numeric_limits<qint64>::max();
    QTest::newRow("leading zeros")
        << QByteArray("213 000000000000000000000012") << true << qint64(12);
    QTest::newRow("trailing space") << QByteArray("213 1234 ") << true << qint64(1234);

    QTest::newRow("2^63") << QByteArray("213 9223372036854775808") << false << qint64(0);
    QTest::newRow("huge") << QByteArray("213 99999999999999999999999999") << false << qint64(0);
    QTest::newRow("negative") << QByteArray("213 -1") << false << qint64(0);
    QTest::newRow("plus") << QByteArray("213 +5") << false << qint64(0);
    QTest::newRow("words") << QByteArray("213 12 bytes") << false << qint64(0);
    QTest::newRow("empty") << QByteArray("213 ") << false << qint64(0);
    QTest::newRow("hex") << QByteArray("213 0x10") << false << qint64(0);
    QTest::newRow("fraction") << QByteArray("213 1.5") << false << qint64(0);
    QTest::newRow("refusal") << QByteArray("550 Could not get file size.") << false << qint64(0);
    QTest::newRow("ascii mode refusal")
        << QByteArray("550 SIZE not allowed in ASCII mode.") << false << qint64(0);
}

void TestFtpReplyData::size()
{
    QFETCH(QByteArray, reply);
    QFETCH(bool, valid);
    QFETCH(qint64, size);

    const auto collected = collect(reply);
    QVERIFY(collected);
    const std::optional<qint64> parsed = parseSizeReply(*collected);
    QCOMPARE(parsed.has_value(), valid);
    if (valid)
        QCOMPARE(*parsed, size);
}

void TestFtpReplyData::ftpTime_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QDateTime>("time"); // invalid: refused

    QTest::newRow("rfc 3659 example")
        << QByteArray("19990219183438") << utc(1999, 2, 19, 18, 34, 38);
    QTest::newRow("leap day") << QByteArray("20240229123456") << utc(2024, 2, 29, 12, 34, 56);
    QTest::newRow("leap day 2000") << QByteArray("20000229000000") << utc(2000, 2, 29, 0, 0, 0);
    QTest::newRow("end of year") << QByteArray("20231231235959") << utc(2023, 12, 31, 23, 59, 59);
    QTest::newRow("tenths") << QByteArray("20240101000000.5") << utc(2024, 1, 1, 0, 0, 0, 500);
    QTest::newRow("hundredths") << QByteArray("20240101000000.04") << utc(2024, 1, 1, 0, 0, 0, 40);
    QTest::newRow("microseconds") << QByteArray("20240101000000.123456")
                                  << utc(2024, 1, 1, 0, 0, 0, 123);
    QTest::newRow("leap second") << QByteArray("20161231235960") << utc(2016, 12, 31, 23, 59, 59);

    QTest::newRow("month 13") << QByteArray("20231301000000") << QDateTime();
    QTest::newRow("month 0") << QByteArray("20230001000000") << QDateTime();
    QTest::newRow("february 30") << QByteArray("20240230000000") << QDateTime();
    QTest::newRow("no leap day 2023") << QByteArray("20230229000000") << QDateTime();
    QTest::newRow("no leap day 1900") << QByteArray("19000229000000") << QDateTime();
    QTest::newRow("hour 24") << QByteArray("20240101240000") << QDateTime();
    QTest::newRow("minute 60") << QByteArray("20240101006000") << QDateTime();
    QTest::newRow("second 61") << QByteArray("20240101000061") << QDateTime();
    QTest::newRow("year 0") << QByteArray("00000101000000") << QDateTime();
    QTest::newRow("13 digits") << QByteArray("2024010100000") << QDateTime();
    QTest::newRow("15 digits") << QByteArray("202401010000001") << QDateTime();
    QTest::newRow("empty fraction") << QByteArray("20240101000000.") << QDateTime();
    QTest::newRow("letter in fraction") << QByteArray("20240101000000.5x") << QDateTime();
    QTest::newRow("zone suffix") << QByteArray("20240101000000Z") << QDateTime();
    QTest::newRow("iso form") << QByteArray("2024-01-01 00:00:00") << QDateTime();
    QTest::newRow("space inside") << QByteArray("2024 101000000") << QDateTime();
    QTest::newRow("empty") << QByteArray() << QDateTime();
}

void TestFtpReplyData::ftpTime()
{
    QFETCH(QByteArray, text);
    QFETCH(QDateTime, time);

    const std::optional<QDateTime> parsed = parseFtpTime(text);
    QCOMPARE(parsed.has_value(), time.isValid());
    if (parsed) {
        QCOMPARE(*parsed, time);
        QCOMPARE(parsed->timeSpec(), Qt::UTC);
    }
}

void TestFtpReplyData::mdtm_data()
{
    QTest::addColumn<QByteArray>("reply");
    QTest::addColumn<QDateTime>("time");

    QTest::newRow("vsftpd") << QByteArray("213 20240229123456") << utc(2024, 2, 29, 12, 34, 56);
    QTest::newRow("pyftpdlib") << QByteArray("213 20261127003619") << utc(2026, 11, 27, 0, 36, 19);
    QTest::newRow("fraction") << QByteArray("213 19980615100045.014")
                              << utc(1998, 6, 15, 10, 0, 45, 14);
    QTest::newRow("short") << QByteArray("213 19990412") << QDateTime();
    QTest::newRow("size reply") << QByteArray("213 6") << QDateTime();
    QTest::newRow("refusal") << QByteArray("550 Could not get file modification time.")
                             << QDateTime();
    QTest::newRow("wrong code") << QByteArray("250 20240229123456") << QDateTime();
}

void TestFtpReplyData::mdtm()
{
    QFETCH(QByteArray, reply);
    QFETCH(QDateTime, time);

    const auto collected = collect(reply);
    QVERIFY(collected);
    const std::optional<QDateTime> parsed = parseMdtmReply(*collected);
    QCOMPARE(parsed.has_value(), time.isValid());
    if (parsed)
        QCOMPARE(*parsed, time);
}

void TestFtpReplyData::formatTime_data()
{
    QTest::addColumn<QDateTime>("time");
    QTest::addColumn<QByteArray>("text");

    QTest::newRow("utc") << utc(2024, 2, 29, 12, 34, 56) << QByteArray("20240229123456");
    QTest::newRow("offset converted to utc")
        << QDateTime(QDate(2024, 2, 29), QTime(14, 34, 56), Qt::OffsetFromUTC, 7200)
        << QByteArray("20240229123456");
    QTest::newRow("across midnight")
        << QDateTime(QDate(2024, 1, 1), QTime(1, 0, 0), Qt::OffsetFromUTC, 3 * 3600)
        << QByteArray("20231231220000");
    QTest::newRow("milliseconds dropped")
        << utc(2024, 1, 2, 3, 4, 5, 999) << QByteArray("20240102030405");
    QTest::newRow("early year") << utc(42, 1, 1, 0, 0, 0) << QByteArray("00420101000000");
    QTest::newRow("before 1970 with milliseconds")
        << utc(1298, 6, 15, 10, 0, 45, 14) << QByteArray("12980615100045");
    QTest::newRow("invalid") << QDateTime() << QByteArray();
    QTest::newRow("year 10000") << utc(10000, 1, 1, 0, 0, 0) << QByteArray();
    QTest::newRow("before year 1") << utc(-1, 1, 1, 0, 0, 0) << QByteArray();
}

void TestFtpReplyData::formatTime()
{
    QFETCH(QDateTime, time);
    QFETCH(QByteArray, text);

    QCOMPARE(formatFtpTime(time), text);
    if (!text.isEmpty()) {
        // What Wharf sends in MFMT reads back as the same second.
        const std::optional<QDateTime> back = parseFtpTime(text);
        QVERIFY(back);
        QCOMPARE(*back, time.addMSecs(-time.time().msec()));
    }
}

void TestFtpReplyData::features_data()
{
    QTest::addColumn<QByteArray>("reply");
    QTest::addColumn<int>("count");
    QTest::addColumn<QByteArrayList>("present");
    QTest::addColumn<QByteArrayList>("absent");
    QTest::addColumn<bool>("restStream");
    QTest::addColumn<bool>("mlsd");
    QTest::addColumn<QByteArrayList>("facts");
    QTest::addColumn<QByteArrayList>("selected");
    QTest::addColumn<QByteArrayList>("auth");

    QTest::newRow("vsftpd") << kVsftpdFeat << 10
                            << QByteArrayList{"AUTH", "EPRT", "EPSV", "MDTM", "PASV",
                                              "PBSZ", "PROT", "REST", "SIZE", "TVFS"}
                            << QByteArrayList{"MLST", "MLSD", "UTF8", "MFMT"} << true << false
                            << QByteArrayList{} << QByteArrayList{} << QByteArrayList{"TLS"};
    QTest::newRow("pyftpdlib") << kPyftpdlibFeat << 9
                               << QByteArrayList{"EPRT", "EPSV", "MDTM", "MFMT",
                                                 "MLST", "REST", "SIZE", "UTF8"}
                               << QByteArrayList{"AUTH", "PASV", "MLSD"} << true << true
                               << QByteArrayList{"type",   "perm",      "size",     "modify",
                                                 "unique", "unix.mode", "unix.uid", "unix.gid"}
                               << QByteArrayList{"type", "perm", "size", "modify", "unique"}
                               << QByteArrayList{};
    QTest::newRow("pyftpdlib tls")
        << kPyftpdlibTlsFeat << 13 << QByteArrayList{"AUTH", "PBSZ", "PROT", "MLST"}
        << QByteArrayList{"PASV"} << true << true
        << QByteArrayList{"type",   "perm",      "size",     "modify",
                          "unique", "unix.mode", "unix.uid", "unix.gid"}
        << QByteArrayList{"type", "perm", "size", "modify", "unique"}
        << QByteArrayList{"SSL", "TLS"};
    QTest::newRow("proftpd") << kProftpdFeat << 16 << QByteArrayList{"AUTH", "LANG", "MFF",  "MFMT",
                                                                     "MLST", "SITE", "REST", "UTF8"}
                             << QByteArrayList{"PASV", "EPSV", "MLSD"} << true << true
                             << QByteArrayList{"modify", "perm",       "size",      "type",
                                               "unique", "unix.group", "unix.mode", "unix.owner"}
                             << QByteArrayList{"modify", "perm",       "size",      "type",
                                               "unique", "unix.group", "unix.mode", "unix.owner"}
                             << QByteArrayList{"TLS"};
    QTest::newRow("proftpd with the code on every line")
        << kProftpdPrefixedFeat << 18 << QByteArrayList{"CLNT", "HOST", "MLST", "SITE", "UTF8"}
        << QByteArrayList{"AUTH", "211-CLNT"} << true << true
        << QByteArrayList{"modify",     "perm",          "size",           "type",
                          "unique",     "unix.group",    "unix.groupname", "unix.mode",
                          "unix.owner", "unix.ownername"}
        << QByteArrayList{"modify",     "perm",          "size",           "type",
                          "unique",     "unix.group",    "unix.groupname", "unix.mode",
                          "unix.owner", "unix.ownername"}
        << QByteArrayList{};
    QTest::newRow("iis 7") << kIis7Feat << 10
                           << QByteArrayList{"LANG", "UTF8", "AUTH", "PROT", "HOST", "REST"}
                           << QByteArrayList{"MLST", "MLSD", "EPSV", "MFMT"} << true << false
                           << QByteArrayList{} << QByteArrayList{}
                           << QByteArrayList{"TLS", "TLS-C", "SSL", "TLS-P"};
    QTest::newRow("iis 6") << kIis6Feat << 2 << QByteArrayList{"SIZE", "MDTM"}
                           << QByteArrayList{"FEAT", "REST", "AUTH"} << false << false
                           << QByteArrayList{} << QByteArrayList{} << QByteArrayList{};
    QTest::newRow("filezilla server")
        << kFileZillaServerFeat << 11 << QByteArrayList{"MLST", "MLSD", "CLNT", "MFMT", "MODE"}
        << QByteArrayList{"PASV", "EPSV", "TVFS"} << true << true
        << QByteArrayList{"type", "size", "modify"} << QByteArrayList{"type", "size", "modify"}
        << QByteArrayList{"SSL", "TLS"};
    QTest::newRow("pure-ftpd") << kPureFtpdFeat << 18
                               << QByteArrayList{"IDLE", "ESTA", "SPSV", "ESTP", "MLSD"}
                               << QByteArrayList{"MFF"} << true << true
                               << QByteArrayList{"type",      "size",     "sizd",     "modify",
                                                 "unix.mode", "unix.uid", "unix.gid", "unique"}
                               << QByteArrayList{"type",      "size",     "sizd",     "modify",
                                                 "unix.mode", "unix.uid", "unix.gid", "unique"}
                               << QByteArrayList{"TLS"};
    QTest::newRow("serv-u") << kServUFeat << 27
                            << QByteArrayList{"OPTS", "CSID", "THMB", "MDTM", "MFCT", "XCRC"}
                            << QByteArrayList{"PASV", "TVFS"} << true << true
                            << QByteArrayList{"type", "size",     "create",   "modify",
                                              "perm", "win32.ea", "win32.dt", "win32.dl"}
                            << QByteArrayList{"type", "size", "modify"}
                            << QByteArrayList{"TLS", "SSL", "TLS-C", "TLS-P"};
    QTest::newRow("ws_ftp") << kWsFtpFeat << 15 << QByteArrayList{"XSHA256", "LANG", "MLST", "TVFS"}
                            << QByteArrayList{"EPSV", "MFMT"} << true << true
                            << QByteArrayList{"size", "type", "perm", "create", "modify"}
                            << QByteArrayList{"size", "type", "perm", "create", "modify"}
                            << QByteArrayList{"SSL", "TLS-P"};
    QTest::newRow("rest without stream")
        << QByteArray("211-Features:\r\n REST\r\n SIZE\r\n211 End") << 2
        << QByteArrayList{"REST", "SIZE"} << QByteArrayList{} << false << false << QByteArrayList{}
        << QByteArrayList{} << QByteArrayList{};
    QTest::newRow("sloppy mlst")
        << QByteArray("211-Features:\r\n MLST  Type*; Size**;;modify;*;\r\n211 End") << 1
        << QByteArrayList{"MLST"} << QByteArrayList{"MLSD"} << false << true
        << QByteArrayList{"type", "size", "modify"} << QByteArrayList{"type", "size"}
        << QByteArrayList{};
    QTest::newRow("lower case")
        << QByteArray("211-features\r\n rest stream\r\n mlst Type*;Size;\r\n auth tls\r\n211 end")
        << 3 << QByteArrayList{"REST", "MLST", "AUTH"} << QByteArrayList{} << true << true
        << QByteArrayList{"type", "size"} << QByteArrayList{"type"} << QByteArrayList{"TLS"};
}

void TestFtpReplyData::features()
{
    QFETCH(QByteArray, reply);
    QFETCH(int, count);
    QFETCH(QByteArrayList, present);
    QFETCH(QByteArrayList, absent);
    QFETCH(bool, restStream);
    QFETCH(bool, mlsd);
    QFETCH(QByteArrayList, facts);
    QFETCH(QByteArrayList, selected);
    QFETCH(QByteArrayList, auth);

    const auto collected = collect(reply);
    QVERIFY(collected);
    QCOMPARE(collected->code, 211);
    const FeatureSet set = FeatureSet::fromReply(*collected);
    QCOMPARE(set.lines().size(), count);
    QCOMPARE(set.isEmpty(), count == 0);
    for (const QByteArray &feature : present) {
        QVERIFY2(set.has(feature), feature.constData());
        QVERIFY2(set.has(feature.toLower()), feature.constData());
    }
    for (const QByteArray &feature : absent)
        QVERIFY2(!set.has(feature), feature.constData());
    QCOMPARE(set.supportsRestStream(), restStream);
    QCOMPARE(set.supportsMlsd(), mlsd);
    QCOMPARE(set.mlstFacts(), facts);
    QCOMPARE(set.mlstSelectedFacts(), selected);
    QCOMPARE(set.authMechanisms(), auth);
    for (const QByteArray &line : set.lines()) {
        QCOMPARE(line, line.trimmed());
        QVERIFY(!line.isEmpty());
    }
}

void TestFtpReplyData::featureLookups()
{
    const auto collected = collect(kProftpdFeat);
    QVERIFY(collected);
    const FeatureSet set = FeatureSet::fromReply(*collected);

    QCOMPARE(set.arguments("REST"), QByteArray("STREAM"));
    QCOMPARE(set.arguments("rest"), QByteArray("STREAM"));
    QCOMPARE(set.arguments("LANG"), QByteArray("en-US.UTF-8*;en-US"));
    QCOMPARE(set.arguments("MFF"), QByteArray("modify;UNIX.group;UNIX.mode;"));
    // The first of several lines with the same word.
    QCOMPARE(set.arguments("SITE"), QByteArray("MKDIR"));
    QCOMPARE(set.arguments("MDTM"), QByteArray());
    QCOMPARE(set.arguments("NOPE"), QByteArray());
    // The whole first word, not a prefix of it, nor more than it.
    QVERIFY(!set.has("MLS"));
    QVERIFY(!set.has("MLSTX"));
    QVERIFY(!set.has("REST STREAM"));
    QVERIFY(!set.has(""));
    QCOMPARE(set.lines().first(), QByteArray("LANG en-US.UTF-8*;en-US"));
    QCOMPARE(set.lines().last(), QByteArray("SIZE"));

    // Serv-U lists MDTM twice, bare and with its set-time form: the first line answers.
    const auto servU = collect(kServUFeat);
    QVERIFY(servU);
    const FeatureSet servUSet = FeatureSet::fromReply(*servU);
    QCOMPARE(servUSet.arguments("MDTM"), QByteArray());
    QCOMPARE(servUSet.arguments("THMB"),
             QByteArray("BMP|JPEG|GIF|TIFF|PNG max_width max_height pathname"));
}

void TestFtpReplyData::featureFromLinesMatchesReply()
{
    const auto collected = collect(kPyftpdlibFeat);
    QVERIFY(collected);
    const FeatureSet fromReply = FeatureSet::fromReply(*collected);
    // As ServerInfo::capabilities keeps them (trimmed), and as sent (leading space).
    const FeatureSet fromTrimmed = FeatureSet::fromLines(
        {"EPRT", "EPSV", "MDTM", "MFMT",
         "MLST type*;perm*;size*;modify*;unique*;unix.mode;unix.uid;unix.gid;", "REST STREAM",
         "SIZE", "TVFS", "UTF8"});
    const FeatureSet fromRaw = FeatureSet::fromLines(collected->lines.mid(1, 9));
    QCOMPARE(fromTrimmed.lines(), fromReply.lines());
    QCOMPARE(fromRaw.lines(), fromReply.lines());
    QCOMPARE(fromTrimmed.mlstFacts(), fromReply.mlstFacts());
    QVERIFY(fromTrimmed.supportsRestStream());
    // Blank lines carry no feature.
    QCOMPARE(FeatureSet::fromLines({"", "  ", " UTF8 "}).lines(), QByteArrayList{"UTF8"});
}

void TestFtpReplyData::noFeatures_data()
{
    QTest::addColumn<QByteArray>("reply");
    QTest::newRow("single-line 211") << QByteArray("211 No features supported.");
    QTest::newRow("empty listing") << QByteArray("211-Features:\r\n211 End");
    QTest::newRow("500") << QByteArray("500 Unknown command.");
    QTest::newRow("502") << QByteArray("502 Command not implemented.");
    QTest::newRow("other multi-line reply")
        << QByteArray("214-The following commands are recognized:\r\n ABOR ALLO\r\n214 Help OK.");
}

void TestFtpReplyData::noFeatures()
{
    QFETCH(QByteArray, reply);
    const auto collected = collect(reply);
    QVERIFY(collected);
    const FeatureSet set = FeatureSet::fromReply(*collected);
    QVERIFY(set.isEmpty());
    QVERIFY(!set.has("ABOR"));
    QVERIFY(!set.supportsRestStream());
    QVERIFY(!set.supportsMlsd());
    QVERIFY(set.mlstFacts().isEmpty());
    QVERIFY(set.authMechanisms().isEmpty());
}

void TestFtpReplyData::collectorKeepsUnprefixedFeatureLines()
{
    // RFC 2389 feature lines start with a space, not the code; the collector must keep them
    // whole and finish only at "211 End", even when a feature line looks like a reply.
    const QByteArrayList lines = {"211-Features:", " MDTM",    " 550 looks like a reply",
                                  "UTF8",          "211-SIZE", "211 End"};
    net::NumericReplyParser parser;
    for (qsizetype i = 0; i + 1 < lines.size(); ++i)
        QCOMPARE(parser.addLine(lines.at(i)), net::NumericReplyParser::Result::NeedMore);
    QCOMPARE(parser.addLine(lines.last()), net::NumericReplyParser::Result::Complete);
    const net::NumericReply reply = parser.take();
    QCOMPARE(reply.code, 211);
    QCOMPARE(reply.lines, (QByteArrayList{"Features:", " MDTM", " 550 looks like a reply", "UTF8",
                                          "SIZE", "End"}));
    const FeatureSet set = FeatureSet::fromReply(reply);
    QCOMPARE(set.lines(), (QByteArrayList{"MDTM", "550 looks like a reply", "UTF8", "SIZE"}));
    QVERIFY(set.has("utf8"));
    QVERIFY(set.has("size"));
}

void TestFtpReplyData::activeArguments_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<int>("port");
    QTest::addColumn<QByteArray>("eprt");
    QTest::addColumn<QByteArray>("portArg"); // empty: nullopt

    QTest::newRow("rfc 2428 ipv4")
        << QStringLiteral("132.235.1.2") << 6275 << QByteArray("|1|132.235.1.2|6275|")
        << QByteArray("132,235,1,2,24,131");
    QTest::newRow("loopback") << QStringLiteral("127.0.0.1") << 1025
                              << QByteArray("|1|127.0.0.1|1025|") << QByteArray("127,0,0,1,4,1");
    QTest::newRow("highest port") << QStringLiteral("10.0.0.1") << 65535
                                  << QByteArray("|1|10.0.0.1|65535|")
                                  << QByteArray("10,0,0,1,255,255");
    QTest::newRow("rfc 2428 ipv6") << QStringLiteral("1080::8:800:200C:417A") << 5282
                                   << QByteArray("|2|1080::8:800:200c:417a|5282|") << QByteArray();
    QTest::newRow("ipv6 loopback")
        << QStringLiteral("::1") << 6275 << QByteArray("|2|::1|6275|") << QByteArray();
    QTest::newRow("ipv4-mapped") << QStringLiteral("::ffff:192.168.1.5") << 2000
                                 << QByteArray("|1|192.168.1.5|2000|")
                                 << QByteArray("192,168,1,5,7,208");
    QTest::newRow("scoped ipv6") << QStringLiteral("fe80::1%lo") << 2000
                                 << QByteArray("|2|fe80::1|2000|") << QByteArray();
    QTest::newRow("port 0") << QStringLiteral("127.0.0.1") << 0 << QByteArray() << QByteArray();
    QTest::newRow("null address") << QString() << 2000 << QByteArray() << QByteArray();
    QTest::newRow("unspecified ipv4")
        << QStringLiteral("0.0.0.0") << 2000 << QByteArray() << QByteArray();
    QTest::newRow("unspecified ipv6")
        << QStringLiteral("::") << 2000 << QByteArray() << QByteArray();
}

void TestFtpReplyData::activeArguments()
{
    QFETCH(QString, address);
    QFETCH(int, port);
    QFETCH(QByteArray, eprt);
    QFETCH(QByteArray, portArg);

    const QHostAddress host = address.isEmpty() ? QHostAddress() : QHostAddress(address);
    QVERIFY(address.isEmpty() || !host.isNull());
    QCOMPARE(eprtArgument(host, quint16(port)), eprt);
    const std::optional<QByteArray> parsed = portArgument(host, quint16(port));
    QCOMPARE(parsed.has_value(), !portArg.isEmpty());
    if (parsed)
        QCOMPARE(*parsed, portArg);
}

void TestFtpReplyData::portArgumentReadsBackAsPasv()
{
    // What Wharf sends in PORT is the form it reads in 227, for every port byte pattern.
    const QHostAddress host(QStringLiteral("192.0.2.33"));
    for (const int port : {1, 255, 256, 257, 1025, 32768, 50000, 65280, 65535}) {
        const std::optional<QByteArray> argument = portArgument(host, quint16(port));
        QVERIFY(argument);
        const auto reply = collect("227 Entering Passive Mode (" + *argument + ").");
        QVERIFY(reply);
        const std::optional<PassiveAddress> back = parsePasvReply(*reply);
        QVERIFY(back);
        QCOMPARE(int(back->port), port);
        QCOMPARE(back->announcedHost, QByteArray("192.0.2.33"));
        const auto epsv =
            collect("229 Entering Extended Passive Mode (|||" + QByteArray::number(port) + "|)");
        QVERIFY(epsv);
        QCOMPARE(parseEpsvReply(*epsv), std::optional<quint16>(quint16(port)));
    }
}

void TestFtpReplyData::replyClasses_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<ReplyClass>("expected");

    QTest::newRow("100") << 100 << ReplyClass::Preliminary;
    QTest::newRow("150") << 150 << ReplyClass::Preliminary;
    QTest::newRow("199") << 199 << ReplyClass::Preliminary;
    QTest::newRow("200") << 200 << ReplyClass::Completion;
    QTest::newRow("226") << 226 << ReplyClass::Completion;
    QTest::newRow("331") << 331 << ReplyClass::Intermediate;
    QTest::newRow("350") << 350 << ReplyClass::Intermediate;
    QTest::newRow("421") << 421 << ReplyClass::TransientFailure;
    QTest::newRow("426") << 426 << ReplyClass::TransientFailure;
    QTest::newRow("500") << 500 << ReplyClass::PermanentFailure;
    QTest::newRow("550") << 550 << ReplyClass::PermanentFailure;
    QTest::newRow("599") << 599 << ReplyClass::PermanentFailure;
    QTest::newRow("99") << 99 << ReplyClass::Invalid;
    QTest::newRow("600") << 600 << ReplyClass::Invalid;
    QTest::newRow("0") << 0 << ReplyClass::Invalid;
    QTest::newRow("negative") << -226 << ReplyClass::Invalid;
}

void TestFtpReplyData::replyClasses()
{
    QFETCH(int, code);
    QFETCH(ReplyClass, expected);
    QCOMPARE(replyClass(code), expected);
}

QTEST_GUILESS_MAIN(TestFtpReplyData)
#include "tst_ftp_reply_data.moc"
