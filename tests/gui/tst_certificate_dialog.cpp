// The trust question for an untrusted certificate, end to end against a local implicit-TLS
// server with a self-signed certificate: accepting pins the key for good, a pinned key needs
// no question, and a changed key is a hard warning that takes an explicit confirmation.
#include "CertificateDialog.h"
#include "GreetingServer.h"
#include "ServerCheckDialog.h"
#include "controllers/CertificateTrust.h"
#include "store/TrustedCertificates.h"

#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSslKey>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

using wharf::test::GreetingServer;
using wharf::ui::CertificateDialog;
using wharf::ui::ServerCheckDialog;

namespace {

// A throwaway self-signed fixture (CN=localhost, IP 127.0.0.1, valid until 2126). The key
// protects nothing; it only lets the test server speak TLS without a PKI on disk.
const QByteArray kCertificatePem =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIB1TCCAXugAwIBAgIUbBdkxzNmGY2RiYhOM3CkpuEXaJ4wCgYIKoZIzj0EAwIw\n"
    "MTESMBAGA1UEAwwJbG9jYWxob3N0MRswGQYDVQQKDBJXaGFyZiBUZXN0IEZpeHR1\n"
    "cmUwIBcNMjYxMTI2MDQ1NTIzWhgPMjEyNjExMDIwNDU1MjNaMDExEjAQBgNVBAMM\n"
    "CWxvY2FsaG9zdDEbMBkGA1UECgwSV2hhcmYgVGVzdCBGaXh0dXJlMFkwEwYHKoZI\n"
    "zj0CAQYIKoZIzj0DAQcDQgAEhvPW2meT3fDPDx4QUaV/tJ+VEsaGrNGAbtmob0i7\n"
    "xIntoPvgE9eC2jzDjJoSjMFUJZm7/TFSuCGGQf7jCrZPRqNvMG0wHQYDVR0OBBYE\n"
    "FDfvVh5K6w7Kd2Z/8IsGydnk4aH1MB8GA1UdIwQYMBaAFDfvVh5K6w7Kd2Z/8IsG\n"
    "ydnk4aH1MA8GA1UdEwEB/wQFMAMBAf8wGgYDVR0RBBMwEYIJbG9jYWxob3N0hwR/\n"
    "AAABMAoGCCqGSM49BAMCA0gAMEUCIGCTnjNhcVuiho7TOTUIvP5z1e95VPiswJ7A\n"
    "7xefHSYHAiEA5ApAtV77W3Sr7TDBCpucMp6UUiXmKL9EhqBncPRXyoY=\n"
    "-----END CERTIFICATE-----\n";
const QByteArray kKeyPem = "-----BEGIN PRIVATE KEY-----\n"
                           "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgGE18jjLVfhNrZX/M\n"
                           "bpokOoxTet7a/CcFWDfOXvBqJ/ShRANCAASG89baZ5Pd8M8PHhBRpX+0n5USxoas\n"
                           "0YBu2ahvSLvEie2g++AT14LaPMOMmhKMwVQlmbv9MVK4IYZB/uMKtk9G\n"
                           "-----END PRIVATE KEY-----\n";

// Some other key, pinned "before": the fixture's key then counts as changed.
const QByteArray kOtherKey = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const QByteArray kDamagedStore = "{\"format\": \"wharf-trusted-certificates\", \"vers";

template <typename T> T *child(QObject *parent, const char *name)
{
    T *object = parent->findChild<T *>(QLatin1StringView(name));
    if (!object)
        qFatal("no object named %s", name);
    return object;
}

std::optional<wharf::store::TrustedCertificate> storedPin(const QString &host, quint16 port)
{
    wharf::controllers::CertificateTrust trust;
    if (trust.load())
        return std::nullopt;
    return trust.pinFor(host, port);
}

void pinOtherKey(const QString &host, quint16 port)
{
    wharf::store::TrustedCertificate pin;
    pin.host = host;
    pin.port = port;
    pin.publicKeySha256 = kOtherKey;
    pin.acceptedAt = QDateTime(QDate(2024, 2, 3), QTime(4, 5, 6), Qt::UTC);
    pin.reason = QStringLiteral("the key before");
    QVERIFY(!wharf::store::TrustedCertificates().pin(pin));
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void writeAll(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(bytes), bytes.size());
}

} // namespace

class TestCertificateDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void acceptingPinsTheKey();
    void reasonIsStored();
    void rejectingEndsTheCheck_data();
    void rejectingEndsTheCheck();
    void changedKeyShowsHardWarning();
    void changedKeyNeedsConfirmation();
    void keyThatCannotBeStoredIsNotTrusted();
    void damagedStoreStopsTheCheck();

