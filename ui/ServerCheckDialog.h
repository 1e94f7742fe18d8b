#pragma once

#include "controllers/ServerProbe.h"
#include "core/ServerEndpoint.h"

#include <QDateTime>
#include <QDialog>
#include <QPointer>
#include <memory>
#include <optional>

namespace Ui {
class ServerCheckDialog;
}

namespace wharf::ui {

class CertificateDialog;

// "Is this server reachable, and how does it secure the connection?": runs a ServerProbe
// for a URL and shows greeting, capabilities and TLS details, or why it failed.
class ServerCheckDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ServerCheckDialog(QWidget *parent = nullptr);
    ~ServerCheckDialog() override;

    bool isChecking() const { return m_probe.isRunning(); }

public Q_SLOTS:
    void startCheck();
    void cancelCheck();

protected:
    void done(int result) override;

private:
    std::optional<TlsMode> tlsOverride() const;
    void chooseCaFile();
    void updatePlaintextWarning();
    void showUrlError(const QString &message);
    void setRunning(bool running, const QString &status = {});
    void onCertificateDecision(const net::CertificateDecision &decision);
    void onFinished(const controllers::ProbeReport &report);
    void onError(const Error &error);
    void dismissCertificateDialog();

    std::unique_ptr<Ui::ServerCheckDialog> m_ui;
    controllers::ServerProbe m_probe;
    QPointer<CertificateDialog> m_certificateDialog;
    bool m_certificateAccepted = false;
    QDateTime m_pinnedAt; // when the user pinned the key this check expects; invalid: none
};

} // namespace wharf::ui
