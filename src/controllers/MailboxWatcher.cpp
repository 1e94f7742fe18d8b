#include "controllers/MailboxWatcher.h"

#include "controllers/ImapConnectionPool.h"
#include "core/Logging.h"
#include "protocols/imap/FetchData.h"
#include "protocols/imap/ImapSession.h"
#include "protocols/imap/MailboxData.h"
#include "protocols/imap/commands/FetchCommand.h"
#include "protocols/imap/commands/IdleCommand.h"
#include "protocols/imap/commands/SearchCommand.h"
#include "protocols/imap/commands/SelectCommand.h"
#include "protocols/imap/commands/SessionCommands.h"

#include <QSet>

#include <algorithm>
#include <memory>

namespace wharf::controllers {

namespace {

constexpr quint32 kMaxUid = ~quint32(0);
const QByteArray kSummaryItems = "(UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE)";

// RFC 5530: a SELECT refused for these reasons may work a little later.
bool isTransientRefusal(const imap::ImapCommand &command)
{
    const imap::ResponseCode &code = command.completion().code;
    return code.is("UNAVAILABLE") || code.is("INUSE") || code.is("SERVERBUG");
}

} // namespace

MailboxWatcher::MailboxWatcher(ImapConnectionPool *pool, const QString &mailbox,
                               const MailboxWatcherSettings &settings, QObject *parent)
    : QObject(parent)
    , m_pool(pool)
    , m_mailbox(mailbox)
    , m_settings(settings)
    , m_backoff(settings.reconnect)
{
    for (QTimer *timer :
         {&m_reconnectTimer, &m_renewTimer, &m_livenessTimer, &m_pollTimer, &m_replyTimer})
        timer->setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &MailboxWatcher::acquire);
    connect(&m_renewTimer, &QTimer::timeout, this, &MailboxWatcher::renewIdle);
    connect(&m_livenessTimer, &QTimer::timeout, this, &MailboxWatcher::sendNoop);
    connect(&m_pollTimer, &QTimer::timeout, this, &MailboxWatcher::sendNoop);
    connect(&m_replyTimer, &QTimer::timeout, this, [this] {
        const QString host = m_pool ? m_pool->settings().endpoint.host : QString();
        dropSession(
            Error(ErrorKind::Timeout, QStringLiteral("%1 did not answer for %2 s while watching %3")
                                          .arg(host)
                                          .arg(m_settings.replyTimeoutMs / 1000.0)
                                          .arg(m_mailbox)));
    });
}

MailboxWatcher::~MailboxWatcher()
{
    // Still log out politely, but tell nobody: the listeners may be half gone too.
    blockSignals(true);
    stop();
}

void MailboxWatcher::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

bool MailboxWatcher::isWatching() const
{
    return m_state == State::Watching && m_session &&
           m_session->state() == imap::ImapSession::State::Ready;
}

void MailboxWatcher::start()
{
    if (m_state != State::Stopped || !m_pool)
        return;
    m_backoff.reset();
    setState(State::Connecting);
    acquire();
}

void MailboxWatcher::stop()
{
    if (m_state == State::Stopped)
        return;
    QPointer<imap::ImapSession> session = m_session;
    detach();
    m_reconnectTimer.stop();
    // The session belongs to the pool, which forgets it once the server said BYE; LOGOUT
    // ends a running IDLE with DONE first.
    if (session && session->state() == imap::ImapSession::State::Ready)
        session->logout();
    else if (session && m_pool)
        m_pool->release(session);
    setState(State::Stopped);
}

void MailboxWatcher::acquire()
{
    if (!m_pool) {
        giveUp(Error(ErrorKind::Cancelled, QStringLiteral("The account's connections are gone")));
        return;
    }
    const quint64 generation = ++m_generation;
    m_pool->acquireExclusive(
        this,
        [this, generation](imap::ImapSession *session) {
            if (generation != m_generation) {
                if (m_pool)
                    m_pool->release(session);
                return;
            }
            attach(session);
        },
        [this, generation](const Error &error) {
            if (generation == m_generation)
                onSessionEnded(error);
        });
}

