// The FTP listing parsers against real-world lines: MLSD facts and the LIST forms of Unix,
// NetWare, DOS/IIS, EPLF, VMS, OS/2, AS/400 and VShell servers. Most LIST lines come from
// FileZilla's directory-listing parser tests (tests/dirparsertest.cpp), which collected them
// from servers users met; the rest are what vsftpd, ProFTPD, Pure-FTPd, IIS and pyftpdlib send.

#include "protocols/ftp/ListingParser.h"

#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace wharf::ftp;

namespace {

using Type = RemoteEntry::Type;

// Years left out of a listing are read against this moment.
const QDateTime kNow(QDate(2024, 6, 15), QTime(12, 0), Qt::UTC);

QDateTime at(int year, int month, int day, int hour = 0, int minute = 0, int second = 0,
             int msec = 0)
{
    return QDateTime(QDate(year, month, day), QTime(hour, minute, second, msec), Qt::UTC);
}

// "name|type|size|date|permissions|mode|owner|group|link target|unique id" with trailing
// empty fields left out: an entry as a table row can spell it. A date without a time is one
// of day precision.
QString summary(const RemoteEntry &entry)
{
    static const char *const kTypes[] = {"file", "dir", "link", "other"};
    QString date = u"-"_s;
    if (entry.modified.isValid() && !entry.modifiedHasTime) {
        date = entry.modified.toString(u"yyyy-MM-dd"_s);
    } else if (entry.modified.isValid()) {
        const QTime time = entry.modified.time();
        date = entry.modified.toString(time.msec()     ? u"yyyy-MM-dd HH:mm:ss.zzz"_s
                                       : time.second() ? u"yyyy-MM-dd HH:mm:ss"_s
                                                       : u"yyyy-MM-dd HH:mm"_s);
    }
    QStringList fields{entry.name,
                       QString::fromLatin1(kTypes[int(entry.type)]),
                       entry.size < 0 ? u"-"_s : QString::number(entry.size),
                       date,
                       entry.permissions,
                       entry.unixMode < 0 ? QString() : QString::number(entry.unixMode, 8),
                       entry.owner,
                       entry.group,
                       entry.linkTarget,
                       QString::fromLatin1(entry.uniqueId)};
    while (fields.last().isEmpty())
        fields.removeLast();
    return fields.join(u'|');
}

// One line per entry, every field, so listings compare as lists of strings.
QString describe(const RemoteEntry &entry)
{
    return QStringList{entry.name,
                       QString::fromLatin1(entry.wireName.toHex()),
                       QString::number(int(entry.type)),
                       QString::number(entry.size),
                       entry.modified.toString(Qt::ISODateWithMs),
                       QString::number(entry.modifiedHasTime),
                       entry.permissions,
                       QString::number(entry.unixMode, 8),
                       entry.linkTarget,
                       entry.owner,
                       entry.group,
                       QString::fromLatin1(entry.uniqueId.toHex())}
        .join(u'|');
}

QStringList describe(const Listing &listing)
{
    QStringList lines;
    for (const RemoteEntry &entry : listing.entries)
        lines.append(describe(entry));
    for (const ListingProblem &problem : listing.unparsed)
        lines.append(u"unparsed|"_s + QString::fromLatin1(problem.line.toHex()) + u'|' +
                     problem.reason);
    for (const ListingProblem &problem : listing.refused)
        lines.append(u"refused|"_s + QString::fromLatin1(problem.line.toHex()) + u'|' +
                     problem.reason);
    return lines;
}

Listing parseLines(ListingFormat format, const QList<QByteArray> &lines,
                   const QDateTime &now = kNow)
{
    ListingParser parser(format, now);
    for (const QByteArray &line : lines)
        parser.addLine(line);
    return parser.finish();
}

} // namespace

class TestFtpListing : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void lines_data();
    void lines();
    void usableNames_data();
    void usableNames();
    void refusedNames_data();
    void refusedNames();
    void unparsedLines_data();
    void unparsedLines();
    void notEntriesSkippedSilently();
    void yearInference_data();
    void yearInference();
    void chunksGiveTheSameListing();
    void vmsNameOnItsOwnLine();
    void overlongLine();
    void sizesBeyondFourGiB();
    void namesKeepTheirBytes();

private:
    void addRow(const char *tag, ListingFormat format, const QByteArray &line,
                const QString &expected)
    {
        QTest::newRow(tag) << int(format) << line << expected;
    }
    void list(const char *tag, const QByteArray &line, const QString &expected)
    {
        addRow(tag, ListingFormat::List, line, expected);
    }
    void mlsd(const char *tag, const QByteArray &line, const QString &expected)
    {
        addRow(tag, ListingFormat::Mlsd, line, expected);
    }
};

