#include "MainWindow.h"

#include "AppResources.h"
#include "ServerCheckDialog.h"
#include "TrustedCertificatesDialog.h"
#include "ui_MainWindow.h"

#include <QApplication>
#include <QCloseEvent>
#include <QMessageBox>
#include <QSettings>

namespace wharf::ui {

namespace {

// Named explicitly so the window finds its geometry whoever constructs it (tests too).
QSettings settings()
{
    return QSettings(QStringLiteral("Wharf"), QStringLiteral("Wharf"));
}

const auto kGeometryKey = QLatin1StringView("mainWindow/geometry");

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_ui(std::make_unique<Ui::MainWindow>())
{
    initResources();
    m_ui->setupUi(this);
    const QIcon icon(QStringLiteral(":/icons/org.wharf.Wharf.svg"));
    setWindowIcon(icon);
    m_ui->iconLabel->setPixmap(icon.pixmap(96, 96));

    QFont titleFont = m_ui->titleLabel->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.8);
    titleFont.setBold(true);
    m_ui->titleLabel->setFont(titleFont);

    // What is still missing reads as an aside, not as the headline.
    QPalette mutedPalette = m_ui->statusLabel->palette();
    mutedPalette.setColor(QPalette::WindowText, mutedPalette.color(QPalette::PlaceholderText));
    m_ui->statusLabel->setPalette(mutedPalette);

    // A prominent button: the only thing to do here yet.
    QFont buttonFont = m_ui->checkServerButton->font();
    buttonFont.setPointSizeF(buttonFont.pointSizeF() * 1.15);
    m_ui->checkServerButton->setFont(buttonFont);
    m_ui->checkServerButton->setMinimumSize(260, 44);
    m_ui->checkServerButton->setDefault(true);

    m_ui->quitAction->setShortcut(QKeySequence::Quit);
    connect(m_ui->checkServerAction, &QAction::triggered, this, &MainWindow::showServerCheck);
    connect(m_ui->checkServerButton, &QPushButton::clicked, this, &MainWindow::showServerCheck);
    connect(m_ui->trustedCertificatesAction, &QAction::triggered, this,
            &MainWindow::showTrustedCertificates);
    connect(m_ui->quitAction, &QAction::triggered, this, &QWidget::close);
    connect(m_ui->aboutAction, &QAction::triggered, this, &MainWindow::showAbout);

    if (!restoreGeometry(settings().value(kGeometryKey).toByteArray()))
        resize(1000, 700);
}

MainWindow::~MainWindow() = default;

ServerCheckDialog *MainWindow::serverCheckDialog() const
{
    return m_serverCheck;
}

void MainWindow::showServerCheck()
{
    // One dialog, kept between uses: the last result stays visible when it is reopened.
    if (!m_serverCheck)
        m_serverCheck = new ServerCheckDialog(this);
    m_serverCheck->show();
    m_serverCheck->raise();
    m_serverCheck->activateWindow();
}

TrustedCertificatesDialog *MainWindow::trustedCertificatesDialog() const
{
    return m_trustedCertificates;
}

void MainWindow::showTrustedCertificates()
{
    if (!m_trustedCertificates)
        m_trustedCertificates = new TrustedCertificatesDialog(this);
    else
        m_trustedCertificates->reload(); // a check may have pinned a key since
    m_trustedCertificates->show();
    m_trustedCertificates->raise();
    m_trustedCertificates->activateWindow();
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About Wharf"),
        tr("<h3>Wharf %1</h3>"
           "<p>A desktop client for mail (IMAP, POP3, SMTP) and file transfer (FTP).</p>"
           "<p>Built with Qt %2.</p>")
            .arg(QStringLiteral(WHARF_VERSION), QString::fromLatin1(qVersion())));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    settings().setValue(kGeometryKey, saveGeometry());
    QMainWindow::closeEvent(event);
}

} // namespace wharf::ui