void MailboxWatcher::attach(imap::ImapSession *session)
{
    using imap::ImapSession;
    m_session = session;
    m_pending = 0;
    m_fetchWanted = false;
    m_useIdle = session->hasCapability("IDLE");
    m_trackSequences = !session->isEnabled("QRESYNC");
    connect(session, &ImapSession::exists, this, &MailboxWatcher::onExists);
    connect(session, &ImapSession::expunged, this, &MailboxWatcher::onExpunged);
    connect(session, &ImapSession::vanished, this, &MailboxWatcher::onVanished);
    connect(session, &ImapSession::messageChanged, this, &MailboxWatcher::onMessageChanged);
    connect(session, &ImapSession::errorOccurred, this, &MailboxWatcher::onSessionEnded);
    // Closed without an error: the pool's owner ended it (cancel, logoutAll).
    connect(session, &ImapSession::closed, this, [this] { onSessionEnded({}); });

    auto *select = new imap::SelectCommand(session->mailboxWireName(m_mailbox), true);
    select->setAutoDelete(false);
    send(select, [this, select] {
        select->deleteLater();
        if (!m_session || m_session->state() != ImapSession::State::Ready)
            return; // the session's own signal tells why
        if (!select->error()) {
            onSelected(select->mailbox());
            return;
        }
        if (isTransientRefusal(*select))
            dropSession(select->error());
        else
            giveUp(select->error());
    });
}

void MailboxWatcher::detach()
{
    ++m_generation;
    if (m_session)
        m_session->disconnect(this);
    m_session = nullptr;
    m_idle = nullptr;
    m_awaited = nullptr;
    m_pending = 0;
    m_searching = false;
    for (QTimer *timer : {&m_renewTimer, &m_livenessTimer, &m_pollTimer, &m_replyTimer})
        timer->stop();
}

void MailboxWatcher::onSessionEnded(const Error &error)
{
    detach();
    if (m_state == State::Stopped)
        return;
    if (!error || error.kind() == ErrorKind::Cancelled) {
        setState(State::Stopped);
        return;
    }
    if (ReconnectBackoff::isPermanent(error))
        giveUp(error);
    else
        lose(error);
}

void MailboxWatcher::dropSession(const Error &reason)
{
    QPointer<imap::ImapSession> session = m_session;
    detach();
    // The pool hears of it through the session and forgets it.
    if (session)
        session->abort(reason);
    lose(reason);
}

void MailboxWatcher::lose(const Error &reason)
{
    const int delay = m_backoff.delayAfterLoss();
    qCInfo(lcController) << "watching" << m_mailbox << "lost the connection:" << reason.message()
                         << "- retrying in" << delay << "ms";
    setState(State::Reconnecting);
    Q_EMIT connectionLost(reason, delay);
    if (m_state == State::Reconnecting) // a slot may have stopped us
        m_reconnectTimer.start(delay);
}

void MailboxWatcher::giveUp(const Error &error)
{
    QPointer<imap::ImapSession> session = m_session;
    detach();
    m_reconnectTimer.stop();
    if (session && m_pool && session->state() == imap::ImapSession::State::Ready)
        m_pool->release(session);
    qCWarning(lcController) << "stopped watching" << m_mailbox << ":" << error.message();
    setState(State::Stopped);
    Q_EMIT errorOccurred(error);
}

void MailboxWatcher::onSelected(const imap::SelectedMailbox &mailbox)
{
    if (m_haveBaseline && mailbox.uidValidity != m_uidValidity) {
        // Old UIDs mean nothing now; what is there counts as known, not as new.
        qCInfo(lcController) << m_mailbox << "has a new UIDVALIDITY" << mailbox.uidValidity;
        m_haveBaseline = false;
    }
    m_uidValidity = mailbox.uidValidity;
    m_knownExists = mailbox.exists;
    m_uids.clear();
    if (!m_haveBaseline && mailbox.uidNext > 0) {
        m_highestUid = mailbox.uidNext - 1;
        m_haveBaseline = true;
    } else if (!m_haveBaseline && mailbox.exists == 0) {
        m_highestUid = 0;
        m_haveBaseline = true;
    } else if (m_haveBaseline && mailbox.exists > 0) {
        // Mail that came while the connection was down is new to whoever listens.
        m_fetchWanted = mailbox.uidNext == 0 || mailbox.uidNext - 1 > m_highestUid;
    }
    // Without a baseline (no UIDNEXT) the UID list supplies it.
    m_uidMapStale = mailbox.exists > 0 && (m_trackSequences || !m_haveBaseline);
    m_backoff.connected();
    setState(State::Watching);
    continueWatching();
}