void TestFtpListing::lines_data()
{
    QTest::addColumn<int>("format");
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("expected");

    // Unix `ls -l` as vsftpd, ProFTPD and Pure-FTPd send it, and the variants FileZilla met.
    list("vsftpd dir", "drwxr-xr-x    2 ftp      ftp          4096 Jan 05 12:34 pub",
         u"pub|dir|4096|2024-01-05 12:34|rwxr-xr-x|755|ftp|ftp"_s);
    list("over 4 GiB", "-rw-r--r--    1 1000     1000     5368709120 Mar  3  2019 big.iso",
         u"big.iso|file|5368709120|2019-03-03|rw-r--r--|644|1000|1000"_s);
    list("pure-ftpd numeric", "drwxr-xr-x    2 1000       1000             4096 Jan  5 12:34 dir",
         u"dir|dir|4096|2024-01-05 12:34|rwxr-xr-x|755|1000|1000"_s);
    list("fz01 std dir", "dr-xr-xr-x   2 root     other        512 Apr  8  1994 01-unix-std dir",
         u"01-unix-std dir|dir|512|1994-04-08|r-xr-xr-x|555|root|other"_s);
    list("fz02 numeric month",
         "-rw-r--r--   1 root     other        531 3 29 03:26 02-unix-std file",
         u"02-unix-std file|file|531|2024-03-29 03:26|rw-r--r--|644|root|other"_s);
    list("fz03 no group",
         "dr-xr-xr-x   2 root                  512 Apr  8  1994 03-unix-nogroup dir",
         u"03-unix-nogroup dir|dir|512|1994-04-08|r-xr-xr-x|555|root"_s);
    list("fz04 symlink",
         "lrwxrwxrwx   1 root     other          7 Jan 25 00:17 04-unix-std link -> usr/bin",
         u"04-unix-std link|link|7|2024-01-25 00:17|rwxrwxrwx|777|root|other|usr/bin"_s);
    list("fz05 mm-dd year", "-rw-r--r--   1 root     other        531 09-26 2000 05-unix-date file",
         u"05-unix-date file|file|531|2000-09-26|rw-r--r--|644|root|other"_s);
    list("fz06 mm-dd time",
         "-rw-r--r--   1 root     other        531 09-26 13:45 06-unix-date file",
         u"06-unix-date file|file|531|2023-09-26 13:45|rw-r--r--|644|root|other"_s);
    list("fz07 long-iso",
         "-rw-r--r--   1 root     other        531 2005-06-07 21:22 07-unix-date file",
         u"07-unix-date file|file|531|2005-06-07 21:22|rw-r--r--|644|root|other"_s);
    list("fz08 kilobytes",
         "-rw-r--r--   1 root     other  33.5k Oct 5 21:22 08-unix-namedsize file",
         u"08-unix-namedsize file|file|34304|2023-10-05 21:22|rw-r--r--|644|root|other"_s);
    list("fz09 netware dir",
         "d [R----F--] supervisor            512       Jan 16 18:53    09-netware dir",
         u"09-netware dir|dir|512|2024-01-16 18:53|[R----F--]||supervisor"_s);
    list("fz10 netware file",
         "- [R----F--] rhesus             214059       Oct 20 15:27    10-netware file",
         u"10-netware file|file|214059|2023-10-20 15:27|[R----F--]||rhesus"_s);
    list("fz11 netpresenz",
         "-------r--         326  1391972  1392298 Nov 22  1995 11-netpresenz file",
         u"11-netpresenz file|file|1392298|1995-11-22|------r--|4|1391972"_s);
    list("fz12 netpresenz dir",
         "drwxrwxr-x               folder        2 May 10  1996 12-netpresenz dir",
         u"12-netpresenz dir|dir|2|1996-05-10|rwxrwxr-x|775|folder"_s);
    list("fz13 domain", "-rw-r--r--   1 group domain user 531 Jan 29 03:26 13-unix-domain file",
         u"13-unix-domain file|file|531|2024-01-29 03:26|rw-r--r--|644|group domain|user"_s);
    list("fz23 vshell new",
         "-rwxr-xr-x    1 user group        9 Oct 08, 2002 09:47 23-vshell-new file",
         u"23-vshell-new file|file|9|2002-10-08 09:47|rwxr-xr-x|755|user|group"_s);
    list("fz28 german",
         "dr-xr-xr-x   2 root     other      2235 26. Juli, 20:10 28-datetest-ger dir",
         u"28-datetest-ger dir|dir|2235|2023-07-26 20:10|r-xr-xr-x|555|root|other"_s);
    list("fz28b hungarian",
         "dr-xr-xr-x   2 root     other      2235 szept 26 20:10 28b-datetest-hungarian dir",
         u"28b-datetest-hungarian dir|dir|2235|2023-09-26 20:10|r-xr-xr-x|555|root|other"_s);
    list("fz29 german year",
         "-r-xr-xr-x   2 root     other      2235 2.   Okt.  2003 29-datetest-ger file",
         u"29-datetest-ger file|file|2235|2003-10-02|r-xr-xr-x|555|root|other"_s);
    list("fz30 slashes",
         "-r-xr-xr-x   2 root     other      2235 1999/10/12 17:12 30-datetest file",
         u"30-datetest file|file|2235|1999-10-12 17:12|r-xr-xr-x|555|root|other"_s);
    list("fz31 dd-mm-yyyy",
         "-r-xr-xr-x   2 root     other      2235 24-04-2003 17:12 31-datetest file",
         u"31-datetest file|file|2235|2003-04-24 17:12|r-xr-xr-x|555|root|other"_s);
    list("fz32 japanese",
         "-rw-r--r--   1 root       sys           8473  4\x8c\x8e 18\x93\xfa 2003\x94N "
         "32-datatest-japanese file",
         u"32-datatest-japanese file|file|8473|2003-04-18|rw-r--r--|644|root|sys"_s);
    list("fz33 asian",
         "-rwxrwxrwx   1 root     staff          0 2003   3\xed\xef 20 33-asian date file",
         u"33-asian date file|file|0|2003-03-20|rwxrwxrwx|777|root|staff"_s);
    list("fz34 asian time", "-r--r--r-- 1 root root 2096 8\xed 17 08:52 34-asian date file",
         u"34-asian date file|file|2096|2023-08-17 08:52|r--r--r--|444|root|root"_s);
    list("fz35 dotted", "-r-xr-xr-x   2 root  root  96 2004.07.15   35-dotted-date file",
         u"35-dotted-date file|file|96|2004-07-15|r-xr-xr-x|555|root|root"_s);
    list(
        "fz46 size joined to group",
        "-r-xr-xr-x longowner longgroup123456 Feb 12 17:20 46-unix-concatsize file",
        u"46-unix-concatsize file|file|123456|2024-02-12 17:20|r-xr-xr-x|555|longowner|longgroup"_s);
    list("fz47 dd-mon-yy", "-r-xr-xr-x 2 owner group 4512 01-jun-99 47_unix_shortdatemonth file",
         u"47_unix_shortdatemonth file|file|4512|1999-06-01|r-xr-xr-x|555|owner|group"_s);
    list("fz52 day month", "drwxr-xr-x 3 user group 512 01 oct 2004 52-swapped-daymonth dir",
         u"52-swapped-daymonth dir|dir|512|2004-10-01|rwxr-xr-x|755|user|group"_s);
    list("fz53 no owner", "-r--r--r-- 0125039 12 Nov 11 2005 53-noownergroup file",
         u"53-noownergroup file|file|12|2005-11-11|r--r--r--|444"_s);
    list("fz54 korean",
         "drwxr-xr-x   5 root     sys          512 2005년  1월  6일 54-asian date year first dir",
         u"54-asian date year first dir|dir|512|2005-01-06|rwxr-xr-x|755|root|sys"_s);
    list("fz59 german dots", "drwxr-xr-x 6 user sys 1024 30. Jan., 12:40 59-localized-date-dir",
         u"59-localized-date-dir|dir|1024|2024-01-30 12:40|rwxr-xr-x|755|user|sys"_s);
    list("fz day first time",
         "drwxrwxrwx   1 0        0               0 29 Jul 02:27 2014 Invoices",
         u"2014 Invoices|dir|0|2023-07-29 02:27|rwxrwxrwx|777|0|0"_s);
    list("fz midnight as 24:00",
         "-rw-------      1  99999999 0              3 Apr   4 24:00 alternate_midnight",
         u"alternate_midnight|file|3|2024-04-05 00:00|rw-------|600|99999999|0"_s);
    list("character device", "crw-rw-rw-   1 root     root       1,   3 Jan  1  2020 null",
         u"null|other|-|2020-01-01|rw-rw-rw-|666|root|root"_s);
    list("block device", "brw-rw----   1 root     disk       8,0 Jan  1  2020 sda",
         u"sda|other|-|2020-01-01|rw-rw----|660|root|disk"_s);
    list("fifo", "prw-r--r--   1 user     group        0 Jun 10 09:00 fifo",
         u"fifo|other|0|2024-06-10 09:00|rw-r--r--|644|user|group"_s);
    list("socket", "srwxrwxrwx 1 user group 0 Jun 10 09:00 socket",
         u"socket|other|0|2024-06-10 09:00|rwxrwxrwx|777|user|group"_s);
    list("acl marker", "-rw-rw-r--+  1 alice    staff       12 Feb 29 10:00 acl.txt",
         u"acl.txt|file|12|2024-02-29 10:00|rw-rw-r--|664|alice|staff"_s);
    list("selinux marker", "drwxr-xr-x.  3 root root 4096 Dec 31 23:59 selinux",
         u"selinux|dir|4096|2023-12-31 23:59|rwxr-xr-x|755|root|root"_s);
    list("macos marker", "-rw-r--r--@  1 bob  staff  6148 May  2 08:15 .DS_Store",
         u".DS_Store|file|6148|2024-05-02 08:15|rw-r--r--|644|bob|staff"_s);
    list("leading blanks", "-rw-r--r--   1 ftp ftp 10 Jan  5  2019   two leading blanks",
         u"  two leading blanks|file|10|2019-01-05|rw-r--r--|644|ftp|ftp"_s);
    list("trailing blanks", "-rw-r--r-- 1 ftp ftp 10 Jun 14 11:00 trailing  ",
         u"trailing  |file|10|2024-06-14 11:00|rw-r--r--|644|ftp|ftp"_s);
    list("month lower case", "-rw-r--r-- 1 ftp ftp 10 jun 14 11:00 lower",
         u"lower|file|10|2024-06-14 11:00|rw-r--r--|644|ftp|ftp"_s);
    list("month upper case", "-rw-r--r-- 1 ftp ftp 10 JUN 14 11:00 upper",
         u"upper|file|10|2024-06-14 11:00|rw-r--r--|644|ftp|ftp"_s);
    list("german month", "-rw-r--r-- 1 user user 10 Mär 15 10:30 de",
         u"de|file|10|2024-03-15 10:30|rw-r--r--|644|user|user"_s);
    list("russian month", "-rw-r--r-- 1 user user 10 15 янв 10:30 ru",
         u"ru|file|10|2024-01-15 10:30|rw-r--r--|644|user|user"_s);
    list("full-iso", "-rw-r--r-- 1 user group 1234 2020-01-05 12:34:56.123456789 +0100 full iso",
         u"full iso|file|1234|2020-01-05 11:34:56.123|rw-r--r--|644|user|group"_s);
    list("special bits", "-rwsr-sr-t 1 root root 100 Jun 1 12:00 special",
         u"special|file|100|2024-06-01 12:00|rwsr-sr-t|7755|root|root"_s);
    list("sticky dir", "drwxrwxrwt   2 root root 4096 Jun 15 11:59 tmp",
         u"tmp|dir|4096|2024-06-15 11:59|rwxrwxrwt|1777|root|root"_s);
    list("setuid without x", "-rwSr--r-- 1 a b 1 Jun 1 12:00 S",
         u"S|file|1|2024-06-01 12:00|rwSr--r--|4644|a|b"_s);
    list("within a day ahead", "-rw-r--r-- 1 ftp ftp 0 Jun 16 11:30 tomorrow",
         u"tomorrow|file|0|2024-06-16 11:30|rw-r--r--|644|ftp|ftp"_s);
    list("beyond a day ahead", "-rw-r--r-- 1 ftp ftp 0 Jun 16 12:30 last year",
         u"last year|file|0|2023-06-16 12:30|rw-r--r--|644|ftp|ftp"_s);
    list("backslash", "-rw-r--r-- 1 ftp ftp 3 Jun 1 12:00 back\\slash",
         u"back\\slash|file|3|2024-06-01 12:00|rw-r--r--|644|ftp|ftp"_s);
    list("arrow in a file name", "-rw-r--r-- 1 ftp ftp 3 Jun 1 12:00 a -> b",
         u"a -> b|file|3|2024-06-01 12:00|rw-r--r--|644|ftp|ftp"_s);
    list("symlink with blanks", "lrwxrwxrwx 1 ftp ftp 14 Jun 1 12:00 my link -> ../target dir",
         u"my link|link|14|2024-06-01 12:00|rwxrwxrwx|777|ftp|ftp|../target dir"_s);
    list("utf-8 name", "-rw-r--r-- 1 ftp ftp 3 Jun 1 12:00 Fuß.txt",
         u"Fuß.txt|file|3|2024-06-01 12:00|rw-r--r--|644|ftp|ftp"_s);

    // DOS / IIS.
    list("iis dir", "01-05-20  12:34PM       <DIR>          name",
         u"name|dir|-|2020-01-05 12:34"_s);
    list("iis file four-digit year", "01-05-2020  12:34PM  1234 name",
         u"name|file|1234|2020-01-05 12:34"_s);
    list("fz16 dos dir", "04-27-00  12:09PM       <DIR>          16-dos-dateambiguous dir",
         u"16-dos-dateambiguous dir|dir|-|2000-04-27 12:09"_s);
    list("fz17 dos pm", "04-06-00  03:47PM                  589 17-dos-dateambiguous file",
         u"17-dos-dateambiguous file|file|589|2000-04-06 15:47"_s);
    list("fz18 dos long year", "2002-09-02  18:48       <DIR>          18-dos-longyear dir",
         u"18-dos-longyear dir|dir|-|2002-09-02 18:48"_s);
    list("fz19 dos comma size", "2002-09-02  19:06                9,730 19-dos-longyear file",
         u"19-dos-longyear file|file|9730|2002-09-02 19:06"_s);
    list("dos midnight am", "11-30-19  12:05AM           5368709120 midnight.iso",
         u"midnight.iso|file|5368709120|2019-11-30 00:05"_s);
    list("dos 24h", "06-15-2024  23:59                  100 late.txt",
         u"late.txt|file|100|2024-06-15 23:59"_s);
    list("dos grouped big", "06-15-2024  23:59        5,368,709,120 grouped.iso",
         u"grouped.iso|file|5368709120|2024-06-15 23:59"_s);
    list("dos leading blank", "01-05-20  12:34PM                  589  lead",
         u" lead|file|589|2020-01-05 12:34"_s);
    list("dos dir leading blank", "01-05-20  12:34PM       <DIR>           spaced dir",
         u" spaced dir|dir|-|2020-01-05 12:34"_s);

    // EPLF.
    list("eplf dev", "+i8388621.29609,m824255902,/,\tdev",
         u"dev|dir|-|1996-02-13 23:58:22||||||8388621.29609"_s);
    list("fz14 eplf file", "+i8388621.48594,m825718503,r,s280,up755\t14-eplf file",
         u"14-eplf file|file|280|1996-03-01 22:15:03|755|755||||8388621.48594"_s);
    list("fz15 eplf dir", "+i8388621.50690,m824255907,/,\t15-eplf dir",
         u"15-eplf dir|dir|-|1996-02-13 23:58:27||||||8388621.50690"_s);

    // VMS.
    list("fz36 vms dir", "36-vms-dir.DIR;1  1 19-NOV-2001 21:41 [root,root] (RWE,RWE,RE,RE)",
         u"36-vms-dir|dir|512|2001-11-19 21:41|RWE,RWE,RE,RE||root,root"_s);
    list("fz37 vms file", "37-vms-file;1       155   2-JUL-2003 10:30:13.64",
         u"37-vms-file;1|file|79360|2003-07-02 10:30:13.640"_s);
    list("fz38 vms no time",
         "38-vms-notime-file;1    2/8    7-JAN-2000    [IV2_XXX]   (RWED,RWED,RE,)",
         u"38-vms-notime-file;1|file|1024|2000-01-07|RWED,RWED,RE,||IV2_XXX"_s);
    list("fz39 vms french month",
         "39-vms-notime-file;1    6/8    15-JUI-2002    PRONAS   (RWED,RWED,RE,)",
         u"39-vms-notime-file;1|file|3072|2002-07-15|RWED,RWED,RE,||PRONAS"_s);
    list("fz42 vms field order",
         "42-vms-alternate-field-order-file;1   [SUMMARY]    1/3     2-AUG-2006 13:05  "
         "(RWE,RWE,RE,)",
         u"42-vms-alternate-field-order-file;1|file|512|2006-08-02 13:05|RWE,RWE,RE,||SUMMARY"_s);
    list("fz43 vms size last",
         "43-vms-alternate-field-order-file;1       17-JUN-1994 17:25:37     6308/13     "
         "(RWED,RWED,R,)",
         u"43-vms-alternate-field-order-file;1|file|3229696|1994-06-17 17:25:37|RWED,RWED,R,"_s);
    list("fz56 vms kilobytes", "56-VMS-complex-size;1 2KB 23-SEP-2005 14:57:07.27",
         u"56-VMS-complex-size;1|file|2048|2005-09-23 14:57:07.270"_s);

    // OS/2.
    list("fz24 os2 year 103", "36611      A    04-23-103  10:57  24-os2 file",
         u"24-os2 file|file|36611|2003-04-23 10:57"_s);
    list("fz25 os2", " 1123      A    07-14-99   12:37  25-os2 file",
         u"25-os2 file|file|1123|1999-07-14 12:37"_s);
    list("fz26 os2 dir", "    0 DIR       02-11-103  16:15  26-os2 dir",
         u"26-os2 dir|dir|0|2003-02-11 16:15"_s);
    list("fz27 os2 dir attributes", " 1123 DIR  A    10-05-100  23:38  27-os2 dir",
         u"27-os2 dir|dir|1123|2000-10-05 23:38"_s);

    // IBM AS/400.
    list("fz44 as400 dir", "QSYS            77824 02/23/00 15:09:55 *DIR 44-ibm-as400 dir/",
         u"44-ibm-as400 dir|dir|77824|2000-02-23 15:09:55|||QSYS"_s);
    list("fz45 as400 day first",
         "QSYS            77824 23/02/00 15:09:55 *FILE 45-ibm-as400-date file",
         u"45-ibm-as400-date file|file|77824|2000-02-23 15:09:55|||QSYS"_s);
    list("fz55 as400 dotted", "QPGMR           36864 18.09.06 14:21:26 *FILE      55-AS400.FILE",
         u"55-AS400.FILE|file|36864|2006-09-18 14:21:26|||QPGMR"_s);

    // VShell, and the numeric Unix form.
    list("fz21 vshell old", "206876  Apr 04, 2000 21:06 21-vshell-old file",
         u"21-vshell-old file|file|206876|2000-04-04 21:06"_s);
    list("fz22 vshell dir", "0  Dec 12, 2002 02:13 22-vshell-old dir/",
         u"22-vshell-old dir|dir|0|2002-12-12 02:13"_s);
    list("fz20 numeric unix",
         "0100644   500  101   12345    123456789       20-unix-numerical file",
         u"20-unix-numerical file|file|12345|1973-11-29 21:33:09|0100644|644|500|101"_s);

    // MLSD (RFC 3659), as pyftpdlib, ProFTPD, vsftpd and FileZilla Server send it.
    mlsd("mlsd file",
         "type=file;size=1024;modify=20200105123456;perm=adfrw;unique=803U1;UNIX.mode=0644;UNIX."
         "owner=ftp;UNIX.group=ftp; readme.txt",
         u"readme.txt|file|1024|2020-01-05 12:34:56|adfrw|644|ftp|ftp||803U1"_s);
    mlsd("mlsd dir sizd", "type=dir;sizd=4096;modify=20200105123456;perm=flcdmpe; pub",
         u"pub|dir|4096|2020-01-05 12:34:56|flcdmpe"_s);
    mlsd("fz72 mixed case facts", "Type=file;mOdIfY=20081105165215;size=1234; 72-MLSD-file",
         u"72-MLSD-file|file|1234|2008-11-05 16:52:15"_s);
    mlsd(
        "fz75 empty perm",
        "modify=20080426135501;perm=;size=65718921;type=file;unique=802U1066013B;UNIX.group=1179;"
        "UNIX.mode=00;UNIX.owner=1179; 75 MLSD file with empty permissions",
        u"75 MLSD file with empty permissions|file|65718921|2008-04-26 13:55:01||0|1179|1179||802U1066013B"_s);
    mlsd("fz76 slink target", "type=OS.unix=slink:/foo; 76 MLSD symlink",
         u"76 MLSD symlink|link|-|-|||||/foo"_s);
    mlsd("fz76b symlink", "type=OS.UNIX=symlink; 76b MLSD symlink", u"76b MLSD symlink|link|-|-"_s);
    mlsd("fz77 no trailing semicolon",
         "type=file 77 MLSD file no trailing semicolon after facts < mlst-07",
         u"77 MLSD file no trailing semicolon after facts < mlst-07|file|-|-"_s);
    mlsd(
        "fz78 tab separator",
        "size=1365694195;type=file;modify=20090722092510;\tadsl TV 2009-07-22 08-25-10 78 mlsd "
        "file that can get parsed as unix.file",
        u"adsl TV 2009-07-22 08-25-10 78 mlsd file that can get parsed as unix.file|file|1365694195|2009-07-22 09:25:10"_s);
    mlsd("fz pre-epoch", "Type=file;mOdIfY=19681105165215;size=1234; MLSD pre-epoch",
         u"MLSD pre-epoch|file|1234|1968-11-05 16:52:15"_s);
    mlsd("semicolons and blanks in the name",
         "type=file;size=3; name; with;semicolons and  blanks ",
         u"name; with;semicolons and  blanks |file|3|-"_s);
    mlsd("huge with milliseconds", "type=file;size=10737418240;modify=20240101000000.123; huge.bin",
         u"huge.bin|file|10737418240|2024-01-01 00:00:00.123"_s);
    mlsd("pyftpdlib",
         "type=file;size=3;modify=20240101000000;unix.mode=0755;unix.uid=1000;unix.gid=1000;unique="
         "fd01g2; script.sh",
         u"script.sh|file|3|2024-01-01 00:00||755|1000|1000||fd01g2"_s);
    mlsd("proftpd names over ids",
         "modify=20240101000000;perm=r;size=7;type=file;UNIX.group=100;UNIX.groupname=users;UNIX."
         "mode=0640;UNIX.owner=1000;UNIX.ownername=alice; notes",
         u"notes|file|7|2024-01-01 00:00|r|640|alice|users"_s);
    mlsd("no type fact", "size=5;modify=20240101000000; notype",
         u"notype|file|5|2024-01-01 00:00"_s);
    mlsd("device", "type=OS.unix=chr-13/29; mouse", u"mouse|other|-|-"_s);
    mlsd("no facts", " justname", u"justname|file|-|-"_s);
    mlsd("bad modify", "type=file;modify=2024133200000; odd date", u"odd date|file|-|-"_s);
}

