#include "store/MessageSummary.h"

#include "mime/DisplayBody.h"
#include "mime/Message.h"
#include "store/ThreadKeys.h"

#include <QRegularExpression>

namespace wharf::store {

namespace {

QString joinAddresses(const QList<mime::MailAddress> &addresses)
{
    QStringList shown;
    for (const mime::MailAddress &address : addresses) {
        if (!address.address.isEmpty() || !address.name.isEmpty())
            shown.append(address.toDisplayString());
    }
    return shown.join(QStringLiteral(", "));
}

QString capped(QString text, qsizetype limit)
{
    if (text.size() > limit) {
        text.truncate(limit);
        // Never leave half a surrogate pair behind.
        if (!text.isEmpty() && text.back().isHighSurrogate())
            text.chop(1);
    }
    return text;
}

// Search wants words, not markup: tags and entities out, whitespace folded.
QString htmlToSearchText(const QString &html)
{
    static const QRegularExpression blocks(QStringLiteral("<(script|style)\\b.*?</\\1\\s*>"),
                                           QRegularExpression::CaseInsensitiveOption |
                                               QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression tags(QStringLiteral("<[^>]*>"));
    QString text = html;
    text.remove(blocks);
    text.replace(tags, QStringLiteral(" "));
    text.replace(QStringLiteral("&nbsp;"), QStringLiteral(" "));
    text.replace(QStringLiteral("&lt;"), QStringLiteral("<"));
    text.replace(QStringLiteral("&gt;"), QStringLiteral(">"));
    text.replace(QStringLiteral("&quot;"), QStringLiteral("\""));
    text.replace(QStringLiteral("&amp;"), QStringLiteral("&"));
    return text.simplified();
}

bool isAttachment(const mime::MessagePart &part)
{
    if (part.disposition() == "attachment")
        return true;
    if (!part.fileName().isEmpty())
        return !part.contentType().startsWith("text/") || part.disposition() != "inline";
    return false;
}

} // namespace

MessageSummary summarizeMessage(const QByteArray &raw)
{
    MessageSummary summary;
    const mime::Message message = mime::Message::parse(raw);
    MessageRecord &record = summary.record;
    record.size = raw.size();
    record.subject = capped(message.subject(), kMaxDisplayFieldCharacters);
    const QList<mime::MailAddress> from = message.from();
    const QList<mime::MailAddress> to = message.to();
    const QList<mime::MailAddress> cc = message.cc();
    record.from = capped(joinAddresses(from), kMaxDisplayFieldCharacters);
    QString recipients = joinAddresses(to);
    const QString ccText = joinAddresses(cc);
    if (!ccText.isEmpty())
        recipients += (recipients.isEmpty() ? QString() : QStringLiteral(", ")) + ccText;
    record.recipients = capped(recipients, kMaxDisplayFieldCharacters);
    record.messageId = normaliseMessageId(message.header("Message-ID")).left(998);
    record.inReplyTo = extractMessageIds(message.header("In-Reply-To")).value(0);
    // Stored as threading reads them: ancestors oldest first, the parent last.
    record.references =
        threadReferences(message.header("References"), message.header("In-Reply-To"));
    if (const std::optional<QDateTime> date = message.date())
        record.internalDate = date->toMSecsSinceEpoch();

    for (const mime::MessagePart *part : message.leafParts()) {
        if (isAttachment(*part)) {
            record.hasAttachments = true;
            break;
        }
    }

    summary.text.addresses =
        capped(record.from + u' ' + recipients, 4 * kMaxDisplayFieldCharacters);
    if (const mime::MessagePart *body =
            mime::displayBody(message, mime::BodyPreference::PlainText)) {
        QString text = body->decodedText();
        if (body->contentType() == "text/html")
            text = htmlToSearchText(text);
        summary.text.body = capped(std::move(text), kMaxIndexedBodyCharacters);
    }
    return summary;
}

} // namespace wharf::store
