#include "controllers/TransferQueue.h"

#include "controllers/FtpConnectionPool.h"
#include "core/Logging.h"
#include "store/SavedTransfers.h"

namespace wharf::controllers {

namespace {

// Speed is measured over a window this long, so it follows changes without jumping.
constexpr qint64 kSpeedWindowMs = 3000;
constexpr int kSaveDelayMs = 500;

store::SavedTransfer saved(const TransferItem &item)
{
    store::SavedTransfer transfer;
    transfer.upload = item.spec.direction == TransferSpec::Direction::Upload;
    transfer.remotePath = item.spec.remotePath;
    transfer.localPath = item.spec.localPath;
    transfer.size = item.spec.size;
    transfer.modified = item.spec.modified;
    transfer.state = item.state == TransferItem::State::Paused   ? QStringLiteral("paused")
                     : item.state == TransferItem::State::Failed ? QStringLiteral("failed")
                                                                 : QStringLiteral("queued");
    transfer.done = item.done;
    transfer.started = item.started;
    transfer.error = item.error.message();
    return transfer;
}

TransferItem restored(const store::SavedTransfer &transfer)
{
    TransferItem item;
    item.spec.direction =
        transfer.upload ? TransferSpec::Direction::Upload : TransferSpec::Direction::Download;
    item.spec.remotePath = transfer.remotePath;
    item.spec.localPath = transfer.localPath;
    item.spec.size = transfer.size;
    item.spec.modified = transfer.modified;
    item.state = transfer.state == u"paused"   ? TransferItem::State::Paused
                 : transfer.state == u"failed" ? TransferItem::State::Failed
                                               : TransferItem::State::Queued;
    if (item.state == TransferItem::State::Failed)
        item.error = Error(ErrorKind::NetworkError, transfer.error);
    item.done = transfer.done;
    item.total = transfer.size;
    item.started = transfer.started;
    return item;
}

} // namespace

QString transferStateName(TransferItem::State state)
{
    switch (state) {
    case TransferItem::State::Queued:
        return QStringLiteral("queued");
    case TransferItem::State::Running:
        return QStringLiteral("running");
    case TransferItem::State::Paused:
        return QStringLiteral("paused");
    case TransferItem::State::Done:
        return QStringLiteral("done");
    case TransferItem::State::Skipped:
        return QStringLiteral("skipped");
    case TransferItem::State::Failed:
        return QStringLiteral("failed");
    case TransferItem::State::Cancelled:
        return QStringLiteral("cancelled");
    }
    return {};
}

TransferQueue::TransferQueue(FtpConnectionPool *pool, QObject *parent)
    : QObject(parent)
    , m_pool(pool)
{
    // State changes come in bursts (a tree queues thousands of files): one write per burst.
    m_saveTimer.setSingleShot(true);
    m_saveTimer.setInterval(kSaveDelayMs);
    connect(&m_saveTimer, &QTimer::timeout, this, &TransferQueue::save);
    connect(this, &TransferQueue::itemAdded, this, &TransferQueue::scheduleSave);
}

TransferQueue::~TransferQueue()
{
    if (m_saveTimer.isActive())
        save();
    for (const Running &running : std::as_const(m_running)) {
        if (running.transfer)
            running.transfer->disconnect(this);
    }
}

void TransferQueue::setParallel(int transfers)
{
    m_parallel = std::max(1, transfers);
    schedule();
}

TransferItem *TransferQueue::find(int id)
{
    for (TransferItem &item : m_items) {
        if (item.id == id)
            return &item;
    }
    return nullptr;
}

const TransferItem *TransferQueue::item(int id) const
{
    for (const TransferItem &item : m_items) {
        if (item.id == id)
            return &item;
    }
    return nullptr;
}

int TransferQueue::add(const TransferSpec &spec)
{
    TransferItem item;
    item.id = m_nextId++;
    item.spec = spec;
    item.total = spec.direction == TransferSpec::Direction::Download ? spec.size : -1;
    m_items.append(item);
    Q_EMIT itemAdded(item.id);
    schedule();
    return item.id;
}

void TransferQueue::restore(const QList<TransferItem> &items)
{
    for (TransferItem item : items) {
        item.id = m_nextId++;
        if (item.state == TransferItem::State::Running)
            item.state = TransferItem::State::Queued;
        m_items.append(item);
        Q_EMIT itemAdded(item.id);
    }
    schedule();
}

void TransferQueue::schedule()
{
    // startItem() can finish an item at once (a skipped target), which schedules again.
    if (m_scheduling)
        return;
    m_scheduling = true;
    for (TransferItem &item : m_items) {
        if (m_running.size() >= m_parallel)
            break;
        if (item.state == TransferItem::State::Queued)
            startItem(item);
    }
    m_scheduling = false;
    checkIdle();
}

void TransferQueue::startItem(TransferItem &item)
{
    TransferOptions options = m_options;
    if (item.started)
        options.existing = ExistingTargetAction::Resume; // our own partial copy
    else if (m_answerForAll)
        options.existing = *m_answerForAll;
    auto *transfer = new FileTransfer(m_pool, item.spec, options, this);
    const int id = item.id;
    item.state = TransferItem::State::Running;
    item.error = {};
    Running running;
    running.id = id;
    running.transfer = transfer;
    running.clock.start();
    running.windowStartBytes = item.done;
    m_running.append(running);
    connect(transfer, &FileTransfer::progress, this,
            [this, id](qint64 done, qint64 total) { onProgress(id, done, total); });
    connect(transfer, &FileTransfer::existingTargetFound, this,
            [this, id](const ExistingTarget &target) {
                if (m_answerForAll) {
                    decideExistingTarget(id, *m_answerForAll);
                    return;
                }
                Q_EMIT existingTargetFound(id, target);
            });
    connect(transfer, &FileTransfer::finished, this, [this, id] { onFinished(id); });
    Q_EMIT itemChanged(id);
    transfer->start();
}

void TransferQueue::onProgress(int id, qint64 done, qint64 total)
{
    TransferItem *item = find(id);
    if (!item)
        return;
    item->done = done;
    item->total = total;
    item->started = true;
    for (Running &running : m_running) {
        if (running.id != id)
            continue;
        const qint64 now = running.clock.elapsed();
        const qint64 span = now - running.windowStartMs;
        if (span > 0) {
            item->bytesPerSecond = double(done - running.windowStartBytes) * 1000.0 / double(span);
        }
        if (span > kSpeedWindowMs) {
            running.windowStartMs = now;
            running.windowStartBytes = done;
        }
    }
    item->etaSeconds = total > 0 && item->bytesPerSecond > 0
                           ? int(double(total - done) / item->bytesPerSecond)
                           : -1;
    Q_EMIT itemChanged(id);
}

void TransferQueue::onFinished(int id)
{
    QPointer<FileTransfer> transfer;
    for (qsizetype i = 0; i < m_running.size(); ++i) {
        if (m_running.at(i).id == id) {
            transfer = m_running.takeAt(i).transfer;
            break;
        }
    }
    TransferItem *item = find(id);
    if (item && transfer) {
        item->attempts += transfer->attempts();
        if (transfer->error()) {
            item->error = transfer->error();
            item->state = transfer->error().kind() == ErrorKind::Cancelled
                              ? TransferItem::State::Cancelled
                              : TransferItem::State::Failed;
        } else {
            item->state =
                transfer->wasSkipped() ? TransferItem::State::Skipped : TransferItem::State::Done;
            item->done = transfer->bytesDone();
            item->total = transfer->bytesTotal();
        }
        item->etaSeconds = -1;
        Q_EMIT itemChanged(id);
    }
    if (transfer)
        transfer->deleteLater();
    schedule();
}

void TransferQueue::stopRunning(int id)
{
    for (qsizetype i = 0; i < m_running.size(); ++i) {
        if (m_running.at(i).id != id)
            continue;
        const QPointer<FileTransfer> transfer = m_running.takeAt(i).transfer;
        if (transfer) {
            transfer->disconnect(this);
            transfer->cancel();
            transfer->deleteLater();
        }
        return;
    }
}

void TransferQueue::pause(int id)
{
    TransferItem *item = find(id);
    if (!item || !item->isActive())
        return;
    stopRunning(id);
    item->state = TransferItem::State::Paused;
    item->bytesPerSecond = 0;
    item->etaSeconds = -1;
    Q_EMIT itemChanged(id);
    schedule();
}

void TransferQueue::resume(int id)
{
    TransferItem *item = find(id);
    if (!item || item->state != TransferItem::State::Paused)
        return;
    item->state = TransferItem::State::Queued;
    Q_EMIT itemChanged(id);
    schedule();
}

void TransferQueue::cancel(int id)
{
    TransferItem *item = find(id);
    if (!item || !(item->isActive() || item->state == TransferItem::State::Paused))
        return;
    stopRunning(id);
    item->state = TransferItem::State::Cancelled;
    item->error = Error(ErrorKind::Cancelled, QStringLiteral("Cancelled"));
    item->etaSeconds = -1;
    Q_EMIT itemChanged(id);
    schedule();
}

void TransferQueue::retry(int id)
{
    TransferItem *item = find(id);
    if (!item || (item->state != TransferItem::State::Failed &&
                  item->state != TransferItem::State::Cancelled))
        return;
    item->state = TransferItem::State::Queued;
    item->error = {};
    Q_EMIT itemChanged(id);
    schedule();
}

void TransferQueue::pauseAll()
{
    for (const TransferItem &item : std::as_const(m_items)) {
        if (item.isActive())
            pause(item.id);
    }
}

void TransferQueue::cancelAll()
{
    const QList<TransferItem> items = m_items;
    for (const TransferItem &item : items)
        cancel(item.id);
}

void TransferQueue::decideExistingTarget(int id, ExistingTargetAction action, bool applyToAll)
{
    if (applyToAll && action != ExistingTargetAction::Ask)
        m_answerForAll = action;
    for (const Running &running : std::as_const(m_running)) {
        if (running.id == id && running.transfer)
            running.transfer->decideExistingTarget(action);
    }
}

bool TransferQueue::isIdle() const
{
    if (!m_running.isEmpty())
        return false;
    for (const TransferItem &item : m_items) {
        if (item.state == TransferItem::State::Queued)
            return false;
    }
    return true;
}

qint64 TransferQueue::bytesDone() const
{
    qint64 sum = 0;
    for (const TransferItem &item : m_items)
        sum += item.done;
    return sum;
}

qint64 TransferQueue::bytesTotal() const
{
    qint64 sum = 0;
    for (const TransferItem &item : m_items)
        sum += std::max<qint64>(item.total, 0);
    return sum;
}

void TransferQueue::persistTo(const QString &path, const QString &siteKey)
{
    m_savePath = path;
    m_siteKey = siteKey;
    connect(this, &TransferQueue::itemChanged, this, &TransferQueue::scheduleSave,
            Qt::UniqueConnection);
}

Error TransferQueue::restoreSaved()
{
    Error error;
    const auto transfers = store::loadSavedTransfers(m_savePath, &error);
    if (!transfers)
        return error;
    QList<TransferItem> items;
    for (const store::SavedTransfer &transfer : *transfers) {
        if (transfer.siteKey == m_siteKey)
            items.append(restored(transfer));
    }
    restore(items);
    return {};
}

void TransferQueue::scheduleSave()
{
    if (!m_savePath.isEmpty() && !m_saveTimer.isActive())
        m_saveTimer.start();
}

void TransferQueue::save()
{
    m_saveTimer.stop();
    if (m_savePath.isEmpty())
        return;
    QList<store::SavedTransfer> transfers;
    for (const TransferItem &item : std::as_const(m_items)) {
        // Done, skipped and cancelled items are over: nothing to pick up after a restart.
        if (item.isActive() || item.state == TransferItem::State::Paused ||
            item.state == TransferItem::State::Failed)
            transfers.append(saved(item));
    }
    const Error error = store::saveSavedTransfers(m_savePath, m_siteKey, transfers);
    if (error)
        qCWarning(lcFtp) << error.message();
}

void TransferQueue::checkIdle()
{
    if (isIdle() && !m_items.isEmpty())
        Q_EMIT idle();
}

} // namespace wharf::controllers
