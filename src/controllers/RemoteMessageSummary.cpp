#include "controllers/RemoteMessageSummary.h"

#include "mime/EncodedWords.h"
#include "mime/MessageIds.h"

namespace wharf::controllers {

namespace {

struct FlagName
{
    MessageFlag flag;
    const char *name;
};

constexpr FlagName kFlagNames[] = {
    {MessageFlag::Seen, "\\Seen"},       {MessageFlag::Answered, "\\Answered"},
    {MessageFlag::Flagged, "\\Flagged"}, {MessageFlag::Deleted, "\\Deleted"},
    {MessageFlag::Draft, "\\Draft"},     {MessageFlag::Forwarded, "$Forwarded"},
};

QString displayText(const QByteArray &raw)
{
    QString text = mime::decodeHeaderText(raw);
    for (QChar &c : text) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            c = u' ';
    }
    return text;
}

QString displayAddress(const imap::EnvelopeAddress &address)
{
    // RFC 3501 7.4.2: a NIL host marks a group's start or end, not a mailbox.
    if (address.host.isEmpty())
        return {};
    const QString mailbox =
        QString::fromUtf8(address.mailbox) + u'@' + QString::fromUtf8(address.host);
    const QString name = displayText(address.name).trimmed();
    return name.isEmpty() ? mailbox : name + QStringLiteral(" <") + mailbox + u'>';
}

QString displayAddresses(const QList<imap::EnvelopeAddress> &addresses)
{
    QStringList shown;
    for (const imap::EnvelopeAddress &address : addresses) {
        const QString text = displayAddress(address);
        if (!text.isEmpty())
            shown.append(text);
    }
    return shown.join(QStringLiteral(", "));
}

} // namespace

MessageFlags flagsFromImap(const QByteArrayList &flags, QStringList *keywords)
{
    MessageFlags result;
    for (const QByteArray &word : flags) {
        bool known = false;
        for (const FlagName &name : kFlagNames) {
            if (word.compare(name.name, Qt::CaseInsensitive) == 0) {
                result |= name.flag;
                known = true;
                break;
            }
        }
        if (!known && keywords && word.compare("\\Recent", Qt::CaseInsensitive) != 0)
            keywords->append(QString::fromUtf8(word));
    }
    return result;
}

QByteArrayList flagsToImap(MessageFlags flags)
{
    QByteArrayList result;
    for (const FlagName &name : kFlagNames) {
        if (flags.testFlag(name.flag))
            result.append(name.name);
    }
    return result;
}

QString keywordText(const QStringList &keywords)
{
    QStringList safe;
    for (const QString &keyword : keywords) {
        // One word each: the store separates keywords with spaces.
        if (!keyword.isEmpty() && !keyword.contains(u' '))
            safe.append(keyword);
    }
    return safe.join(u' ');
}

const char kHeaderSyncItems[] =
    "(UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODY.PEEK[HEADER.FIELDS (REFERENCES)])";

store::RemoteHeaders toRemoteHeaders(const imap::FetchData &data, quint32 uidValidity)
{
    const RemoteMessageSummary summary = summarize(data);
    store::RemoteHeaders headers;
    store::MessageRecord &record = headers.record;
    record.remote.uidValidity = uidValidity;
    record.remote.uid = summary.uid;
    record.flags = summary.flags;
    record.extraFlags = keywordText(summary.keywords);
    record.internalDate =
        summary.internalDate.isValid() ? summary.internalDate.toMSecsSinceEpoch() : 0;
    record.size = qint64(summary.size);
    record.from = summary.from;
    record.recipients = summary.to;
    record.subject = summary.subject;
    record.messageId = summary.messageId;
    record.inReplyTo = summary.inReplyTo;
    for (const imap::BodySection &section : data.sections) {
        if (!section.section.startsWith("HEADER.FIELDS"))
            continue;
        // "References: <a@b> <c@d>" possibly folded; the field name is not an id.
        const QByteArray &bytes = section.content.bytes;
        const qsizetype colon = bytes.indexOf(':');
        if (colon >= 0)
            record.references = mime::extractMessageIds(QByteArrayView(bytes).sliced(colon + 1));
    }
    return headers;
}

RemoteMessageSummary summarize(const imap::FetchData &data)
{
    RemoteMessageSummary summary;
    summary.uid = data.uid.value_or(0);
    if (data.flags)
        summary.flags = flagsFromImap(*data.flags, &summary.keywords);
    summary.internalDate = data.internalDate.value_or(QDateTime());
    summary.size = data.size.value_or(0);
    if (data.envelope) {
        const imap::Envelope &envelope = *data.envelope;
        summary.from = displayAddresses(envelope.from);
        summary.to = displayAddresses(envelope.to + envelope.cc);
        summary.subject = displayText(envelope.subject);
        // The same keys the store derives from a message's own headers.
        summary.messageId = mime::normaliseMessageId(envelope.messageId);
        summary.inReplyTo = mime::extractMessageIds(envelope.inReplyTo).value(0);
    }
    return summary;
}

} // namespace wharf::controllers