private:
    // Starts a check of the TLS server and waits for the certificate question it raises.
    static void askAboutCertificate(ServerCheckDialog &dialog, quint16 port,
                                    CertificateDialog **question);

    QSslConfiguration m_tls;
    QByteArray m_key;
    // The trusted certificates live here, never in the user's own configuration.
    QTemporaryDir m_config;
    QString m_storeFile;
};

void TestCertificateDialog::initTestCase()
{
    QVERIFY(m_config.isValid());
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_config.path()));
    m_storeFile = wharf::store::TrustedCertificates::defaultFilePath();
    QVERIFY(m_storeFile.startsWith(m_config.path()));
    const QSslCertificate certificate(kCertificatePem, QSsl::Pem);
    QVERIFY(!certificate.isNull());
    m_key = wharf::net::publicKeySha256(certificate);
    const QSslKey key(kKeyPem, QSsl::Ec, QSsl::Pem);
    QVERIFY(!key.isNull());
    m_tls = QSslConfiguration::defaultConfiguration();
    m_tls.setLocalCertificate(certificate);
    m_tls.setPrivateKey(key);
    m_tls.setPeerVerifyMode(QSslSocket::VerifyNone);
}

void TestCertificateDialog::init()
{
    QFile::remove(m_storeFile);
}

