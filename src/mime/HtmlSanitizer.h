#pragma once

#include <QByteArray>
#include <QString>
#include <QStringView>

#include <functional>

namespace wharf::mime {

struct SanitizeOptions
{
    // Per message, only after the user asked: remote images track the reader.
    bool allowRemoteContent = false;
    // A URL the viewer can load for a cid: part (Content-ID without angle brackets), or
    // empty when the message has no such part.
    std::function<QString(const QByteArray &contentId)> resolveCid;
};

struct SanitizedHtml
{
    QString html;
    // Remote images, srcset entries, background attributes, CSS url()s and stylesheet links
    // that were left out because allowRemoteContent was off; each occurrence counts once.
    int blockedRemoteResources = 0;
};

// Reduces one text/html part to a safe, well-formed subset for QTextBrowser: allowlisted
// elements and attributes only, active content and its text removed, unknown elements
// unwrapped, links limited to http/https/mailto/#fragment, styles to a property allowlist
// without url(). Sanitise each part on its own and never concatenate parts first (EFAIL).
// Linear time; emitted nesting is capped so the viewer's layout stays shallow.
SanitizedHtml sanitizeHtml(QStringView html, const SanitizeOptions &options = {});

// A text/plain part as HTML: escaped, http(s) URLs linked, line breaks and spaces kept.
QString plainTextToHtml(QStringView text);

} // namespace wharf::mime
