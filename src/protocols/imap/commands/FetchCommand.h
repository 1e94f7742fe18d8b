#pragma once

#include "protocols/imap/ImapCommand.h"
#include "protocols/imap/SequenceSet.h"

namespace wharf::imap {

struct FetchData;
struct VanishedData;

// UID FETCH set items [(CHANGEDSINCE modseq [VANISHED])] (RFC 3501 6.4.5, RFC 7162).
// Each message arrives as messageFetched(); literals too big to keep in memory (a 50 MB
// attachment) arrive as chunkReceived() pieces instead, so the caller can write them to disk
// as they come. FETCH responses for UIDs outside the set are left to the session: they are
// another client's flag changes, not answers.
class FetchCommand : public ImapCommand
{
    Q_OBJECT
public:
    // `items` is the parenthesised list, e.g. "(UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE)".
    FetchCommand(const SequenceSet &uids, const QByteArray &items, QObject *parent = nullptr);

    void setChangedSince(quint64 modSeq, bool vanished = false);
    void setMaxLiteralSize(qint64 bytes) { m_maxLiteralSize = bytes; }
    qint64 maxLiteralSize() const override { return m_maxLiteralSize; }
    quint64 fetchedCount() const { return m_fetched; }

Q_SIGNALS:
    void messageFetched(const wharf::imap::FetchData &data);
    void chunkReceived(const wharf::imap::LiteralChunk &chunk);
    void vanished(const wharf::imap::VanishedData &data);

protected:
    CommandText command() const override;
    QByteArray name() const override { return "UID FETCH"; }
    bool handleUntagged(const Response &response) override;
    bool handleChunk(const LiteralChunk &chunk) override;
    // A malformed message response fails the command after the good ones were delivered.
    void handleCompletion(const Response &response) override;

private:
    SequenceSet m_uids;
    QByteArray m_items;
    quint64 m_changedSince = 0;
    bool m_vanished = false;
    qint64 m_maxLiteralSize = kDefaultMaxLiteralSize;
    quint64 m_fetched = 0;
    Error m_malformed;
};

} // namespace wharf::imap