void TestFtpListing::lines()
{
    QFETCH(int, format);
    QFETCH(QByteArray, line);
    QFETCH(QString, expected);
    const Listing listing = parseLines(ListingFormat(format), {line});
    for (const ListingProblem &problem : listing.unparsed + listing.refused)
        qWarning("%s", qPrintable(problem.reason));
    QCOMPARE(listing.unparsed.size(), 0);
    QCOMPARE(listing.refused.size(), 0);
    QCOMPARE(listing.entries.size(), 1);
    const RemoteEntry &entry = listing.entries.first();
    QCOMPARE(summary(entry), expected);
    QCOMPARE(entry.wireName, entry.name.toUtf8());
    if (entry.modified.isValid())
        QCOMPARE(entry.modified.timeSpec(), Qt::UTC);

    // The single-line helper gives the same entry.
    const std::optional<RemoteEntry> single = format == int(ListingFormat::Mlsd)
                                                  ? ListingParser::parseMlsdLine(line)
                                                  : ListingParser::parseListLine(line, kNow);
    QVERIFY(single);
    QCOMPARE(describe(*single), describe(entry));
}

void TestFtpListing::usableNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("usable");
    QTest::newRow("plain") << u"report.pdf"_s << true;
    QTest::newRow("blanks") << u" a b "_s << true;
    QTest::newRow("backslash") << u"back\\slash"_s << true;
    QTest::newRow("dot file") << u".profile"_s << true;
    QTest::newRow("three dots") << u"..."_s << true;
    QTest::newRow("non-ascii") << u"Grüße ✓"_s << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("dot") << u"."_s << false;
    QTest::newRow("dot dot") << u".."_s << false;
    QTest::newRow("slash") << u"a/b"_s << false;
    QTest::newRow("absolute") << u"/etc/passwd"_s << false;
    QTest::newRow("parent") << u"../../x"_s << false;
    QTest::newRow("nul") << QString(u"a\0b"_s) << false;
    QTest::newRow("tab") << u"tab\t"_s << false;
    QTest::newRow("newline") << u"line\nbreak"_s << false;
    QTest::newRow("carriage return") << u"cr\r"_s << false;
    QTest::newRow("escape") << u"\x1b[31mred"_s << false;
    QTest::newRow("delete") << u"del\x7f"_s << false;
}

