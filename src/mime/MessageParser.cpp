#include "mime/MessageParser.h"

#include "mime/Charset.h"
#include "mime/ParameterValues.h"
#include "mime/TransferEncoding.h"

namespace wharf::mime {

namespace {

// "--boundary" at qsizetype `at`: is it a delimiter line, and is it the closing one?
// RFC 2046 5.1.1: the delimiter starts a line and may be followed by "--" (close), then
// linear whitespace, then the line end.
bool isDelimiterLine(QByteArrayView body, qsizetype at, qsizetype boundaryLength, bool &closing,
                     qsizetype &lineEnd)
{
    if (at > 0 && body[at - 1] != '\n')
        return false;
    qsizetype pos = at + 2 + boundaryLength;
    closing = body.sliced(pos).startsWith("--");
    if (closing)
        pos += 2;
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t'))
        ++pos;
    if (pos < body.size() && body[pos] == '\r')
        ++pos;
    if (pos < body.size() && body[pos] != '\n')
        return false;
    lineEnd = pos < body.size() ? pos + 1 : pos;
    return true;
}

QByteArray stripAngles(QByteArray id)
{
    id = id.trimmed();
    if (id.startsWith('<') && id.endsWith('>') && id.size() >= 2)
        return id.mid(1, id.size() - 2);
    return id;
}

} // namespace

QByteArray MessagePart::header(QByteArrayView name) const
{
    const HeaderField *field = findField(m_headers, name);
    return field ? field->value : QByteArray();
}

QByteArrayView MessagePart::rawBody() const
{
    return QByteArrayView(m_source).sliced(m_bodyBegin, m_bodyLength);
}

QByteArray MessagePart::decodedBytes() const
{
    return decodeTransferEncoding(rawBody(), m_transferEncoding);
}

QString MessagePart::decodedText() const
{
    return decodeCharset(decodedBytes(), m_charset.toLatin1());
}

MessagePart MessageParser::parse(const QByteArray &message)
{
    MessagePart root = parseEntity(message, 0, message.size(), "text/plain", 0);
    numberMessage(root, {});
    return root;
}

MessagePart MessageParser::parseEntity(const QByteArray &source, qsizetype begin, qsizetype end,
                                       QByteArrayView defaultType, int depth)
{
    MessagePart part;
    part.m_source = source;
    const HeaderBlock block = parseHeaderBlock(QByteArrayView(source).sliced(begin, end - begin));
    part.m_headers = block.fields;
    part.m_bodyBegin = begin + block.bodyOffset;
    part.m_bodyLength = end - part.m_bodyBegin;

    const QByteArray contentTypeValue = part.header("Content-Type");
    const ParameterizedValue contentType = parseParameterizedValue(contentTypeValue);
    // An unusable type (no "/") falls back to the default, as RFC 2045 5.2 says.
    const qsizetype slash = contentType.type.indexOf('/');
    const bool validType = slash > 0 && slash + 1 < contentType.type.size();
    part.m_contentType = validType ? contentType.type : defaultType.toByteArray();
    if (const Parameter *charset = contentType.find("charset"))
        part.m_charset = charset->value.trimmed().toLower();
    part.m_transferEncoding = part.header("Content-Transfer-Encoding").trimmed().toLower();
    const QByteArray dispositionValue = part.header("Content-Disposition");
    part.m_disposition = parseParameterizedValue(dispositionValue).type;
    part.m_fileName = attachmentFileName(dispositionValue, contentTypeValue);
    part.m_contentId = stripAngles(part.header("Content-ID"));

    if (depth >= kMaxDepth)
        return part; // deeper structure stays one opaque leaf
    if (part.m_contentType.startsWith("multipart/")) {
        const Parameter *boundary = contentType.find("boundary");
        if (boundary && !boundary->value.isEmpty()) {
            splitMultipart(part, boundary->value.toUtf8(), depth);
            // Without a single delimiter line the body stays one opaque part.
            part.m_multipart = !part.m_children.isEmpty();
        }
    } else if (part.m_contentType == "message/rfc822" || part.m_contentType == "message/global") {
        part.m_encapsulated = true;
        const bool encoded =
            part.m_transferEncoding == "base64" || part.m_transferEncoding == "quoted-printable";
        if (encoded) {
            const QByteArray inner = part.decodedBytes();
            part.m_children.append(parseEntity(inner, 0, inner.size(), "text/plain", depth + 1));
        } else {
            part.m_children.append(parseEntity(source, part.m_bodyBegin,
                                               part.m_bodyBegin + part.m_bodyLength, "text/plain",
                                               depth + 1));
        }
    }
    return part;
}

void MessageParser::splitMultipart(MessagePart &part, const QByteArray &boundary, int depth)
{
    const QByteArrayView body = part.rawBody();
    const QByteArray delimiter = "--" + boundary;
    const QByteArrayView childDefault =
        part.m_contentType == "multipart/digest" ? "message/rfc822" : "text/plain";

    qsizetype partStart = -1; // body offset where the current child starts
    qsizetype search = 0;
    while (search <= body.size()) {
        const qsizetype at = body.indexOf(delimiter, search);
        if (at < 0)
            break;
        bool closing = false;
        qsizetype lineEnd = 0;
        if (!isDelimiterLine(body, at, boundary.size(), closing, lineEnd)) {
            search = at + 1;
            continue;
        }
        if (partStart >= 0) {
            // The line break before the delimiter belongs to the delimiter (RFC 2046 5.1.1).
            qsizetype partEnd = at;
            if (partEnd > partStart && body[partEnd - 1] == '\n')
                --partEnd;
            if (partEnd > partStart && body[partEnd - 1] == '\r')
                --partEnd;
            part.m_children.append(parseEntity(part.m_source, part.m_bodyBegin + partStart,
                                               part.m_bodyBegin + std::max(partEnd, partStart),
                                               childDefault, depth + 1));
        }
        if (closing)
            return; // the epilogue is not part of any child
        partStart = lineEnd;
        search = lineEnd;
    }
    // No closing delimiter: the last part runs to the end of the data.
    if (partStart >= 0) {
        part.m_children.append(parseEntity(part.m_source, part.m_bodyBegin + partStart,
                                           part.m_bodyBegin + body.size(), childDefault,
                                           depth + 1));
    }
}

void MessageParser::numberMessage(MessagePart &root, const QByteArray &prefix)
{
    const QByteArray dot = prefix.isEmpty() ? QByteArray() : prefix + '.';
    if (root.m_multipart) {
        root.m_partNumber = prefix;
        for (qsizetype i = 0; i < root.m_children.size(); ++i)
            assignNumber(root.m_children[i], dot + QByteArray::number(i + 1));
    } else {
        // A single-part message's body is its part 1.
        assignNumber(root, dot + "1");
    }
}

void MessageParser::assignNumber(MessagePart &part, const QByteArray &partNumber)
{
    part.m_partNumber = partNumber;
    if (part.m_multipart) {
        for (qsizetype i = 0; i < part.m_children.size(); ++i)
            assignNumber(part.m_children[i], partNumber + '.' + QByteArray::number(i + 1));
    } else if (part.m_encapsulated && !part.m_children.isEmpty()) {
        numberMessage(part.m_children.first(), partNumber);
    }
}

} // namespace wharf::mime
