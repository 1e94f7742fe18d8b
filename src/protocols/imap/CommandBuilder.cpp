#include "protocols/imap/CommandBuilder.h"

namespace wharf::imap {

namespace {

// Longer quoted strings are legal, but a literal is cheaper to get right and some servers
// cap quoted strings.
constexpr qsizetype kMaxQuotedLength = 1000;

bool isAtomChar(char c)
{
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f)
        return false;
    switch (c) {
    case '(':
    case ')':
    case '{':
    case '%':
    case '*':
    case '"':
    case '\\':
    case ']':
        return false;
    default:
        return true;
    }
}

bool canQuote(QByteArrayView value, bool utf8)
{
    if (value.size() > kMaxQuotedLength)
        return false;
    for (const char c : value) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte == '\r' || byte == '\n' || byte == 0)
            return false;
        if (byte >= 0x80 && !utf8)
            return false;
    }
    return true;
}

QByteArray quoted(QByteArrayView value)
{
    QByteArray out;
    out.reserve(value.size() + 2);
    out.append('"');
    for (const char c : value) {
        if (c == '"' || c == '\\')
            out.append('\\');
        out.append(c);
    }
    out.append('"');
    return out;
}

} // namespace

bool isAtomText(QByteArrayView value)
{
    if (value.isEmpty())
        return false;
    for (const char c : value) {
        if (!isAtomChar(c))
            return false;
    }
    return !(value.compare("NIL", Qt::CaseInsensitive) == 0);
}

bool isFlagText(QByteArrayView value)
{
    if (value.startsWith('\\'))
        value = value.sliced(1);
    return isAtomText(value);
}

QByteArray CommandText::describe() const
{
    QByteArray out = pieces.value(0);
    for (qsizetype i = 0; i < literals.size(); ++i)
        out += '{' + QByteArray::number(literals[i].size()) + '}' + pieces.value(i + 1);
    return out;
}

CommandBuilder::CommandBuilder(QByteArrayView verb)
{
    m_text.pieces.last().append(verb);
}

void CommandBuilder::space()
{
    if (m_listJustOpened) {
        m_listJustOpened = false;
        return;
    }
    if (!m_text.pieces.last().isEmpty() || !m_text.literals.isEmpty())
        m_text.pieces.last().append(' ');
}

CommandBuilder &CommandBuilder::raw(QByteArrayView text)
{
    m_text.pieces.last().append(text);
    return *this;
}

CommandBuilder &CommandBuilder::atom(QByteArrayView text)
{
    space();
    return raw(text);
}

CommandBuilder &CommandBuilder::number(quint64 value)
{
    return atom(QByteArray::number(value));
}

CommandBuilder &CommandBuilder::astring(QByteArrayView value)
{
    if (isAtomText(value))
        return atom(value);
    return string(value);
}

CommandBuilder &CommandBuilder::string(QByteArrayView value)
{
    if (canQuote(value, m_utf8Quoted))
        return atom(quoted(value));
    return literal(value.toByteArray());
}

CommandBuilder &CommandBuilder::literal(const QByteArray &bytes)
{
    space();
    m_text.literals.append(bytes);
    m_text.pieces.append(QByteArray());
    return *this;
}

CommandBuilder &CommandBuilder::beginList()
{
    space();
    m_text.pieces.last().append('(');
    m_listJustOpened = true;
    return *this;
}

CommandBuilder &CommandBuilder::endList()
{
    m_listJustOpened = false;
    m_text.pieces.last().append(')');
    return *this;
}

CommandBuilder &CommandBuilder::allowUtf8Quoted(bool allowed)
{
    m_utf8Quoted = allowed;
    return *this;
}

} // namespace wharf::imap
