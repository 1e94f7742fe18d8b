#pragma once

#include "protocols/imap/ImapCommand.h"
#include "protocols/imap/SequenceSet.h"

#include <optional>

namespace wharf::imap {

// UID SEARCH criteria (RFC 3501 6.4.4). With ESEARCH (RFC 4731) the result comes back as
// ranges ("1:20000") rather than one number per message, which matters for big mailboxes.
class SearchCommand : public ImapCommand
{
    Q_OBJECT
public:
    // `criteria` is protocol text the caller built ("ALL", "UNSEEN SINCE 1-Feb-2026",
    // "MODSEQ 620162338"); strings in it must already be quoted.
    explicit SearchCommand(const QByteArray &criteria, QObject *parent = nullptr);

    const SequenceSet &uids() const { return m_uids; }
    std::optional<quint64> highestModSeq() const { return m_highestModSeq; }

protected:
    CommandText command() const override;
    QByteArray name() const override { return "UID SEARCH"; }
    bool handleUntagged(const Response &response) override;

private:
    QByteArray m_criteria;
    SequenceSet m_uids;
    std::optional<quint64> m_highestModSeq;
};

} // namespace wharf::imap
