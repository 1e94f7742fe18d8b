#pragma once

#include "protocols/imap/ImapCommand.h"
#include "protocols/imap/SequenceSet.h"

namespace wharf::imap {

struct VanishedData;

// EXPUNGE (RFC 3501 6.4.3), or UID EXPUNGE set (RFC 4315) which removes only the given
// messages even when others are marked \Deleted.
class ExpungeCommand : public ImapCommand
{
    Q_OBJECT
public:
    explicit ExpungeCommand(QObject *parent = nullptr);
    explicit ExpungeCommand(const SequenceSet &uids, QObject *parent = nullptr);
    // The plain form renumbers every message after the first removed: nothing may be in
    // flight with sequence numbers meanwhile.
    Scheduling scheduling() const override
    {
        return m_uids.isEmpty() ? Scheduling::Exclusive : Scheduling::Pipelined;
    }

Q_SIGNALS:
    void expunged(quint32 sequence);
    void vanished(const wharf::imap::VanishedData &data);

protected:
    CommandText command() const override;
    QByteArray name() const override { return m_uids.isEmpty() ? "EXPUNGE" : "UID EXPUNGE"; }
    bool handleUntagged(const Response &response) override;

private:
    SequenceSet m_uids;
};

} // namespace wharf::imap
