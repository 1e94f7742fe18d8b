#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace wharf::imap {

// A command's bytes after the tag, cut where a literal goes: piece 0, literal 0, piece 1,
// literal 1, ..., last piece. The session decides at send time whether each literal is
// announced as "{n}" (wait for the server's "+") or "{n+}" (LITERAL+, RFC 7888).
struct CommandText
{
    QList<QByteArray> pieces{QByteArray()};
    QList<QByteArray> literals;
    // Text for the protocol log: literals shown as {size}, secrets left to the caller.
    QByteArray describe() const;
};

// Writes command arguments the way RFC 3501 section 9 wants them: atoms where every byte is
// an atom character, quoted strings where that is safe, literals for everything else
// (CR, LF, NUL, long or 8-bit text), so no value can break out of its argument.
class CommandBuilder
{
public:
    explicit CommandBuilder(QByteArrayView verb);

    // Pre-formatted protocol text the caller vouches for ("(UID FLAGS)", "1:500").
    CommandBuilder &raw(QByteArrayView text);
    CommandBuilder &atom(QByteArrayView text); // raw with a separating space
    CommandBuilder &number(quint64 value);
    // astring: atom if possible, else quoted, else literal. Mailbox names go through here.
    CommandBuilder &astring(QByteArrayView value);
    // string: quoted if possible, else literal (never an atom: "NIL" stays a string).
    CommandBuilder &string(QByteArrayView value);
    CommandBuilder &literal(const QByteArray &bytes);
    // "(" and ")" around the arguments added in between, without inner padding.
    CommandBuilder &beginList();
    CommandBuilder &endList();
    // Whether 8-bit bytes may go in a quoted string (UTF8=ACCEPT enabled).
    CommandBuilder &allowUtf8Quoted(bool allowed);

    CommandText build() const { return m_text; }

private:
    void space();
    bool m_utf8Quoted = false;
    bool m_listJustOpened = false;
    CommandText m_text;
};

bool isAtomText(QByteArrayView value);
// A system flag ("\Seen") or a keyword ("$Forwarded"): safe to send as an atom.
bool isFlagText(QByteArrayView value);

} // namespace wharf::imap