void TestFtpListing::usableNames()
{
    QFETCH(QString, name);
    QFETCH(bool, usable);
    QCOMPARE(ListingParser::isUsableName(name), usable);
    QCOMPARE(ListingParser::unusableNameReason(name).isEmpty(), usable);
}

void TestFtpListing::refusedNames_data()
{
    QTest::addColumn<int>("format");
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("inReason");
    const int list = int(ListingFormat::List), mlsd = int(ListingFormat::Mlsd);
    QTest::newRow("unix parent path")
        << list << QByteArray("-rw-r--r-- 1 ftp ftp 3 Jun 1 12:00 ../../x") << u"../../x"_s;
    QTest::newRow("unix slash") << list << QByteArray("-rw-r--r-- 1 ftp ftp 3 Jun 1 12:00 a/b")
                                << u"'/'"_s;
    QTest::newRow("unix absolute")
        << list << QByteArray("-rw-r--r-- 1 ftp ftp 3 Jun 1 12:00 /etc/passwd") << u"/etc/passwd"_s;
    QTest::newRow("unix nul") << list
                              << QByteArray("-rw-r--r-- 1 ftp ftp 3 Jun 1 12:00 nul") + '\0' + 'x'
                              << u"control character"_s;
    QTest::newRow("unix escape") << list
                                 << QByteArray("-rw-r--r-- 1 ftp ftp 3 Jun 1 12:00 \x1b[2Jclear")
                                 << u"\\x1b"_s;
    QTest::newRow("symlink named ..")
        << list << QByteArray("lrwxrwxrwx 1 ftp ftp 1 Jun 1 12:00 .. -> /") << u"\"..\""_s;
    QTest::newRow("dos parent path")
        << list << QByteArray("01-05-20  12:34PM                  589 ../up.txt") << u"'/'"_s;
    QTest::newRow("eplf absolute") << list << QByteArray("+r,s1,\t/etc/shadow") << u"'/'"_s;
    QTest::newRow("mlsd parent path")
        << mlsd << QByteArray("type=file;size=1; ../../x") << u"../../x"_s;
    QTest::newRow("mlsd absolute") << mlsd << QByteArray("type=file; /etc/passwd") << u"'/'"_s;
    QTest::newRow("mlsd empty") << mlsd << QByteArray("type=file; ") << u"empty"_s;
    QTest::newRow("mlsd dot as a file") << mlsd << QByteArray("type=file; .") << u"\".\""_s;
    QTest::newRow("mlsd control") << mlsd << QByteArray("type=dir; a\x01z") << u"\\x01"_s;
}