void MailboxWatcher::send(imap::ImapCommand *command, std::function<void()> onFinished)
{
    const quint64 generation = m_generation;
    ++m_pending;
    connect(command, &imap::ImapCommand::finished, this,
            [this, generation, command, onFinished = std::move(onFinished)] {
                if (generation != m_generation)
                    return;
                --m_pending;
                if (m_awaited == command) {
                    m_replyTimer.stop();
                    m_awaited = nullptr;
                }
                onFinished();
            });
    m_session->enqueue(command);
}

void MailboxWatcher::continueWatching()
{
    if (!isWatching() || m_pending > 0)
        return;
    if (m_uidMapStale) {
        loadUidMap();
    } else if (m_fetchWanted) {
        fetchNew();
    } else if (m_useIdle) {
        startIdle();
    } else if (!m_pollTimer.isActive()) {
        setConnectionQuiet(true);
        m_pollTimer.start(std::max(1, m_settings.pollIntervalMs));
    }
}

// Between polls nothing is said on purpose: the connection's inactivity limit would count
// that as a dead server. The reply timer guards each NOOP instead.
void MailboxWatcher::setConnectionQuiet(bool quiet)
{
    if (!m_session || !m_session->connection())
        return;
    m_session->connection()->setIdleTimeout(quiet ? 0
                                                  : m_session->settings().connection.idleTimeoutMs);
}

void MailboxWatcher::loadUidMap()
{
    m_uidMapStale = false;
    m_searching = true;
    auto *search = new imap::SearchCommand("ALL");
    search->setAutoDelete(false);
    send(search, [this, search] {
        search->deleteLater();
        m_searching = false;
        if (search->error()) {
            if (!isWatching())
                return;
            if (!m_haveBaseline) {
                giveUp(search->error());
                return;
            }
            qCWarning(lcController) << "cannot map sequence numbers in" << m_mailbox << ":"
                                    << search->error().message();
            m_trackSequences = false;
            continueWatching();
            return;
        }
        if (m_trackSequences)
            m_uids = search->uids().toList();
        if (!m_haveBaseline) {
            const QList<imap::SequenceSet::Range> &ranges = search->uids().ranges();
            m_highestUid = ranges.isEmpty() ? 0 : ranges.last().last;
            m_haveBaseline = true;
        } else if (!m_uids.isEmpty() && m_uids.last() > m_highestUid) {
            m_fetchWanted = true;
        }
        continueWatching();
    });
}

void MailboxWatcher::fetchNew()
{
    m_fetchWanted = false;
    if (m_highestUid == kMaxUid) {
        continueWatching();
        return;
    }
    const quint32 above = m_highestUid;
    // "first:4294967295", not "first:*": when no UID reaches `first`, "*" would stand for
    // the highest existing UID and bring back the newest old message.
    auto *fetch =
        new imap::FetchCommand(imap::SequenceSet::range(above + 1, kMaxUid), kSummaryItems);
    auto found = std::make_shared<QList<RemoteMessageSummary>>();
    auto seen = std::make_shared<QSet<quint32>>();
    connect(fetch, &imap::FetchCommand::messageFetched, this,
            [this, above, found, seen](const imap::FetchData &data) {
                if (!data.uid || *data.uid <= above)
                    return;
                if (seen->contains(*data.uid) || !data.envelope) {
                    // A flag change right after the answer: announce the newer flags.
                    for (RemoteMessageSummary &summary : *found) {
                        if (summary.uid != *data.uid || !data.flags)
                            continue;
                        summary.keywords.clear();
                        summary.flags = flagsFromImap(*data.flags, &summary.keywords);
                    }
                    return;
                }
                seen->insert(*data.uid);
                found->append(summarize(data));
                if (!m_trackSequences || m_searching)
                    return;
                if (!m_uids.isEmpty() && *data.uid <= m_uids.last())
                    return; // the UID list already had it
                if (data.sequence == quint32(m_uids.size()) + 1)
                    m_uids.append(*data.uid);
                else
                    m_uidMapStale = true;
            });
    send(fetch, [this, fetch, found] {
        if (fetch->error()) {
            if (isWatching())
                qCWarning(lcController)
                    << "fetching new mail in" << m_mailbox << "failed:" << fetch->error().message();
        }
        if (!found->isEmpty()) {
            std::sort(found->begin(), found->end(),
                      [](const RemoteMessageSummary &a, const RemoteMessageSummary &b) {
                          return a.uid < b.uid;
                      });
            m_highestUid = std::max(m_highestUid, found->last().uid);
            const QPointer<MailboxWatcher> alive(this);
            Q_EMIT newMail(*found);
            if (!alive)
                return;
        }
        continueWatching();
    });
}

