#pragma once

#include <QObject>

class QSocketNotifier;

namespace wharf::cli {

// Turns SIGINT and SIGTERM into a Qt signal, so a command can cancel its work cleanly and
// exit with ExitInterrupted instead of dying mid-write. Signal handlers may only write to a
// pipe; the event loop reads it.
class Interrupt : public QObject
{
    Q_OBJECT
public:
    explicit Interrupt(QObject *parent = nullptr);
    ~Interrupt() override;

Q_SIGNALS:
    void requested();

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace wharf::cli
