#include "mime/MessageWriter.h"

#include "mime/EncodedWords.h"
#include "mime/Message.h"
#include "mime/WriterEncoding.h"

#include <QLocale>
#include <QMimeDatabase>
#include <QRandomGenerator>

namespace wharf::mime {

namespace {

using namespace writer;

constexpr qsizetype MaxLine = 78;      // RFC 5322 2.1.1, where it can be kept
constexpr qsizetype MaxHardLine = 998; // the hard limit for any line
constexpr qsizetype FoldBeforeAt = 40; // a mailbox starting later goes to its own line

// A MIME entity being written: its header lines (each with CRLF) and its body.
struct Entity
{
    QByteArray headers;
    QByteArray body;
    QByteArray bytes() const { return headers + "\r\n" + body; }
};

// Thrown (and caught in writeMessage) to name the first unusable field; keeps every helper
// free of error plumbing.
struct Rejected
{
    QString message;
};

void check(const QString &field, const QString &value)
{
    if (const auto problem = headerValueProblem(value))
        throw Rejected{field + u' ' + *problem};
}

void check(const QString &field, const QByteArray &value)
{
    check(field, QString::fromUtf8(value));
}

QByteArray randomHex(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(raw.data()), bytes / 4);
    return raw.toHex();
}

bool isAtext(QChar c)
{
    static const QString Specials = QStringLiteral("!#$%&'*+-/=?^_`{|}~");
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') ||
           Specials.contains(c);
}

// Display name candidates, simplest first: atoms, a quoted string, encodeHeaderText, and
// encoded words only (always safe).
QList<QByteArray> nameForms(const QString &name, qsizetype column)
{
    QList<QByteArray> forms;
    bool ascii = true, atoms = !name.startsWith(u' ') && !name.endsWith(u' ');
    for (qsizetype i = 0; i < name.size(); ++i) {
        const QChar c = name[i];
        ascii = ascii && c.unicode() >= 0x20 && c.unicode() < 0x7f;
        atoms = atoms && (isAtext(c) || (c == u' ' && name[i - 1] != u' '));
    }
    if (ascii && atoms && !name.contains(QStringLiteral("=?")) && column + name.size() <= MaxLine)
        forms.append(name.toLatin1());
    if (ascii && column + name.size() + 2 <= MaxLine) {
        QByteArray quoted = name.toLatin1();
        quoted.replace('\\', "\\\\").replace('"', "\\\"");
        forms.append('"' + quoted + '"');
    }
    // encodeHeaderText leaves printable ASCII words plain; in a phrase only atoms may be
    // (a "." or "," would be obsolete syntax or split the mailbox).
    const bool plainWordsAreAtoms = std::all_of(name.cbegin(), name.cend(), [](QChar c) {
        return c.unicode() > 0x7e || c.unicode() <= 0x20 || isAtext(c);
    });
    if (plainWordsAreAtoms)
        forms.append(encodeHeaderText(name, column));
    forms.append(encodedWordsOnly(name, column));
    return forms;
}

void checkAddress(const QString &field, const MailAddress &mailbox, const WriteOptions &options)
{
    check(field + QStringLiteral(" display name"), mailbox.name);
    check(field + QStringLiteral(" address"), mailbox.address);
    const QString &address = mailbox.address;
    const qsizetype at = address.lastIndexOf(u'@');
    bool plain = at > 0 && at + 1 < address.size();
    for (const QChar c : address) {
        plain = plain && c.unicode() > 0x20 && c.unicode() != 0x7f &&
                !QStringLiteral("()<>,;:\\\"[]").contains(c);
        if (c.unicode() > 0x7f && !options.eightBitAllowed)
            throw Rejected{field + QStringLiteral(" address \"%1\" is not ASCII, which needs a "
                                                  "server with SMTPUTF8")
                                       .arg(address)};
    }
    if (!plain)
        throw Rejected{
            field +
            QStringLiteral(" address \"%1\" is not a plain address (name@domain)").arg(address)};
}

// "Name: a, b <c>" folded between mailboxes and before "<address>".
QByteArray addressField(const QByteArray &fieldName, const QList<MailAddress> &list,
                        const WriteOptions &options)
{
    QByteArray out = fieldName + ": ";
    qsizetype column = out.size();
    for (qsizetype k = 0; k < list.size(); ++k) {
        const MailAddress &mailbox = list[k];
        checkAddress(QString::fromLatin1(fieldName), mailbox, options);
        if (k > 0) {
            out += ',';
            ++column;
            const bool fold = column > FoldBeforeAt;
            out += fold ? "\r\n " : " ";
            column = fold ? 1 : column + 1;
        }
        const QByteArray address = mailbox.address.toUtf8();
        // Readers trim display names, so whitespace at either end cannot survive anyway.
        const QString name = mailbox.name.trimmed();
        if (name.isEmpty()) {
            out += address;
            column += address.size();
            continue;
        }
        QByteArray chosen;
        for (const QByteArray &form : nameForms(name, column)) {
            // The form is kept only if Wharf's own reader gives the same name back.
            const QList<MailAddress> back = parseAddressList(form + " <" + address + '>');
            chosen = form;
            if (back.size() == 1 && back[0].name == name && back[0].address == mailbox.address)
                break;
        }
        out += chosen;
        const qsizetype lastBreak = chosen.lastIndexOf('\n');
        column = lastBreak < 0 ? column + chosen.size() : chosen.size() - lastBreak - 1;
        if (column + 4 + address.size() > MaxLine) { // " <", ">" and a ","
            out += "\r\n <" + address + '>';
            column = 3 + address.size();
        } else {
            out += " <" + address + '>';
            column += 3 + address.size();
        }
    }
    return out + "\r\n";
}

// Message ids separated by folding whitespace.
QByteArray idField(const QByteArray &fieldName, const QByteArrayList &ids)
{
    QByteArray out = fieldName + ':';
    qsizetype column = out.size();
    for (const QByteArray &id : ids) {
        check(QString::fromLatin1(fieldName), id);
        const bool fold = column > 1 + fieldName.size() && column + 1 + id.size() > MaxLine;
        out += (fold ? "\r\n " : " ") + id;
        column = (fold ? 1 : column + 1) + id.size();
    }
    return out + "\r\n";
}

QByteArray dateValue(const QDateTime &when)
{
    const QDateTime date = when.isValid() ? when : QDateTime::currentDateTime();
    const int offset = date.offsetFromUtc() / 60;
    const int absolute = offset < 0 ? -offset : offset;
    return QLocale::c().toString(date, QStringLiteral("ddd, dd MMM yyyy hh:mm:ss ")).toLatin1() +
           (offset < 0 ? '-' : '+') + QByteArray::number(absolute / 60).rightJustified(2, '0') +
           QByteArray::number(absolute % 60).rightJustified(2, '0');
}

// A text part: 7bit or 8bit when the text can travel as it is, else the shorter of
// quoted-printable and base64.
Entity textEntity(const QByteArray &subtype, const QString &text, const WriteOptions &options,
                  bool lastInMessage)
{
    const QByteArray bytes = canonicalLineEnds(text);
    bool ascii = true, risky = false;
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const auto byte = static_cast<unsigned char>(bytes[i]);
        ascii = ascii && byte < 0x80;
        const bool lineStart = i == 0 || bytes[i - 1] == '\n';
        risky =
            risky || byte == 0 || (byte < 0x20 && byte != '\t' && byte != '\r' && byte != '\n') ||
            ((byte == ' ' || byte == '\t') && (i + 1 == bytes.size() || bytes[i + 1] == '\r')) ||
            (lineStart && (bytes.sliced(i).startsWith("From ") || byte == '.'));
    }
    // A single-part body gets a final CRLF; only text already ending in one survives that.
    const bool endsWell = !lastInMessage || bytes.isEmpty() || bytes.endsWith("\r\n");
    const bool asIs = !risky && endsWell && longestLine(bytes) <= MaxHardLine &&
                      (ascii || options.eightBitAllowed);
    Entity entity;
    entity.headers = "Content-Type: text/" + subtype + "; charset=utf-8\r\n";
    if (asIs) {
        entity.headers +=
            ascii ? "Content-Transfer-Encoding: 7bit\r\n" : "Content-Transfer-Encoding: 8bit\r\n";
        entity.body = bytes;
        return entity;
    }
    const QByteArray qp = quotedPrintable(bytes);
    const QByteArray b64 = base64Lines(bytes);
    const bool useQp = qp.size() <= b64.size();
    entity.headers += useQp ? "Content-Transfer-Encoding: quoted-printable\r\n"
                            : "Content-Transfer-Encoding: base64\r\n";
    entity.body = useQp ? qp : b64;
    return entity;
}

