#include "protocols/imap/commands/FetchCommand.h"

#include "protocols/imap/FetchData.h"
#include "protocols/imap/ImapSession.h"
#include "protocols/imap/MailboxData.h"

namespace wharf::imap {

namespace {

// "* 12 FETCH (UID 40 BODY[] " -> 40; 0 when the UID comes after the literal.
quint32 uidInHead(const QByteArray &head)
{
    const qsizetype at = head.indexOf(" UID ");
    if (at < 0)
        return 0;
    qsizetype pos = at + 5;
    quint64 value = 0;
    while (pos < head.size() && head.at(pos) >= '0' && head.at(pos) <= '9' && value <= 0xffffffffu)
        value = value * 10 + quint64(head.at(pos++) - '0');
    return value <= 0xffffffffu ? quint32(value) : 0;
}

} // namespace

FetchCommand::FetchCommand(const SequenceSet &uids, const QByteArray &items, QObject *parent)
    : ImapCommand(parent)
    , m_uids(uids)
    , m_items(items)
{}

void FetchCommand::setChangedSince(quint64 modSeq, bool vanished)
{
    m_changedSince = modSeq;
    m_vanished = vanished;
}

CommandText FetchCommand::command() const
{
    CommandBuilder builder("UID FETCH");
    builder.atom(m_uids.toByteArray()).atom(m_items);
    if (m_changedSince > 0) {
        builder.beginList().atom("CHANGEDSINCE").number(m_changedSince);
        if (m_vanished && session()->isEnabled("QRESYNC"))
            builder.atom("VANISHED");
        builder.endList();
    }
    return builder.build();
}

bool FetchCommand::handleUntagged(const Response &response)
{
    if (response.isUntagged("VANISHED") && m_vanished) {
        const std::optional<VanishedData> data = parseVanished(response);
        if (data && data->earlier) {
            Q_EMIT vanished(*data);
            return true;
        }
        return false;
    }
    if (!response.hasNumber || response.name != "FETCH")
        return false;
    QByteArray problem;
    const std::optional<FetchData> data = parseFetch(response.number, response.data, &problem);
    if (!data) {
        // One bad response must not lose the rest of the batch; the caller learns of it.
        if (!m_malformed) {
            m_malformed = Error(ErrorKind::ProtocolError,
                                QStringLiteral("UID FETCH: the server sent a malformed "
                                               "response for message %1: %2")
                                    .arg(response.number)
                                    .arg(QString::fromUtf8(problem)));
        }
        return true;
    }
    if (!data->uid || !m_uids.contains(*data->uid))
        return false;
    ++m_fetched;
    Q_EMIT messageFetched(*data);
    return true;
}

void FetchCommand::handleCompletion(const Response &response)
{
    if (response.status == ResponseStatus::Ok && m_malformed)
        fail(m_malformed);
    else
        ImapCommand::handleCompletion(response);
}

bool FetchCommand::handleChunk(const LiteralChunk &chunk)
{
    if (!chunk.head.contains(" FETCH "))
        return false;
    const quint32 uid = uidInHead(chunk.head);
    if (uid != 0 && !m_uids.contains(uid))
        return false;
    Q_EMIT chunkReceived(chunk);
    return true;
}

} // namespace wharf::imap
