// Drives the server check dialog and the main window as a person would: typing, clicking,
// pressing keys. The end-to-end cases talk to a real local server.
#include "GreetingServer.h"
#include "MainWindow.h"
#include "ServerCheckDialog.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardPaths>
#include <QTest>
#include <QTextBrowser>

using wharf::test::GreetingServer;
using wharf::ui::MainWindow;
using wharf::ui::ServerCheckDialog;

namespace {

template <typename T> T *child(QWidget *parent, const char *name)
{
    T *widget = parent->findChild<T *>(QLatin1StringView(name));
    if (!widget)
        qFatal("no widget named %s", name);
    return widget;
}

QString plainUrl(quint16 port)
{
    return QStringLiteral("imap://127.0.0.1:%1").arg(port);
}

} // namespace

class TestServerCheckDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void malformedUrlShowsInlineErrorAndStartsNothing_data();
    void malformedUrlShowsInlineErrorAndStartsNothing();
    void plaintextChoiceShowsWarning();
    void checkAgainstLocalPlainServer();
    void serverTextIsShownAsTextNotMarkup();
    void enterInUrlFieldStartsCheck();
    void cancelStopsRunningCheckAndKeepsDialogOpen();
    void mainWindowOpensDialog();

private:
    static void chooseTls(ServerCheckDialog &dialog, Qt::Key key)
    {
        auto *combo = child<QComboBox>(&dialog, "tlsCombo");
        combo->setFocus();
        QTest::keyClick(combo, key);
    }
};

void TestServerCheckDialog::malformedUrlShowsInlineErrorAndStartsNothing_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("fragment");
    QTest::newRow("no scheme") << QStringLiteral("mail.example.org") << QStringLiteral("scheme");
    QTest::newRow("web URL") << QStringLiteral("https://example.org") << QStringLiteral("https");
    QTest::newRow("password") << QStringLiteral("imaps://me:secret@mail.example.org")
                              << QStringLiteral("password");
}

void TestServerCheckDialog::malformedUrlShowsInlineErrorAndStartsNothing()
{
    QFETCH(QString, url);
    QFETCH(QString, fragment);
    ServerCheckDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *urlEdit = child<QLineEdit>(&dialog, "urlEdit");
    auto *error = child<QLabel>(&dialog, "urlErrorLabel");
    QVERIFY(!error->isVisible());

    QTest::keyClicks(urlEdit, url);
    QTest::mouseClick(child<QPushButton>(&dialog, "checkButton"), Qt::LeftButton);

    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(fragment, Qt::CaseInsensitive), qPrintable(error->text()));
    QVERIFY(!dialog.isChecking());
    QVERIFY(!child<QProgressBar>(&dialog, "progressBar")->isVisible());
    QVERIFY(!child<QPushButton>(&dialog, "cancelButton")->isEnabled());
    QVERIFY(child<QTextBrowser>(&dialog, "resultView")->toPlainText().isEmpty());

    // Correcting the URL takes the complaint away.
    QTest::keyClick(urlEdit, Qt::Key_Backspace);
    QVERIFY(!error->isVisible());
}

void TestServerCheckDialog::plaintextChoiceShowsWarning()
{
    ServerCheckDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *warning = child<QLabel>(&dialog, "plaintextWarningLabel");
    QVERIFY(!warning->isVisible());

    chooseTls(dialog, Qt::Key_End);
    QCOMPARE(child<QComboBox>(&dialog, "tlsCombo")->currentText(),
             QStringLiteral("None — plaintext"));
    QVERIFY(warning->isVisible());
    const QColor color = warning->palette().color(QPalette::WindowText);
    QVERIFY2(color.red() > 2 * color.green() && color.red() > 2 * color.blue(),
             qPrintable(color.name()));

    chooseTls(dialog, Qt::Key_Home);
    QVERIFY(!warning->isVisible());
}

void TestServerCheckDialog::checkAgainstLocalPlainServer()
{
    GreetingServer server(wharf::test::kImapGreeting);
    QVERIFY(server.listen());
    ServerCheckDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));

    QTest::keyClicks(child<QLineEdit>(&dialog, "urlEdit"), plainUrl(server.port()));
    chooseTls(dialog, Qt::Key_End);
    QTest::mouseClick(child<QPushButton>(&dialog, "checkButton"), Qt::LeftButton);
    QVERIFY(!child<QLabel>(&dialog, "urlErrorLabel")->isVisible());

    auto *result = child<QTextBrowser>(&dialog, "resultView");
    QTRY_VERIFY_WITH_TIMEOUT(result->toPlainText().contains(QStringLiteral("IMAP4rev1")), 10'000);
    const QString text = result->toPlainText();
    QVERIFY2(text.contains(QStringLiteral("test ready")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("AUTH=PLAIN")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("plaintext")), qPrintable(text));
    QCOMPARE(server.connectionCount(), 1);
    QVERIFY(!dialog.isChecking());
    QVERIFY(!child<QProgressBar>(&dialog, "progressBar")->isVisible());
    QVERIFY(child<QPushButton>(&dialog, "checkButton")->isEnabled());
}