void TestFtpListing::refusedNames()
{
    QFETCH(int, format);
    QFETCH(QByteArray, line);
    QFETCH(QString, inReason);
    // Among usable entries, so the refusal is seen to take out just the one line.
    const QByteArray good = format == int(ListingFormat::Mlsd)
                                ? QByteArray("type=file;size=1; good")
                                : QByteArray("-rw-r--r-- 1 ftp ftp 1 Jun 1 12:00 good");
    const Listing listing = parseLines(ListingFormat(format), {good, line, good});
    QCOMPARE(listing.unparsed.size(), 0);
    QCOMPARE(listing.entries.size(), 2);
    for (const RemoteEntry &entry : listing.entries)
        QCOMPARE(entry.name, u"good"_s);
    QCOMPARE(listing.refused.size(), 1);
    QCOMPARE(listing.refused.first().line, line);
    QVERIFY2(listing.refused.first().reason.contains(inReason),
             qPrintable(listing.refused.first().reason));
}

void TestFtpListing::unparsedLines_data()
{
    QTest::addColumn<int>("format");
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("inReason");
    const int list = int(ListingFormat::List), mlsd = int(ListingFormat::Mlsd);
    QTest::newRow("prose") << list << QByteArray("this is not a listing") << u"format"_s;
    QTest::newRow("unix without date")
        << list << QByteArray("-rw-r--r-- 1 ftp ftp 12 name-without-date") << u"Unix"_s;
    QTest::newRow("fz71 dateless")
        << list << QByteArray("drwxr-xr-x 3 slopri devlab 512 71-unix-dateless") << u"Unix"_s;
    QTest::newRow("unix size overflow")
        << list << QByteArray("-rw-r--r-- 1 ftp ftp 99999999999999999999 Jan 5 12:34 huge")
        << u"too large"_s;
    QTest::newRow("unix size just over qint64")
        << list << QByteArray("-rw-r--r-- 1 ftp ftp 9223372036854775808 Jan 5 12:34 huge")
        << u"too large"_s;
    QTest::newRow("unix kilobytes overflow")
        << list << QByteArray("-rw-r--r-- 1 ftp ftp 99999999999999999k Jan 5 12:34 huge")
        << u"Unix"_s;
    QTest::newRow("dos size overflow")
        << list << QByteArray("01-05-20  12:34PM  99999999999999999999 huge") << u"too large"_s;
    QTest::newRow("dos without size")
        << list << QByteArray("01-05-20  12:34PM  <LINK> odd") << u"DOS"_s;
    QTest::newRow("eplf size overflow")
        << list << QByteArray("+s99999999999999999999,r,\thuge") << u"too large"_s;
    QTest::newRow("eplf without tab") << list << QByteArray("+i1,r, name") << u"tab"_s;
    QTest::newRow("vms overflow") << list
                                  << QByteArray("BIG.DAT;1 99999999999999999 2-JUL-2003 10:30")
                                  << u"too large"_s;
    QTest::newRow("fz50 connect enterprise")
        << list
        << QByteArray("-C--E-----FTP B BCC3I1       7670  1294495 Jan 13 07:42 50-conent file")
        << u"format"_s;
    QTest::newRow("mlsd without name") << mlsd << QByteArray("type=file;size=1;") << u"name"_s;
    QTest::newRow("mlsd unix line")
        << mlsd << QByteArray("-rw-r--r-- 1 ftp ftp 3 Jun 1 12:00 x") << u"MLSD"_s;
    QTest::newRow("mlsd size overflow")
        << mlsd << QByteArray("type=file;size=99999999999999999999; huge") << u"too large"_s;
}

