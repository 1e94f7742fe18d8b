#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace wharf::imap {

// One token of a server response (RFC 3501 section 9 and RFC 9051): what the grammar calls
// atom, number, quoted or literal string, NIL or a parenthesised list. Typed readers
// (FetchData, MailboxData) turn these into envelopes, flags, list entries and so on.
struct Value
{
    enum class Kind : quint8
    {
        Nil,
        Atom,   // also flags ("\Seen"), sequence sets ("1:5,7") and fetch items ("BODY[]<0>")
        Number, // a run of digits that fits in 64 bits; `bytes` keeps the digits
        String, // quoted string or literal, unescaped
        List,
        // A literal above the parser's inline limit: its bytes went out as LiteralChunk
        // events and only its size (in `number`) is kept here.
        StreamedLiteral,
    };

    Kind kind = Kind::Nil;
    QByteArray bytes;
    QList<Value> items;
    quint64 number = 0;

    static Value nil() { return {}; }
    static Value atom(const QByteArray &text) { return {Kind::Atom, text, {}, 0}; }
    static Value string(const QByteArray &text) { return {Kind::String, text, {}, 0}; }
    static Value list(const QList<Value> &items) { return {Kind::List, {}, items, 0}; }
    static Value numberValue(quint64 n) { return {Kind::Number, QByteArray::number(n), {}, n}; }

    bool isNil() const { return kind == Kind::Nil; }
    bool isList() const { return kind == Kind::List; }
    bool isNumber() const { return kind == Kind::Number; }
    bool isString() const { return kind == Kind::String; }
    // Atom compared case-insensitively ("fetch" is "FETCH").
    bool isAtom(QByteArrayView name) const;
    // What the grammar calls astring/nstring: an atom, number or string's bytes; empty for NIL
    // and lists.
    QByteArray text() const;
    // A Number, or an Atom/String made only of digits, that fits in `max`.
    bool toNumber(quint64 *out, quint64 max = ~quint64(0)) const;
    bool toUInt32(quint32 *out) const;

    // Defined out of line, not defaulted: a defaulted one makes QList<Value>'s operator==
    // depend on itself, and Qt's trait then disables it until Value == Value was used once.
    bool operator==(const Value &other) const;
};

// The response line as the server might have written it, for logs and error messages
// (literals shown as {size}, lists in parentheses). Not a wire-exact reproduction.
QByteArray describe(const Value &value);
QByteArray describe(const QList<Value> &values);

} // namespace wharf::imap
