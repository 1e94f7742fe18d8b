#include "CertificateDialog.h"

#include "ReportFormatter.h"
#include "controllers/CertificateTrust.h"
#include "ui_CertificateDialog.h"

#include <QCheckBox>
#include <QFontDatabase>
#include <QKeyEvent>
#include <QLineEdit>
#include <QPushButton>
#include <QStyle>

namespace wharf::ui {

CertificateDialog::CertificateDialog(const net::CertificateDecision &decision,
                                     controllers::ServerProbe *probe, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::CertificateDialog>())
    , m_probe(probe)
    , m_decision(decision)
{
    m_ui->setupUi(this);

    // Reject is the default: Enter or Escape must never trust a certificate by accident.
    m_acceptButton = m_ui->buttonBox->addButton(decision.keyChanged ? tr("&Trust the new key")
                                                                    : tr("&Trust this key"),
                                                QDialogButtonBox::AcceptRole);
    QPushButton *rejectButton =
        m_ui->buttonBox->addButton(tr("&Reject"), QDialogButtonBox::RejectRole);
    m_acceptButton->setObjectName(QStringLiteral("acceptButton"));
    rejectButton->setObjectName(QStringLiteral("rejectButton"));
    m_acceptButton->setAutoDefault(false);
    rejectButton->setDefault(true);
    rejectButton->setFocus();
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    // Enter in the reason field must not trust the key: only the button does.
    m_ui->reasonEdit->installEventFilter(this);
    styleAsWarning(m_ui->saveErrorLabel);
    m_ui->saveErrorLabel->hide();

    fill(decision);
    fillChangedKey(decision);
    // Wrapped labels only know their height for a given width (the size hint assumes a
    // narrow window); the size from the form would clip the details under the hard warning.
    const int height = heightForWidth(width());
    resize(width(), height > 0 ? height : sizeHint().height());
}

CertificateDialog::~CertificateDialog()
{
    if (!m_answered && m_probe)
        m_probe->rejectCertificate();
}

void CertificateDialog::fill(const net::CertificateDecision &decision)
{
    const QString server = QStringLiteral("%1:%2").arg(decision.host).arg(decision.port);
    const auto icon =
        decision.keyChanged ? QStyle::SP_MessageBoxCritical : QStyle::SP_MessageBoxWarning;
    const int iconSize = style()->pixelMetric(QStyle::PM_MessageBoxIconSize, nullptr, this);
    m_ui->iconLabel->setPixmap(style()->standardIcon(icon, nullptr, this).pixmap(iconSize));

    QFont headingFont = m_ui->headingLabel->font();
    headingFont.setBold(true);
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.2);
    m_ui->headingLabel->setFont(headingFont);
    if (decision.keyChanged) {
        setWindowTitle(tr("Server Key Changed"));
        m_ui->headingLabel->setText(tr("%1 presented a different key").arg(server));
    } else {
        m_ui->headingLabel->setText(tr("Wharf cannot confirm that this is %1").arg(server));
    }
    m_ui->keyChangedLabel->setVisible(decision.keyChanged);
    QFont warningFont = m_ui->keyChangedLabel->font();
    warningFont.setBold(true);
    m_ui->keyChangedLabel->setFont(warningFont);
    styleAsWarning(m_ui->keyChangedLabel);

    // One chain often repeats an error per certificate; each reason once is enough.
    QStringList reasons;
    for (const QSslError &error : decision.errors) {
        const QString reason = error.errorString();
        if (!reasons.contains(reason))
            reasons.append(reason);
    }
    QString errorsHtml =
        QStringLiteral("<p>%1</p>")
            .arg(tr("The system does not trust the certificate the server presented:")
                     .toHtmlEscaped());
    if (!reasons.isEmpty()) {
        errorsHtml += QStringLiteral("<ul style=\"margin-left:0; -qt-list-indent:1\">");
        for (const QString &reason : reasons)
            errorsHtml += QStringLiteral("<li>%1</li>").arg(reason.toHtmlEscaped());
        errorsHtml += QStringLiteral("</ul>");
    }
    m_ui->errorsLabel->setText(errorsHtml);