void TestFtpListing::unparsedLines()
{
    QFETCH(int, format);
    QFETCH(QByteArray, line);
    QFETCH(QString, inReason);
    const Listing listing = parseLines(ListingFormat(format), {line});
    QCOMPARE(listing.entries.size(), 0);
    QCOMPARE(listing.refused.size(), 0);
    QCOMPARE(listing.unparsed.size(), 1);
    QCOMPARE(listing.unparsed.first().line, line);
    QVERIFY2(listing.unparsed.first().reason.contains(inReason),
             qPrintable(listing.unparsed.first().reason));
    const std::optional<RemoteEntry> single = format == int(ListingFormat::Mlsd)
                                                  ? ListingParser::parseMlsdLine(line)
                                                  : ListingParser::parseListLine(line, kNow);
    QVERIFY(!single);
}

void TestFtpListing::notEntriesSkippedSilently()
{
    const Listing unix =
        parseLines(ListingFormat::List,
                   {"total 123", "drwxr-xr-x  5 ftp ftp 4096 Jun  1 12:00 .",
                    "drwxr-xr-x 20 root root 4096 Jan  1  2020 ..", "", "   ",
                    "-rw-r--r--  1 ftp ftp    5 Jun  1 12:00 file", "insgesamt 8", "total 12K",
                    "Directory DISK$USER:[FTP]", "Total of 1 file, 2/8 blocks."});
    QCOMPARE(describe(unix).size(), 1);
    QCOMPARE(unix.entries.size(), 1);
    QCOMPARE(unix.entries.first().name, u"file"_s);

    const Listing mlsd = parseLines(ListingFormat::Mlsd,
                                    {"type=cdir;modify=20240101000000;perm=flcdmpe; /home/user",
                                     "type=pdir;modify=20240101000000;perm=flcdmpe; ..",
                                     "type=cdir; .", "type=dir; ..", "type=file;size=1; file", ""});
    QCOMPARE(describe(mlsd).size(), 1);
    QCOMPARE(mlsd.entries.first().name, u"file"_s);
    QVERIFY(!ListingParser::parseMlsdLine("type=cdir; /home/user"));
}

