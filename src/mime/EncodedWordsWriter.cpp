// encodeHeaderText(): the writing half of EncodedWords.h.

#include "mime/EncodedWords.h"

#include <QLatin1StringView>
#include <QList>

#include <algorithm>

namespace wharf::mime {
namespace {

// RFC 5322 §2.1.1 and RFC 2047 §2.
constexpr qsizetype MaxLine = 78;
constexpr qsizetype MaxEncodedWord = 75;
constexpr qsizetype EncodedWordOverhead = 12; // "=?UTF-8?Q?" and "?="
// Longer runs of plain whitespace go inside encoded words, so a fold never leaves a line of
// whitespace alone and the word after the run still fits on the folded line.
constexpr qsizetype MaxPlainSpace = 8;
// Encoded words start on the current line only if this much of them fits there; smaller
// leftovers would end the line in a tiny encoded word.
constexpr qsizetype MinFirstPiece = 30;

bool isWsp(QChar c)
{
    return c == u' ' || c == u'\t';
}

bool isPlainWord(const QString &word)
{
    // "=?" could start an encoded word when read back.
    return std::all_of(word.cbegin(), word.cend(),
                       [](QChar c) { return c.unicode() > 0x20 && c.unicode() < 0x7f; }) &&
           !word.contains(QLatin1StringView("=?"));
}

// RFC 2047 §5 (3): the characters Q may leave as they are even inside a phrase.
bool isQSafe(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '!' ||
           c == '*' || c == '+' || c == '-' || c == '/';
}

struct Item
{
    enum Kind
    {
        PlainSpace,
        PlainWord,
        Encoded
    } kind;
    QString text;
};

// Words and whitespace runs, each marked plain or to be encoded; adjacent encoded tokens and
// the whitespace between them merge into one Encoded item.
QList<Item> items(const QString &text, qsizetype firstLineUsed)
{
    struct Token
    {
        QString text;
        bool space = false;
        bool encode = false;
    };
    QList<Token> tokens;
    for (qsizetype i = 0; i < text.size();) {
        const bool space = isWsp(text[i]);
        qsizetype j = i;
        while (j < text.size() && isWsp(text[j]) == space)
            ++j;
        tokens.append({text.sliced(i, j - i), space});
        i = j;
    }
    const qsizetype n = tokens.size();
    for (qsizetype k = 0; k < n; ++k) {
        Token &token = tokens[k];
        if (token.space) {
            // Parsers trim the ends of a header value: whitespace there survives only inside
            // an encoded word.
            if (k == 0 || k == n - 1 || token.text.size() > MaxPlainSpace) {
                token.encode = true;
                if (k > 0)
                    tokens[k - 1].encode = true;
                if (k + 1 < n)
                    tokens[k + 1].encode = true;
            }
        } else {
            // A word too long for any line is encoded, because encoded words can be split.
            const qsizetype before = k == 0 ? firstLineUsed : tokens[k - 1].text.size();
            if (!isPlainWord(token.text) || before + token.text.size() > MaxLine)
                token.encode = true;
        }
    }
    // Whitespace between two encoded words disappears when read back (RFC 2047 §6.2).
    for (qsizetype k = 1; k + 1 < n; ++k) {
        if (tokens[k].space && tokens[k - 1].encode && tokens[k + 1].encode)
            tokens[k].encode = true;
    }

    QList<Item> result;
    for (const Token &token : std::as_const(tokens)) {
        if (token.encode && !result.isEmpty() && result.last().kind == Item::Encoded)
            result.last().text += token.text;
        else if (token.encode)
            result.append({Item::Encoded, token.text});
        else
            result.append({token.space ? Item::PlainSpace : Item::PlainWord, token.text});
    }
    return result;
}

// The text as UTF-8, one entry per character, so words split only between characters.
QList<QByteArray> utf8Characters(const QString &text)
{
    QList<QByteArray> characters;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const bool pair =
            text[i].isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate();
        // A lone surrogate has no UTF-8 form; toUtf8() writes U+FFFD's bytes for it.
        characters.append(text.sliced(i, pair ? 2 : 1).toUtf8());
        if (pair)
            ++i;
    }
    return characters;
}

class EncodedWordLength
{
public:
    void add(const QByteArray &character)
    {
        for (const char c : character)
            m_q += isQSafe(c) || c == ' ' ? 1 : 3;
        m_bytes += character.size();
    }
    bool useQ() const { return m_q <= (m_bytes + 2) / 3 * 4; }
    qsizetype length() const { return EncodedWordOverhead + std::min(m_q, (m_bytes + 2) / 3 * 4); }

private:
    qsizetype m_q = 0;
    qsizetype m_bytes = 0;
};

QByteArray encodedWord(const QByteArray &bytes, bool q)
{
    if (!q)
        return "=?UTF-8?B?" + bytes.toBase64() + "?=";
    QByteArray word = "=?UTF-8?Q?";
    for (const char c : bytes) {
        if (isQSafe(c)) {
            word.append(c);
        } else if (c == ' ') {
            word.append('_');
        } else {
            const auto byte = static_cast<unsigned char>(c);
            word.append('=');
            word.append("0123456789ABCDEF"[byte >> 4]);
            word.append("0123456789ABCDEF"[byte & 0xf]);
        }
    }
    return word + "?=";
}

class Folder
{
public:
    explicit Folder(qsizetype firstLineUsed)
        : m_line(firstLineUsed)
    {}

