#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace wharf::mime {

// The one place where charset labels become text, for bodies, encoded words and RFC 2231
// parameters alike.

// The decoder's own name for a label ("UTF-8" for "utf8"), after the aliases mailers use
// (ks_c_5601-1987, big5_tw, gb2312 read as its superset GB18030, cp1252, ...), quotes and
// an RFC 2231 language suffix ("utf-8*en") removed; empty when no decoder knows it.
QByteArray charsetName(QByteArrayView label);

// Turns bytes in a declared charset into text the way mail readers must: ISO-8859-1 and
// US-ASCII labels read as windows-1252 (WHATWG; mislabelled Windows mail); an unknown or
// missing label reads as UTF-8 when the bytes are valid UTF-8, else as windows-1252; bytes
// that do not decode, including a character cut off at the end, become U+FFFD. Never fails.
QString decodeCharset(QByteArrayView bytes, QByteArrayView label);

bool isValidUtf8(QByteArrayView bytes);

} // namespace wharf::mime
