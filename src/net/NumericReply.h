#pragma once

#include <QByteArray>
#include <QByteArrayList>
#include <optional>

namespace wharf::net {

// A reply of the three-digit protocols (SMTP, FTP): "250-first", "250 last". FTP also allows
// lines in between that do not start with the code; they are kept as they are.
struct NumericReply
{
    int code = 0;
    QByteArrayList lines; // text after "ddd-" / "ddd " (or the whole line in FTP's middle)

    bool isPositive() const { return code >= 200 && code < 400; }
    int category() const { return code / 100; }
    QByteArray text() const { return lines.join(' '); }
    // "250 text" for messages and logs.
    QByteArray toLine() const;
};

// Collects lines until a reply is complete; a pure function of the lines given.
class NumericReplyParser
{
public:
    enum class Result
    {
        Complete,
        NeedMore,
        Malformed
    };

    Result addLine(const QByteArray &line);
    // The completed reply; the parser is ready for the next one.
    NumericReply take();

private:
    std::optional<NumericReply> m_pending;
    bool m_complete = false;
};

} // namespace wharf::net
