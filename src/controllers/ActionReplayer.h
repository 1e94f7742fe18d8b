#pragma once

#include "controllers/ActionReplayJob.h"
#include "core/Error.h"
#include "protocols/imap/FetchData.h"
#include "store/PendingActions.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <functional>

namespace wharf::store {
class MailStore;
}

namespace wharf::imap {
class ImapSession;
}

namespace wharf::controllers {

// Replays the store's queue of local changes (MailActions) to the server, in queue order per
// folder. Consecutive compatible actions go as one command; independent commands (no uid in
// common, no plain EXPUNGE) are pipelined, the rest wait for what came before.
//
// The sync calls replay() on its own session right after its SELECT and before it pulls
// flags, so that local changes reach the server before the server's older state could
// overwrite them. The replayer SELECTs the folder itself only when the session does not have
// it selected read-write.
//
// Per action:
// - done: it leaves the queue; a move, copy or append gives the local row the uid COPYUID or
//   APPENDUID named (a row the sync fetched meanwhile for that uid gives way to it), and a
//   moved message whose flags changed while it waited gets those pushed to its new mailbox.
//   Without COPYUID/APPENDUID (no UIDPLUS, or the message was gone) the local row gives way
//   to the server's copy, which the target's next sync lists.
// - refused (NO/BAD): it leaves the queue, actionRefused() reports it, and the local state
//   becomes the server's: flags fetched again; a moved message goes back with its uid; a
//   copy is removed; expunged messages come back as headers; an upload stays a local-only
//   message.
// - UIDVALIDITY of the action is not the mailbox's: its uids mean nothing now. It is dropped
//   and reported; the rows are left for the sync to learn again (a moved row that is only
//   headers goes, a local copy stays here).
// - the connection is lost: it stays queued (its attempt counted) with everything after it,
//   and finished() carries the error.
class ActionReplayer : public QObject
{
    Q_OBJECT
public:
    explicit ActionReplayer(store::MailStore *store, QObject *parent = nullptr);
    ~ActionReplayer() override;

    // The actions of one folder: flag changes, moves, copies and expunges of its messages,
    // uploads into it and changes of the folder itself. The session must be logged in; it
    // is left with the folder selected. finished() always follows, never from inside.
    void replay(imap::ImapSession *session, qint64 folderId);
    // Every queued action, folder after folder in the order of their oldest action.
    void replayAll(imap::ImapSession *session);
    bool isRunning() const { return m_running; }

    // How much message data a step sends as pipelined APPENDs.
    static constexpr qint64 kMaxAppendBytesPerStep = 32ll * 1024 * 1024;

Q_SIGNALS:
    void actionReplayed(const wharf::store::PendingAction &action);
    void actionRefused(const wharf::store::PendingAction &action, const wharf::Error &error);
    // No error: the queue of the folder (or every queue) was worked through. Otherwise the
    // connection was lost or the store failed; what was not done stays queued.
    void finished(const wharf::Error &error);

private:
    struct Refusal
    {
        store::PendingAction action;
        Error error;
    };
    using Step = QList<ReplayGroup>;

    void start(imap::ImapSession *session, qint64 folderId, bool all);
    void nextFolder();
    void loadFolder();
    void selectFolder();
    void screen(QList<store::PendingAction> actions);
    QList<ReplayGroup> groupActions(const QList<store::PendingAction> &actions) const;
    bool joins(const ReplayGroup &group, const store::PendingAction &action) const;
    void nextStep();
    Error prepareAppend(ReplayGroup &group);
    void onJobFinished();
    void settleStep();
    Error settleDone(const ReplayJob &job, const store::PendingAction &action);
    Error adoptUid(qint64 messageId, quint32 uidValidity, quint32 uid);
    Error queueFlagDifference(qint64 folderId, quint32 uidValidity, quint32 uid,
                              MessageFlags server, MessageFlags local);
    Error dropUnreachable(const store::PendingAction &action, const Error &error);
    void correct();
    void applyCorrections();
    Error undo(const Refusal &refusal);
    bool sessionUsable() const;
    void stop(const Error &error);
    void finish(const Error &error);

    store::MailStore *m_store;
    QPointer<imap::ImapSession> m_session;
    bool m_running = false;
    bool m_all = false;
    QList<qint64> m_folders; // still to do
    qint64 m_folderId = 0;
    QByteArray m_wireName; // the folder's mailbox
    QSet<qint64> m_attempted;
    QList<store::PendingAction> m_waiting; // the folder's actions after its changes
    QList<Step> m_steps;
    std::function<void()> m_afterSteps;
    QList<ReplayJob *> m_jobs; // of the running step
    QList<Refusal> m_refused;
    int m_fetches = 0;
    Error m_fetchError;
    QList<imap::FetchData> m_flagData, m_headerData;
    Error m_stopError;
};

} // namespace wharf::controllers
