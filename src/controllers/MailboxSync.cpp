#include "controllers/MailboxSync.h"

#include "controllers/ActionReplayer.h"
#include "controllers/ImapConnectionPool.h"
#include "controllers/MailboxBodies.h"
#include "controllers/RemoteMessageSummary.h"
#include "core/Logging.h"
#include "protocols/imap/FetchData.h"
#include "protocols/imap/MailboxData.h"
#include "protocols/imap/commands/FetchCommand.h"
#include "protocols/imap/commands/SearchCommand.h"
#include "protocols/imap/commands/SelectCommand.h"
#include "store/MailStore.h"

#include <QDateTime>

#include <algorithm>

namespace wharf::controllers {

namespace {

constexpr quint32 kLastUid = ~quint32(0);

// The headers of one batch not stored yet, and why storing stopped if it did (the sync
// fails when the batch ends, not inside the parser's callback).
struct HeaderRows
{
    QList<store::RemoteHeaders> rows;
    Error error;
};

// Flag diffs without CONDSTORE go in pieces so no response is one huge burst.
constexpr quint64 kFlagChunk = 20'000;
// Up to this many reported flag changes are looked up one by one in the store; more (a
// full diff's chunk) are compared with one read of the whole folder.
constexpr qsizetype kDirectFlagLookups = 5'000;

store::RemoteFlagChange flagChange(const imap::FetchData &data)
{
    store::RemoteFlagChange change;
    change.uid = data.uid.value_or(0);
    QStringList keywords;
    change.flags = flagsFromImap(data.flags.value_or(QByteArrayList()), &keywords);
    change.extraFlags = keywordText(keywords);
    return change;
}

} // namespace

QString methodName(MailboxSyncReport::Method method)
{
    switch (method) {
    case MailboxSyncReport::Method::FirstSync:
        return QStringLiteral("first sync");
    case MailboxSyncReport::Method::Qresync:
        return QStringLiteral("QRESYNC");
    case MailboxSyncReport::Method::Condstore:
        return QStringLiteral("CONDSTORE");
    case MailboxSyncReport::Method::FullDiff:
        return QStringLiteral("full diff");
    }
    return {};
}

MailboxSync::MailboxSync(ImapConnectionPool *pool, store::MailStore *store, QObject *parent)
    : QObject(parent)
    , m_pool(pool)
    , m_store(store)
{}

MailboxSync::~MailboxSync() = default;

void MailboxSync::start(const QString &mailbox, const MailboxSyncOptions &options)
{
    m_mailbox = mailbox;
    m_options = options;
    m_batch = std::max(1, options.firstBatch);
    m_clock.start();
    m_pool->acquireExclusive(
        this, [this](imap::ImapSession *session) { onSession(session); },
        [this](const Error &error) { fail(error); });
}

void MailboxSync::cancel()
{
    fail(Error(ErrorKind::Cancelled,
               QStringLiteral("Synchronisation of %1 cancelled").arg(m_mailbox)));
}

void MailboxSync::onSession(imap::ImapSession *session)
{
    m_session = session;
    // A session that dies mid-sync fails the command in flight, which ends the sync.
    m_wireName = session->mailboxWireName(m_mailbox);
    if (const Error error = resolveFolder())
        return fail(error);
    replayLocalActions();
}

// Before the server says what changed: what it says afterwards already includes our
// changes, so applying it cannot revert them.
void MailboxSync::replayLocalActions()
{
    QList<store::PendingAction> queued;
    if (const Error error = m_store->pendingActions().list(&queued, m_folderId))
        return fail(error);
    if (queued.isEmpty() || m_state.uidValidity == 0)
        return select();
    m_replayer = std::make_unique<ActionReplayer>(m_store);
    connect(m_replayer.get(), &ActionReplayer::actionReplayed, this,
            [this] { ++m_report.actionsReplayed; });
    connect(m_replayer.get(), &ActionReplayer::actionRefused, this,
            [this](const store::PendingAction &, const Error &error) {
                ++m_report.actionsRefused;
                Q_EMIT actionRefused(error);
            });
    connect(m_replayer.get(), &ActionReplayer::finished, this, [this](const Error &error) {
        if (error)
            return fail(error);
        select();
    });
    m_replayer->replay(m_session, m_folderId);
}

Error MailboxSync::resolveFolder()
{
    if (const auto folder = m_store->folderForRemoteName(m_wireName)) {
        m_folderId = folder->id;
        return m_store->remoteFolderState(m_folderId, &m_state);
    }
    // Not mirrored yet: INBOX is the store's Inbox, anything else a folder of that name.
    std::optional<store::FolderRecord> folder = m_store->folder(m_mailbox);
    if (folder && !folder->remoteName.isEmpty())
        folder.reset(); // a folder of that name mirrors something else
    if (folder) {
        m_folderId = folder->id;
    } else if (const Error error = m_store->createFolder(m_mailbox, &m_folderId)) {
        return error;
    }
    m_state = {};
    m_state.remoteName = m_wireName;
    return m_store->setRemoteFolderState(m_folderId, m_state);
}

void MailboxSync::select()
{
    auto *select = new imap::SelectCommand(m_wireName);
    const bool known = m_state.uidValidity != 0;
    if (known && m_state.highestModSeq > 0 && m_session->isEnabled("QRESYNC")) {
        select->setQresync({m_state.uidValidity, m_state.highestModSeq, {}});
        m_report.method = MailboxSyncReport::Method::Qresync;
    } else {
        select->setCondstore(true);
        m_report.method = known ? (m_state.highestModSeq > 0 ? MailboxSyncReport::Method::Condstore
                                                             : MailboxSyncReport::Method::FullDiff)
                                : MailboxSyncReport::Method::FirstSync;
    }
    connect(select, &imap::SelectCommand::vanished, this, [this](const imap::VanishedData &data) {
        for (const imap::SequenceSet::Range &range : data.uids.ranges())
            m_vanished.addRange(range.first, range.last);
    });
    connect(select, &imap::SelectCommand::messageChanged, this,
            [this](const imap::FetchData &data) { m_changed.append(data); });
    connect(select, &imap::ImapCommand::finished, this, [this, select] {
        if (select->error())
            return fail(select->error());
        m_selected = select->mailbox();
        onSelected();
    });
    m_session->enqueue(select);
}

void MailboxSync::onSelected()
{
    if (m_state.uidValidity != 0 && m_selected.uidValidity != m_state.uidValidity) {
        // Every UID we know names nothing now (RFC 3501 2.3.1.1).
        qint64 dropped = 0;
        if (const Error error =
                m_store->dropRemoteCache(m_folderId, m_selected.uidValidity, &dropped))
            return fail(error);
        m_report.uidValidityChanged = true;
        m_report.removed += dropped;
        m_report.method = MailboxSyncReport::Method::FirstSync;
        m_state.uidValidity = 0;
        m_state.uidNext = 0;
        m_state.highestModSeq = 0;
    }
    if (m_state.uidValidity == 0) {
        // First visit: which UIDs exist, then their headers newest first.
        searchServerUids(kLastUid, true);
        return;
    }
    switch (m_report.method) {
    case MailboxSyncReport::Method::Qresync:
        applyQresync();
        return;
    case MailboxSyncReport::Method::Condstore:
        if (m_selected.noModSeq || m_selected.highestModSeq == 0)
            fetchAllFlags();
        else
            fetchChangedFlags();
        return;
    default:
        fetchAllFlags();
        return;
    }
}

void MailboxSync::applyQresync()
{
    // Flag changes of new messages come with their headers; only known UIDs here.
    QList<imap::FetchData> known;
    for (const imap::FetchData &data : std::as_const(m_changed)) {
        if (data.uid && *data.uid < m_state.uidNext && data.flags)
            known.append(data);
    }
    applyFlagChanges(known);
    if (m_error)
        return;
    if (!m_vanished.isEmpty()) {
        qint64 removed = 0;
        if (const Error error = m_store->removeRemoteUids(m_folderId, m_state.uidValidity,
                                                          m_vanished.toList(), &removed))
            return fail(error);
        m_report.removed += removed;
    }
    searchServerUids(kLastUid, true);
}

void MailboxSync::fetchChangedFlags()
{
    if (m_selected.highestModSeq == m_state.highestModSeq) {
        // Nothing changed flags; expunges still need the UID search.
        searchServerUids(m_state.uidNext, false);
        return;
    }
    auto *fetch =
        new imap::FetchCommand(imap::SequenceSet::range(1, m_state.uidNext - 1), "(UID FLAGS)");
    fetch->setChangedSince(m_state.highestModSeq);
    auto changes = std::make_shared<QList<imap::FetchData>>();
    connect(fetch, &imap::FetchCommand::messageFetched, this,
            [changes](const imap::FetchData &data) { changes->append(data); });
    connect(fetch, &imap::ImapCommand::finished, this, [this, fetch, changes] {
        if (fetch->error())
            return fail(fetch->error());
        applyFlagChanges(*changes);
        if (!m_error)
            searchServerUids(m_state.uidNext, false);
    });
    m_session->enqueue(fetch);
}

void MailboxSync::fetchAllFlags()
{
    if (m_state.uidNext <= 1) {
        searchServerUids(kLastUid, true);
        return;
    }
    auto seen = std::make_shared<imap::SequenceSet>();
    auto remaining = std::make_shared<int>(0);
    // By UID range: a range's count is its span, however few messages it holds.
    QList<imap::SequenceSet> ranges;
    for (quint64 first = 1; first < m_state.uidNext; first += kFlagChunk)
        ranges.append(imap::SequenceSet::range(
            quint32(first),
            quint32(std::min<quint64>(first + kFlagChunk - 1, m_state.uidNext - 1))));
    *remaining = int(ranges.size());
    for (const imap::SequenceSet &range : std::as_const(ranges)) {
        auto *fetch = new imap::FetchCommand(range, "(UID FLAGS)");
        auto changes = std::make_shared<QList<imap::FetchData>>();
        connect(fetch, &imap::FetchCommand::messageFetched, this,
                [changes, seen](const imap::FetchData &data) {
                    seen->add(*data.uid);
                    changes->append(data);
                });
        connect(fetch, &imap::ImapCommand::finished, this, [this, fetch, changes, seen, remaining] {
            if (m_finished)
                return;
            if (fetch->error())
                return fail(fetch->error());
            applyFlagChanges(*changes);
            if (m_error || --*remaining > 0)
                return;
            if (const Error error = removeGone(*seen))
                return fail(error);
            searchServerUids(kLastUid, true);
        });
        m_session->enqueue(fetch);
    }
}

void MailboxSync::applyFlagChanges(const QList<imap::FetchData> &changes)
{
    if (changes.isEmpty())
        return;
    // What QRESYNC or CHANGEDSINCE reports is a few messages: the store looks those up.
    // A full diff reports every message; then one read of the whole folder is cheaper than
    // a lookup each.
    if (changes.size() <= kDirectFlagLookups) {
        QList<store::RemoteFlagChange> reported;
        reported.reserve(changes.size());
        for (const imap::FetchData &data : changes) {
            if (data.uid && data.flags)
                reported.append(flagChange(data));
        }
        qint64 changed = 0;
        if (const Error error =
                m_store->applyRemoteFlags(m_folderId, m_state.uidValidity, reported, &changed))
            return fail(error);
        m_report.flagsChanged += changed;
        return;
    }
    QHash<quint32, store::RemoteMessageState> local;
    if (const Error error = m_store->remoteUids(m_folderId, m_state.uidValidity, &local))
        return fail(error);
    QList<store::RemoteFlagChange> different;
    for (const imap::FetchData &data : changes) {
        if (!data.uid || !data.flags)
            continue;
        const store::RemoteFlagChange change = flagChange(data);
        const auto row = local.constFind(change.uid);
        if (row == local.cend())
            continue; // not in the store yet: its headers come with the new ones
        if (row->flags != change.flags || row->extraFlags != change.extraFlags)
            different.append(change);
    }
    if (different.isEmpty())
        return;
    if (const Error error = m_store->applyRemoteFlags(m_folderId, m_state.uidValidity, different))
        return fail(error);
    m_report.flagsChanged += different.size();
}

// Without QRESYNC, what the server no longer has is what the store knows and the server
// did not list.
Error MailboxSync::removeGone(const imap::SequenceSet &serverUids)
{
    QHash<quint32, store::RemoteMessageState> local;
    if (const Error error = m_store->remoteUids(m_folderId, m_state.uidValidity, &local))
        return error;
    QList<quint32> gone;
    for (auto it = local.cbegin(); it != local.cend(); ++it) {
        if (it.key() < m_state.uidNext && !serverUids.contains(it.key()))
            gone.append(it.key());
    }
    if (gone.isEmpty())
        return {};
    qint64 removed = 0;
    if (const Error error =
            m_store->removeRemoteUids(m_folderId, m_state.uidValidity, gone, &removed))
        return error;
    m_report.removed += removed;
    return {};
}

// forNewMessages: the UIDs at or above uidNext, whose headers are fetched next. Otherwise the
// UIDs below `below`, compared with the store's to find expunged ones.
void MailboxSync::searchServerUids(quint32 below, bool forNewMessages)
{
    const quint32 from = forNewMessages ? std::max<quint32>(1, m_state.uidNext) : 1;
    const quint32 to = forNewMessages ? kLastUid : below - 1;
    if (m_selected.exists == 0 || from > to) {
        if (forNewMessages)
            return fetchNewHeaders({});
        if (const Error error = removeGone({}))
            return fail(error);
        return searchServerUids(kLastUid, true);
    }
    auto *search =
        new imap::SearchCommand("UID " + imap::SequenceSet::range(from, to).toByteArray());
    connect(search, &imap::ImapCommand::finished, this, [this, search, forNewMessages] {
        if (search->error())
            return fail(search->error());
        if (forNewMessages)
            return fetchNewHeaders(search->uids());
        if (const Error error = removeGone(search->uids()))
            return fail(error);
        searchServerUids(kLastUid, true);
    });
    m_session->enqueue(search);
}

void MailboxSync::fetchNewHeaders(const imap::SequenceSet &uids)
{
    m_pending = uids.toList();
    std::reverse(m_pending.begin(), m_pending.end()); // newest first
    m_headerTotal = m_pending.size();
    m_headerDone = 0;
    Q_EMIT progress(0, m_headerTotal);
    if (m_pending.isEmpty())
        return downloadBodies();
    // Two batches in flight: the server prepares one while the store writes the other.
    fetchNextHeaderBatch();
    fetchNextHeaderBatch();
}

void MailboxSync::fetchNextHeaderBatch()
{
    if (m_pending.isEmpty() || m_finished)
        return;
    const qsizetype count = std::min<qsizetype>(m_batch, m_pending.size());
    const QList<quint32> batchUids = m_pending.mid(0, count);
    m_pending.remove(0, count);
    auto *fetch = new imap::FetchCommand(imap::SequenceSet::fromList(batchUids),
                                         QByteArray(kHeaderSyncItems));
    auto rows = std::make_shared<HeaderRows>();
    rows->rows.reserve(std::min<qsizetype>(count, kStoreEvery));
    const quint32 validity = m_selected.uidValidity;
    connect(fetch, &imap::FetchCommand::messageFetched, this,
            [rows, validity, this](const imap::FetchData &data) {
                rows->rows.append(toRemoteHeaders(data, validity));
                m_highestUid = std::max(m_highestUid, data.uid.value_or(0));
                // Stored as they come, not when the batch ends: what is in memory stays
                // small whatever the batch size, and the first screenful shows sooner.
                if (rows->rows.size() >= kStoreEvery && !rows->error)
                    rows->error = storeHeaders(rows->rows);
            });
    auto started = std::make_shared<QElapsedTimer>();
    started->start();
    ++m_inFlight;
    connect(fetch, &imap::ImapCommand::finished, this, [this, fetch, rows, started] {
        --m_inFlight;
        if (m_finished)
            return;
        if (fetch->error())
            return fail(fetch->error());
        if (rows->error)
            return fail(rows->error);
        // Grow while the server keeps up; a slow server keeps batches small and progress live.
        const qint64 fetchMs = started->elapsed();
        if (fetchMs < m_options.batchTargetMs)
            m_batch = std::min(m_batch * 2, m_options.maxBatch);
        else if (m_batch > m_options.firstBatch)
            m_batch /= 2;
        fetchNextHeaderBatch();
        if (const Error error = storeHeaders(rows->rows))
            return fail(error);
        qCDebug(lcController) << m_mailbox << "header batch done in" << fetchMs << "ms";
        if (m_inFlight == 0 && m_pending.isEmpty())
            downloadBodies();
    });
    m_session->enqueue(fetch);
}

Error MailboxSync::storeHeaders(QList<store::RemoteHeaders> &rows)
{
    if (rows.isEmpty())
        return {};
    qint64 inserted = 0;
    if (const Error error = m_store->addRemoteHeaders(m_folderId, rows, &inserted))
        return error;
    // Rows a sync cut short stored already are not new to whoever reads the report.
    m_report.added += inserted;
    m_headerDone += rows.size();
    rows.clear();
    Q_EMIT progress(m_headerDone, m_headerTotal);
    return {};
}

void MailboxSync::downloadBodies()
{
    if (!m_options.downloadBodies)
        return saveState();
    m_bodies =
        std::make_unique<BodyDownload>(m_session, m_store, m_folderId, m_selected.uidValidity);
    connect(m_bodies.get(), &BodyDownload::progress, this, &MailboxSync::bodyProgress);
    connect(m_bodies.get(), &BodyDownload::finished, this, [this] {
        if (m_bodies->error())
            return fail(m_bodies->error());
        m_report.bodies = m_bodies->downloaded();
        saveState();
    });
    m_bodies->start(m_options.bodiesSince);
}

void MailboxSync::saveState()
{
    store::RemoteFolderState state;
    state.remoteName = m_wireName;
    state.uidValidity = m_selected.uidValidity;
    state.uidNext = std::max({m_selected.uidNext, m_highestUid + 1, m_state.uidNext});
    // What SELECT reported: a change made during the sync is seen again next time.
    state.highestModSeq = m_selected.noModSeq ? 0 : m_selected.highestModSeq;
    state.lastFullSync = QDateTime::currentMSecsSinceEpoch();
    if (const Error error = m_store->setRemoteFolderState(m_folderId, state))
        return fail(error);
    m_state = state;
    finish();
}

void MailboxSync::fail(const Error &error)
{
    if (m_finished)
        return;
    m_error = error;
    finish();
}

void MailboxSync::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_report.elapsedMs = m_clock.elapsed();
    if (m_bodies) {
        // Those stored before a failure stay stored: the report says so.
        m_report.bodies = m_bodies->downloaded();
        m_bodies->cancel();
    }
    if (m_pool && m_session) {
        if (m_error)
            m_session->abort(m_error); // commands in flight belong to a failed sync
        else
            m_pool->release(m_session);
    }
    Q_EMIT finished();
}

} // namespace wharf::controllers
