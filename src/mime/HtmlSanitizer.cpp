#include "mime/HtmlSanitizer.h"

#include "mime/HtmlSanitizerRules.h"
#include "mime/HtmlTokenizer.h"

#include <QList>
#include <algorithm>

namespace wharf::mime {

namespace {

using namespace htmlrules;

// QTextBrowser lays out recursively; past this depth further elements are unwrapped so a
// hostile `<div>` tower cannot exhaust the viewer's stack.
constexpr qsizetype MaxDepth = 100;

bool isIn(const QString &name, std::initializer_list<const char16_t *> names)
{
    for (const char16_t *n : names) {
        if (name == QStringView(n))
            return true;
    }
    return false;
}

// Active or embedded content: what is inside them is code, or a document of its own.
bool isDroppedWithContent(const QString &name)
{
    return isIn(name, {u"script", u"style", u"title", u"head", u"iframe", u"frame", u"frameset",
                       u"object", u"embed", u"applet", u"form", u"svg", u"math", u"template",
                       u"noscript", u"audio", u"video", u"canvas"});
}

bool isVoid(const QString &name)
{
    return isIn(name, {u"br", u"hr", u"img", u"col"});
}

bool isAllowedElement(const QString &name)
{
    return isVoid(name) ||
           isIn(name,
                {u"p",       u"div",  u"span",   u"b",       u"strong",   u"i",     u"em",
                 u"u",       u"s",    u"strike", u"sub",     u"sup",      u"small", u"big",
                 u"font",    u"h1",   u"h2",     u"h3",      u"h4",       u"h5",    u"h6",
                 u"ul",      u"ol",   u"li",     u"dl",      u"dt",       u"dd",    u"blockquote",
                 u"pre",     u"code", u"tt",     u"table",   u"thead",    u"tbody", u"tfoot",
                 u"tr",      u"td",   u"th",     u"caption", u"colgroup", u"a",     u"center",
                 u"address", u"abbr", u"cite",   u"q"});
}

enum class Kind
{
    None,
    Text,
    Length,
    Number,
    Color,
    Align,
    VAlign,
    FontSize,
    ListType,
    Href,
    Src,
    Background,
    Style
};

Kind attributeKind(const QString &e, const QString &a)
{
    if (a == u"style")
        return Kind::Style;
    if (a == u"title")
        return Kind::Text;
    const bool cell = isIn(e, {u"td", u"th"});
    const bool tableish = cell || isIn(e, {u"table", u"tr", u"thead", u"tbody", u"tfoot"});
    if (e == u"a")
        return a == u"href" ? Kind::Href : a == u"name" ? Kind::Text : Kind::None;
    if (e == u"img") {
        return a == u"src"                      ? Kind::Src
               : a == u"alt"                    ? Kind::Text
               : isIn(a, {u"width", u"height"}) ? Kind::Length
               : a == u"border"                 ? Kind::Number
               : a == u"align"                  ? Kind::Align
                                                : Kind::None;
    }
    if (e == u"font") {
        return a == u"color"  ? Kind::Color
               : a == u"size" ? Kind::FontSize
               : a == u"face" ? Kind::Text
                              : Kind::None;
    }
    if (a == u"align" && (tableish || isIn(e, {u"p", u"div", u"h1", u"h2", u"h3", u"h4", u"h5",
                                               u"h6", u"hr", u"col", u"colgroup", u"caption"})))
        return Kind::Align;
    if (a == u"valign" && (tableish || isIn(e, {u"col", u"colgroup"})))
        return Kind::VAlign;
    if (isIn(a, {u"bgcolor"}) && tableish)
        return Kind::Color;
    if (a == u"background" && tableish)
        return Kind::Background;
    if ((a == u"width" && (cell || isIn(e, {u"table", u"col", u"colgroup", u"hr"}))) ||
        (a == u"height" && (cell || e == u"tr")))
        return Kind::Length;
    if ((cell && isIn(a, {u"colspan", u"rowspan"})) ||
        (e == u"table" && isIn(a, {u"border", u"cellpadding", u"cellspacing"})) ||
        (isIn(e, {u"col", u"colgroup"}) && a == u"span") || (e == u"ol" && a == u"start") ||
        (e == u"li" && a == u"value") || (e == u"hr" && a == u"size"))
        return Kind::Number;
    if (a == u"type" && isIn(e, {u"ol", u"ul", u"li"}))
        return Kind::ListType;
    return Kind::None;
}

bool allCharsIn(const QString &v, qsizetype maxLength, bool (*ok)(QChar))
{
    return !v.isEmpty() && v.size() <= maxLength && std::all_of(v.cbegin(), v.cend(), ok);
}

bool isDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

bool isValidLength(QString v)
{
    if (v.endsWith(u'%'))
        v.chop(1);
    else if (v.endsWith(u"px", Qt::CaseInsensitive))
        v.chop(2);
    return allCharsIn(v, 5, isDigit);
}

bool isInlineImageType(const QString &lowerUrl)
{
    // Raster types only: an SVG image is a document that can carry script.
    return isIn(lowerUrl.section(u';', 0, 0).section(u',', 0, 0),
                {u"data:image/png", u"data:image/gif", u"data:image/jpeg", u"data:image/jpg",
                 u"data:image/webp", u"data:image/bmp"});
}

class Sanitizer
{
public:
    explicit Sanitizer(const SanitizeOptions &options)
        : m_options(options)
    {}

