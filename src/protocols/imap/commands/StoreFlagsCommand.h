#pragma once

#include "protocols/imap/ImapCommand.h"
#include "protocols/imap/SequenceSet.h"

#include <QByteArrayList>

namespace wharf::imap {

struct FetchData;

// UID STORE set [+-]FLAGS.SILENT (flags) [(UNCHANGEDSINCE modseq)] (RFC 3501 6.4.6,
// RFC 7162 3.1.3). Silent: the server does not echo every message back; with CONDSTORE it
// still reports MODSEQ changes as FETCH responses, passed on as flagsChanged().
class StoreFlagsCommand : public ImapCommand
{
    Q_OBJECT
public:
    enum class Mode
    {
        Add,
        Remove,
        Replace,
    };

    StoreFlagsCommand(const SequenceSet &uids, Mode mode, const QByteArrayList &flags,
                      QObject *parent = nullptr);
    void setUnchangedSince(quint64 modSeq) { m_unchangedSince = modSeq; }

    // [MODIFIED set]: messages changed by someone else since the UNCHANGEDSINCE value.
    const SequenceSet &modified() const { return m_modified; }

Q_SIGNALS:
    void flagsChanged(const wharf::imap::FetchData &data);

protected:
    CommandText command() const override;
    QByteArray name() const override { return "UID STORE"; }
    bool handleUntagged(const Response &response) override;
    void handleCompletion(const Response &response) override;

private:
    SequenceSet m_uids;
    Mode m_mode;
    QByteArrayList m_flags;
    quint64 m_unchangedSince = 0;
    SequenceSet m_modified;
};

} // namespace wharf::imap
