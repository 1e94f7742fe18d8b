#pragma once

#include "protocols/imap/ResponseValue.h"

#include <QMetaType>

namespace wharf::imap {

// A response code in square brackets at the start of a status response's text:
// "[UIDVALIDITY 3857529045]", "[APPENDUID 38505 3955]", "[ALERT]".
struct ResponseCode
{
    QByteArray name;        // upper-cased: "UIDVALIDITY", "COPYUID", "PERMANENTFLAGS", ...
    QList<Value> arguments; // tokens after the name; empty when they did not tokenise
    QByteArray raw;         // everything between the brackets after the name, as sent

    bool isEmpty() const { return name.isEmpty(); }
    bool is(QByteArrayView codeName) const;
};

enum class ResponseKind : quint8
{
    Tagged,       // "A12 OK done"
    Untagged,     // "* 3 EXISTS", "* OK [UIDNEXT 4] ...", "* LIST (...) "/" INBOX"
    Continuation, // "+ Ready for literal data", "+ base64challenge"
};

enum class ResponseStatus : quint8
{
    None, // a data response, not a status one
    Ok,
    No,
    Bad,
    Bye,
    Preauth,
};

// One complete server response, literals included.
struct Response
{
    ResponseKind kind = ResponseKind::Untagged;
    QByteArray tag; // Tagged only
    ResponseStatus status = ResponseStatus::None;
    bool hasNumber = false; // "* 23 EXISTS", "* 5 FETCH (...)"
    quint32 number = 0;
    QByteArray name;   // upper-cased: "OK", "EXISTS", "FETCH", "LIST", ...
    ResponseCode code; // status responses and continuations
    QByteArray text;   // human text after the code (status, continuation)
    QList<Value> data; // tokens after the name (data responses)

    bool isStatus() const { return status != ResponseStatus::None; }
    bool isTagged(QByteArrayView expectedTag) const
    {
        return kind == ResponseKind::Tagged && tag == expectedTag;
    }
    bool isUntagged(QByteArrayView responseName) const;
};

} // namespace wharf::imap

Q_DECLARE_METATYPE(wharf::imap::Response)
