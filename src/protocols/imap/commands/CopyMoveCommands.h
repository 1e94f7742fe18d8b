#pragma once

#include "protocols/imap/ImapCommand.h"
#include "protocols/imap/MailboxData.h"
#include "protocols/imap/SequenceSet.h"

#include <optional>

namespace wharf::imap {

struct VanishedData;

// UID COPY set mailbox (RFC 3501 6.4.7) or UID MOVE (RFC 6851). With UIDPLUS the server
// says which UIDs the messages got in the target ([COPYUID ...]), so the caller can keep
// its cache without fetching them again. [TRYCREATE] on failure means the target is missing.
class CopyCommand : public ImapCommand
{
    Q_OBJECT
public:
    enum class Kind
    {
        Copy,
        Move,
    };

    CopyCommand(Kind kind, const SequenceSet &uids, const QByteArray &targetWireName,
                QObject *parent = nullptr);

    const std::optional<CopyUidData> &copyUid() const { return m_copyUid; }
    bool targetMissing() const { return completion().code.is("TRYCREATE"); }

Q_SIGNALS:
    // MOVE expunges the sources as it goes: as EXPUNGE (sequence numbers) or, with QRESYNC,
    // VANISHED (UIDs).
    void expunged(quint32 sequence);
    void vanished(const wharf::imap::VanishedData &data);

protected:
    CommandText command() const override;
    QByteArray name() const override { return m_kind == Kind::Move ? "UID MOVE" : "UID COPY"; }
    bool handleUntagged(const Response &response) override;
    void handleCompletion(const Response &response) override;

private:
    Kind m_kind;
    SequenceSet m_uids;
    QByteArray m_target;
    std::optional<CopyUidData> m_copyUid;
};

} // namespace wharf::imap
