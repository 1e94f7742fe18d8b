// libFuzzer target: sanitising any bytes (as UTF-8) must not crash or hang, and what comes
// out must carry no script: no <script, no javascript: and no on* attribute in any tag, and
// with remote content off no src that loads from the network. Every `<` in the output
// starts a tag the sanitiser wrote (text `<` is escaped), so scanning tags is exact.

#include "mime/HtmlSanitizer.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {

bool isLetter(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
}

// The attribute names of a tag body (between `<name` and `>`), skipping quoted values.
void checkAttributes(QStringView tag, bool remoteAllowed)
{
    qsizetype i = 0;
    while (i < tag.size()) {
        if (tag[i] == u'"') {
            const qsizetype close = tag.indexOf(u'"', i + 1);
            if (close < 0)
                std::abort(); // unbalanced quote: the output is not well-formed
            i = close + 1;
            continue;
        }
        if (tag[i] == u' ') {
            const QStringView rest = tag.sliced(i + 1);
            qsizetype n = 0;
            while (n < rest.size() && isLetter(rest[n]))
                ++n;
            if (n > 2 && rest.startsWith(u"on", Qt::CaseInsensitive) && n < rest.size() &&
                rest[n] == u'=')
                std::abort();
            if (!remoteAllowed && (rest.startsWith(u"src=\"http", Qt::CaseInsensitive) ||
                                   rest.startsWith(u"src=\"//")))
                std::abort();
        }
        ++i;
    }
}

void check(const QString &html, bool remoteAllowed)
{
    if (html.contains(u"<script", Qt::CaseInsensitive))
        std::abort();
    for (qsizetype lt = html.indexOf(u'<'); lt >= 0; lt = html.indexOf(u'<', lt + 1)) {
        const qsizetype gt = html.indexOf(u'>', lt);
        if (gt < 0)
            std::abort();
        const QStringView tag = QStringView(html).sliced(lt, gt - lt);
        if (tag.contains(u"javascript:", Qt::CaseInsensitive))
            std::abort();
        checkAttributes(tag, remoteAllowed);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString input = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    wharf::mime::SanitizeOptions options;
    const auto blocked = wharf::mime::sanitizeHtml(input, options);
    check(blocked.html, false);
    if (blocked.blockedRemoteResources < 0 || blocked.blockedRemoteResources > input.size())
        std::abort();

    options.allowRemoteContent = true;
    options.resolveCid = [](const QByteArray &id) {
        return id.startsWith('a') ? QStringLiteral("wharf-part:1") : QString();
    };
    const auto allowed = wharf::mime::sanitizeHtml(input, options);
    check(allowed.html, true);
    if (allowed.blockedRemoteResources != 0)
        std::abort();

    check(wharf::mime::plainTextToHtml(input), true);
    return 0;
}
