#pragma once

#include "controllers/ServerProbe.h"
#include "net/CertificateDecision.h"

#include <QDialog>
#include <QPointer>
#include <memory>

class QPushButton;

namespace Ui {
class CertificateDialog;
}

namespace wharf::ui {

// Asks whether to trust a certificate the system does not. Answers the probe exactly once:
// Accept, Reject, Escape, closing the window or destroying the dialog (all but Accept
// reject). Accepting pins the key for this host and port for good (with the user's reason)
// before the connection goes on; if it cannot be stored, the dialog says why and stays
// open. A changed key on a pinned server is a hard warning: accepting it needs an explicit
// confirmation, and Reject stays the default.
class CertificateDialog : public QDialog
{
    Q_OBJECT
public:
    CertificateDialog(const net::CertificateDecision &decision, controllers::ServerProbe *probe,
                      QWidget *parent = nullptr);
    ~CertificateDialog() override;

    // The question no longer applies (the connection ended or was cancelled): close
    // without answering.
    void withdraw();

protected:
    void done(int result) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void fill(const net::CertificateDecision &decision);
    void fillChangedKey(const net::CertificateDecision &decision);
    bool rememberKey();

    std::unique_ptr<Ui::CertificateDialog> m_ui;
    QPointer<controllers::ServerProbe> m_probe;
    net::CertificateDecision m_decision;
    QPushButton *m_acceptButton = nullptr;
    bool m_answered = false;
};

} // namespace wharf::ui