void MailboxWatcher::startIdle()
{
    if (m_idle)
        return;
    auto *idle = new imap::IdleCommand;
    idle->setAutoDelete(false);
    m_idle = idle;
    const quint64 generation = m_generation;
    connect(idle, &imap::IdleCommand::idling, this, [this, generation] {
        if (generation != m_generation)
            return;
        m_renewTimer.start(std::max(1, m_settings.idleRenewalMs));
        if (m_settings.livenessIntervalMs > 0)
            m_livenessTimer.start(m_settings.livenessIntervalMs);
    });
    connect(idle, &imap::ImapCommand::finished, this, [this, generation, idle] {
        idle->deleteLater();
        if (generation != m_generation)
            return;
        m_idle = nullptr;
        m_renewTimer.stop();
        m_livenessTimer.stop();
        if (m_awaited == idle) {
            m_replyTimer.stop();
            m_awaited = nullptr;
        }
        if (!isWatching())
            return;
        if (idle->error()) {
            // A server that lists IDLE and then refuses it is polled instead.
            qCWarning(lcController) << "IDLE refused on" << m_mailbox << ":"
                                    << idle->error().message() << "- polling instead";
            m_useIdle = false;
        }
        continueWatching();
    });
    m_session->enqueue(idle);
}

void MailboxWatcher::renewIdle()
{
    if (!m_idle || !isWatching())
        return;
    awaitReply(m_idle);
    m_idle->stop(); // its end starts the next IDLE
}

void MailboxWatcher::sendNoop()
{
    if (!isWatching())
        return;
    m_livenessTimer.stop();
    m_pollTimer.stop();
    setConnectionQuiet(false);
    auto *noop = new imap::NoopCommand;
    // Counted from now: a running IDLE has to end first, and that answer is awaited too.
    awaitReply(noop);
    send(noop, [this, noop] {
        if (noop->error() && isWatching())
            qCWarning(lcController) << "NOOP refused:" << noop->error().message();
        continueWatching();
    });
}

void MailboxWatcher::awaitReply(imap::ImapCommand *command)
{
    m_awaited = command;
    m_replyTimer.start(std::max(1, m_settings.replyTimeoutMs));
}

void MailboxWatcher::onExists(quint32 count)
{
    if (count > m_knownExists)
        m_fetchWanted = true;
    m_knownExists = count;
    // While idling this ends the IDLE (the session sends DONE for the queued fetch); while
    // a NOOP or a fetch runs, its end comes back here through continueWatching().
    if (m_fetchWanted && m_pending == 0 && isWatching())
        fetchNew();
}

void MailboxWatcher::onExpunged(quint32 sequence)
{
    const quint32 before = m_knownExists;
    if (m_knownExists > 0)
        --m_knownExists;
    if (!m_trackSequences)
        return;
    if (m_searching) {
        m_uidMapStale = true; // the answer may predate this expunge
        return;
    }
    if (sequence == 0 || sequence > quint32(m_uids.size())) {
        // A message that came after the last fetch is not in the list yet; anything else
        // means the list and the server disagree.
        if (before <= quint32(m_uids.size()))
            m_uidMapStale = true;
        return;
    }
    const quint32 uid = m_uids.takeAt(qsizetype(sequence) - 1);
    Q_EMIT expunged(imap::SequenceSet::fromList({uid}));
}

void MailboxWatcher::onVanished(const imap::VanishedData &data)
{
    if (data.earlier)
        return; // a resync's report, not news
    m_knownExists -= quint32(std::min<quint64>(m_knownExists, data.uids.count()));
    if (m_trackSequences && !m_uids.isEmpty()) {
        m_uids.removeIf([&data](quint32 uid) { return data.uids.contains(uid); });
    }
    Q_EMIT expunged(data.uids);
}

void MailboxWatcher::onMessageChanged(const imap::FetchData &data)
{
    if (!data.flags)
        return;
    quint32 uid = data.uid.value_or(0);
    if (uid == 0 && m_trackSequences && !m_searching && data.sequence > 0 &&
        data.sequence <= quint32(m_uids.size()))
        uid = m_uids.at(qsizetype(data.sequence) - 1);
    // Not announced yet: it will be, with the flags it has then.
    if (uid == 0 || uid > m_highestUid)
        return;
    QStringList keywords;
    const MessageFlags flags = flagsFromImap(*data.flags, &keywords);
    Q_EMIT flagsChanged(uid, flags, keywords);
}

} // namespace wharf::controllers
