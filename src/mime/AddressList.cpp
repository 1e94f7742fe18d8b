#include "mime/AddressList.h"

#include "mime/AddressLexer.h"
#include "mime/EncodedWords.h"

#include <algorithm>
#include <vector>

namespace wharf::mime {

namespace {

using addressdetail::isAtext;
using addressdetail::Kind;
using addressdetail::Lexer;
using addressdetail::Token;

// Removes quoted-pair backslashes and folding line breaks from quoted or comment content.
QByteArray unescaped(QByteArrayView raw)
{
    QByteArray out;
    out.reserve(raw.size());
    for (qsizetype i = 0; i < raw.size(); ++i) {
        char c = raw[i];
        if (c == '\\' && i + 1 < raw.size())
            c = raw[++i];
        if (c != '\r' && c != '\n')
            out.append(c);
    }
    return out;
}

// Control characters in a decoded name could fake header lines or hide text after a line
// break in a one-line view; U+2028/U+2029 are line breaks too.
QString withoutControls(QString text)
{
    for (QChar &ch : text) {
        const char16_t u = ch.unicode();
        if (u < 0x20 || (u >= 0x7f && u <= 0x9f) || u == 0x2028 || u == 0x2029)
            ch = u' ';
    }
    return text;
}

bool isDotAtom(QByteArrayView text)
{
    if (text.isEmpty() || text.startsWith('.') || text.endsWith('.') || text.contains(".."))
        return false;
    for (const char c : text) {
        if (c != '.' && !isAtext(c))
            return false;
    }
    return true;
}

QByteArray quoted(QByteArrayView text)
{
    QByteArray out("\"");
    for (const char c : text) {
        if (c == '"' || c == '\\')
            out.append('\\');
        out.append(c);
    }
    return out.append('"');
}

using Tokens = std::vector<Token>;

// A display name or group name: words joined by single spaces where the sender had any,
// then RFC 2047 decoded. Comments in between only separate words.
QString phrase(const Tokens &tokens, size_t begin, size_t end)
{
    QByteArray raw;
    bool gap = false;
    for (size_t i = begin; i < end; ++i) {
        const Token &t = tokens[i];
        if (t.kind == Kind::Comment) {
            gap = true;
            continue;
        }
        if (!raw.isEmpty() && (gap || t.spaceBefore))
            raw.append(' ');
        gap = false;
        if (t.kind == Kind::Quoted)
            raw.append(unescaped(t.raw));
        else if (t.kind == Kind::Literal)
            raw.append('[').append(unescaped(t.raw)).append(']');
        else
            raw.append(t.raw);
    }
    if (raw.isEmpty())
        return {};
    return withoutControls(decodeHeaderText(raw)).trimmed();
}

// The first non-empty comment in [begin, end), decoded: "a@b (Real Name)" names a@b.
QString commentName(const Tokens &tokens, size_t begin, size_t end)
{
    for (size_t i = begin; i < end; ++i) {
        if (tokens[i].kind != Kind::Comment)
            continue;
        const QString name = withoutControls(decodeHeaderText(unescaped(tokens[i].raw))).trimmed();
        if (!name.isEmpty())
            return name;
    }
    return {};
}

// An addr-spec from its tokens; comments and white space inside it carry no meaning.
QByteArray addrSpec(const Tokens &tokens, size_t begin, size_t end)
{
    // Usually the address is written in one piece of atoms and specials: take it as it is.
    bool plain = begin < end;
    for (size_t i = begin; plain && i < end; ++i) {
        plain = (tokens[i].kind == Kind::Atom || tokens[i].kind == Kind::Special) &&
                (i == begin || tokens[i].raw.data() == tokens[i - 1].raw.end());
    }
    if (plain)
        return QByteArray::fromRawData(tokens[begin].raw.data(),
                                       tokens[end - 1].raw.end() - tokens[begin].raw.data());
    size_t at = end; // the last "@": a domain never holds one, a quoted local part might
    for (size_t i = begin; i < end; ++i) {
        if (tokens[i].is('@'))
            at = i;
    }
    bool anyQuoted = false;
    for (size_t i = begin; i < at; ++i)
        anyQuoted |= tokens[i].kind == Kind::Quoted;
    QByteArray local;
    QByteArray domain;
    for (size_t i = begin; i < end; ++i) {
        const Token &t = tokens[i];
        QByteArray &part = i < at ? local : domain;
        if (t.kind == Kind::Comment || i == at)
            continue;
        if (t.kind == Kind::Quoted)
            part.append(i < at && anyQuoted ? unescaped(t.raw) : quoted(unescaped(t.raw)));
        else if (t.kind == Kind::Literal)
            part.append('[').append(unescaped(t.raw)).append(']');
        else
            part.append(t.raw);
    }
    // Unquoting a local part is lossless only when the result is a valid dot-atom.
    if (anyQuoted && !isDotAtom(local))
        local = quoted(local);
    if (at == end)
        return local;
    return local.append('@').append(domain);
}

// One mailbox as the parser collected it between two separators.
struct Segment
{
    Tokens before; // everything before "<", or the whole mailbox without angle brackets
    Tokens inside; // between "<" and ">"
    Tokens after;  // after ">"
    bool angle = false;
    bool closed = false;
    bool route = false; // inside "<@a,@b:" an obsolete route, whose commas separate nothing
    // Kept as flags, not searched for, so a long run of ":" or "@" cannot make it quadratic.
    bool beforeHasAt = false;
    bool insideHasContent = false;