void TestFtpListing::yearInference_data()
{
    QTest::addColumn<QDateTime>("now");
    QTest::addColumn<QByteArray>("date");
    QTest::addColumn<QDateTime>("expected");
    const QDateTime newYear = at(2024, 1, 1, 0, 30);
    QTest::newRow("last evening") << newYear << QByteArray("Dec 31 23:59")
                                  << at(2023, 12, 31, 23, 59);
    QTest::newRow("this morning") << newYear << QByteArray("Jan  1 00:15") << at(2024, 1, 1, 0, 15);
    QTest::newRow("a day ahead") << newYear << QByteArray("Jan  2 00:30") << at(2024, 1, 2, 0, 30);
    QTest::newRow("more than a day ahead")
        << newYear << QByteArray("Jan  2 00:31") << at(2023, 1, 2, 0, 31);
    const QDateTime eve = at(2023, 12, 31, 23, 30);
    QTest::newRow("server ahead of us")
        << eve << QByteArray("Jan  1 00:10") << at(2024, 1, 1, 0, 10);
    QTest::newRow("earlier today") << eve << QByteArray("Dec 31 10:00") << at(2023, 12, 31, 10);
    QTest::newRow("next december is last")
        << eve << QByteArray("Dec 31 23:59") << at(2023, 12, 31, 23, 59);
    QTest::newRow("29 February") << at(2025, 3, 1) << QByteArray("Feb 29 08:00")
                                 << at(2024, 2, 29, 8);
    QTest::newRow("29 February far back")
        << at(2027, 2, 1) << QByteArray("Feb 29 08:00") << at(2024, 2, 29, 8);
    QTest::newRow("mm-dd form") << newYear << QByteArray("12-31 23:00") << at(2023, 12, 31, 23);
    QTest::newRow("now in another zone")
        << QDateTime(QDate(2024, 1, 1), QTime(1, 30), QTimeZone(3600)) << QByteArray("Jan  2 00:30")
        << at(2024, 1, 2, 0, 30);
}

void TestFtpListing::yearInference()
{
    QFETCH(QDateTime, now);
    QFETCH(QByteArray, date);
    QFETCH(QDateTime, expected);
    const QByteArray line = "-rw-r--r-- 1 ftp ftp 1 " + date + " f";
    const Listing listing = parseLines(ListingFormat::List, {line}, now);
    QCOMPARE(listing.entries.size(), 1);
    QCOMPARE(listing.entries.first().modified, expected);
    QVERIFY(listing.entries.first().modifiedHasTime);
}

void TestFtpListing::chunksGiveTheSameListing()
{
    // CRLF and LF ends, a VMS name on its own line, a refused and an unparsed line, and a last
    // line without its end.
    const QByteArray data = "total 8\r\n"
                            "drwxr-xr-x 2 ftp ftp 4096 Jan 05 12:34 pub\r\n"
                            "-rw-r--r-- 1 ftp ftp 5368709120 Mar  3  2019  big.iso\n"
                            "lrwxrwxrwx 1 ftp ftp 3 Jun 1 12:00 link -> pub\r\n"
                            "-rw-r--r-- 1 ftp ftp 3 Jun 1 12:00 ../../x\r\n"
                            "garbage line\r\n"
                            "\r\n"
                            "40-vms-multiline-file;1\r\n"
                            "170774/170775     24-APR-2003 08:16:15  [FTP_CLIENT,SCOT]      "
                            "(RWED,RWED,RE,)\r\n"
                            "01-05-20  12:34PM       <DIR>          dos dir\r\n"
                            "-rw-r--r-- 1 ftp ftp 7 Jun 1 12:00 Fu\xc3\x9f no end\r";
    ListingParser whole(ListingFormat::List, kNow);
    whole.addData(data);
    const QStringList expected = describe(whole.finish());
    QCOMPARE(expected.size(), 8);
    QVERIFY(expected.last().startsWith(u"refused|"_s));
    QCOMPARE(describe(parseListing(data, ListingFormat::List, kNow)), expected);

    for (qsizetype split = 0; split <= data.size(); ++split) {
        ListingParser parser(ListingFormat::List, kNow);
        parser.addData(QByteArrayView(data).first(split));
        parser.addData(QByteArrayView(data).sliced(split));
        QCOMPARE(describe(parser.finish()), expected);
    }
    ListingParser byteByByte(ListingFormat::List, kNow);
    for (const char byte : data)
        byteByByte.addData(QByteArrayView(&byte, 1));
    QCOMPARE(describe(byteByByte.finish()), expected);

    const QByteArray mlsdData = "type=cdir; /\r\ntype=file;size=2; a b;c\r\ntype=dir; sub\n"
                                "type=file;size=1; /etc/passwd\r\ntype=file;size=3; last";
    const QStringList mlsdExpected = describe(parseListing(mlsdData, ListingFormat::Mlsd));
    QCOMPARE(mlsdExpected.size(), 4);
    for (qsizetype split = 0; split <= mlsdData.size(); ++split) {
        ListingParser parser(ListingFormat::Mlsd);
        parser.addData(QByteArrayView(mlsdData).first(split));
        parser.addData(QByteArrayView(mlsdData).sliced(split));
        QCOMPARE(describe(parser.finish()), mlsdExpected);
    }
}

