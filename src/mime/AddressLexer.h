#pragma once

// Internal to AddressList.cpp: the RFC 5322 structured-header tokenizer, kept apart so each
// file stays readable. Not part of the mime API.

#include <QByteArrayView>

namespace wharf::mime::addressdetail {

// RFC 5322 atext plus, per RFC 6532, every byte of a UTF-8 sequence.
bool isAtext(char c);

enum class Kind
{
    Atom,
    Quoted,
    Comment,
    Literal,
    Special
};

struct Token
{
    Kind kind = Kind::Atom;
    // A view into the input: the atom or special itself, or the still escaped content
    // between the delimiters of a quoted string, comment or domain literal.
    QByteArrayView raw;
    bool spaceBefore = false; // white space (or a stray ")") separates it from the last token

    bool is(char c) const { return kind == Kind::Special && raw.size() == 1 && raw[0] == c; }
    bool joins() const { return is('.') || is('@'); }
};

// Turns a header value into tokens on demand, so a 10 MB header is never copied. Every call
// consumes at least one byte or returns false, and no byte is scanned more than a bounded
// number of times, so tokenizing is linear whatever the input.
class Lexer
{
public:
    explicit Lexer(QByteArrayView input)
        : m_in(input)
    {}

    bool next(Token &token);

private:
    bool endsAtom(char c) const;
    bool comment(Token &token);
    bool delimited(Token &token, Kind kind, char close);
    qsizetype encodedWordEnd(qsizetype start) const;

    QByteArrayView m_in;
    qsizetype m_pos = 0;
    bool m_quotesUnclosed = false;
    bool m_bracketsUnclosed = false;
};

} // namespace wharf::mime::addressdetail