Entity attachmentEntity(const Attachment &attachment, int index)
{
    const QString field = QStringLiteral("Attachment %1").arg(index + 1);
    check(field + QStringLiteral(" file name"), attachment.fileName);
    check(field + QStringLiteral(" type"), attachment.mimeType);
    check(field + QStringLiteral(" Content-ID"), attachment.contentId);
    QByteArray type = attachment.mimeType.trimmed();
    if (type.isEmpty()) {
        type = QMimeDatabase()
                   .mimeTypeForFileNameAndData(attachment.fileName, attachment.data)
                   .name()
                   .toLatin1();
    }
    const qsizetype slash = type.indexOf('/');
    bool valid = slash > 0 && slash + 1 < type.size() && type.indexOf('/', slash + 1) < 0;
    for (const char c : type)
        valid = valid && c > 0x20 && c < 0x7f && !QByteArrayView("()<>@,;:\\\"[]?=").contains(c);
    if (!valid)
        throw Rejected{
            field + QStringLiteral(" type \"%1\" is not a MIME type").arg(QString::fromUtf8(type))};
    Entity entity;
    entity.headers = "Content-Type: " + type;
    if (!attachment.fileName.isEmpty())
        entity.headers += ";\r\n " + legacyParameter("name", attachment.fileName);
    entity.headers += "\r\nContent-Transfer-Encoding: base64\r\n";
    entity.headers +=
        attachment.inline_ ? "Content-Disposition: inline" : "Content-Disposition: attachment";
    if (!attachment.fileName.isEmpty())
        entity.headers += ';' + fileNameParameters("filename", attachment.fileName);
    entity.headers += "\r\n";
    QByteArray id = attachment.contentId.trimmed();
    if (id.startsWith('<') && id.endsWith('>'))
        id = id.mid(1, id.size() - 2);
    if (!id.isEmpty())
        entity.headers += "Content-ID: <" + id + ">\r\n";
    entity.body = base64Lines(attachment.data);
    return entity;
}