void TestFtpListing::vmsNameOnItsOwnLine()
{
    const Listing listing = parseListing(
        "40-vms-multiline-file;1\r\n"
        "170774/170775     24-APR-2003 08:16:15  [FTP_CLIENT,SCOT]      (RWED,RWED,RE,)\r\n"
        "41-vms-multiline-file;1\r\n"
        "10     2-JUL-2003 10:30:08.59  [FTP_CLIENT,SCOT]      (RWED,RWED,RE,)\r\n"
        "ORPHAN.TXT;3\r\n"
        "42-vms-file;1  1 19-NOV-2001 21:41\r\n"
        "LAST.TXT;1\r\n",
        ListingFormat::List, kNow);
    QCOMPARE(listing.entries.size(), 3);
    QCOMPARE(listing.entries.at(0).name, u"40-vms-multiline-file;1"_s);
    QCOMPARE(listing.entries.at(0).size, 87436288);
    QCOMPARE(listing.entries.at(0).modified, at(2003, 4, 24, 8, 16, 15));
    QCOMPARE(listing.entries.at(0).owner, u"FTP_CLIENT,SCOT"_s);
    QCOMPARE(listing.entries.at(1).name, u"41-vms-multiline-file;1"_s);
    QCOMPARE(listing.entries.at(1).size, 5120);
    QCOMPARE(listing.entries.at(1).modified, at(2003, 7, 2, 10, 30, 8, 590));
    QCOMPARE(listing.entries.at(2).name, u"42-vms-file;1"_s);
    // A name whose details never came is reported, the line after it still parsed.
    QCOMPARE(listing.unparsed.size(), 2);
    QCOMPARE(listing.unparsed.at(0).line, QByteArray("ORPHAN.TXT;3"));
    QCOMPARE(listing.unparsed.at(1).line, QByteArray("LAST.TXT;1"));
}

void TestFtpListing::overlongLine()
{
    const QByteArray longLine(ListingParser::kMaxLineLength + 10, 'x');
    const QByteArray data = "-rw-r--r-- 1 ftp ftp 1 Jun 1 12:00 before\n" + longLine +
                            "\r\n-rw-r--r-- 1 ftp ftp 1 Jun 1 12:00 after\n" + longLine;
    for (const qsizetype chunk : {data.size(), qsizetype(4096), qsizetype(7)}) {
        ListingParser parser(ListingFormat::List, kNow);
        for (qsizetype offset = 0; offset < data.size(); offset += chunk)
            parser.addData(QByteArrayView(data).sliced(offset, qMin(chunk, data.size() - offset)));
        const Listing listing = parser.finish();
        QCOMPARE(listing.entries.size(), 2);
        QCOMPARE(listing.entries.at(0).name, u"before"_s);
        QCOMPARE(listing.entries.at(1).name, u"after"_s);
        QCOMPARE(listing.unparsed.size(), 2);
        for (const ListingProblem &problem : listing.unparsed) {
            QCOMPARE(problem.line, QByteArray(256, 'x'));
            QVERIFY(problem.reason.contains(u"longer"_s));
        }
    }
    // A line of exactly the limit is still a line.
    const QByteArray prefix = "-rw-r--r-- 1 ftp ftp 1 Jun 1 12:00 ";
    const QByteArray atLimit =
        prefix + QByteArray(ListingParser::kMaxLineLength - prefix.size(), 'n') + '\n';
    QCOMPARE(parseListing(atLimit, ListingFormat::List, kNow).entries.size(), 1);
}

void TestFtpListing::sizesBeyondFourGiB()
{
    const qint64 max = std::numeric_limits<qint64>::max();
    const Listing unix =
        parseLines(ListingFormat::List, {"-rw-r--r-- 1 ftp ftp 9223372036854775807 Jan 5 12:34 max",
                                         "-rw-r--r-- 1 ftp ftp 4294967296 Jan 5 12:34 four",
                                         "-rw-r--r-- 1 ftp ftp 4294967295 Jan 5 12:34 under",
                                         "-rw-r--r-- 1 ftp ftp 1.5G Jan 5 12:34 human"});
    QCOMPARE(unix.entries.size(), 4);
    QCOMPARE(unix.entries.at(0).size, max);
    QCOMPARE(unix.entries.at(1).size, 4294967296LL);
    QCOMPARE(unix.entries.at(2).size, 4294967295LL);
    QCOMPARE(unix.entries.at(3).size, 1610612736LL);
    const Listing mlsd =
        parseLines(ListingFormat::Mlsd, {"type=file;size=9223372036854775807; max",
                                         "type=file;size=9223372036854775808; over"});
    QCOMPARE(mlsd.entries.size(), 1);
    QCOMPARE(mlsd.entries.first().size, max);
    QCOMPARE(mlsd.unparsed.size(), 1);
    QCOMPARE(
        parseLines(ListingFormat::List, {"+s9223372036854775807,r,\tmax"}).entries.first().size,
        max);
    QCOMPARE(parseLines(ListingFormat::List, {"MAX.DAT;1 18014398509481983 2-JUL-2003"})
                 .entries.first()
                 .size,
             18014398509481983LL * 512);
    QCOMPARE(
        parseLines(ListingFormat::List, {"MAX.DAT;1 18014398509481984 2-JUL-2003"}).unparsed.size(),
        1);
}

void TestFtpListing::namesKeepTheirBytes()
{
    // Latin-1 bytes are not UTF-8: shown as Latin-1, sent back as the server's own bytes.
    const QByteArray latin1 = "-rw-r--r-- 1 ftp ftp 3 Jun 1 12:00 Fu\xdf \xe9t\xe9";
    const Listing listing = parseLines(ListingFormat::List, {latin1});
    QCOMPARE(listing.entries.size(), 1);
    QCOMPARE(listing.entries.first().name, u"Fuß été"_s);
    QCOMPARE(listing.entries.first().wireName, QByteArray("Fu\xdf \xe9t\xe9"));

    const auto utf8 = ListingParser::parseMlsdLine("type=file; caf\xc3\xa9 \xe2\x9c\x93");
    QVERIFY(utf8);
    QCOMPARE(utf8->name, u"café ✓"_s);
    QCOMPARE(utf8->wireName, QByteArray("caf\xc3\xa9 \xe2\x9c\x93"));

    // A cut UTF-8 sequence is not UTF-8 either; a BOM stays part of the name.
    const auto cut = ListingParser::parseMlsdLine("type=file; caf\xc3");
    QVERIFY(cut);
    QCOMPARE(cut->name, u"caf\u00c3"_s);
    const auto bom = ListingParser::parseMlsdLine("type=file; \xef\xbb\xbfname");
    QVERIFY(bom);
    QCOMPARE(bom->name, u"\ufeffname"_s);
}

QTEST_GUILESS_MAIN(TestFtpListing)
#include "tst_ftp_listing.moc"
