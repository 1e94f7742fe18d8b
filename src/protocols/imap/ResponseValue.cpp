#include "protocols/imap/ResponseValue.h"

#include "protocols/imap/ResponseTokenizer.h"

#include <cstring>
#include <limits>

namespace wharf::imap {

namespace {

bool isDigitByte(char c)
{
    return c >= '0' && c <= '9';
}

bool allDigits(QByteArrayView bytes)
{
    if (bytes.isEmpty())
        return false;
    for (const char c : bytes) {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

// A string goes back out quoted when that is how a server could have sent it; anything
// with line breaks or NULs must have been a literal.
bool quotable(QByteArrayView bytes)
{
    if (bytes.size() > 1000)
        return false;
    for (const char c : bytes) {
        if (c == '\r' || c == '\n' || c == '\0')
            return false;
    }
    return true;
}

void describeInto(QByteArray &out, const Value &value)
{
    switch (value.kind) {
    case Value::Kind::Nil:
        out += "NIL";
        break;
    case Value::Kind::Atom:
    case Value::Kind::Number:
        out += value.bytes;
        break;
    case Value::Kind::String:
        if (quotable(value.bytes)) {
            out += '"';
            for (const char c : value.bytes) {
                if (c == '"' || c == '\\')
                    out += '\\';
                out += c;
            }
            out += '"';
        } else {
            out += '{' + QByteArray::number(value.bytes.size()) + '}';
        }
        break;
    case Value::Kind::StreamedLiteral:
        out += '{' + QByteArray::number(value.number) + '}';
        break;
    case Value::Kind::List:
        out += '(';
        for (qsizetype i = 0; i < value.items.size(); ++i) {
            if (i > 0)
                out += ' ';
            describeInto(out, value.items.at(i));
        }
        out += ')';
        break;
    }
}

} // namespace

bool Value::operator==(const Value &other) const
{
    return kind == other.kind && number == other.number && bytes == other.bytes &&
           items == other.items;
}

bool Value::isAtom(QByteArrayView name) const
{
    return kind == Kind::Atom && QByteArrayView(bytes).compare(name, Qt::CaseInsensitive) == 0;
}

QByteArray Value::text() const
{
    switch (kind) {
    case Kind::Atom:
    case Kind::Number:
    case Kind::String:
        return bytes;
    case Kind::Nil:
    case Kind::List:
    case Kind::StreamedLiteral:
        break;
    }
    return {};
}

bool Value::toNumber(quint64 *out, quint64 max) const
{
    quint64 n = 0;
    if (kind == Kind::Number) {
        n = number;
    } else if (kind == Kind::Atom || kind == Kind::String) {
        if (!allDigits(bytes))
            return false;
        for (const char c : bytes) {
            const quint64 digit = quint64(c - '0');
            if (n > (~quint64(0) - digit) / 10)
                return false;
            n = n * 10 + digit;
        }
    } else {
        return false;
    }
    if (n > max)
        return false;
    if (out)
        *out = n;
    return true;
}

bool Value::toUInt32(quint32 *out) const
{
    quint64 n = 0;
    if (!toNumber(&n, 0xffffffffu))
        return false;
    if (out)
        *out = quint32(n);
    return true;
}

QByteArray describe(const Value &value)
{
    QByteArray out;
    describeInto(out, value);
    return out;
}

QByteArray describe(const QList<Value> &values)
{
    QByteArray out;
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i > 0)
            out += ' ';
        describeInto(out, values.at(i));
    }
    return out;
}

// Reading values off the wire (ResponseTokenizer.h): here rather than in ResponseParser.cpp
// because it is the other half of describe(), and the parser is about framing.

void ResponseTokenizer::enterLine(qsizetype line)
{
    m_line = line;
    m_begin = m_lines.at(line).constData();
    m_pos = m_begin;
    m_end = m_begin + m_lines.at(line).size();
}

bool ResponseTokenizer::run(qsizetype offset, bool untilBracket, QList<Value> &out)
{
    enterLine(0);
    m_pos += offset;
    m_stack.reserve(64);
    for (;;) {
        while (m_pos < m_end && (*m_pos == ' ' || *m_pos == '\t'))
            ++m_pos;
        if (m_pos == m_end) {
            // A line that announced a literal ends where the literal is taken; ending
            // anywhere else means its marker sat inside some other token.
            if (m_line + 1 < m_lines.size())
                return fail("a literal announced where no value can start");
            if (untilBracket)
                return fail("no ']' closes the response code");
            break;
        }
        const char c = *m_pos;
        if (c == '(') {
            if (qsizetype(m_opens.size()) >= m_maxNesting) {
                m_tooDeep = true;
                return fail("nested too deep");
            }
            m_opens.push_back(m_stack.size());
            ++m_pos;
        } else if (c == ')') {
            if (m_opens.empty())
                return fail("a ')' without its '('");
            closeList();
            ++m_pos;
        } else if (c == '"') {
            if (!readQuoted())
                return false;
        } else if (c == '{' || (c == '~' && m_pos + 1 < m_end && m_pos[1] == '{')) {
            if (!readLiteral())
                return false;
        } else if (c == ']') {
            if (!untilBracket || !m_opens.empty())
                return fail("a ']' without its '['");
            ++m_pos;
            break;
        } else if (stopsAtom(c)) {
            return fail("a control character");
        } else if (!readAtom()) {
            return false;
        }
    }
    if (!m_opens.empty())
        return fail("a '(' without its ')'");
    out.reserve(qsizetype(m_stack.size()));
    for (Value &value : m_stack)
        out.append(std::move(value));
    return true;
}

void ResponseTokenizer::closeList()
{
    const size_t start = m_opens.back();
    m_opens.pop_back();
    Value list;
    list.kind = Value::Kind::List;
    list.items.reserve(qsizetype(m_stack.size() - start));
    for (size_t i = start; i < m_stack.size(); ++i)
        list.items.append(std::move(m_stack[i]));
    m_stack.resize(start);
    m_stack.push_back(std::move(list));
}

bool ResponseTokenizer::readQuoted()
{
    const char *start = ++m_pos;
    const auto *close = static_cast<const char *>(std::memchr(start, '"', size_t(m_end - start)));
    const char *end = close ? close : m_end;
    if (close && !std::memchr(start, '\\', size_t(end - start))) {
        m_stack.push_back(Value::string(QByteArray(start, close - start)));
        m_pos = close + 1;
        return true;
    }
    // Escapes: RFC 3501 allows only \" and \\; any other escaped byte is kept as itself.
    QByteArray text;
    text.reserve(m_end - start);
    for (const char *p = start; p < m_end; ++p) {
        if (*p == '"') {
            m_stack.push_back(Value::string(text));
            m_pos = p + 1;
            return true;
        }
        if (*p == '\\' && ++p == m_end)
            break;
        text += *p;
    }
    return fail("an unterminated quoted string");
}

bool ResponseTokenizer::readLiteral()
{
    if (*m_pos == '~')
        ++m_pos;
    const char *p = m_pos + 1;
    const char *digits = p;
    while (p < m_end && isDigitByte(*p))
        ++p;
    const bool hasDigits = p > digits;
    if (p < m_end && *p == '+')
        ++p;
    if (!hasDigits || p >= m_end || *p != '}')
        return fail("a malformed literal length");
    if (p + 1 != m_end || m_line + 1 >= m_lines.size())
        return fail("a literal length not at the end of a line");
    m_stack.push_back(std::move(m_literals[m_line]));
    enterLine(m_line + 1);
    return true;
}

bool ResponseTokenizer::readAtom()
{
    const char *start = m_pos;
    while (m_pos < m_end && !stopsAtom(*m_pos)) {
        if (*m_pos != '[') {
            ++m_pos;
            continue;
        }
        int depth = 0;
        for (; m_pos < m_end; ++m_pos) {
            if (*m_pos == '[')
                ++depth;
            else if (*m_pos == ']' && --depth == 0)
                break;
        }
        if (m_pos == m_end)
            return fail("a '[' without its ']'");
        ++m_pos;
    }
    const qsizetype size = m_pos - start;
    if (size == 3 && QByteArrayView(start, 3).compare("NIL", Qt::CaseInsensitive) == 0) {
        m_stack.emplace_back();
        return true;
    }
    Value value;
    value.kind = Value::Kind::Atom;
    value.bytes = QByteArray(start, size);
    if (size <= 20) {
        quint64 n = 0;
        bool number = true;
        for (const char *p = start; p < m_pos && number; ++p) {
            const quint64 digit = quint64(*p - '0');
            number = digit <= 9 && n <= (std::numeric_limits<quint64>::max() - digit) / 10;
            n = n * 10 + digit;
        }
        if (number) {
            value.kind = Value::Kind::Number;
            value.number = n;
        }
    }
    m_stack.push_back(std::move(value));
    return true;
}

} // namespace wharf::imap
