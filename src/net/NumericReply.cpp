#include "net/NumericReply.h"

namespace wharf::net {

namespace {

int replyCode(const QByteArray &line)
{
    if (line.size() < 3)
        return -1;
    int code = 0;
    for (int i = 0; i < 3; ++i) {
        const char c = line.at(i);
        if (c < '0' || c > '9')
            return -1;
        code = code * 10 + (c - '0');
    }
    if (code < 100 || code > 599)
        return -1;
    if (line.size() > 3 && line.at(3) != ' ' && line.at(3) != '-')
        return -1;
    return code;
}

} // namespace

QByteArray NumericReply::toLine() const
{
    QByteArray line = QByteArray::number(code);
    line += ' ';
    line += text();
    return line;
}

NumericReplyParser::Result NumericReplyParser::addLine(const QByteArray &line)
{
    if (m_complete)
        return Result::Complete;
    const int code = replyCode(line);
    if (!m_pending) {
        if (code < 0)
            return Result::Malformed;
        m_pending = NumericReply{code, {}};
    } else if (code != m_pending->code) {
        // FTP (RFC 959 4.2): inner lines of a multi-line reply may have any text.
        m_pending->lines.append(line);
        return Result::NeedMore;
    }
    const bool last = line.size() == 3 || line.at(3) == ' ';
    m_pending->lines.append(line.mid(4));
    if (!last)
        return Result::NeedMore;
    m_complete = true;
    return Result::Complete;
}

NumericReply NumericReplyParser::take()
{
    NumericReply reply = m_pending.value_or(NumericReply{});
    m_pending.reset();
    m_complete = false;
    return reply;
}

} // namespace wharf::net