    qsizetype room() const { return MaxLine - m_line; }
    // Unfolding removes only the CRLF, so folding before whitespace keeps the text intact.
    void fold()
    {
        m_out += "\r\n";
        m_line = 0;
    }
    void plain(const QString &text)
    {
        m_out += text.toLatin1();
        m_line += text.size();
    }
    void encoded(const QList<QByteArray> &characters)
    {
        qsizetype next = 0;
        while (next < characters.size()) {
            if (next > 0) {
                // The previous word filled its line; the space between encoded words is
                // dropped when read back.
                fold();
                m_out += ' ';
                m_line = 1;
            }
            const qsizetype budget = std::min(MaxEncodedWord, room());
            EncodedWordLength length;
            length.add(characters[next]);
            QByteArray bytes = characters[next++];
            // The first character goes in even over budget: only a first line that the
            // caller has already filled can be that short.
            while (next < characters.size()) {
                EncodedWordLength longer = length;
                longer.add(characters[next]);
                if (longer.length() > budget)
                    break;
                length = longer;
                bytes += characters[next++];
            }
            const QByteArray word = encodedWord(bytes, length.useQ());
            m_out += word;
            m_line += word.size();
        }
    }
    QByteArray result() const { return m_out; }

private:
    QByteArray m_out;
    qsizetype m_line;
};

qsizetype firstPieceLength(const Item &item)
{
    if (item.kind != Item::Encoded)
        return item.text.size();
    EncodedWordLength whole;
    for (const QByteArray &character : utf8Characters(item.text))
        whole.add(character);
    return std::min(MinFirstPiece, whole.length());
}

} // namespace

QByteArray encodeHeaderText(const QString &text, qsizetype firstLineUsed)
{
    const QList<Item> list = items(text, firstLineUsed);
    Folder folder(firstLineUsed);
    for (qsizetype k = 0; k < list.size(); ++k) {
        const Item &item = list[k];
        switch (item.kind) {
        case Item::PlainSpace:
            // Never last: whitespace at the end is encoded.
            if (folder.room() < item.text.size() + firstPieceLength(list[k + 1]))
                folder.fold();
            folder.plain(item.text);
            break;
        case Item::PlainWord:
            folder.plain(item.text);
            break;
        case Item::Encoded:
            folder.encoded(utf8Characters(item.text));
            break;
        }
    }
    return folder.result();
}

} // namespace wharf::mime
