#pragma once

#include <QFlags>

namespace wharf {

// The system flags every mail store and protocol agrees on (IMAP \Seen..., Maildir S...).
// Keywords beyond these are strings and live with whoever keeps them.
enum class MessageFlag : unsigned
{
    Seen = 1u << 0,
    Answered = 1u << 1,
    Flagged = 1u << 2,
    Deleted = 1u << 3,
    Draft = 1u << 4,
    Forwarded = 1u << 5, // IMAP $Forwarded, Maildir "P" (passed)
};
Q_DECLARE_FLAGS(MessageFlags, MessageFlag)
Q_DECLARE_OPERATORS_FOR_FLAGS(MessageFlags)

} // namespace wharf