// The forwarded message as it is when a 7bit or 8bit transport can carry it unchanged.
Entity forwardedEntity(const QByteArray &raw, const WriteOptions &options)
{
    bool ascii = true, regular = !raw.contains('\0');
    for (qsizetype i = 0; i < raw.size() && regular; ++i) {
        ascii = ascii && static_cast<unsigned char>(raw[i]) < 0x80;
        // Bare CR or LF would be changed by SMTP; base64 keeps the bytes.
        if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r'))
            regular = false;
        if (raw[i] == '\r' && (i + 1 == raw.size() || raw[i + 1] != '\n'))
            regular = false;
    }
    regular = regular && longestLine(raw) <= MaxHardLine && (ascii || options.eightBitAllowed);
    Entity entity;
    entity.headers = "Content-Type: message/rfc822\r\nContent-Disposition: attachment\r\n";
    entity.headers += !regular ? "Content-Transfer-Encoding: base64\r\n"
                      : ascii  ? "Content-Transfer-Encoding: 7bit\r\n"
                               : "Content-Transfer-Encoding: 8bit\r\n";
    entity.body = regular ? raw : base64Lines(raw);
    return entity;
}

Entity multipart(const QByteArray &subtype, const QList<Entity> &children)
{
    if (children.size() == 1)
        return children.first();
    QList<QByteArray> parts;
    for (const Entity &child : children)
        parts.append(child.bytes());
    QByteArray boundary;
    bool clash = true;
    while (clash) {
        // "=_" cannot occur in quoted-printable or base64 text; the check covers the rest.
        boundary = "=_wharf_" + randomHex(16);
        clash = std::any_of(parts.cbegin(), parts.cend(),
                            [&](const QByteArray &part) { return part.contains(boundary); });
    }
    Entity entity;
    entity.headers =
        "Content-Type: multipart/" + subtype + ";\r\n boundary=\"" + boundary + "\"\r\n";
    for (const QByteArray &part : std::as_const(parts))
        entity.body += "--" + boundary + "\r\n" + part + "\r\n";
    entity.body += "--" + boundary + "--\r\n";
    return entity;
}

