#include "protocols/imap/commands/StoreFlagsCommand.h"

#include "protocols/imap/FetchData.h"

namespace wharf::imap {

StoreFlagsCommand::StoreFlagsCommand(const SequenceSet &uids, Mode mode,
                                     const QByteArrayList &flags, QObject *parent)
    : ImapCommand(parent)
    , m_uids(uids)
    , m_mode(mode)
    , m_flags(flags)
{}

CommandText StoreFlagsCommand::command() const
{
    CommandBuilder builder("UID STORE");
    builder.atom(m_uids.toByteArray());
    if (m_unchangedSince > 0)
        builder.beginList().atom("UNCHANGEDSINCE").number(m_unchangedSince).endList();
    const char *item = m_mode == Mode::Add      ? "+FLAGS.SILENT"
                       : m_mode == Mode::Remove ? "-FLAGS.SILENT"
                                                : "FLAGS.SILENT";
    builder.atom(item).beginList();
    for (const QByteArray &flag : m_flags) {
        // A keyword with a space or a parenthesis would change the command's meaning.
        if (isFlagText(flag))
            builder.atom(flag);
    }
    return builder.endList().build();
}

bool StoreFlagsCommand::handleUntagged(const Response &response)
{
    if (!response.hasNumber || response.name != "FETCH")
        return false;
    const std::optional<FetchData> data = parseFetch(response.number, response.data);
    if (!data || !data->uid || !m_uids.contains(*data->uid))
        return false;
    Q_EMIT flagsChanged(*data);
    return true;
}

void StoreFlagsCommand::handleCompletion(const Response &response)
{
    if (response.code.is("MODIFIED")) {
        if (const auto set = SequenceSet::parse(response.code.raw))
            m_modified = *set;
    }
    ImapCommand::handleCompletion(response);
}

} // namespace wharf::imap
