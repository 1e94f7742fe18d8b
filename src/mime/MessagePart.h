#pragma once

#include "mime/HeaderFields.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace wharf::mime {

// One node of a message's MIME tree. It keeps a (shared, not copied) reference to the
// bytes it came from, so parts stay valid on their own and bodies are decoded only when
// asked for.
class MessagePart
{
public:
    // IMAP BODYSTRUCTURE numbering (RFC 3501 6.4.5): "1", "2.1", ...; empty for the
    // top-level multipart and for the header block of an encapsulated message.
    const QByteArray &partNumber() const { return m_partNumber; }
    const QList<HeaderField> &headers() const { return m_headers; }
    QByteArray header(QByteArrayView name) const;

    QByteArray contentType() const { return m_contentType; }           // "text/plain", lower case
    QString charset() const { return m_charset; }                      // lower case, may be empty
    QByteArray transferEncoding() const { return m_transferEncoding; } // lower case
    QByteArray disposition() const { return m_disposition; } // "attachment", "inline" or empty
    // As the sender wrote it (RFC 2231/2047 decoded), NOT safe to use as a path: every save
    // goes through sanitizeFileName.
    QString fileName() const { return m_fileName; }
    QByteArray contentId() const { return m_contentId; } // without the angle brackets

    bool isMultipart() const { return m_multipart; }
    // message/rfc822 (or a digest's default): children() holds the encapsulated message.
    bool isEncapsulatedMessage() const { return m_encapsulated; }
    bool isLeaf() const { return !m_multipart && !m_encapsulated; }
    const QList<MessagePart> &children() const { return m_children; }

    // The body as transferred and as decoded from its Content-Transfer-Encoding.
    QByteArrayView rawBody() const;
    QByteArray decodedBytes() const;
    // A text part's decoded bytes in its charset (see decodeCharset).
    QString decodedText() const;

private:
    friend class MessageParser;

    QByteArray m_source;
    qsizetype m_bodyBegin = 0;
    qsizetype m_bodyLength = 0;
    QByteArray m_partNumber;
    QList<HeaderField> m_headers;
    QByteArray m_contentType;
    QString m_charset;
    QByteArray m_transferEncoding;
    QByteArray m_disposition;
    QString m_fileName;
    QByteArray m_contentId;
    bool m_multipart = false;
    bool m_encapsulated = false;
    QList<MessagePart> m_children;
};

} // namespace wharf::mime
