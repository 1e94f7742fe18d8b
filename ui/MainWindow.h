#pragma once

#include <QMainWindow>
#include <QPointer>
#include <memory>

namespace Ui {
class MainWindow;
}

namespace wharf::ui {

class ServerCheckDialog;
class TrustedCertificatesDialog;

// The application window. Until accounts exist it says what Wharf is and offers the one
// thing that works: checking a server connection.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    ServerCheckDialog *serverCheckDialog() const;
    TrustedCertificatesDialog *trustedCertificatesDialog() const;

public Q_SLOTS:
    void showServerCheck();
    void showTrustedCertificates();
    void showAbout();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    std::unique_ptr<Ui::MainWindow> m_ui;
    QPointer<ServerCheckDialog> m_serverCheck;
    QPointer<TrustedCertificatesDialog> m_trustedCertificates;
};

} // namespace wharf::ui
