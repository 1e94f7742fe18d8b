#include "protocols/imap/commands/SearchCommand.h"

#include "protocols/imap/ImapSession.h"
#include "protocols/imap/MailboxData.h"

namespace wharf::imap {

SearchCommand::SearchCommand(const QByteArray &criteria, QObject *parent)
    : ImapCommand(parent)
    , m_criteria(criteria)
{}

CommandText SearchCommand::command() const
{
    CommandBuilder builder("UID SEARCH");
    if (session()->hasCapability("ESEARCH"))
        builder.atom("RETURN (ALL)");
    return builder.atom(m_criteria).build();
}

bool SearchCommand::handleUntagged(const Response &response)
{
    if (!response.isUntagged("SEARCH") && !response.isUntagged("ESEARCH"))
        return false;
    const std::optional<SearchData> data = parseSearch(response);
    if (!data)
        return false;
    // An ESEARCH for another command's tag is not ours.
    if (response.isUntagged("ESEARCH") && !data->tag.isEmpty() && data->tag != tag())
        return false;
    for (const SequenceSet::Range &range : data->numbers.ranges())
        m_uids.addRange(range.first, range.last);
    if (data->highestModSeq)
        m_highestModSeq = data->highestModSeq;
    return true;
}

} // namespace wharf::imap