    m_ui->serverValue->setText(server);
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_ui->keyHashValue->setFont(fixed);
    m_ui->certHashValue->setFont(fixed);
    m_ui->keyHashValue->setText(ReportFormatter::groupedHex(decision.publicKeySha256));
    if (decision.chain.isEmpty()) {
        m_ui->subjectValue->setText(tr("(no certificate)"));
        return;
    }
    const QSslCertificate &leaf = decision.chain.first();
    m_ui->subjectValue->setText(ReportFormatter::subjectName(leaf));
    m_ui->issuerValue->setText(ReportFormatter::issuerName(leaf));
    m_ui->validityValue->setText(ReportFormatter::validity(leaf));
    m_ui->certHashValue->setText(ReportFormatter::groupedHex(net::certificateSha256(leaf)));
}

void CertificateDialog::fillChangedKey(const net::CertificateDecision &decision)
{
    m_ui->confirmChangeBox->setVisible(decision.keyChanged);
    m_ui->previousKeyLabel->setVisible(false);
    m_ui->previousKeyValue->setVisible(false);
    if (!decision.keyChanged)
        return;
    // Trusting a changed key takes a deliberate second step; Enter still means Reject.
    m_acceptButton->setEnabled(false);
    connect(m_ui->confirmChangeBox, &QCheckBox::toggled, m_acceptButton, &QPushButton::setEnabled);

    controllers::CertificateTrust trust;
    const Error error = trust.load();
    const auto pin = error ? std::nullopt : trust.pinFor(decision.host, decision.port);
    if (!pin)
        return;
    m_ui->keyChangedLabel->setText(
        tr("The server's key has changed since you trusted it on %1. Someone may be "
           "intercepting the connection. Trust the new key only if the server's administrator "
           "has confirmed it.")
            .arg(controllers::pinDate(pin->acceptedAt)));
    m_ui->previousKeyLabel->setVisible(true);
    m_ui->previousKeyValue->setVisible(true);
    m_ui->previousKeyValue->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_ui->previousKeyValue->setText(ReportFormatter::groupedHex(pin->publicKeySha256));
}

bool CertificateDialog::rememberKey()
{
    QString reason = m_ui->reasonEdit->text().simplified();
    if (reason.isEmpty())
        reason = QStringLiteral("accepted in the certificate dialog");
    controllers::CertificateTrust trust;
    Error error = trust.load();
    if (!error)
        error = trust.trust(m_decision, reason);
    if (!error)
        return true;
    m_ui->saveErrorLabel->setText(
        tr("Wharf could not remember this key, so it is not trusted: %1").arg(error.message()));
    m_ui->saveErrorLabel->show();
    return false;
}

bool CertificateDialog::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::KeyPress && watched == m_ui->reasonEdit) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Return || key == Qt::Key_Enter)
            return true;
    }
    return QDialog::eventFilter(watched, event);
}

void CertificateDialog::withdraw()
{
    m_answered = true;
    QDialog::done(Rejected);
}

void CertificateDialog::done(int result)
{
    // Closing after an answer (or a withdrawal) must not reach the probe a second time.
    if (m_answered)
        return;
    if (result == Accepted) {
        // accept() may come from elsewhere than the button: the same rules hold.
        if (m_decision.keyChanged && !m_ui->confirmChangeBox->isChecked())
            return;
        if (!rememberKey())
            return;
    }
    m_answered = true;
    // Hidden first: the answer may end the check at once, and the check dialog then
    // finds this question already closed.
    QDialog::done(result);
    if (!m_probe)
        return;
    if (result == Accepted)
        m_probe->acceptCertificate();
    else
        m_probe->rejectCertificate();
}

} // namespace wharf::ui
