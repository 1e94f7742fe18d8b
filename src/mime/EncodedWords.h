#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace wharf::mime {

// Unstructured header text (Subject, display names, comments) as the user should see it:
// unfolded, RFC 2047 encoded words decoded in any charset Qt knows, raw 8-bit bytes read as
// UTF-8 (RFC 6532) or else windows-1252. Anything malformed stays as the literal text; bytes
// a charset cannot map become U+FFFD. The result may contain CR, LF or NUL if the sender
// encoded them: check it with headerValueProblem() before writing it into a header again.
QString decodeHeaderText(QByteArrayView raw);

// The header text ready to write after "Name: ": printable ASCII words stay as they are,
// everything else becomes UTF-8 encoded words, folded with CRLF SP so no line exceeds 78
// characters given that the first line already holds firstLineUsed characters.
// decodeHeaderText() gives the text back exactly.
QByteArray encodeHeaderText(const QString &text, qsizetype firstLineUsed = 0);

// Why the value must not go into a header as it is (it contains CR, LF or NUL, which would
// let it end the header and start another), or nothing when it is safe. The one place for
// that rule: user input, and text decoded from a message, pass through here alike.
std::optional<QString> headerValueProblem(const QString &value);

} // namespace wharf::mime
