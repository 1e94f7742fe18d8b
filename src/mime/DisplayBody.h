#pragma once

#include "mime/Message.h"

namespace wharf::mime {

enum class BodyPreference
{
    PlainText,
    Html
};

// The part a reader shows as the message's text, or nullptr when it has none. In
// multipart/alternative the last alternative of the preferred type wins (RFC 2046 5.1.4
// orders them from plainest to richest), else the richest one there is; multipart/related
// shows its root (the first part); other multiparts show their first text part that is not
// an attachment. Attached messages and attachments are never the body.
const MessagePart *displayBody(const Message &message, BodyPreference preference);

} // namespace wharf::mime
