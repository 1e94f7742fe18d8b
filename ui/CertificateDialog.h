#pragma once

#include "controllers/ServerProbe.h"
#include "net/CertificateDecision.h"

#include <QDialog>
#include <QPointer>
#include <memory>

namespace Ui {
class CertificateDialog;
}

namespace wharf::ui {

// Asks whether to trust a certificate the system does not. Answers the probe exactly once:
// Accept, Reject, Escape, closing the window or destroying the dialog (all but Accept
// reject). The exception holds for this connection only; nothing is stored.
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

private:
    void fill(const net::CertificateDecision &decision);

    std::unique_ptr<Ui::CertificateDialog> m_ui;
    QPointer<controllers::ServerProbe> m_probe;
    bool m_answered = false;
};

} // namespace wharf::ui
