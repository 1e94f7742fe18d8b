#pragma once

#include "protocols/imap/ImapCommand.h"
#include "protocols/imap/ImapSession.h"
#include "protocols/imap/SequenceSet.h"

#include <optional>

namespace wharf::imap {

struct FetchData;
struct VanishedData;

// What the client remembers of a mailbox from its last visit, for a quick resync
// (RFC 7162 3.2.5: SELECT mailbox (QRESYNC (uidvalidity modseq known-uids))).
struct QresyncParameters
{
    quint32 uidValidity = 0;
    quint64 modSeq = 0;
    SequenceSet knownUids; // optional; empty: the server reports every change since modSeq
};

// SELECT or EXAMINE (RFC 3501 6.3.1/6.3.2), with CONDSTORE or QRESYNC parameters. During a
// QRESYNC select the server reports what changed since the last visit as VANISHED (EARLIER)
// and FETCH responses, which this command passes on as signals.
class SelectCommand : public ImapCommand
{
    Q_OBJECT
public:
    SelectCommand(const QByteArray &wireName, bool readOnly = false, QObject *parent = nullptr);
    Scheduling scheduling() const override { return Scheduling::Exclusive; }

    void setCondstore(bool condstore) { m_condstore = condstore; }
    void setQresync(const QresyncParameters &parameters) { m_qresync = parameters; }

    // Valid after a successful finish.
    const SelectedMailbox &mailbox() const { return m_mailbox; }

Q_SIGNALS:
    void vanished(const wharf::imap::VanishedData &data);
    void messageChanged(const wharf::imap::FetchData &data);

protected:
    CommandText command() const override;
    QByteArray name() const override { return m_readOnly ? "EXAMINE" : "SELECT"; }
    bool handleUntagged(const Response &response) override;
    void handleCompletion(const Response &response) override;

private:
    QByteArray m_wireName;
    bool m_readOnly;
    bool m_condstore = false;
    std::optional<QresyncParameters> m_qresync;
    SelectedMailbox m_mailbox;
};

} // namespace wharf::imap
