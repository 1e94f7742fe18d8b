#pragma once

#include "protocols/imap/Response.h"

#include <QByteArrayList>
#include <QDateTime>
#include <QList>

#include <memory>
#include <optional>

namespace wharf::imap {

// Envelope fields stay as the server sent them (encoded words and all): decoding text is
// the mime layer's job, which protocols never see.
struct EnvelopeAddress
{
    QByteArray name;    // display name, raw
    QByteArray route;   // obsolete source route
    QByteArray mailbox; // local part; a group start when host is empty (RFC 3501 7.4.2)
    QByteArray host;
    bool operator==(const EnvelopeAddress &) const = default;
};

struct Envelope
{
    QByteArray date;
    QByteArray subject;
    QList<EnvelopeAddress> from, sender, replyTo, to, cc, bcc;
    QByteArray inReplyTo;
    QByteArray messageId;
    bool operator==(const Envelope &) const = default;
};

// BODYSTRUCTURE / BODY, enough to show attachments and fetch one part without the rest.
struct BodyPart
{
    QByteArray type;                                 // lower-cased: "text", "multipart", ...
    QByteArray subtype;                              // lower-cased
    QList<QPair<QByteArray, QByteArray>> parameters; // names lower-cased, values raw
    QByteArray id, description, encoding;
    quint64 size = 0;       // octets of the encoded body
    quint64 lines = 0;      // text/* and message/rfc822
    QByteArray disposition; // lower-cased: "attachment", "inline", or empty
    QList<QPair<QByteArray, QByteArray>> dispositionParameters;
    QList<BodyPart> parts;              // multipart children, or the one part of a message/rfc822
    std::shared_ptr<Envelope> envelope; // message/rfc822 only
    QByteArray section;                 // "1.2": what to ask for in BODY[<section>]

    bool isMultipart() const { return type == "multipart"; }
    QByteArray parameter(QByteArrayView name) const;
};

// A body section as returned by BODY[<section>]<origin>: "HEADER", "1.2", "" (the whole
// message), "HEADER.FIELDS (FROM SUBJECT)".
struct BodySection
{
    QByteArray section;
    std::optional<quint64> origin; // partial fetch "<0>"
    Value content;                 // String, Nil, or StreamedLiteral
};

// What one "* n FETCH (...)" said. Every item is optional: a flag change after STORE has
// only FLAGS (and UID, MODSEQ).
struct FetchData
{
    quint32 sequence = 0;
    std::optional<quint32> uid;
    std::optional<QByteArrayList> flags;   // as sent: "\Seen", "$Forwarded"
    std::optional<QDateTime> internalDate; // UTC
    std::optional<quint64> size;           // RFC822.SIZE
    std::optional<quint64> modSeq;
    std::optional<Envelope> envelope;
    std::optional<BodyPart> bodyStructure;
    QList<BodySection> sections; // BODY[...], BINARY[...], RFC822, RFC822.HEADER
    // Item names received but not understood, for the log.
    QByteArrayList unknownItems;
};

// Parses the list after "* n FETCH". nullopt (and *problem set) when an item is malformed.
std::optional<FetchData> parseFetch(quint32 sequence, const QList<Value> &data,
                                    QByteArray *problem = nullptr);
std::optional<Envelope> parseEnvelope(const Value &value);
// `section` is the section number of this part ("" for the top).
std::optional<BodyPart> parseBodyStructure(const Value &value, const QByteArray &section = {});
// "17-Jul-1996 02:44:25 -0700" -> UTC.
std::optional<QDateTime> parseInternalDate(QByteArrayView text);
// The reverse, for APPEND.
QByteArray formatInternalDate(const QDateTime &dateTime);

} // namespace wharf::imap
