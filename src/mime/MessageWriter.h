#pragma once

#include "core/Error.h"
#include "mime/Draft.h"

#include <variant>

namespace wharf::mime {

// The draft as an RFC 5322 / MIME message with CRLF line ends, ready for SMTP or an IMAP
// APPEND. Fails with ErrorKind::Usage, naming the field, when a header value (subject,
// names, addresses, file names, ids) contains CR, LF or NUL: such text is never passed
// through, since it could add header fields (Bcc injection) the user never saw.
std::variant<QByteArray, Error> writeMessage(const Draft &draft, const WriteOptions &options = {});

} // namespace wharf::mime
