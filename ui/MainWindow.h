#pragma once

#include <QMainWindow>
#include <QPointer>
#include <memory>

namespace Ui {
class MainWindow;
}

namespace wharf::ui {

class ServerCheckDialog;

// The application window. Until accounts exist it says what Wharf is and offers the one
// thing that works: checking a server connection.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    ServerCheckDialog *serverCheckDialog() const;

public Q_SLOTS:
    void showServerCheck();
    void showAbout();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    std::unique_ptr<Ui::MainWindow> m_ui;
    QPointer<ServerCheckDialog> m_serverCheck;
};

} // namespace wharf::ui
