// The trust question for an untrusted certificate, end to end against a local implicit-TLS
// server with a self-signed certificate, and the hard warning for a changed key.
#include "CertificateDialog.h"
#include "GreetingServer.h"
#include "ServerCheckDialog.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSslKey>
#include <QStandardPaths>
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

template <typename T> T *child(QObject *parent, const char *name)
{
    T *object = parent->findChild<T *>(QLatin1StringView(name));
    if (!object)
        qFatal("no object named %s", name);
    return object;
}

} // namespace

class TestCertificateDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void acceptingCompletesTheCheck();
    void rejectingEndsTheCheck_data();
    void rejectingEndsTheCheck();
    void changedKeyShowsHardWarning();

private:
    // Starts a check of the TLS server and waits for the certificate question it raises.
    static void askAboutCertificate(ServerCheckDialog &dialog, quint16 port,
                                    CertificateDialog **question);

    QSslConfiguration m_tls;
};

void TestCertificateDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    const QSslCertificate certificate(kCertificatePem, QSsl::Pem);
    QVERIFY(!certificate.isNull());
    const QSslKey key(kKeyPem, QSsl::Ec, QSsl::Pem);
    QVERIFY(!key.isNull());
    m_tls = QSslConfiguration::defaultConfiguration();
    m_tls.setLocalCertificate(certificate);
    m_tls.setPrivateKey(key);
    m_tls.setPeerVerifyMode(QSslSocket::VerifyNone);
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

void TestCertificateDialog::acceptingCompletesTheCheck()
{
    GreetingServer server(wharf::test::kImapGreeting, &m_tls);
    QVERIFY(server.listen());
    ServerCheckDialog dialog;
    CertificateDialog *question = nullptr;
    askAboutCertificate(dialog, server.port(), &question);
    if (QTest::currentTestFailed())
        return;

    QVERIFY(!child<QLabel>(question, "keyChangedLabel")->isVisible());
    QCOMPARE(child<QLabel>(question, "serverValue")->text(),
             QStringLiteral("127.0.0.1:%1").arg(server.port()));
    QVERIFY(child<QLabel>(question, "subjectValue")->text().contains(QStringLiteral("Fixture")));
    QVERIFY(
        child<QLabel>(question, "noteLabel")->text().contains(QStringLiteral("this connection")));
    QVERIFY(!child<QLabel>(question, "errorsLabel")->text().isEmpty());
    QVERIFY(child<QPushButton>(question, "rejectButton")->isDefault());

    QTest::mouseClick(child<QPushButton>(question, "acceptButton"), Qt::LeftButton);

    auto *result = child<QTextBrowser>(&dialog, "resultView");
    QTRY_VERIFY_WITH_TIMEOUT(result->toPlainText().contains(QStringLiteral("IMAP4rev1")), 10'000);
    const QString text = result->toPlainText();
    QVERIFY2(text.contains(QStringLiteral("TLSv1.")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Wharf Test Fixture")), qPrintable(text));
    QCOMPARE(server.connectionCount(), 1);
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
}

void TestCertificateDialog::changedKeyShowsHardWarning()
{
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
    QVERIFY(warning->text().contains(QStringLiteral("key has changed")));
    const QColor color = warning->palette().color(QPalette::WindowText);
    QVERIFY2(color.red() > 2 * color.green(), qPrintable(color.name()));
    QVERIFY(child<QLabel>(&question, "keyHashValue")
                ->text()
                .remove(u' ')
                .remove(u'\n')
                .contains(QString::fromLatin1(decision.publicKeySha256)));

    QTest::keyClick(&question, Qt::Key_Return);
    QVERIFY(!question.isVisible());
    QCOMPARE(question.result(), int(QDialog::Rejected));
}

QTEST_MAIN(TestCertificateDialog)
#include "tst_certificate_dialog.moc"
