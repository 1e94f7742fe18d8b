#include "TrustedCertificatesDialog.h"

#include "ReportFormatter.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace wharf::ui {

namespace {

enum Column
{
    ServerColumn,
    SubjectColumn,
    KeyColumn,
    TrustedSinceColumn,
    ReasonColumn,
    ColumnCount
};

QString serverText(const store::TrustedCertificate &entry)
{
    const QString host =
        entry.host.contains(u':') ? QStringLiteral("[%1]").arg(entry.host) : entry.host;
    return QStringLiteral("%1:%2").arg(host).arg(entry.port);
}

QTableWidgetItem *item(const QString &text, const QString &toolTip = {})
{
    auto *cell = new QTableWidgetItem(text);
    cell->setToolTip(toolTip.isEmpty() ? text : toolTip);
    cell->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    return cell;
}

} // namespace

TrustedCertificatesDialog::TrustedCertificatesDialog(QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Trusted Certificates"));
    auto *layout = new QVBoxLayout(this);

    auto *intro = new QLabel(
        tr("Certificates you chose to trust although the system does not. Each is pinned to "
           "one key for one server and port: Wharf accepts that key there, and warns you if "
           "the server ever presents another."),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_errorLabel = new QLabel(this);
    m_errorLabel->setObjectName(QStringLiteral("errorLabel"));
    m_errorLabel->setWordWrap(true);
    m_errorLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    styleAsWarning(m_errorLabel);
    m_errorLabel->hide();
    layout->addWidget(m_errorLabel);

    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("certificateTable"));
    m_table->setHorizontalHeaderLabels(
        {tr("Server"), tr("Subject"), tr("Key SHA-256"), tr("Trusted since"), tr("Reason")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    layout->addWidget(m_table, 1);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_removeButton = buttons->addButton(tr("&Remove…"), QDialogButtonBox::ActionRole);
    m_removeButton->setObjectName(QStringLiteral("removeButton"));
    m_removeButton->setAutoDefault(false);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_removeButton, &QPushButton::clicked, this,
            &TrustedCertificatesDialog::removeSelected);
    connect(m_table, &QTableWidget::itemSelectionChanged, this,
            &TrustedCertificatesDialog::updateButtons);

    resize(860, 360);
    reload();
}

void TrustedCertificatesDialog::reload()
{
    controllers::CertificateTrust trust;
    const Error error = trust.load();
    m_entries = trust.list();
    m_table->clearContents();
    m_table->setRowCount(int(m_entries.size()));
    for (int row = 0; row < m_entries.size(); ++row) {
        const store::TrustedCertificate &entry = m_entries.at(row);
        m_table->setItem(row, ServerColumn, item(serverText(entry)));
        m_table->setItem(row, SubjectColumn,
                         item(entry.subject, tr("Subject: %1\nIssuer: %2\nExpires: %3")
                                                 .arg(entry.subject, entry.issuer,
                                                      controllers::pinDate(entry.expiry))));
        // The start is enough to recognise a key; the tooltip has all of it.
        m_table->setItem(row, KeyColumn,
                         item(ReportFormatter::groupedHex(entry.publicKeySha256.left(16)) +
                                  QStringLiteral(" ..."),
                              QString::fromLatin1(entry.publicKeySha256)));
        m_table->setItem(row, TrustedSinceColumn, item(controllers::pinDate(entry.acceptedAt)));
        m_table->setItem(row, ReasonColumn, item(entry.reason));
    }
    m_table->resizeColumnsToContents();
    if (error)
        showError(error.message());
    else
        m_errorLabel->hide();
    m_storeReadable = !error;
    updateButtons();
}

void TrustedCertificatesDialog::updateButtons()
{
    // A store that cannot be read cannot be changed either.
    m_removeButton->setEnabled(m_storeReadable &&
                               !m_table->selectionModel()->selectedRows().isEmpty());
}

void TrustedCertificatesDialog::showError(const QString &message)
{
    m_errorLabel->setText(message);
    m_errorLabel->show();
}

void TrustedCertificatesDialog::removeSelected()
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty() || m_confirmation)
        return;
    const store::TrustedCertificate entry = m_entries.value(rows.first().row());
    // Not exec(): the question must not spin a nested event loop under the table.
    m_confirmation = new QMessageBox(QMessageBox::Warning, tr("Remove Trusted Certificate"),
                                     tr("Stop trusting the key of %1?").arg(serverText(entry)),
                                     QMessageBox::NoButton, this);
    m_confirmation->setObjectName(QStringLiteral("confirmRemoveBox"));
    m_confirmation->setInformativeText(
        tr("The next time Wharf connects there, the system's CAs decide again; a certificate "
           "they do not trust is asked about as if it were new."));
    QPushButton *remove = m_confirmation->addButton(tr("&Remove"), QMessageBox::DestructiveRole);
    remove->setObjectName(QStringLiteral("confirmRemoveButton"));
    QPushButton *keep = m_confirmation->addButton(QMessageBox::Cancel);
    m_confirmation->setDefaultButton(keep);
    m_confirmation->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_confirmation, &QMessageBox::buttonClicked, this,
            [this, remove, entry](QAbstractButton *clicked) {
                if (clicked == remove)
                    removeConfirmed(entry.host, entry.port);
            });
    m_confirmation->open();
}

void TrustedCertificatesDialog::removeConfirmed(const QString &host, quint16 port)
{
    controllers::CertificateTrust trust;
    Error error;
    const bool removed = trust.remove(host, port, &error);
    reload();
    if (!removed && error)
        showError(error.message());
}

} // namespace wharf::ui
