#include "mime/MessageIds.h"

#include <algorithm>

namespace wharf::mime {

namespace {

bool isBlank(char c)
{
    return uchar(c) <= 0x20 || c == 0x7f;
}

// Ends a bare word: blanks, list punctuation, and what opens something else.
bool endsWord(char c)
{
    return isBlank(c) || c == ',' || c == ';' || c == '<' || c == '>' || c == '(' || c == '"';
}

// Index just past the comment opened at value[open], or -1 when it never closes.
qsizetype skipComment(QByteArrayView value, qsizetype open)
{
    int depth = 0;
    for (qsizetype i = open; i < value.size(); ++i) {
        const char c = value[i];
        if (c == '\\')
            ++i;
        else if (c == '(')
            ++depth;
        else if (c == ')' && --depth == 0)
            return i + 1;
    }
    return -1;
}

qsizetype skipQuoted(QByteArrayView value, qsizetype open)
{
    for (qsizetype i = open + 1; i < value.size(); ++i) {
        if (value[i] == '\\')
            ++i;
        else if (value[i] == '"')
            return i + 1;
    }
    return -1;
}

QByteArray withoutBlanks(QByteArrayView text)
{
    if (std::none_of(text.begin(), text.end(), isBlank))
        return text.toByteArray();
    QByteArray out;
    out.reserve(text.size());
    for (const char c : text) {
        if (!isBlank(c))
            out.append(c);
    }
    return out;
}

qsizetype wordEnd(QByteArrayView value, qsizetype from)
{
    while (from < value.size() && !endsWord(value[from]))
        ++from;
    return from;
}

} // namespace

QByteArrayList extractMessageIds(QByteArrayView value)
{
    QByteArrayList bracketed;
    QByteArrayList bare;
    bool onlyBareIds = true;
    // An unclosed "(" or '"' is junk rather than a comment or quote running to the end; once
    // one is found, the rest is read without them, which keeps the scan linear.
    bool comments = true;
    bool quotes = true;
    qsizetype i = 0;
    while (i < value.size()) {
        const char c = value[i];
        if (c == '(' && comments) {
            const qsizetype end = skipComment(value, i);
            comments = end >= 0;
            onlyBareIds = onlyBareIds && comments;
            i = comments ? end : i + 1;
        } else if (c == '"' && quotes) {
            const qsizetype end = skipQuoted(value, i);
            quotes = end >= 0;
            onlyBareIds = false;
            i = quotes ? end : i + 1;
        } else if (c == '<') {
            qsizetype close = i + 1;
            while (close < value.size() && value[close] != '>' && value[close] != '<')
                ++close;
            if (close < value.size() && value[close] == '>') {
                QByteArray id = withoutBlanks(value.sliced(i + 1, close - i - 1));
                if (!id.isEmpty())
                    bracketed.append(std::move(id));
                i = close + 1;
            } else {
                // Cut short (a truncated header): the id runs to the next blank.
                const qsizetype end = wordEnd(value, i + 1);
                const QByteArrayView id = value.sliced(i + 1, end - i - 1);
                if (id.contains('@'))
                    bracketed.append(id.toByteArray());
                i = end > i + 1 ? end : i + 1;
            }
        } else if (endsWord(c)) {
            onlyBareIds = onlyBareIds && (isBlank(c) || c == ',' || c == ';');
            ++i;
        } else {
            const qsizetype end = wordEnd(value, i);
            const QByteArrayView word = value.sliced(i, end - i);
            if (word.size() > 1 && word.contains('@'))
                bare.append(word.toByteArray());
            else
                onlyBareIds = false;
            i = end;
        }
    }
    if (!bracketed.isEmpty())
        return bracketed;
    return onlyBareIds ? bare : QByteArrayList();
}

QByteArray normaliseMessageId(QByteArrayView value)
{
    const QByteArrayList ids = extractMessageIds(value);
    if (!ids.isEmpty())
        return ids.first();
    QByteArray key = withoutBlanks(value);
    key.removeIf([](char c) { return c == '<' || c == '>'; });
    return key;
}

QByteArrayList messageIds(QByteArrayView value)
{
    QByteArrayList ids = extractMessageIds(value);
    for (QByteArray &id : ids)
        id = '<' + id + '>';
    return ids;
}

} // namespace wharf::mime
