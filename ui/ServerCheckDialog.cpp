#include "ServerCheckDialog.h"

#include "CertificateDialog.h"
#include "ReportFormatter.h"
#include "controllers/CertificateTrust.h"
#include "ui_ServerCheckDialog.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QPushButton>

namespace wharf::ui {

namespace {

// Rows of the security combo box, in the order of the form.
enum TlsChoice
{
    FromUrl,
    Implicit,
    StartTls,
    Plaintext
};

} // namespace

ServerCheckDialog::ServerCheckDialog(QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::ServerCheckDialog>())
{
    m_ui->setupUi(this);
    styleAsWarning(m_ui->urlErrorLabel);
    styleAsWarning(m_ui->plaintextWarningLabel);
    m_ui->urlErrorLabel->hide();
    m_ui->plaintextWarningLabel->hide();
    m_ui->progressBar->hide();
    m_ui->progressBar->setMaximumWidth(160);

    connect(m_ui->checkButton, &QPushButton::clicked, this, &ServerCheckDialog::startCheck);
    connect(m_ui->cancelButton, &QPushButton::clicked, this, &ServerCheckDialog::cancelCheck);
    connect(m_ui->caFileButton, &QPushButton::clicked, this, &ServerCheckDialog::chooseCaFile);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_ui->tlsCombo, &QComboBox::currentIndexChanged, this,
            &ServerCheckDialog::updatePlaintextWarning);
    connect(m_ui->urlEdit, &QLineEdit::textEdited, m_ui->urlErrorLabel, &QLabel::hide);

    // Connected before any start(): the probe only offers the decision to a listener.
    connect(&m_probe, &controllers::ServerProbe::certificateDecisionRequested, this,
            &ServerCheckDialog::onCertificateDecision);
    connect(&m_probe, &controllers::ServerProbe::finished, this, &ServerCheckDialog::onFinished);
    connect(&m_probe, &controllers::ServerProbe::errorOccurred, this, &ServerCheckDialog::onError);

    // The Close button must not become the default when focus leaves the URL field:
    // Enter there starts the check.
    m_ui->buttonBox->button(QDialogButtonBox::Close)->setAutoDefault(false);
    m_ui->urlEdit->setFocus();
}

ServerCheckDialog::~ServerCheckDialog()
{
    m_probe.disconnect(this);
    m_probe.cancel();
    delete m_certificateDialog;
}

std::optional<TlsMode> ServerCheckDialog::tlsOverride() const
{
    switch (m_ui->tlsCombo->currentIndex()) {
    case Implicit:
        return TlsMode::Implicit;
    case StartTls:
        return TlsMode::StartTls;
    case Plaintext:
        return TlsMode::None;
    default:
        return std::nullopt;
    }
}

void ServerCheckDialog::startCheck()
{
    if (m_probe.isRunning())
        return;
    Error error;
    const auto endpoint =
        ServerEndpoint::fromUrl(m_ui->urlEdit->text().trimmed(), &error, tlsOverride());
    if (!endpoint) {
        showUrlError(error.message());
        return;
    }
    m_ui->urlErrorLabel->hide();
    m_ui->resultView->clear();
    m_certificateAccepted = false;

    // The user's pin for this server decides, not the CAs; without the store, a changed
    // key would pass unnoticed, so a store that cannot be read stops the check.
    controllers::CertificateTrust trust;
    if (const Error failure = trust.load()) {
        onError(failure);
        return;
    }
    controllers::ProbeOptions options;
    options.pinnedPublicKey = trust.pinnedKeyFor(*endpoint);
    const auto pin = trust.pinFor(endpoint->host, endpoint->port);
    m_pinnedAt = pin && !options.pinnedPublicKey.isEmpty() ? pin->acceptedAt : QDateTime();
    options.extraCaFile = m_ui->caFileEdit->text().trimmed();
    setRunning(true, tr("Connecting to %1:%2…").arg(endpoint->host).arg(endpoint->port));
    m_probe.start(*endpoint, options);
}

void ServerCheckDialog::cancelCheck()
{
    if (!m_probe.isRunning())
        return;
    m_probe.cancel();
    dismissCertificateDialog();
    setRunning(false);
    m_ui->resultView->setHtml(ReportFormatter::noteHtml(tr("Check cancelled.")));
}

void ServerCheckDialog::done(int result)
{
    // A closed dialog has no one to show the result to.
    cancelCheck();
    QDialog::done(result);
}

void ServerCheckDialog::chooseCaFile()
{
    const QString current = m_ui->caFileEdit->text().trimmed();
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Choose an Extra CA Certificate"),
        current.isEmpty() ? QString() : QFileInfo(current).absolutePath(),
        tr("PEM certificates (*.pem *.crt *.cer);;All files (*)"));
    if (!file.isEmpty())
        m_ui->caFileEdit->setText(file);
}

void ServerCheckDialog::updatePlaintextWarning()
{
    m_ui->plaintextWarningLabel->setVisible(m_ui->tlsCombo->currentIndex() == Plaintext);
}

void ServerCheckDialog::showUrlError(const QString &message)
{
    m_ui->urlErrorLabel->setText(message);
    m_ui->urlErrorLabel->show();
    m_ui->urlEdit->setFocus();
    m_ui->urlEdit->selectAll();
}

void ServerCheckDialog::setRunning(bool running, const QString &status)
{
    m_ui->progressBar->setVisible(running);
    m_ui->statusLabel->setText(status);
    m_ui->checkButton->setEnabled(!running);
    m_ui->cancelButton->setEnabled(running);
    m_ui->urlEdit->setReadOnly(running);
    m_ui->tlsCombo->setEnabled(!running);
    m_ui->caFileEdit->setReadOnly(running);
    m_ui->caFileButton->setEnabled(!running);
}

void ServerCheckDialog::onCertificateDecision(const net::CertificateDecision &decision)
{
    dismissCertificateDialog();
    m_ui->statusLabel->setText(tr("Waiting for your decision about the certificate…"));
    m_certificateDialog = new CertificateDialog(decision, &m_probe, this);
    connect(m_certificateDialog, &QDialog::finished, m_certificateDialog, &QObject::deleteLater);
    connect(m_certificateDialog, &QDialog::accepted, this, [this] {
        m_certificateAccepted = true;
        m_ui->statusLabel->setText(tr("Certificate accepted; continuing…"));
    });
    m_certificateDialog->open();
}

void ServerCheckDialog::onFinished(const controllers::ProbeReport &report)
{
    dismissCertificateDialog();
    setRunning(false);
    using Origin = ReportFormatter::TrustOrigin;
    const Origin origin = m_certificateAccepted  ? Origin::AcceptedNow
                          : m_pinnedAt.isValid() ? Origin::Pinned
                                                 : Origin::System;
    m_ui->resultView->setHtml(ReportFormatter::reportHtml(
        report, origin, m_pinnedAt, warningColor(m_ui->resultView->palette())));
}

void ServerCheckDialog::onError(const Error &error)
{
    dismissCertificateDialog();
    setRunning(false);
    m_ui->resultView->setHtml(
        ReportFormatter::errorHtml(error, warningColor(m_ui->resultView->palette())));
}

void ServerCheckDialog::dismissCertificateDialog()
{
    if (m_certificateDialog)
        m_certificateDialog->withdraw();
}

} // namespace wharf::ui