void TestServerCheckDialog::serverTextIsShownAsTextNotMarkup()
{
    // A greeting is the server's text: markup in it must show as characters, never load.
    GreetingServer server("* OK [CAPABILITY IMAP4rev1] <img src=\"http://127.0.0.1:9/t.png\">"
                          "<b>hi</b>\r\n");
    QVERIFY(server.listen());
    ServerCheckDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QTest::keyClicks(child<QLineEdit>(&dialog, "urlEdit"), plainUrl(server.port()));
    chooseTls(dialog, Qt::Key_End);
    QTest::mouseClick(child<QPushButton>(&dialog, "checkButton"), Qt::LeftButton);

    auto *result = child<QTextBrowser>(&dialog, "resultView");
    QTRY_VERIFY_WITH_TIMEOUT(result->toPlainText().contains(QStringLiteral("IMAP4rev1")), 10'000);
    const QString text = result->toPlainText();
    QVERIFY2(text.contains(QStringLiteral("<img src=")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("<b>hi</b>")), qPrintable(text));
    QVERIFY(!result->toHtml().contains(QStringLiteral("<img")));
}

void TestServerCheckDialog::enterInUrlFieldStartsCheck()
{
    GreetingServer server(wharf::test::kImapGreeting);
    QVERIFY(server.listen());
    ServerCheckDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));

    chooseTls(dialog, Qt::Key_End);
    auto *urlEdit = child<QLineEdit>(&dialog, "urlEdit");
    urlEdit->setFocus();
    QTest::keyClicks(urlEdit, plainUrl(server.port()));
    QTest::keyClick(urlEdit, Qt::Key_Return);

    auto *result = child<QTextBrowser>(&dialog, "resultView");
    QTRY_VERIFY_WITH_TIMEOUT(result->toPlainText().contains(QStringLiteral("IMAP4rev1")), 10'000);
    QCOMPARE(server.connectionCount(), 1);
    QVERIFY(dialog.isVisible());
}

void TestServerCheckDialog::cancelStopsRunningCheckAndKeepsDialogOpen()
{
    GreetingServer silent({}); // accepts, never greets: the check waits until cancelled
    QVERIFY(silent.listen());
    ServerCheckDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));

    QTest::keyClicks(child<QLineEdit>(&dialog, "urlEdit"), plainUrl(silent.port()));
    chooseTls(dialog, Qt::Key_End);
    QTest::mouseClick(child<QPushButton>(&dialog, "checkButton"), Qt::LeftButton);
    QVERIFY(dialog.isChecking());
    QVERIFY(child<QProgressBar>(&dialog, "progressBar")->isVisible());
    QVERIFY(!child<QPushButton>(&dialog, "checkButton")->isEnabled());
    QTRY_COMPARE(silent.connectionCount(), 1);

    auto *cancel = child<QPushButton>(&dialog, "cancelButton");
    QVERIFY(cancel->isEnabled());
    QTest::mouseClick(cancel, Qt::LeftButton);

    QVERIFY(!dialog.isChecking());
    QVERIFY(dialog.isVisible());
    QVERIFY(!child<QProgressBar>(&dialog, "progressBar")->isVisible());
    QVERIFY(child<QPushButton>(&dialog, "checkButton")->isEnabled());
    QVERIFY(child<QTextBrowser>(&dialog, "resultView")
                ->toPlainText()
                .contains(QStringLiteral("cancelled")));
}

void TestServerCheckDialog::mainWindowOpensDialog()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QCOMPARE(window.windowTitle(), QStringLiteral("Wharf"));
    QVERIFY(!window.serverCheckDialog());

    auto *action = window.findChild<QAction *>(QStringLiteral("checkServerAction"));
    QVERIFY(action);
    QVERIFY(child<QMenu>(&window, "fileMenu")->actions().contains(action));
    QCOMPARE(action->shortcut(), QKeySequence(QStringLiteral("Ctrl+Shift+K")));
    auto *quit = window.findChild<QAction *>(QStringLiteral("quitAction"));
    QVERIFY(quit);
    QCOMPARE(quit->shortcut(), QKeySequence(QKeySequence::Quit));

    QTest::keyClick(&window, Qt::Key_K, Qt::ControlModifier | Qt::ShiftModifier);
    QTRY_VERIFY(window.serverCheckDialog() && window.serverCheckDialog()->isVisible());
    ServerCheckDialog *dialog = window.serverCheckDialog();

    // Closed and opened again from the welcome panel: the same dialog comes back.
    QTest::keyClick(dialog, Qt::Key_Escape);
    QTRY_VERIFY(!dialog->isVisible());
    QTest::mouseClick(child<QPushButton>(&window, "checkServerButton"), Qt::LeftButton);
    QTRY_VERIFY(dialog->isVisible());
    QCOMPARE(window.serverCheckDialog(), dialog);
}

QTEST_MAIN(TestServerCheckDialog)
#include "tst_server_check_dialog.moc"
