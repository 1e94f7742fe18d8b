#include "protocols/imap/commands/SelectCommand.h"

#include "protocols/imap/FetchData.h"
#include "protocols/imap/MailboxData.h"

namespace wharf::imap {

SelectCommand::SelectCommand(const QByteArray &wireName, bool readOnly, QObject *parent)
    : ImapCommand(parent)
    , m_wireName(wireName)
    , m_readOnly(readOnly)
{}

CommandText SelectCommand::command() const
{
    CommandBuilder builder = session()->builder(name());
    builder.astring(m_wireName);
    if (m_qresync && m_qresync->uidValidity != 0 && session()->isEnabled("QRESYNC")) {
        builder.beginList().atom("QRESYNC").beginList();
        builder.number(m_qresync->uidValidity).number(m_qresync->modSeq);
        if (!m_qresync->knownUids.isEmpty())
            builder.atom(m_qresync->knownUids.toByteArray());
        builder.endList().endList();
    } else if (m_condstore && session()->hasCapability("CONDSTORE")) {
        builder.beginList().atom("CONDSTORE").endList();
    }
    return builder.build();
}

bool SelectCommand::handleUntagged(const Response &response)
{
    if (response.hasNumber && response.name == "EXISTS") {
        m_mailbox.exists = response.number;
        return true;
    }
    if (response.hasNumber && response.name == "RECENT")
        return true;
    if (response.isUntagged("FLAGS")) {
        if (!response.data.isEmpty())
            m_mailbox.flags = parseFlagList(response.data.first());
        return true;
    }
    if (response.isUntagged("VANISHED")) {
        if (const std::optional<VanishedData> data = parseVanished(response))
            Q_EMIT vanished(*data);
        return true;
    }
    if (response.hasNumber && response.name == "FETCH") {
        if (const std::optional<FetchData> data = parseFetch(response.number, response.data))
            Q_EMIT messageChanged(*data);
        return true;
    }
    if (response.kind != ResponseKind::Untagged || response.status != ResponseStatus::Ok)
        return false;
    const ResponseCode &code = response.code;
    if (code.is("UIDVALIDITY")) {
        m_mailbox.uidValidity = quint32(numericCode(code).value_or(0));
    } else if (code.is("UIDNEXT")) {
        m_mailbox.uidNext = quint32(numericCode(code).value_or(0));
    } else if (code.is("HIGHESTMODSEQ")) {
        m_mailbox.highestModSeq = numericCode(code).value_or(0);
    } else if (code.is("NOMODSEQ")) {
        m_mailbox.noModSeq = true;
    } else if (code.is("PERMANENTFLAGS")) {
        if (!code.arguments.isEmpty())
            m_mailbox.permanentFlags = parseFlagList(code.arguments.first());
    } else if (code.is("CLOSED")) {
        // RFC 7162 3.2.11: the previous mailbox is closed; what follows is about the new one.
    } else {
        return false; // UNSEEN, ALERT and the rest: the session's
    }
    return true;
}

void SelectCommand::handleCompletion(const Response &response)
{
    if (response.status != ResponseStatus::Ok) {
        fail(refusal(response));
        return;
    }
    m_mailbox.wireName = m_wireName;
    m_mailbox.readOnly = m_readOnly || response.code.is("READ-ONLY");
    session()->m_selected = m_mailbox;
    succeed();
}

} // namespace wharf::imap
