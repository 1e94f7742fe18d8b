#pragma once

#include "protocols/imap/ResponseValue.h"

#include <array>
#include <vector>

namespace wharf::imap {

// Bytes that end an atom (RFC 3501 atom-specials that can appear in responses). '[' is not
// one: inside an atom it opens a section that runs to its ']' ("BODY[HEADER.FIELDS (TO)]").
inline constexpr std::array<bool, 256> kAtomStops = [] {
    std::array<bool, 256> stops{};
    for (int c = 0; c < 0x20; ++c)
        stops[c] = true;
    stops[0x7f] = true;
    for (const char c : {' ', '(', ')', '"', '{', ']'})
        stops[static_cast<unsigned char>(c)] = true;
    return stops;
}();

inline bool stopsAtom(char c)
{
    return kAtomStops[static_cast<unsigned char>(c)];
}

// Turns the lines of one response (with its literals between them: literal i follows line
// i) into values; used by ResponseParser only. Lists are built on one flat stack and moved
// into a list of exactly their size when they close, so a FETCH costs one allocation per
// list and per token, nothing more.
class ResponseTokenizer
{
public:
    ResponseTokenizer(const QList<QByteArray> &lines, QList<Value> &literals, int maxNesting)
        : m_lines(lines)
        , m_literals(literals)
        , m_maxNesting(maxNesting)
    {}

    // Tokens from `offset` in the first line to the end of the response or, with
    // `untilBracket`, to the ']' closing a response code (its position is then closePos()).
    bool run(qsizetype offset, bool untilBracket, QList<Value> &out);
    qsizetype closePos() const { return m_pos - m_begin - 1; }
    const char *failure() const { return m_failure; }
    bool tooDeep() const { return m_tooDeep; }

private:
    bool fail(const char *reason)
    {
        m_failure = reason;
        return false;
    }
    void enterLine(qsizetype line);
    void closeList();
    bool readQuoted();
    bool readLiteral();
    bool readAtom();

    const QList<QByteArray> &m_lines;
    QList<Value> &m_literals;
    const int m_maxNesting;
    qsizetype m_line = 0;
    const char *m_begin = nullptr;
    const char *m_pos = nullptr;
    const char *m_end = nullptr;
    std::vector<Value> m_stack;
    std::vector<size_t> m_opens; // stack index where each open list starts
    const char *m_failure = nullptr;
    bool m_tooDeep = false;
};

} // namespace wharf::imap
