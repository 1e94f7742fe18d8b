#pragma once

#include "controllers/CertificateTrust.h"

#include <QDialog>
#include <QPointer>

class QLabel;
class QMessageBox;
class QPushButton;
class QTableWidget;

namespace wharf::ui {

// The certificates the user chose to trust (File → Trusted Certificates…): one row per
// server with its pinned key, when and why it was trusted. Remove asks first, then forgets
// the pin, so the next connection is judged by the system's CAs again.
class TrustedCertificatesDialog : public QDialog
{
    Q_OBJECT
public:
    explicit TrustedCertificatesDialog(QWidget *parent = nullptr);

public Q_SLOTS:
    // Reads the store again: another Wharf (or wharf-cli) may have changed it.
    void reload();
    void removeSelected();

private:
    void updateButtons();
    void showError(const QString &message);
    void removeConfirmed(const QString &host, quint16 port);

    QTableWidget *m_table = nullptr;
    QLabel *m_errorLabel = nullptr;
    QPushButton *m_removeButton = nullptr;
    QPointer<QMessageBox> m_confirmation;
    QList<store::TrustedCertificate> m_entries;
    bool m_storeReadable = false;
};

} // namespace wharf::ui
