#include "core/ServerEndpoint.h"

#include <QTest>

using namespace wharf;

class TestServerEndpoint : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parses_data();
    void parses();
    void refuses_data();
    void refuses();
    void tlsOverride();
};

void TestServerEndpoint::parses_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<int>("protocol");
    QTest::addColumn<int>("mode");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("path");

    auto row = [](const char *name, const char *url, Protocol protocol, TlsMode mode,
                  const char *host, int port, const char *user, const char *path) {
        QTest::newRow(name) << QString::fromUtf8(url) << int(protocol) << int(mode)
                            << QString::fromUtf8(host) << port << QString::fromUtf8(user)
                            << QString::fromUtf8(path);
    };
    row("imaps", "imaps://alice@mail.example.org/INBOX", Protocol::Imap, TlsMode::Implicit,
        "mail.example.org", 993, "alice", "INBOX");
    row("imap starttls", "imap://h", Protocol::Imap, TlsMode::StartTls, "h", 143, "", "");
    row("pop3s port", "pop3s://u@h:1995", Protocol::Pop3, TlsMode::Implicit, "h", 1995, "u", "");
    row("pop3", "pop3://h", Protocol::Pop3, TlsMode::StartTls, "h", 110, "", "");
    row("smtps", "smtps://h", Protocol::Smtp, TlsMode::Implicit, "h", 465, "", "");
    row("smtp submission", "smtp://h", Protocol::Smtp, TlsMode::StartTls, "h", 587, "", "");
    row("ftps", "ftps://h/pub/x", Protocol::Ftp, TlsMode::Implicit, "h", 990, "", "pub/x");
    row("ftp", "FTP://h", Protocol::Ftp, TlsMode::StartTls, "h", 21, "", "");
    row("ipv6", "imaps://[::1]:10993", Protocol::Imap, TlsMode::Implicit, "::1", 10993, "", "");
    row("encoded user", "imaps://alice%40example.org@h", Protocol::Imap, TlsMode::Implicit, "h",
        993, "alice@example.org", "");
}

void TestServerEndpoint::parses()
{
    QFETCH(QString, url);
    Error error;
    const auto endpoint = ServerEndpoint::fromUrl(url, &error);
    QVERIFY2(endpoint, qPrintable(error.message()));
    QTEST(int(endpoint->protocol), "protocol");
    QTEST(int(endpoint->tlsMode), "mode");
    QTEST(endpoint->host, "host");
    QTEST(int(endpoint->port), "port");
    QTEST(endpoint->user, "user");
    QTEST(endpoint->path, "path");
    // Round trip through the printed form.
    const auto again = ServerEndpoint::fromUrl(endpoint->toUrl(), &error);
    QVERIFY(again);
    QCOMPARE(again->host, endpoint->host);
    QCOMPARE(again->port, endpoint->port);
    QCOMPARE(again->user, endpoint->user);
}

void TestServerEndpoint::refuses_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("reason");
    QTest::newRow("password") << QStringLiteral("imaps://u:pw@h") << QStringLiteral("password");
    QTest::newRow("scheme") << QStringLiteral("http://h") << QStringLiteral("scheme");
    QTest::newRow("no host") << QStringLiteral("imaps:///INBOX") << QStringLiteral("host");
    QTest::newRow("garbage") << QStringLiteral("::::") << QStringLiteral("valid URL");
}

void TestServerEndpoint::refuses()
{
    QFETCH(QString, url);
    QFETCH(QString, reason);
    Error error;
    QVERIFY(!ServerEndpoint::fromUrl(url, &error));
    QCOMPARE(error.kind(), ErrorKind::Usage);
    QVERIFY2(error.message().contains(reason, Qt::CaseInsensitive), qPrintable(error.message()));
}

void TestServerEndpoint::tlsOverride()
{
    Error error;
    const auto plain = ServerEndpoint::fromUrl(QStringLiteral("imap://h"), &error, TlsMode::None);
    QVERIFY(plain);
    QCOMPARE(plain->tlsMode, TlsMode::None);
    QCOMPARE(plain->port, quint16(143));
    QCOMPARE(tlsModeFromName(QStringLiteral("STARTTLS")), std::optional(TlsMode::StartTls));
    QCOMPARE(tlsModeFromName(QStringLiteral("ssl")), std::nullopt);
}

QTEST_GUILESS_MAIN(TestServerEndpoint)
#include "tst_server_endpoint.moc"
