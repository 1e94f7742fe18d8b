#pragma once

#include "mime/AddressList.h"
#include "mime/MessageIds.h"
#include "mime/MessagePart.h"

#include <QDateTime>
#include <optional>

namespace wharf::mime {

// A parsed message: its MIME tree plus the envelope fields a mail client shows, decoded.
// Every raw header stays reachable through headers().
class Message
{
public:
    static Message parse(const QByteArray &raw);

    const MessagePart &root() const { return m_root; }
    const QList<HeaderField> &headers() const { return m_root.headers(); }
    QByteArray header(QByteArrayView name) const { return m_root.header(name); }

    QString subject() const;
    QList<MailAddress> from() const { return addresses("From"); }
    QList<MailAddress> sender() const { return addresses("Sender"); }
    QList<MailAddress> replyTo() const { return addresses("Reply-To"); }
    QList<MailAddress> to() const { return addresses("To"); }
    QList<MailAddress> cc() const { return addresses("Cc"); }
    QList<MailAddress> bcc() const { return addresses("Bcc"); }
    std::optional<QDateTime> date() const; // UTC
    QByteArray messageId() const;          // with its angle brackets, as written
    QByteArray inReplyTo() const;
    QByteArrayList references() const; // message ids, oldest first
    QString listId() const;

    // Leaf parts in tree order, descending into encapsulated messages.
    QList<const MessagePart *> leafParts() const;

private:
    QList<MailAddress> addresses(QByteArrayView field) const;

    MessagePart m_root;
};

} // namespace wharf::mime