QString forwardedText(const QByteArray &raw)
{
    const Message message = Message::parse(raw);
    QString text = QStringLiteral("\n\n-------- Forwarded Message --------\n");
    text += QStringLiteral("Subject: ") + message.subject() + u'\n';
    if (const auto date = message.date())
        text += QStringLiteral("Date: ") + QString::fromLatin1(dateValue(*date)) + u'\n';
    for (const MailAddress &from : message.from())
        text += QStringLiteral("From: ") + from.toDisplayString() + u'\n';
    text += u'\n';
    for (const MessagePart *leaf : message.leafParts()) {
        if (leaf->contentType() == "text/plain" && leaf->disposition() != "attachment") {
            text += leaf->decodedText();
            break;
        }
    }
    return text;
}

QByteArray write(const Draft &draft, const WriteOptions &options)
{
    QByteArray head;
    head += addressField("From", {draft.from}, options);
    if (!draft.replyTo.isEmpty())
        head += addressField("Reply-To", draft.replyTo, options);
    if (!draft.to.isEmpty())
        head += addressField("To", draft.to, options);
    if (!draft.cc.isEmpty())
        head += addressField("Cc", draft.cc, options);
    for (const MailAddress &hidden : draft.bcc) // never written, but never accepted broken
        checkAddress(QStringLiteral("Bcc"), hidden, options);
    check(QStringLiteral("Subject"), draft.subject);
    if (!draft.subject.isEmpty())
        head += "Subject: " + encodeHeaderText(draft.subject, 9) + "\r\n";
    head += "Date: " + dateValue(options.date) + "\r\n";
    check(QStringLiteral("Message-ID domain"), options.messageIdDomain);
    head += "Message-ID: <" + randomHex(16) + '@' + options.messageIdDomain + ">\r\n";
    if (!draft.inReplyTo.isEmpty())
        head += idField("In-Reply-To", {draft.inReplyTo});
    if (!draft.references.isEmpty())
        head += idField("References", draft.references);
    head += "MIME-Version: 1.0\r\n";

    QString plain = draft.plainText;
    const bool forwardInline = !draft.forwardedMessage.isEmpty() && !draft.forwardAsAttachment;
    if (forwardInline)
        plain += forwardedText(draft.forwardedMessage);
    const bool hasHtml = !draft.htmlText.isEmpty();
    QList<Entity> related, mixed;
    for (qsizetype i = 0; i < draft.attachments.size(); ++i) {
        const Attachment &attachment = draft.attachments[i];
        const Entity entity = attachmentEntity(attachment, int(i));
        const bool toRelated = hasHtml && attachment.inline_ && !attachment.contentId.isEmpty();
        (toRelated ? related : mixed).append(entity);
    }
    if (!draft.forwardedMessage.isEmpty() && draft.forwardAsAttachment)
        mixed.append(forwardedEntity(draft.forwardedMessage, options));
    const bool single = mixed.isEmpty() && related.isEmpty() && (plain.isEmpty() || !hasHtml);

    QList<Entity> alternative;
    if (!plain.isEmpty() || (!hasHtml && mixed.isEmpty()))
        alternative.append(textEntity("plain", plain, options, single));
    if (hasHtml)
        alternative.append(multipart(
            "related",
            QList<Entity>{textEntity("html", draft.htmlText, options, single)} + related));
    QList<Entity> top;
    if (!alternative.isEmpty())
        top.append(multipart("alternative", alternative));
    const Entity root = multipart("mixed", top + mixed);
    QByteArray message = head + root.bytes();
    if (!message.endsWith("\r\n"))
        message += "\r\n";
    return message;
}

} // namespace

std::variant<QByteArray, Error> writeMessage(const Draft &draft, const WriteOptions &options)
{
    try {
        return write(draft, options);
    } catch (const Rejected &rejected) {
        return Error(ErrorKind::Usage, rejected.message);
    }
}

} // namespace wharf::mime
