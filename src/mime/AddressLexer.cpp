#include "mime/AddressLexer.h"

#include <algorithm>

namespace wharf::mime::addressdetail {

namespace {

// RFC 2047 caps an encoded word at 75 characters; real mail overshoots, but a bound keeps the
// look-ahead for one constant per token, so the parse stays linear.
constexpr qsizetype MaxEncodedWord = 256;

bool isSpace(char c)
{
    // Folding (CRLF WSP) and every other control byte only separate tokens, which is how an
    // address can never carry a raw CR, LF or NUL outside a quoted string.
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f;
}

} // namespace

bool isAtext(char c)
{
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) // RFC 6532: UTF-8 is atext
        return true;
    if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9'))
        return true;
    return QByteArrayView("!#$%&'*+-/=?^_`{|}~").contains(c);
}

bool Lexer::next(Token &token)
{
    bool space = false;
    for (;;) {
        while (m_pos < m_in.size() && isSpace(m_in[m_pos])) {
            ++m_pos;
            space = true;
        }
        if (m_pos >= m_in.size())
            return false;
        if (m_in[m_pos] != ')')
            break;
        ++m_pos; // a stray ")" is junk; dropping it beats letting it into a name
        space = true;
    }
    token.spaceBefore = space;
    const char c = m_in[m_pos];
    if (c == '(')
        return comment(token);
    if (c == '"' && !m_quotesUnclosed && delimited(token, Kind::Quoted, '"'))
        return true;
    if (c == '[' && !m_bracketsUnclosed && delimited(token, Kind::Literal, ']'))
        return true;
    if (QByteArrayView("<>:;@,.").contains(c)) {
        token.kind = Kind::Special;
        token.raw = m_in.sliced(m_pos++, 1);
        return true;
    }
    token.kind = Kind::Atom;
    const qsizetype start = m_pos;
    m_pos = encodedWordEnd(start);
    if (m_pos == start) {
        while (m_pos < m_in.size() && !endsAtom(m_in[m_pos]))
            ++m_pos;
        if (m_pos == start) // a '"' or '[' whose delimited form just failed
            ++m_pos;
    }
    token.raw = m_in.sliced(start, m_pos - start);
    return true;
}

bool Lexer::endsAtom(char c) const
{
    if (c == '"')
        return !m_quotesUnclosed;
    if (c == '[')
        return !m_bracketsUnclosed;
    return isSpace(c) || QByteArrayView("()<>:;@,.").contains(c);
}

// Comments nest; one left open runs to the end of the input ("a@b (Real Name" still yields
// its name), which consumes the rest and so costs no more than one pass.
bool Lexer::comment(Token &token)
{
    const qsizetype start = ++m_pos;
    int depth = 1;
    qsizetype end = m_in.size();
    while (m_pos < m_in.size()) {
        const char c = m_in[m_pos];
        if (c == '\\') {
            m_pos += 2;
            continue;
        }
        ++m_pos;
        if (c == '(') {
            ++depth;
        } else if (c == ')' && --depth == 0) {
            end = m_pos - 1;
            break;
        }
    }
    m_pos = std::min(m_pos, m_in.size());
    token.kind = Kind::Comment;
    token.raw = m_in.sliced(start, end - start);
    return true;
}

// A quoted string or domain literal. When one is left open, so is every later one (the
// failed scan passes over each later opener in the same escape state), so from then on the
// opener is read as an ordinary character: one wasted pass, never quadratic, and
// '"Bob <bob@example.org>' still yields the address.
bool Lexer::delimited(Token &token, Kind kind, char close)
{
    for (qsizetype i = m_pos + 1; i < m_in.size(); ++i) {
        if (m_in[i] == '\\') {
            ++i;
        } else if (m_in[i] == close) {
            token.kind = kind;
            token.raw = m_in.sliced(m_pos + 1, i - m_pos - 1);
            m_pos = i + 1;
            return true;
        }
    }
    (kind == Kind::Quoted ? m_quotesUnclosed : m_bracketsUnclosed) = true;
    return false;
}

// "=?charset?Q?text?=" is taken whole even when the text holds specials, because mailers
// write "=?UTF-8?Q?Smith,_John?= <j@x>" and the comma must not split the mailbox.
qsizetype Lexer::encodedWordEnd(qsizetype start) const
{
    const QByteArrayView w = m_in.sliced(start, std::min(m_in.size() - start, MaxEncodedWord));
    if (!w.startsWith("=?"))
        return start;
    qsizetype i = 2;
    while (i < w.size() && w[i] != '?' && !isSpace(w[i]))
        ++i;
    if (i == 2 || i + 2 >= w.size() || w[i] != '?' || w[i + 2] != '?' ||
        !QByteArrayView("bBqQ").contains(w[i + 1]))
        return start;
    for (i += 3; i + 1 < w.size() && !isSpace(w[i]); ++i) {
        if (w[i] == '?')
            return w[i + 1] == '=' ? start + i + 2 : start;
    }
    return start;
}

} // namespace wharf::mime::addressdetail
