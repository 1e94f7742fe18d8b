#include "mime/Message.h"

#include "mime/EncodedWords.h"
#include "mime/MailDate.h"
#include "mime/MessageParser.h"

namespace wharf::mime {

namespace {

void collectLeaves(const MessagePart &part, QList<const MessagePart *> &leaves)
{
    if (part.isLeaf()) {
        leaves.append(&part);
        return;
    }
    for (const MessagePart &child : part.children())
        collectLeaves(child, leaves);
}

} // namespace

Message Message::parse(const QByteArray &raw)
{
    Message message;
    message.m_root = MessageParser::parse(raw);
    return message;
}

QString Message::subject() const
{
    const HeaderField *field = findField(headers(), "Subject");
    return field ? decodeHeaderText(field->value) : QString();
}

QList<MailAddress> Message::addresses(QByteArrayView field) const
{
    QList<MailAddress> all;
    // Some mailers repeat To or Cc; readers show the union.
    for (const HeaderField &each : headers()) {
        if (each.name.compare(field, Qt::CaseInsensitive) == 0)
            all += parseAddressList(each.value);
    }
    return all;
}

std::optional<QDateTime> Message::date() const
{
    const HeaderField *field = findField(headers(), "Date");
    return field ? parseMailDate(field->value) : std::nullopt;
}

QByteArray Message::messageId() const
{
    const QByteArrayList ids = messageIds(header("Message-ID"));
    return ids.isEmpty() ? header("Message-ID").trimmed() : ids.first();
}

QByteArray Message::inReplyTo() const
{
    // The first id is the parent; later ones are older ancestors some mailers add.
    const QByteArrayList ids = messageIds(header("In-Reply-To"));
    return ids.isEmpty() ? QByteArray() : ids.first();
}

QByteArrayList Message::references() const
{
    return messageIds(header("References"));
}

QString Message::listId() const
{
    const HeaderField *field = findField(headers(), "List-Id");
    return field ? decodeHeaderText(field->value) : QString();
}

QList<const MessagePart *> Message::leafParts() const
{
    QList<const MessagePart *> leaves;
    collectLeaves(m_root, leaves);
    return leaves;
}

} // namespace wharf::mime
