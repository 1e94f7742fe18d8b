#include "mime/HtmlSanitizerRules.h"

#include <QStringList>

namespace wharf::mime::htmlrules {

namespace {

bool isControlOrSpace(QChar c)
{
    return c.unicode() <= 0x20 || (c.unicode() >= 0x7f && c.unicode() <= 0x9f);
}

QString withoutSpaceAndControls(QStringView value)
{
    QString out;
    out.reserve(value.size());
    for (const QChar c : value) {
        if (!isControlOrSpace(c) && !c.isSpace())
            out.append(c);
    }
    return out;
}

bool isAllowedProperty(const QString &p)
{
    for (const QChar c : p) {
        if (!(c >= u'a' && c <= u'z') && c != u'-')
            return false;
    }
    // border-image takes image URLs, also as bare strings in image-set().
    if (p.startsWith(u"border-image"))
        return false;
    return p == u"color" || p == u"background-color" || p == u"text-align" ||
           p == u"text-decoration" || p == u"width" || p == u"height" || p == u"white-space" ||
           p == u"vertical-align" || p == u"font" || p.startsWith(u"font-") ||
           p.startsWith(u"margin") || p.startsWith(u"padding") || p.startsWith(u"border");
}

// Functions other than colour ones can fetch (image(), image-set(), cross-fade() take bare
// strings as URLs) or run code (old IE expression()); none is needed for the allowlist.
bool hasOnlyColourFunctions(const QString &lower)
{
    for (qsizetype open = lower.indexOf(u'('); open >= 0; open = lower.indexOf(u'(', open + 1)) {
        qsizetype begin = open;
        while (begin > 0 &&
               ((lower[begin - 1] >= u'a' && lower[begin - 1] <= u'z') || lower[begin - 1] == u'-'))
            --begin;
        const QStringView fn = QStringView(lower).sliced(begin, open - begin);
        if (fn != u"rgb" && fn != u"rgba" && fn != u"hsl" && fn != u"hsla")
            return false;
    }
    return true;
}

bool isSafeValue(QStringView value)
{
    const QString compact = withoutSpaceAndControls(value).toLower();
    if (compact.isEmpty())
        return false;
    for (const QChar c : value) {
        if (isControlOrSpace(c) && c != u' ' && c != u'\t')
            return false;
    }
    static const char16_t *const forbidden[] = {u"url(",        u"expression(", u"@",  u"\\",
                                                u"javascript:", u"vbscript:",   u"/*", u"<",
                                                u">",           u"{",           u"}"};
    for (const char16_t *f : forbidden) {
        if (compact.contains(QStringView(f)))
            return false;
    }
    return hasOnlyColourFunctions(compact);
}

// The argument of each url( in a declaration value that would be fetched remotely.
int countRemoteCssUrls(QStringView value)
{
    int count = 0;
    qsizetype from = 0;
    while (true) {
        const qsizetype at = value.indexOf(u"url(", from, Qt::CaseInsensitive);
        if (at < 0)
            return count;
        from = at + 4;
        qsizetype end = value.indexOf(u')', from);
        if (end < 0)
            end = value.size();
        QStringView arg = value.sliced(from, end - from).trimmed();
        if (!arg.isEmpty() && (arg.front() == u'"' || arg.front() == u'\''))
            arg = arg.sliced(1);
        if (!arg.isEmpty() && (arg.back() == u'"' || arg.back() == u'\''))
            arg.chop(1);
        if (isRemoteUrl(cleanUrl(arg)))
            ++count;
    }
}

} // namespace

QString escapeHtml(QStringView text)
{
    QString out;
    out.reserve(text.size() + text.size() / 8);
    for (const QChar c : text) {
        switch (c.unicode()) {
        case u'&':
            out.append(u"&amp;");
            break;
        case u'<':
            out.append(u"&lt;");
            break;
        case u'>':
            out.append(u"&gt;");
            break;
        case u'"':
            out.append(u"&quot;");
            break;
        case u'\'':
            out.append(u"&#39;");
            break;
        default:
            // Other C0 controls have no business in displayed text.
            if (c.unicode() >= 0x20 || c == u'\n' || c == u'\t' || c == u'\r')
                out.append(c);
        }
    }
    return out;
}

QString cleanUrl(QStringView value)
{
    qsizetype begin = 0;
    qsizetype end = value.size();
    while (begin < end && value[begin].unicode() <= 0x20)
        ++begin;
    while (end > begin && value[end - 1].unicode() <= 0x20)
        --end;
    QString out;
    out.reserve(end - begin);
    for (const QChar c : value.sliced(begin, end - begin)) {
        if (c == u' ' || !isControlOrSpace(c))
            out.append(c);
    }
    return out;
}

QString urlScheme(QStringView cleanedUrl)
{
    const qsizetype colon = cleanedUrl.indexOf(u':');
    if (colon < 0)
        return {};
    for (qsizetype i = 0; i < colon; ++i) {
        const QChar c = cleanedUrl[i];
        if (c == u'/' || c == u'?' || c == u'#')
            return {};
    }
    const QString scheme = cleanedUrl.first(colon).toString().toLower();
    if (scheme.isEmpty() || !(scheme[0] >= u'a' && scheme[0] <= u'z'))
        return QStringLiteral("?");
    for (const QChar c : scheme) {
        if (!((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'+' || c == u'-' ||
              c == u'.'))
            return QStringLiteral("?");
    }
    return scheme;
}

bool isRemoteUrl(QStringView cleanedUrl)
{
    const QString scheme = urlScheme(cleanedUrl);
    return scheme == u"http" || scheme == u"https" ||
           (scheme.isEmpty() && (cleanedUrl.startsWith(u"//") || cleanedUrl.startsWith(u"\\\\")));
}

bool mentionsScriptScheme(QStringView value)
{
    const QString compact = withoutSpaceAndControls(value);
    return compact.contains(u"javascript:", Qt::CaseInsensitive) ||
           compact.contains(u"vbscript:", Qt::CaseInsensitive) ||
           compact.contains(u"livescript:", Qt::CaseInsensitive);
}

int countRemoteSrcset(QStringView srcset)
{
    int count = 0;
    for (const QStringView candidate : srcset.split(u',')) {
        const QStringView trimmed = candidate.trimmed();
        qsizetype end = 0;
        while (end < trimmed.size() && !trimmed[end].isSpace())
            ++end;
        if (isRemoteUrl(cleanUrl(trimmed.first(end))))
            ++count;
    }
    return count;
}

QString filterStyle(QStringView style, int *remoteUrls)
{
    QStringList kept;
    for (const QStringView declaration : style.split(u';')) {
        *remoteUrls += countRemoteCssUrls(declaration);
        const qsizetype colon = declaration.indexOf(u':');
        if (colon < 0)
            continue;
        const QString property = declaration.first(colon).trimmed().toString().toLower();
        const QStringView value = declaration.sliced(colon + 1).trimmed();
        if (isAllowedProperty(property) && isSafeValue(value))
            kept.append(property + QStringLiteral(": ") + value.toString());
    }
    return kept.join(u"; ");
}

} // namespace wharf::mime::htmlrules