    void clear()
    {
        before.clear();
        inside.clear();
        after.clear();
        angle = closed = route = beforeHasAt = insideHasContent = false;
    }
};

bool hasContent(const Tokens &tokens)
{
    for (const Token &t : tokens) {
        if (t.kind != Kind::Comment)
            return true;
    }
    return false;
}

bool hasAt(const Tokens &tokens, size_t begin, size_t end)
{
    for (size_t i = begin; i < end; ++i) {
        if (tokens[i].is('@'))
            return true;
    }
    return false;
}

// Builds the mailbox of a segment without angle brackets. Words that white space splits
// apart (and no "." or "@" joins) form chains; "John Doe jdoe@x" names jdoe@x "John Doe".
MailAddress bareMailbox(const Tokens &tokens)
{
    struct Chain
    {
        size_t begin, end;
    };
    std::vector<Chain> chains;
    bool gap = false;
    const Token *previous = nullptr;
    for (size_t i = 0; i < tokens.size(); ++i) {
        const Token &t = tokens[i];
        if (t.kind == Kind::Comment) {
            gap = true;
            continue;
        }
        if (chains.empty() || ((gap || t.spaceBefore) && !previous->joins() && !t.joins()))
            chains.push_back({i, i + 1});
        chains.back().end = i + 1;
        previous = &t;
        gap = false;
    }
    MailAddress mailbox;
    const Chain last = chains.back();
    size_t addressBegin = last.begin; // where the address starts; comments before it may name it
    if (chains.size() == 1) {
        mailbox.address = QString::fromUtf8(addrSpec(tokens, last.begin, last.end));
    } else if (hasAt(tokens, last.begin, last.end) && !hasAt(tokens, 0, last.begin)) {
        mailbox.name = phrase(tokens, 0, last.begin);
        mailbox.address = QString::fromUtf8(addrSpec(tokens, last.begin, last.end));
    } else {
        addressBegin = chains.front().begin;
        // No single address stands out: keep all the text rather than guess.
        QByteArray text;
        for (const Chain &chain : chains)
            text.append(text.isEmpty() ? "" : " ").append(addrSpec(tokens, chain.begin, chain.end));
        mailbox.address = QString::fromUtf8(text);
    }
    if (mailbox.name.isEmpty()) {
        mailbox.name = commentName(tokens, 0, addressBegin);
        if (mailbox.name.isEmpty())
            mailbox.name = commentName(tokens, last.end, tokens.size());
    }
    return mailbox;
}

MailAddress angleMailbox(const Segment &segment)
{
    MailAddress mailbox;
    mailbox.address = QString::fromUtf8(addrSpec(segment.inside, 0, segment.inside.size()));
    mailbox.name = phrase(segment.before, 0, segment.before.size());
    if (mailbox.name.isEmpty())
        mailbox.name = phrase(segment.after, 0, segment.after.size());
    if (mailbox.name.isEmpty())
        mailbox.name = commentName(segment.before, 0, segment.before.size());
    if (mailbox.name.isEmpty())
        mailbox.name = commentName(segment.after, 0, segment.after.size());
    return mailbox;
}

class Parser
{
public:
    QList<MailAddress> run(QByteArrayView input)
    {
        Lexer lexer(input);
        Token t;
        while (lexer.next(t)) {
            if (m_seg.angle && !m_seg.closed && takeInside(t))
                continue;
            if (t.is(',')) {
                finishSegment();
            } else if (t.is(';')) {
                finishSegment();
                closeGroup();
            } else if (t.is(':') && !m_seg.angle && !m_seg.beforeHasAt) {
                closeGroup(); // groups do not nest: a second ":" means the ";" was left out
                m_group = phrase(m_seg.before, 0, m_seg.before.size());
                m_inGroup = true;
                m_seg.clear();
            } else if (t.is('>')) {
                // a stray ">" is junk, like a stray ")"
            } else if (t.is('<')) {
                if (m_seg.angle) { // "A <a@x> B <b@y>": a comma was left out
                    Tokens carried;
                    carried.swap(m_seg.after);
                    finishSegment();
                    m_seg.before.swap(carried);
                }
                m_seg.angle = true;
            } else {
                m_seg.beforeHasAt |= !m_seg.angle && t.is('@');
                (m_seg.angle ? m_seg.after : m_seg.before).push_back(t);
            }
        }
        finishSegment();
        closeGroup();
        return std::move(m_out);
    }

private:
    // Returns false when the token ends the angle address and still needs handling.
    bool takeInside(const Token &t)
    {
        if (t.is('>')) {
            m_seg.closed = true;
            return true;
        }
        if (m_seg.route && (t.is(',') || t.is(':'))) {
            if (t.is(':')) { // the route ends; it never names the mailbox
                m_seg.inside.clear();
                m_seg.insideHasContent = false;
                m_seg.route = false;
            }
            return true;
        }
        if (t.is(',') || t.is(';')) { // the ">" is missing; the mailbox ends anyway
            m_seg.closed = true;
            return false;
        }
        if (t.is('<'))
            return true;
        if (t.is('@') && !m_seg.insideHasContent)
            m_seg.route = true;
        m_seg.insideHasContent |= t.kind != Kind::Comment;
        m_seg.inside.push_back(t);
        return true;
    }

