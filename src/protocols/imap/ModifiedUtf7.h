#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace wharf::imap {

// Mailbox names on the wire (RFC 3501 5.1.3): modified UTF-7 ("&AOQ-" for "ä", "&-" for
// "&"). With UTF8=ACCEPT enabled (RFC 6855) names go as UTF-8 instead.
QByteArray encodeMailboxName(const QString &name, bool utf8Enabled);
// nullopt when the bytes are not valid modified UTF-7 (or, with utf8Enabled, not valid
// UTF-8); callers then show the raw bytes and use them unchanged on the wire.
std::optional<QString> decodeMailboxName(const QByteArray &wire, bool utf8Enabled);

} // namespace wharf::imap
