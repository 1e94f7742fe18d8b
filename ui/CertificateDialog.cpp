#include "CertificateDialog.h"

#include "ReportFormatter.h"
#include "ui_CertificateDialog.h"

#include <QFontDatabase>
#include <QPushButton>
#include <QStyle>

namespace wharf::ui {

CertificateDialog::CertificateDialog(const net::CertificateDecision &decision,
                                     controllers::ServerProbe *probe, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::CertificateDialog>())
    , m_probe(probe)
{
    m_ui->setupUi(this);

    // Reject is the default: Enter or Escape must never trust a certificate by accident.
    QPushButton *acceptButton =
        m_ui->buttonBox->addButton(tr("&Accept this certificate"), QDialogButtonBox::AcceptRole);
    QPushButton *rejectButton =
        m_ui->buttonBox->addButton(tr("&Reject"), QDialogButtonBox::RejectRole);
    acceptButton->setObjectName(QStringLiteral("acceptButton"));
    rejectButton->setObjectName(QStringLiteral("rejectButton"));
    acceptButton->setAutoDefault(false);
    rejectButton->setDefault(true);
    rejectButton->setFocus();
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);

    fill(decision);
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
