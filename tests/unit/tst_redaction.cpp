#include "core/Logging.h"

#include <QTest>

class TestRedaction : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void redacts_data();
    void redacts();
};

void TestRedaction::redacts_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QByteArray>("logged");

    QTest::newRow("imap login") << QByteArray("a1 LOGIN alice \"s3cret\"")
                                << QByteArray("a1 LOGIN <redacted>");
    QTest::newRow("imap login lower")
        << QByteArray("a1 login alice pw") << QByteArray("a1 login <redacted>");
    QTest::newRow("imap authenticate ir") << QByteArray("a2 AUTHENTICATE PLAIN AGFsaWNlAHB3")
                                          << QByteArray("a2 AUTHENTICATE PLAIN <redacted>");
    QTest::newRow("imap authenticate no ir")
        << QByteArray("a2 AUTHENTICATE PLAIN") << QByteArray("a2 AUTHENTICATE PLAIN");
    QTest::newRow("pop3 pass") << QByteArray("PASS hunter2") << QByteArray("PASS <redacted>");
    QTest::newRow("pass with spaces")
        << QByteArray("PASS two words") << QByteArray("PASS <redacted>");
    QTest::newRow("pop3 apop") << QByteArray("APOP bob c4c9334bac560ecc979e58001b3e22fb")
                               << QByteArray("APOP bob <redacted>");
    QTest::newRow("smtp auth plain")
        << QByteArray("AUTH PLAIN AGJvYgBwdw==") << QByteArray("AUTH PLAIN <redacted>");
    QTest::newRow("smtp auth login user")
        << QByteArray("AUTH LOGIN Ym9i") << QByteArray("AUTH LOGIN <redacted>");
    QTest::newRow("ftp auth tls untouched") << QByteArray("AUTH TLS") << QByteArray("AUTH TLS");
    QTest::newRow("ftp acct") << QByteArray("ACCT secret") << QByteArray("ACCT <redacted>");
    QTest::newRow("ordinary") << QByteArray("a3 SELECT INBOX") << QByteArray("a3 SELECT INBOX");
    QTest::newRow("user kept") << QByteArray("USER alice") << QByteArray("USER alice");
    QTest::newRow("empty") << QByteArray() << QByteArray();
}

void TestRedaction::redacts()
{
    QFETCH(QByteArray, line);
    QFETCH(QByteArray, logged);
    QCOMPARE(wharf::redactCredentials(line), logged);
}

QTEST_GUILESS_MAIN(TestRedaction)
#include "tst_redaction.moc"