void TestCertificateDialog::askAboutCertificate(ServerCheckDialog &dialog, quint16 port,
                                                CertificateDialog **question)
{
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QTest::keyClicks(child<QLineEdit>(&dialog, "urlEdit"),
                     QStringLiteral("imaps://127.0.0.1:%1").arg(port));
    QTest::mouseClick(child<QPushButton>(&dialog, "checkButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(
        (*question = dialog.findChild<CertificateDialog *>()) && (*question)->isVisible(), 10'000);
}

void TestCertificateDialog::acceptingPinsTheKey()
{
    GreetingServer server(wharf::test::kImapGreeting, &m_tls);
    QVERIFY(server.listen());
    ServerCheckDialog dialog;
    CertificateDialog *question = nullptr;
    askAboutCertificate(dialog, server.port(), &question);
    if (QTest::currentTestFailed())
        return;

    QVERIFY(!child<QLabel>(question, "keyChangedLabel")->isVisible());
    QVERIFY(!child<QCheckBox>(question, "confirmChangeBox")->isVisible());
    QVERIFY(!child<QLabel>(question, "previousKeyValue")->isVisible());
    QCOMPARE(child<QLabel>(question, "serverValue")->text(),
             QStringLiteral("127.0.0.1:%1").arg(server.port()));
    QVERIFY(child<QLabel>(question, "subjectValue")->text().contains(QStringLiteral("Fixture")));
    QVERIFY(child<QLabel>(question, "noteLabel")->text().contains(QStringLiteral("remembers")));
    QVERIFY(!child<QLabel>(question, "errorsLabel")->text().isEmpty());
    QVERIFY(child<QPushButton>(question, "rejectButton")->isDefault());
    QVERIFY(child<QPushButton>(question, "acceptButton")->isEnabled());

    QTest::mouseClick(child<QPushButton>(question, "acceptButton"), Qt::LeftButton);

    auto *result = child<QTextBrowser>(&dialog, "resultView");
    QTRY_VERIFY_WITH_TIMEOUT(result->toPlainText().contains(QStringLiteral("IMAP4rev1")), 10'000);
    QString text = result->toPlainText();
    QVERIFY2(text.contains(QStringLiteral("TLSv1.")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Wharf Test Fixture")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("from now on")), qPrintable(text));
    QCOMPARE(server.connectionCount(), 1);

    const auto pin = storedPin(QStringLiteral("127.0.0.1"), server.port());
    QVERIFY(pin);
    QCOMPARE(pin->publicKeySha256, m_key);
    QCOMPARE(pin->reason, QStringLiteral("accepted in the certificate dialog"));
    QVERIFY(pin->subject.contains(QStringLiteral("Wharf Test Fixture")));
    QVERIFY(pin->acceptedAt.isValid());

    // The next check finds the pin: no question (none would be answered), trusted by it.
    QTest::mouseClick(child<QPushButton>(&dialog, "checkButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(result->toPlainText().contains(QStringLiteral("Key pinned by you")),
                             10'000);
    text = result->toPlainText();
    QVERIFY2(text.contains(QStringLiteral("IMAP4rev1")), qPrintable(text));
    QCOMPARE(server.connectionCount(), 2);
}

void TestCertificateDialog::reasonIsStored()
{
    GreetingServer server(wharf::test::kImapGreeting, &m_tls);
    QVERIFY(server.listen());
    ServerCheckDialog dialog;
    CertificateDialog *question = nullptr;
    askAboutCertificate(dialog, server.port(), &question);
    if (QTest::currentTestFailed())
        return;

    auto *reason = child<QLineEdit>(question, "reasonEdit");
    reason->setFocus();
    QTest::keyClicks(reason, QStringLiteral("  fingerprint   read out by the admin "));
    // Enter while typing the reason decides nothing.
    QTest::keyClick(reason, Qt::Key_Return);
    QVERIFY(question->isVisible());
    QVERIFY(dialog.isChecking());

    QTest::mouseClick(child<QPushButton>(question, "acceptButton"), Qt::LeftButton);
    auto *result = child<QTextBrowser>(&dialog, "resultView");
    QTRY_VERIFY_WITH_TIMEOUT(result->toPlainText().contains(QStringLiteral("IMAP4rev1")), 10'000);
    const auto pin = storedPin(QStringLiteral("127.0.0.1"), server.port());
    QVERIFY(pin);
    QCOMPARE(pin->reason, QStringLiteral("fingerprint read out by the admin"));
}

void TestCertificateDialog::rejectingEndsTheCheck_data()
{
    QTest::addColumn<QString>("how");
    QTest::newRow("Reject button") << QStringLiteral("button");
    QTest::newRow("Escape") << QStringLiteral("escape");
    QTest::newRow("Enter picks the default") << QStringLiteral("enter");
    QTest::newRow("window closed") << QStringLiteral("close");
}

void TestCertificateDialog::rejectingEndsTheCheck()
{
    QFETCH(QString, how);
    GreetingServer server(wharf::test::kImapGreeting, &m_tls);
    QVERIFY(server.listen());
    ServerCheckDialog dialog;
    CertificateDialog *question = nullptr;
    askAboutCertificate(dialog, server.port(), &question);
    if (QTest::currentTestFailed())
        return;

    if (how == QLatin1StringView("button"))
        QTest::mouseClick(child<QPushButton>(question, "rejectButton"), Qt::LeftButton);
    else if (how == QLatin1StringView("escape"))
        QTest::keyClick(question, Qt::Key_Escape);
    else if (how == QLatin1StringView("enter"))
        QTest::keyClick(question, Qt::Key_Return);
    else
        question->close();

    auto *result = child<QTextBrowser>(&dialog, "resultView");
    QTRY_VERIFY_WITH_TIMEOUT(result->toPlainText().contains(QStringLiteral("failed")), 10'000);
    QVERIFY(!result->toPlainText().contains(QStringLiteral("IMAP4rev1")));
    QVERIFY(!dialog.isChecking());
    QVERIFY(dialog.isVisible());
    QVERIFY(!QFile::exists(m_storeFile)); // nothing trusted, nothing written
}

void TestCertificateDialog::changedKeyShowsHardWarning()
{
    pinOtherKey(QStringLiteral("mail.example.org"), 993);
    wharf::net::CertificateDecision decision;
    decision.host = QStringLiteral("mail.example.org");
    decision.port = 993;
    decision.chain = {QSslCertificate(kCertificatePem, QSsl::Pem)};
    decision.publicKeySha256 = wharf::net::publicKeySha256(decision.chain.first());
    decision.keyChanged = true;
    wharf::controllers::ServerProbe idle; // nothing running: answers go nowhere

    CertificateDialog question(decision, &idle);
    question.show();
    QVERIFY(QTest::qWaitForWindowExposed(&question));
    auto *warning = child<QLabel>(&question, "keyChangedLabel");
    QVERIFY(warning->isVisible());
    QVERIFY2(warning->text().contains(QStringLiteral("key has changed since you trusted it on "
                                                     "2024-02-03 04:05 UTC")),
             qPrintable(warning->text()));
    const QColor color = warning->palette().color(QPalette::WindowText);
    QVERIFY2(color.red() > 2 * color.green(), qPrintable(color.name()));
    auto hexOf = [&question](const char *label) {
        return child<QLabel>(&question, label)->text().remove(u' ').remove(u'\n');
    };
    QCOMPARE(hexOf("keyHashValue"), QString::fromLatin1(decision.publicKeySha256));
    QVERIFY(child<QLabel>(&question, "previousKeyValue")->isVisible());
    QCOMPARE(hexOf("previousKeyValue"), QString::fromLatin1(kOtherKey));

    // Trusting the new key takes the explicit confirmation; Reject stays the default.
    auto *confirm = child<QCheckBox>(&question, "confirmChangeBox");
    auto *accept = child<QPushButton>(&question, "acceptButton");
    QVERIFY(confirm->isVisible());
    QVERIFY(!confirm->isChecked());
    QVERIFY(!accept->isEnabled());
    QVERIFY(child<QPushButton>(&question, "rejectButton")->isDefault());
    question.accept(); // not through the button: refused all the same
    QVERIFY(question.isVisible());
    confirm->setChecked(true);
    QVERIFY(accept->isEnabled());
    QVERIFY(child<QPushButton>(&question, "rejectButton")->isDefault());

    QTest::keyClick(&question, Qt::Key_Return);
    QVERIFY(!question.isVisible());
    QCOMPARE(question.result(), int(QDialog::Rejected));
    QCOMPARE(storedPin(QStringLiteral("mail.example.org"), 993)->publicKeySha256, kOtherKey);
}

void TestCertificateDialog::changedKeyNeedsConfirmation()
{
    GreetingServer server(wharf::test::kImapGreeting, &m_tls);
    QVERIFY(server.listen());
    pinOtherKey(QStringLiteral("127.0.0.1"), server.port());
    ServerCheckDialog dialog;
    CertificateDialog *question = nullptr;
    askAboutCertificate(dialog, server.port(), &question);
    if (QTest::currentTestFailed())
        return;

    QVERIFY(child<QLabel>(question, "keyChangedLabel")->isVisible());
    auto *accept = child<QPushButton>(question, "acceptButton");
    QVERIFY(!accept->isEnabled());
    QTest::mouseClick(accept, Qt::LeftButton);
    QVERIFY(question->isVisible());
    QTest::mouseClick(child<QCheckBox>(question, "confirmChangeBox"), Qt::LeftButton);
    QVERIFY(accept->isEnabled());
    QTest::mouseClick(accept, Qt::LeftButton);

    auto *result = child<QTextBrowser>(&dialog, "resultView");
    QTRY_VERIFY_WITH_TIMEOUT(result->toPlainText().contains(QStringLiteral("IMAP4rev1")), 10'000);
    const auto pin = storedPin(QStringLiteral("127.0.0.1"), server.port());
    QVERIFY(pin);
    QCOMPARE(pin->publicKeySha256, m_key); // the new key replaced the old one
    QVERIFY(pin->acceptedAt.date().year() > 2024);
}

void TestCertificateDialog::keyThatCannotBeStoredIsNotTrusted()
{
    GreetingServer server(wharf::test::kImapGreeting, &m_tls);
    QVERIFY(server.listen());
    ServerCheckDialog dialog;
    CertificateDialog *question = nullptr;
    askAboutCertificate(dialog, server.port(), &question);
    if (QTest::currentTestFailed())
        return;

    // Damaged while the question was open (by hand, or another program).
    writeAll(m_storeFile, kDamagedStore);
    QTest::mouseClick(child<QPushButton>(question, "acceptButton"), Qt::LeftButton);
    auto *error = child<QLabel>(question, "saveErrorLabel");
    QVERIFY(question->isVisible());
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(QStringLiteral("damaged")), qPrintable(error->text()));
    QVERIFY(dialog.isChecking());
    QCOMPARE(readAll(m_storeFile), kDamagedStore);

    QTest::mouseClick(child<QPushButton>(question, "rejectButton"), Qt::LeftButton);
    auto *result = child<QTextBrowser>(&dialog, "resultView");
    QTRY_VERIFY_WITH_TIMEOUT(result->toPlainText().contains(QStringLiteral("failed")), 10'000);
    QVERIFY(!result->toPlainText().contains(QStringLiteral("IMAP4rev1")));
}

void TestCertificateDialog::damagedStoreStopsTheCheck()
{
    GreetingServer server(wharf::test::kImapGreeting, &m_tls);
    QVERIFY(server.listen());
    writeAll(m_storeFile, kDamagedStore);
    ServerCheckDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QTest::keyClicks(child<QLineEdit>(&dialog, "urlEdit"),
                     QStringLiteral("imaps://127.0.0.1:%1").arg(server.port()));
    QTest::mouseClick(child<QPushButton>(&dialog, "checkButton"), Qt::LeftButton);

    const QString text = child<QTextBrowser>(&dialog, "resultView")->toPlainText();
    QVERIFY2(text.contains(QStringLiteral("damaged")), qPrintable(text));
    QVERIFY(!dialog.isChecking());
    QCOMPARE(server.connectionCount(), 0);
    QCOMPARE(readAll(m_storeFile), kDamagedStore);
}

QTEST_MAIN(TestCertificateDialog)
#include "tst_certificate_dialog.moc"
