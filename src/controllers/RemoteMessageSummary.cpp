#include "controllers/RemoteMessageSummary.h"

#include "mime/EncodedWords.h"

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

QByteArray withoutBrackets(const QByteArray &id)
{
    QByteArray trimmed = id.trimmed();
    if (trimmed.startsWith('<') && trimmed.endsWith('>'))
        trimmed = trimmed.mid(1, trimmed.size() - 2);
    return trimmed;
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
        summary.messageId = withoutBrackets(envelope.messageId);
        summary.inReplyTo = withoutBrackets(envelope.inReplyTo);
    }
    return summary;
}

} // namespace wharf::controllers
