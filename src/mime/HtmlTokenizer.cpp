#include "mime/HtmlTokenizer.h"

#include <QHash>

#include <algorithm>
#include <utility>

namespace wharf::mime {

namespace {

// A tag with thousands of attributes is an attack, not a mail; past this they are parsed
// but not kept, which also bounds the duplicate check.
constexpr qsizetype MaxAttributes = 64;

bool isAsciiAlpha(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
}

bool isAsciiAlnum(QChar c)
{
    return isAsciiAlpha(c) || (c >= u'0' && c <= u'9');
}

bool isHtmlSpace(QChar c)
{
    return c == u' ' || c == u'\t' || c == u'\n' || c == u'\r' || c == u'\f';
}

// Text in these is not markup; the sanitiser drops most of them, but parsing their bodies
// as tags would let `<style>"</style><img onerror=...>"` shapes desynchronise us.
bool isRawTextElement(const QString &name, bool *decodes)
{
    *decodes = name == u"title" || name == u"textarea";
    return *decodes || name == u"script" || name == u"style" || name == u"xmp" ||
           name == u"iframe" || name == u"noembed" || name == u"noframes";
}

struct NamedEntity
{
    const char16_t *name;
    char16_t value;
};

// The references mail actually uses; an unknown one stays literal text, which is safe.
constexpr NamedEntity Entities[] = {
    {u"amp", u'&'},      {u"lt", u'<'},       {u"gt", u'>'},      {u"quot", u'"'},
    {u"apos", u'\''},    {u"nbsp", 0xa0},     {u"copy", 0xa9},    {u"reg", 0xae},
    {u"trade", 0x2122},  {u"hellip", 0x2026}, {u"mdash", 0x2014}, {u"ndash", 0x2013},
    {u"lsquo", 0x2018},  {u"rsquo", 0x2019},  {u"ldquo", 0x201c}, {u"rdquo", 0x201d},
    {u"sbquo", 0x201a},  {u"bdquo", 0x201e},  {u"bull", 0x2022},  {u"middot", 0xb7},
    {u"euro", 0x20ac},   {u"pound", 0xa3},    {u"yen", 0xa5},     {u"cent", 0xa2},
    {u"sect", 0xa7},     {u"para", 0xb6},     {u"deg", 0xb0},     {u"plusmn", 0xb1},
    {u"times", 0xd7},    {u"divide", 0xf7},   {u"laquo", 0xab},   {u"raquo", 0xbb},
    {u"iexcl", 0xa1},    {u"iquest", 0xbf},   {u"shy", 0xad},     {u"zwnj", 0x200c},
    {u"zwj", 0x200d},    {u"lrm", 0x200e},    {u"rlm", 0x200f},   {u"ensp", 0x2002},
    {u"emsp", 0x2003},   {u"thinsp", 0x2009}, {u"colon", u':'},   {u"Tab", u'\t'},
    {u"NewLine", u'\n'}, {u"lpar", u'('},     {u"rpar", u')'},    {u"sol", u'/'},
    {u"bsol", u'\\'},    {u"num", u'#'},      {u"excl", u'!'},    {u"period", u'.'},
    {u"comma", u','},    {u"semi", u';'},     {u"equals", u'='},  {u"auml", 0xe4},
    {u"ouml", 0xf6},     {u"uuml", 0xfc},     {u"Auml", 0xc4},    {u"Ouml", 0xd6},
    {u"Uuml", 0xdc},     {u"szlig", 0xdf},    {u"eacute", 0xe9},  {u"egrave", 0xe8},
    {u"ecirc", 0xea},    {u"aacute", 0xe1},   {u"agrave", 0xe0},  {u"acirc", 0xe2},
    {u"iacute", 0xed},   {u"oacute", 0xf3},   {u"uacute", 0xfa},  {u"ccedil", 0xe7},
    {u"ntilde", 0xf1},   {u"Eacute", 0xc9},   {u"oslash", 0xf8},  {u"aring", 0xe5},
    {u"aelig", 0xe6},    {u"Oslash", 0xd8},   {u"Aring", 0xc5},   {u"AElig", 0xc6},
};

// Only these may appear without `;` (legacy), as in browsers.
bool isLegacyEntity(QStringView name)
{
    return name == u"amp" || name == u"lt" || name == u"gt" || name == u"quot" || name == u"nbsp" ||
           name == u"copy" || name == u"reg";
}

const QHash<QStringView, char16_t> &entityTable()
{
    static const QHash<QStringView, char16_t> table = [] {
        QHash<QStringView, char16_t> t;
        for (const NamedEntity &e : Entities)
            t.insert(QStringView(e.name), e.value);
        return t;
    }();
    return table;
}

// Numeric references to 0x80-0x9f mean windows-1252, as in browsers (HTML 13.2.5.80).
constexpr char16_t Windows1252[32] = {
    0x20ac, 0xfffd, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xfffd, 0x017d, 0xfffd, 0xfffd, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022,
    0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0xfffd, 0x017e, 0x0178};

void appendCodePoint(QString &out, char32_t cp)
{
    if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        cp = 0xfffd;
    else if (cp >= 0x80 && cp <= 0x9f)
        cp = Windows1252[cp - 0x80];
    out.append(QString::fromUcs4(&cp, 1));
}

int digitValue(QChar c, int base)
{
    const char16_t u = c.unicode();
    if (u >= u'0' && u <= u'9')
        return u - u'0';
    if (base == 16 && u >= u'a' && u <= u'f')
        return u - u'a' + 10;
    if (base == 16 && u >= u'A' && u <= u'F')
        return u - u'A' + 10;
    return -1;
}

// Decodes the reference at text[i] == '&' into out; returns the index after it, or i + 1
// (with '&' appended) when it is not one.
qsizetype decodeOne(QStringView text, qsizetype i, bool inAttribute, QString &out)
{
    const qsizetype n = text.size();
    qsizetype j = i + 1;
    if (j < n && text[j] == u'#') {
        ++j;
        const bool hex = j < n && (text[j] == u'x' || text[j] == u'X');
        if (hex)
            ++j;
        const qsizetype digitsBegin = j;
        char32_t value = 0;
        for (; j < n; ++j) {
            const int digit = digitValue(text[j], hex ? 16 : 10);
            if (digit < 0)
                break;
            if (value <= 0x10ffff) // saturate: stays invalid, never overflows
                value = value * (hex ? 16 : 10) + char32_t(digit);
        }
        if (j == digitsBegin) {
            out.append(u'&');
            return i + 1;
        }
        if (j < n && text[j] == u';')
            ++j;
        appendCodePoint(out, value);
        return j;
    }
    while (j < n && j - i <= 32 && isAsciiAlnum(text[j]))
        ++j;
    const QStringView name = text.sliced(i + 1, j - i - 1);
    const bool terminated = j < n && text[j] == u';';
    const auto found = entityTable().constFind(name);
    if (found != entityTable().cend() && (terminated || isLegacyEntity(name))) {
        // In attributes "&amp=1" style query strings stay literal (HTML 13.2.5.73).
        if (!terminated && inAttribute && j < n && (isAsciiAlnum(text[j]) || text[j] == u'=')) {
            out.append(u'&');
            return i + 1;
        }
        out.append(QChar(*found));
        return terminated ? j + 1 : j;
    }
    out.append(u'&');
    return i + 1;
}

} // namespace

QString decodeHtmlEntities(QStringView text, bool inAttribute)
{
    QString out;
    out.reserve(text.size());
    qsizetype i = 0;
    while (i < text.size()) {
        const qsizetype amp = text.indexOf(u'&', i);
        if (amp < 0) {
            out.append(text.sliced(i));
            break;
        }
        out.append(text.sliced(i, amp - i));
        i = decodeOne(text, amp, inAttribute, out);
    }
    return out;
}

void HtmlTokenizer::skipPast(QStringView terminator)
{
    const qsizetype end = m_in.indexOf(terminator, m_pos);
    m_pos = end < 0 ? m_in.size() : end + terminator.size();
}

HtmlToken HtmlTokenizer::readRawText()
{
    // Up to `</name` followed by a delimiter, case-insensitively; else to the end.
    const QString name = std::exchange(m_rawTextEnd, QString());
    qsizetype search = m_pos;
    qsizetype end = m_in.size();
    while (search < m_in.size()) {
        const qsizetype lt = m_in.indexOf(u"</", search);
        if (lt < 0)
            break;
        const qsizetype after = lt + 2 + name.size();
        if (m_in.sliced(lt + 2).startsWith(name, Qt::CaseInsensitive) &&
            (after >= m_in.size() || isHtmlSpace(m_in[after]) || m_in[after] == u'/' ||
             m_in[after] == u'>')) {
            end = lt;
            break;
        }
        search = lt + 2;
    }
    HtmlToken token;
    token.kind = HtmlToken::Kind::Text;
    const QStringView raw = m_in.sliced(m_pos, end - m_pos);
    token.text = m_rawTextDecodes ? decodeHtmlEntities(raw, false) : raw.toString();
    m_pos = end;
    return token;
}

HtmlToken HtmlTokenizer::next()
{
    if (!m_rawTextEnd.isEmpty())
        return readRawText();
    const qsizetype n = m_in.size();
    while (m_pos < n) {
        // Text runs to the next `<` that starts markup; any other `<` is text.
        qsizetype scan = m_pos;
        qsizetype markup = -1;
        while (scan < n) {
            const qsizetype lt = m_in.indexOf(u'<', scan);
            if (lt < 0 || lt + 1 >= n)
                break;
            const QChar c = m_in[lt + 1];
            if (isAsciiAlpha(c) || c == u'/' || c == u'!' || c == u'?') {
                markup = lt;
                break;
            }
            scan = lt + 1;
        }
        const qsizetype textEnd = markup < 0 ? n : markup;
        if (textEnd > m_pos) {
            HtmlToken token;
            token.kind = HtmlToken::Kind::Text;
            token.text = decodeHtmlEntities(m_in.sliced(m_pos, textEnd - m_pos), false);
            m_pos = textEnd;
            return token;
        }
        // m_pos is at markup.
        const QStringView rest = m_in.sliced(m_pos);
        if (rest.startsWith(u"<!--")) {
            m_pos += 4;
            skipPast(u"-->");
        } else if (rest.startsWith(u"<![CDATA[")) {
            m_pos += 9;
            skipPast(u"]]>");
        } else if (rest[1] == u'!' || rest[1] == u'?' ||
                   (rest[1] == u'/' && (rest.size() < 3 || !isAsciiAlpha(rest[2])))) {
            // Doctype, processing instruction, `</>` or `</ x>`: bogus comments to `>`.
            m_pos += 2;
            skipPast(u">");
        } else {
            HtmlToken token;
            if (readTag(token))
                return token;
        }
    }
    return {};
}

bool HtmlTokenizer::readTag(HtmlToken &token)
{
    const qsizetype n = m_in.size();
    qsizetype i = m_pos + 1;
    token.kind = HtmlToken::Kind::StartTag;
    if (m_in[i] == u'/') {
        token.kind = HtmlToken::Kind::EndTag;
        ++i;
    }
    const qsizetype nameBegin = i;
    while (i < n && !isHtmlSpace(m_in[i]) && m_in[i] != u'/' && m_in[i] != u'>')
        ++i;
    token.text = m_in.sliced(nameBegin, i - nameBegin).toString().toLower();
    while (true) {
        while (i < n && (isHtmlSpace(m_in[i]) || m_in[i] == u'/'))
            ++i;
        if (i >= n) {
            m_pos = n; // unterminated tag at the end: dropped, as browsers do
            return false;
        }
        if (m_in[i] == u'>') {
            token.selfClosing = m_in[i - 1] == u'/';
            break;
        }
        const qsizetype attrBegin = i++; // a leading `=` belongs to the name
        while (i < n && !isHtmlSpace(m_in[i]) && m_in[i] != u'/' && m_in[i] != u'>' &&
               m_in[i] != u'=')
            ++i;
        HtmlAttribute attr{m_in.sliced(attrBegin, i - attrBegin).toString().toLower(), {}};
        qsizetype j = i;
        while (j < n && isHtmlSpace(m_in[j]))
            ++j;
        if (j < n && m_in[j] == u'=') {
            i = j + 1;
            while (i < n && isHtmlSpace(m_in[i]))
                ++i;
            qsizetype valueBegin = i;
            qsizetype valueEnd;
            if (i < n && (m_in[i] == u'"' || m_in[i] == u'\'')) {
                const qsizetype close = m_in.indexOf(m_in[i], i + 1);
                if (close < 0) {
                    m_pos = n;
                    return false;
                }
                valueBegin = i + 1;
                valueEnd = close;
                i = close + 1;
            } else {
                while (i < n && !isHtmlSpace(m_in[i]) && m_in[i] != u'>')
                    ++i;
                valueEnd = i;
            }
            attr.value = decodeHtmlEntities(m_in.sliced(valueBegin, valueEnd - valueBegin), true);
        }
        if (token.attributes.size() < MaxAttributes &&
            std::none_of(token.attributes.cbegin(), token.attributes.cend(),
                         [&](const HtmlAttribute &a) { return a.name == attr.name; }))
            token.attributes.append(std::move(attr));
    }
    m_pos = i + 1;
    if (token.kind == HtmlToken::Kind::StartTag && isRawTextElement(token.text, &m_rawTextDecodes))
        m_rawTextEnd = token.text;
    return true;
}

} // namespace wharf::mime