    void finishSegment()
    {
        if (m_seg.angle || hasContent(m_seg.before)) {
            MailAddress mailbox = m_seg.angle ? angleMailbox(m_seg) : bareMailbox(m_seg.before);
            mailbox.address = withoutControls(mailbox.address);
            mailbox.group = m_group;
            if (!mailbox.name.isEmpty() || !mailbox.address.isEmpty()) { // "<>" names nobody
                m_out.append(std::move(mailbox));
                ++m_members;
            }
        }
        m_seg.clear();
    }

    // An empty group still appears once, so "undisclosed-recipients:;" can be shown.
    void closeGroup()
    {
        if (m_inGroup && m_members == 0 && !m_group.isEmpty())
            m_out.append(MailAddress{{}, {}, m_group});
        m_inGroup = false;
        m_group.clear();
        m_members = 0;
    }

    Segment m_seg;
    QString m_group;
    bool m_inGroup = false;
    qsizetype m_members = 0;
    QList<MailAddress> m_out;
};

bool isBidiControl(char16_t u)
{
    return u == 0x061c || u == 0x200e || u == 0x200f || (u >= 0x202a && u <= 0x202e) ||
           (u >= 0x2066 && u <= 0x2069);
}

// Bidi controls could reorder what follows them, putting the name where the address seems
// to be; display text does without them.
QString withoutBidiControls(QString text)
{
    text.removeIf([](QChar ch) { return isBidiControl(ch.unicode()); });
    return text;
}

} // namespace

QString MailAddress::toDisplayString() const
{
    const QString shownAddress = withoutBidiControls(address);
    const QString shownName = withoutBidiControls(name).trimmed();
    if (shownAddress.isEmpty() && shownName.isEmpty())
        return group.isEmpty() ? QString() : group + QLatin1StringView(":;");
    if (shownName.isEmpty() || shownName.compare(shownAddress, Qt::CaseInsensitive) == 0)
        return shownAddress;
    // Quoted when it holds address syntax, so "boss@bank.example <evil@x>" reads as a name.
    const bool needsQuotes = std::any_of(shownName.begin(), shownName.end(), [](QChar ch) {
        return ch.unicode() < 0x80 && QByteArrayView("\"<>@,;:()[]\\").contains(char(ch.unicode()));
    });
    QString shown = shownName;
    if (needsQuotes) {
        shown.replace(u'\\', QStringLiteral("\\\\")).replace(u'"', QStringLiteral("\\\""));
        shown = u'"' + shown + u'"';
    }
    return shown + QLatin1StringView(" <") + shownAddress + u'>';
}

QList<MailAddress> parseAddressList(QByteArrayView headerValue)
{
    return Parser().run(headerValue);
}

} // namespace wharf::mime
