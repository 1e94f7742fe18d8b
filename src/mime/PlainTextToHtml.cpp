#include "mime/HtmlSanitizer.h"

#include "mime/HtmlSanitizerRules.h"

#include <algorithm>

namespace wharf::mime {

using htmlrules::escapeHtml;
using htmlrules::mentionsScriptScheme;

// Kept apart from the sanitiser: plain text needs no parsing, only escaping and linking.
QString plainTextToHtml(QStringView text)
{
    QString out = QStringLiteral("<div style=\"white-space: pre-wrap\">");
    qsizetype pos = 0;
    while (pos < text.size()) {
        qsizetype at = text.indexOf(u"http", pos, Qt::CaseInsensitive);
        qsizetype end = at;
        if (at >= 0) {
            const QStringView rest = text.sliced(at);
            const qsizetype schemeLength = rest.startsWith(u"http://", Qt::CaseInsensitive)    ? 7
                                           : rest.startsWith(u"https://", Qt::CaseInsensitive) ? 8
                                                                                               : 0;
            const bool boundary = at == 0 || !text[at - 1].isLetterOrNumber();
            end = at + schemeLength;
            while (schemeLength > 0 && end < text.size() && !text[end].isSpace() &&
                   text[end].unicode() > 0x20 && !QStringView(u"<>\"'").contains(text[end]))
                ++end;
            // Sentence punctuation after a URL is not part of it; ")" only if unbalanced.
            const bool hasOpenParen = text.sliced(at, end - at).contains(u'(');
            while (end > at + schemeLength && (QStringView(u".,;:!?").contains(text[end - 1]) ||
                                               (text[end - 1] == u')' && !hasOpenParen)))
                --end;
            // A script scheme anywhere in a link is never worth the doubt, even after http:.
            if (schemeLength == 0 || !boundary || end == at + schemeLength ||
                mentionsScriptScheme(text.sliced(at, end - at))) {
                const qsizetype plainEnd = std::max(at + 4, end);
                out.append(escapeHtml(text.sliced(pos, plainEnd - pos)));
                pos = plainEnd;
                continue;
            }
        } else {
            at = end = text.size();
        }
        out.append(escapeHtml(text.sliced(pos, at - pos)));
        if (end > at) {
            const QString url = escapeHtml(text.sliced(at, end - at));
            out.append(QStringLiteral("<a href=\"") + url + QStringLiteral("\">") + url +
                       QStringLiteral("</a>"));
        }
        pos = end;
    }
    out.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    out.append(u"</div>");
    return out;
}

} // namespace wharf::mime
