#pragma once

#include "core/Error.h"
#include "protocols/imap/MailboxData.h"
#include "protocols/imap/SequenceSet.h"
#include "store/PendingActions.h"

#include <QByteArrayList>
#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QPointer>

#include <optional>

namespace wharf::imap {
class ImapSession;
}

namespace wharf::controllers {

// Consecutive queued actions of one kind that go to the server as one command (or one per
// chunk of uids): flag changes with the same flags, moves or copies to the same mailbox,
// expunges. Appends and folder changes are one action each.
struct ReplayGroup
{
    store::PendingAction::Kind kind = store::PendingAction::Kind::AddFlags;
    QList<store::PendingAction> actions; // in queue order
    imap::SequenceSet uids;              // every action's uids
    // Move, Copy, Append: where to; CreateFolder, DeleteFolder: the mailbox; RenameFolder:
    // the new name.
    QByteArray targetWireName;
    QByteArray sourceWireName; // RenameFolder: the old name
    QByteArrayList flags;      // AddFlags, RemoveFlags: what to set; Append: the message's
    QByteArray message;        // Append: read just before it is sent
    qint64 messageSize = 0;    // Append: to size the step before the bytes are read
    QDateTime internalDate;    // Append
    // Runs with nothing else in flight: a plain EXPUNGE (it removes every \Deleted message, so
    // its order against flag changes matters), a move that falls back to one, folder changes.
    bool exclusive = false;
};

// Sends one group on a session and tells, per action, what became of it: done, refused by
// the server, or cut off by a lost connection. Uid sets are split so no command line grows
// past a few kilobytes; the parts run pipelined. A move, copy or append refused with
// [TRYCREATE] creates the target mailbox and is tried once more.
class ReplayJob : public QObject
{
    Q_OBJECT
public:
    enum class Outcome
    {
        Done,
        Refused,
        ConnectionLost,
    };

    ReplayJob(imap::ImapSession *session, ReplayGroup group, QObject *parent = nullptr);
    void start();
    bool isFinished() const { return m_finished; }

    const ReplayGroup &group() const { return m_group; }
    // What happened to the part of the job that carried this action's uids (the worst, when
    // they were split); the whole job for an action without uids.
    Outcome outcome(const store::PendingAction &action, Error *error) const;
    // COPYUID of moves and copies: source uid → uid in the target, under copyValidity().
    const QHash<quint32, quint32> &copied() const { return m_copied; }
    quint32 copyValidity() const { return m_copyValidity; }
    const std::optional<imap::CopyUidData> &appendUid() const { return m_appendUid; }

    // Ranges per command: "12345:12399," is about a dozen bytes, so a line stays under 6 KB.
    static constexpr qsizetype kMaxRangesPerCommand = 500;
    static QList<imap::SequenceSet> chunks(const imap::SequenceSet &uids);

Q_SIGNALS:
    void finished();

private:
    struct Part
    {
        imap::SequenceSet uids;
        bool running = false;
        bool finished = false;
        Outcome outcome = Outcome::Done;
        Error error;
        bool targetMissing = false;
    };

    void startRound();
    void startPart(qsizetype index);
    void partFinished(qsizetype index, const Error &error, bool targetMissing);
    void noteCopyUid(const std::optional<imap::CopyUidData> &copyUid);
    void roundFinished();
    void createTarget(const QList<qsizetype> &missing);
    bool sessionUsable() const;
    void finish();

    QPointer<imap::ImapSession> m_session;
    ReplayGroup m_group;
    QList<Part> m_parts;
    QHash<quint32, quint32> m_copied;
    quint32 m_copyValidity = 0;
    std::optional<imap::CopyUidData> m_appendUid;
    bool m_triedCreate = false;
    bool m_finished = false;
};

// "a" overlaps "b": they share a number.
bool overlaps(const imap::SequenceSet &a, const imap::SequenceSet &b);
// Adds every number of "more" to "set".
void unite(imap::SequenceSet &set, const imap::SequenceSet &more);

} // namespace wharf::controllers