    SanitizedHtml run(QStringView html)
    {
        m_out.reserve(html.size());
        HtmlTokenizer tokenizer(html);
        for (HtmlToken t = tokenizer.next(); t.kind != HtmlToken::Kind::EndOfInput;
             t = tokenizer.next()) {
            if (t.kind == HtmlToken::Kind::Text) {
                if (m_skipDepth == 0)
                    m_out.append(escapeHtml(t.text));
            } else if (t.kind == HtmlToken::Kind::StartTag) {
                startTag(t);
            } else {
                endTag(t.text);
            }
        }
        closeDownTo(0);
        return {std::move(m_out), m_blocked};
    }

private:
    void startTag(const HtmlToken &t)
    {
        if (m_skipDepth > 0) {
            if (t.text == m_skipName && !t.selfClosing)
                ++m_skipDepth;
            return;
        }
        countBlocked(t);
        if (isDroppedWithContent(t.text)) {
            // embed and frame are void (no content to skip); only SVG and MathML honour `/>`.
            if (!isIn(t.text, {u"embed", u"frame"}) &&
                !(t.selfClosing && isIn(t.text, {u"svg", u"math"}))) {
                m_skipName = t.text;
                m_skipDepth = 1;
            }
            return;
        }
        if (!isAllowedElement(t.text))
            return; // unwrapped: its content is kept
        closeImpliedBy(t.text);
        const QString attributes = allowedAttributes(t);
        if (t.text == u"img" && !attributes.contains(u" src=\""))
            return; // nothing it may show
        if (!isVoid(t.text)) {
            if (m_open.size() >= MaxDepth)
                return;
            m_open.append(t.text);
        }
        m_out.append(u'<' + t.text + attributes + u'>');
    }

    void endTag(const QString &name)
    {
        if (m_skipDepth > 0) {
            if (name == m_skipName)
                --m_skipDepth;
            return;
        }
        const qsizetype at = m_open.lastIndexOf(name);
        if (at >= 0)
            closeDownTo(at);
    }

    void closeDownTo(qsizetype index)
    {
        while (m_open.size() > index)
            m_out.append(QStringLiteral("</") + m_open.takeLast() + u'>');
    }

    // Lists and tables without end tags are the norm in mail; closing the open sibling (up
    // to the enclosing list or table) keeps the depth honest and the output well-formed.
    void closeImpliedBy(const QString &name)
    {
        if (name == u"p")
            closeOpen({u"p"}, {u"div", u"td", u"th", u"li", u"blockquote", u"table"});
        else if (name == u"li")
            closeOpen({u"li"}, {u"ul", u"ol"});
        else if (isIn(name, {u"dt", u"dd"}))
            closeOpen({u"dt", u"dd"}, {u"dl"});
        else if (isIn(name, {u"td", u"th"}))
            closeOpen({u"td", u"th"}, {u"tr", u"table"});
        else if (name == u"tr")
            closeOpen({u"tr"}, {u"table"});
    }

    void closeOpen(std::initializer_list<const char16_t *> names,
                   std::initializer_list<const char16_t *> boundaries)
    {
        for (qsizetype i = m_open.size() - 1; i >= 0; --i) {
            if (isIn(m_open[i], names)) {
                closeDownTo(i);
                return;
            }
            if (isIn(m_open[i], boundaries))
                return;
        }
    }

