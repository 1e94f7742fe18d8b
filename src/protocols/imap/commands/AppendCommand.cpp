#include "protocols/imap/commands/AppendCommand.h"

#include "protocols/imap/FetchData.h"
#include "protocols/imap/ImapSession.h"

namespace wharf::imap {

AppendCommand::AppendCommand(const QByteArray &targetWireName, const QByteArray &message,
                             const QByteArrayList &flags, const QDateTime &internalDate,
                             QObject *parent)
    : ImapCommand(parent)
    , m_target(targetWireName)
    , m_message(message)
    , m_flags(flags)
    , m_internalDate(internalDate)
{}

CommandText AppendCommand::command() const
{
    CommandBuilder builder = session()->builder("APPEND");
    builder.astring(m_target);
    QByteArrayList flags;
    for (const QByteArray &flag : m_flags) {
        // \Recent may not be set by a client (RFC 3501 6.3.11).
        if (isFlagText(flag) && flag.compare("\\Recent", Qt::CaseInsensitive) != 0)
            flags.append(flag);
    }
    if (!flags.isEmpty()) {
        builder.beginList();
        for (const QByteArray &flag : std::as_const(flags))
            builder.atom(flag);
        builder.endList();
    }
    if (m_internalDate.isValid())
        builder.string(formatInternalDate(m_internalDate));
    return builder.literal(m_message).build();
}

void AppendCommand::handleCompletion(const Response &response)
{
    if (response.code.is("APPENDUID"))
        m_appendUid = parseAppendUid(response.code);
    ImapCommand::handleCompletion(response);
}

} // namespace wharf::imap
