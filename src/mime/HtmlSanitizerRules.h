#pragma once

// Internal to HtmlSanitizer: the URL and CSS judgements, apart so they can be read (and
// reviewed) without the tree walk around them.

#include <QString>
#include <QStringView>

namespace wharf::mime::htmlrules {

// Text or an attribute value with & < > " ' as references; C0 controls other than tab, CR
// and LF removed.
QString escapeHtml(QStringView text);

// An attribute URL as a browser's URL parser sees it: leading and trailing C0 controls and
// spaces stripped, tab/CR/LF removed anywhere, other controls removed.
QString cleanUrl(QStringView value);

// The lower-case scheme of a cleaned URL; empty for a relative URL (including `#frag` and
// `//host`); "?" when a `:` precedes any `/?#` but what is before it is no valid scheme.
QString urlScheme(QStringView cleanedUrl);

// http:, https: or protocol-relative `//host`: fetched from the network when shown.
bool isRemoteUrl(QStringView cleanedUrl);

// True if the value, with whitespace and controls removed, names a script scheme anywhere.
// Checked on every kept attribute: no legitimate mail needs one.
bool mentionsScriptScheme(QStringView value);

// The number of remote URLs among a srcset's comma-separated candidates.
int countRemoteSrcset(QStringView srcset);

// The declarations of a style attribute that are on the allowlist and load nothing;
// *remoteUrls is increased by the remote url()s it contained (all dropped).
QString filterStyle(QStringView style, int *remoteUrls);

} // namespace wharf::mime::htmlrules