    // Everything in the tag that would fetch from the network, whether or not the element or
    // attribute survives: the count tells the user what "load remote content" would load.
    void countBlocked(const HtmlToken &t)
    {
        if (m_options.allowRemoteContent)
            return;
        QString rel;
        QString href;
        for (const HtmlAttribute &a : t.attributes) {
            if (a.name == u"srcset")
                m_blocked += countRemoteSrcset(a.value);
            else if (a.name == u"background" && isRemoteUrl(cleanUrl(a.value)))
                ++m_blocked;
            else if (a.name == u"style")
                filterStyle(a.value, &m_blocked);
            else if (a.name == u"rel")
                rel = a.value.toLower();
            else if (a.name == u"href")
                href = a.value;
        }
        if (t.text == u"link" && rel.split(u' ', Qt::SkipEmptyParts).contains(u"stylesheet") &&
            isRemoteUrl(cleanUrl(href)))
            ++m_blocked;
    }

    QString imageSource(const QString &url)
    {
        const QString scheme = urlScheme(url);
        if (scheme == u"cid") {
            // RFC 2392: the Content-ID, percent-encoded, without angle brackets.
            QByteArray id = QByteArray::fromPercentEncoding(url.sliced(4).toUtf8());
            if (id.startsWith('<') && id.endsWith('>'))
                id = id.sliced(1, id.size() - 2);
            return m_options.resolveCid && !id.isEmpty() ? m_options.resolveCid(id) : QString();
        }
        if (isRemoteUrl(url)) {
            if (!m_options.allowRemoteContent) {
                ++m_blocked;
                return {};
            }
            if (url.startsWith(u"\\\\"))
                return {}; // a UNC path: on Windows an SMB fetch that leaks credentials
            return url.startsWith(u"//") ? QStringLiteral("https:") + url : url;
        }
        if (scheme == u"data" && isInlineImageType(url.toLower()))
            return url;
        return {};
    }

    QString checkedValue(Kind kind, const QString &value)
    {
        const QString trimmed = value.trimmed();
        switch (kind) {
        case Kind::None:
            return {};
        case Kind::Text:
            return value;
        case Kind::Length:
            return isValidLength(trimmed) ? trimmed : QString();
        case Kind::Number:
            return allCharsIn(trimmed, 4, isDigit) ? trimmed : QString();
        case Kind::Color:
            return allCharsIn(trimmed, 32,
                              [](QChar c) {
                                  return c == u'#' || isDigit(c) ||
                                         (c.toLower() >= u'a' && c.toLower() <= u'z');
                              })
                       ? trimmed
                       : QString();
        case Kind::Align: {
            const QString v = trimmed.toLower();
            return isIn(v, {u"left", u"right", u"center", u"justify"}) ? v : QString();
        }
        case Kind::VAlign: {
            const QString v = trimmed.toLower();
            return isIn(v, {u"top", u"middle", u"bottom", u"baseline"}) ? v : QString();
        }
        case Kind::FontSize:
            return allCharsIn(trimmed, 2,
                              [](QChar c) { return isDigit(c) || c == u'+' || c == u'-'; })
                       ? trimmed
                       : QString();
        case Kind::ListType:
            return isIn(trimmed, {u"1", u"a", u"A", u"i", u"I", u"disc", u"circle", u"square"})
                       ? trimmed
                       : QString();
        case Kind::Href: {
            const QString url = cleanUrl(value);
            const QString scheme = urlScheme(url);
            const bool ok = isIn(scheme, {u"http", u"https", u"mailto"}) ||
                            (scheme.isEmpty() && url.startsWith(u'#'));
            return ok ? url : QString();
        }
        case Kind::Src:
            return imageSource(cleanUrl(value));
        case Kind::Background: {
            const QString url = cleanUrl(value);
            return m_options.allowRemoteContent && isRemoteUrl(url) && !url.startsWith(u"//") &&
                           !url.startsWith(u"\\\\")
                       ? url
                       : QString();
        }
        case Kind::Style: {
            int ignored = 0; // counted in countBlocked
            return filterStyle(value, &ignored);
        }
        }
        return {};
    }

    QString allowedAttributes(const HtmlToken &t)
    {
        QString out;
        for (const HtmlAttribute &a : t.attributes) {
            // Event handlers (on*) and everything else unlisted fall out here.
            const QString value = checkedValue(attributeKind(t.text, a.name), a.value);
            if (value.isEmpty() || mentionsScriptScheme(value))
                continue;
            out.append(u' ' + a.name + QStringLiteral("=\"") + escapeHtml(value) + u'"');
        }
        return out;
    }

    const SanitizeOptions &m_options;
    QString m_out;
    QList<QString> m_open;
    int m_blocked = 0;
    QString m_skipName;
    int m_skipDepth = 0;
};

} // namespace

SanitizedHtml sanitizeHtml(QStringView html, const SanitizeOptions &options)
{
    return Sanitizer(options).run(html);
}

} // namespace wharf::mime
