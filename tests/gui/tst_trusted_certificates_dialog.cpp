// File → Trusted Certificates…: the list of pinned exceptions, and removing one only after
// the user confirmed it.
#include "MainWindow.h"
#include "TrustedCertificatesDialog.h"
#include "store/TrustedCertificates.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using wharf::store::TrustedCertificate;
using wharf::store::TrustedCertificates;
using wharf::ui::MainWindow;
using wharf::ui::TrustedCertificatesDialog;

namespace {

template <typename T> T *child(QObject *parent, const char *name)
{
    T *object = parent->findChild<T *>(QLatin1StringView(name));
    if (!object)
        qFatal("no object named %s", name);
    return object;
}

void pin(const QString &host, quint16 port, char keyDigit, const QString &reason)
{
    TrustedCertificate entry;
    entry.host = host;
    entry.port = port;
    entry.publicKeySha256 = QByteArray(64, keyDigit);
    entry.subject = QStringLiteral("CN=%1").arg(host);
    entry.acceptedAt = QDateTime(QDate(2024, 2, 3), QTime(4, 5, 6), Qt::UTC);
    entry.reason = reason;
    QVERIFY(!TrustedCertificates().pin(entry));
}

QList<TrustedCertificate> stored()
{
    TrustedCertificates store;
    return store.load() ? QList<TrustedCertificate>() : store.list();
}

// The confirmation is opened window-modal; wait for it rather than assume it is there.
QMessageBox *waitForConfirmation(QWidget *dialog)
{
    QMessageBox *box = nullptr;
    const bool shown = QTest::qWaitFor([&] {
        box = dialog->findChild<QMessageBox *>(QStringLiteral("confirmRemoveBox"));
        return box && box->isVisible();
    });
    return shown ? box : nullptr;
}

} // namespace

class TestTrustedCertificatesDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void listsEveryPin();
    void removeAsksFirst();
    void damagedStoreIsShownAndLeftAlone();
    void mainWindowMenuOpensIt();

private:
    QTemporaryDir m_config;
};

void TestTrustedCertificatesDialog::initTestCase()
{
    QVERIFY(m_config.isValid());
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_config.path()));
    QVERIFY(TrustedCertificates::defaultFilePath().startsWith(m_config.path()));
}

void TestTrustedCertificatesDialog::init()
{
    QFile::remove(TrustedCertificates::defaultFilePath());
}

void TestTrustedCertificatesDialog::listsEveryPin()
{
    pin(QStringLiteral("mail.example.org"), 993, 'a', QStringLiteral("phoned the admin"));
    pin(QStringLiteral("2001:db8::1"), 21, 'b', QStringLiteral("own server"));
    TrustedCertificatesDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));

    auto *table = child<QTableWidget>(&dialog, "certificateTable");
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(table->item(0, 0)->text(), QStringLiteral("[2001:db8::1]:21"));
    QCOMPARE(table->item(1, 0)->text(), QStringLiteral("mail.example.org:993"));
    QCOMPARE(table->item(1, 1)->text(), QStringLiteral("CN=mail.example.org"));
    QCOMPARE(table->item(1, 2)->text(), QStringLiteral("aaaa aaaa aaaa aaaa ..."));
    QCOMPARE(table->item(1, 2)->toolTip(), QString(64, u'a'));
    QCOMPARE(table->item(1, 3)->text(), QStringLiteral("2024-02-03 04:05 UTC"));
    QCOMPARE(table->item(1, 4)->text(), QStringLiteral("phoned the admin"));
    QVERIFY(!child<QLabel>(&dialog, "errorLabel")->isVisible());

    auto *remove = child<QPushButton>(&dialog, "removeButton");
    QVERIFY(!remove->isEnabled()); // nothing chosen yet
    table->selectRow(1);
    QVERIFY(remove->isEnabled());
}

void TestTrustedCertificatesDialog::removeAsksFirst()
{
    pin(QStringLiteral("a.example.org"), 993, 'a', QStringLiteral("one"));
    pin(QStringLiteral("b.example.org"), 993, 'b', QStringLiteral("two"));
    TrustedCertificatesDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *table = child<QTableWidget>(&dialog, "certificateTable");
    auto *remove = child<QPushButton>(&dialog, "removeButton");

    table->selectRow(0);
    QTest::mouseClick(remove, Qt::LeftButton);
    QMessageBox *box = waitForConfirmation(&dialog);
    QVERIFY(box);
    QVERIFY(box->text().contains(QStringLiteral("a.example.org:993")));
    // Enter keeps the certificate: Cancel is the default.
    QCOMPARE(box->defaultButton(), box->button(QMessageBox::Cancel));
    QTest::keyClick(box, Qt::Key_Return);
    QTRY_VERIFY(!dialog.findChild<QMessageBox *>(QStringLiteral("confirmRemoveBox")));
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(stored().size(), 2);

    table->selectRow(0);
    QTest::mouseClick(remove, Qt::LeftButton);
    box = waitForConfirmation(&dialog);
    QVERIFY(box);
    QTest::mouseClick(child<QPushButton>(box, "confirmRemoveButton"), Qt::LeftButton);
    QTRY_COMPARE(table->rowCount(), 1);
    QCOMPARE(table->item(0, 0)->text(), QStringLiteral("b.example.org:993"));
    const QList<TrustedCertificate> left = stored();
    QCOMPARE(left.size(), 1);
    QCOMPARE(left.first().host, QStringLiteral("b.example.org"));
    QVERIFY(!remove->isEnabled());
}

void TestTrustedCertificatesDialog::damagedStoreIsShownAndLeftAlone()
{
    const QString file = TrustedCertificates::defaultFilePath();
    QDir().mkpath(QFileInfo(file).absolutePath());
    const QByteArray damaged = "not json at all";
    {
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(damaged);
    }
    TrustedCertificatesDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *error = child<QLabel>(&dialog, "errorLabel");
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(QStringLiteral("damaged")), qPrintable(error->text()));
    QVERIFY2(error->text().contains(file), qPrintable(error->text()));
    QCOMPARE(child<QTableWidget>(&dialog, "certificateTable")->rowCount(), 0);
    QVERIFY(!child<QPushButton>(&dialog, "removeButton")->isEnabled());
    QFile in(file);
    QVERIFY(in.open(QIODevice::ReadOnly));
    QCOMPARE(in.readAll(), damaged);
}

void TestTrustedCertificatesDialog::mainWindowMenuOpensIt()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(!window.trustedCertificatesDialog());
    auto *action = window.findChild<QAction *>(QStringLiteral("trustedCertificatesAction"));
    QVERIFY(action);
    QVERIFY(child<QMenu>(&window, "fileMenu")->actions().contains(action));

    action->trigger();
    TrustedCertificatesDialog *dialog = window.trustedCertificatesDialog();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    auto *table = child<QTableWidget>(dialog, "certificateTable");
    QCOMPARE(table->rowCount(), 0);

    // Opened again after a key was pinned elsewhere: the same dialog, read afresh.
    dialog->close();
    pin(QStringLiteral("mail.example.org"), 993, 'c', QStringLiteral("later"));
    action->trigger();
    QCOMPARE(window.trustedCertificatesDialog(), dialog);
    QTRY_VERIFY(dialog->isVisible());
    QCOMPARE(table->rowCount(), 1);
}

QTEST_MAIN(TestTrustedCertificatesDialog)
#include "tst_trusted_certificates_dialog.moc"
