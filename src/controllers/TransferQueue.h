#pragma once

#include "controllers/FileTransfer.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace wharf::controllers {

class FtpConnectionPool;

// One entry of the queue as a window or a script sees it.
struct TransferItem
{
    enum class State
    {
        Queued,
        Running,
        Paused,
        Done,
        Skipped,
        Failed,
        Cancelled,
    };

    int id = 0;
    TransferSpec spec;
    State state = State::Queued;
    qint64 done = 0;
    qint64 total = -1;
    double bytesPerSecond = 0; // over the last few seconds of this item
    int etaSeconds = -1;       // -1: unknown
    int attempts = 0;
    Error error;
    // The item moved bytes once: pausing or a restart of the app resumes it instead of
    // asking about the existing (partial) target again.
    bool started = false;

    bool isActive() const { return state == State::Queued || state == State::Running; }
};

QString transferStateName(TransferItem::State state);

// Transfers to and from one site, N at a time (each on its own connection from the pool):
// pause, resume, cancel and retry per item; the existing-target question per item, with
// "apply to all" for the rest of the queue. FileTransfer does the work of each item, so the
// retry and resume rules are the same everywhere.
class TransferQueue : public QObject
{
    Q_OBJECT
public:
    explicit TransferQueue(FtpConnectionPool *pool, QObject *parent = nullptr);
    ~TransferQueue() override;

    void setParallel(int transfers);
    int parallel() const { return m_parallel; }
    // For every item started after this call.
    void setOptions(const TransferOptions &options) { m_options = options; }
    const TransferOptions &options() const { return m_options; }

    int add(const TransferSpec &spec);
    // Items saved by an earlier run: queued again, and resumed where they had started.
    void restore(const QList<TransferItem> &items);
    void pause(int id);
    void resume(int id);
    void cancel(int id);
    // A failed or cancelled item goes back in the queue.
    void retry(int id);
    void pauseAll();
    void cancelAll();
    // Answers existingTargetFound for `id`; with applyToAll the same answer is given to
    // every later item that finds its target.
    void decideExistingTarget(int id, ExistingTargetAction action, bool applyToAll = false);

    // Unfinished items (queued, running, paused, failed) are written to `path` whenever one
    // changes state, under `siteKey`, so that a restart of the app can pick them up.
    void persistTo(const QString &path, const QString &siteKey);
    // Queues what persistTo()'s file holds for the site (after a restart).
    Error restoreSaved();

    QList<TransferItem> items() const { return m_items; }
    const TransferItem *item(int id) const;
    // Nothing queued or running.
    bool isIdle() const;
    qint64 bytesDone() const;
    qint64 bytesTotal() const;

Q_SIGNALS:
    void itemAdded(int id);
    void itemChanged(int id);
    void existingTargetFound(int id, const wharf::controllers::ExistingTarget &target);
    // The queue ran dry: every item is done, skipped, failed, paused or cancelled.
    void idle();

private:
    struct Running
    {
        int id = 0;
        QPointer<FileTransfer> transfer;
        QElapsedTimer clock;
        qint64 windowStartBytes = 0;
        qint64 windowStartMs = 0;
    };

    TransferItem *find(int id);
    void schedule();
    void startItem(TransferItem &item);
    void onProgress(int id, qint64 done, qint64 total);
    void onFinished(int id);
    void stopRunning(int id);
    void checkIdle();
    void scheduleSave();
    void save();

    QPointer<FtpConnectionPool> m_pool;
    TransferOptions m_options;
    int m_parallel = 4;
    int m_nextId = 1;
    QList<TransferItem> m_items;
    QList<Running> m_running;
    std::optional<ExistingTargetAction> m_answerForAll;
    bool m_scheduling = false;
    QString m_savePath;
    QString m_siteKey;
    QTimer m_saveTimer;
};

} // namespace wharf::controllers
