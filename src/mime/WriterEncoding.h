#pragma once

// Encoders for writing messages (MessageWriter); the readers' counterparts live in
// TransferEncoding.h and ParameterValues.h.

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace wharf::mime::writer {

// Quoted-printable (RFC 2045 6.7) of CRLF text: CRLF stays a hard break, lines are soft-broken
// at 76, trailing whitespace, "From " and a leading "." are escaped so no transport alters
// them. Ends with a line break (a soft one if the text does not end with CRLF).
QByteArray quotedPrintable(QByteArrayView text);

// Base64 in lines of 76 characters, each ended by CRLF.
QByteArray base64Lines(QByteArrayView data);

// Text with every line end (CRLF, CR, LF) as CRLF, as MIME text must be.
QByteArray canonicalLineEnds(const QString &text);

// Longest line in bytes, line ends not counted.
qsizetype longestLine(QByteArrayView data);

// The whole text as UTF-8 B encoded words of at most 75 characters, folded with CRLF SP,
// the first word fitting after firstLineUsed characters where possible. Unlike
// encodeHeaderText no word stays plain, so the result is safe in any phrase or quoted string.
QByteArray encodedWordsOnly(const QString &text, qsizetype firstLineUsed);

// A parameter as RFC 2231 (name*=utf-8''... or name*0*=, name*1*=, ... when long) followed
// by the plain name="..." old clients read (RFC 2047 words inside when not plain ASCII), each
// on its own folded line, ready to append to a header value.
QByteArray fileNameParameters(QByteArrayView name, const QString &value);

// name="..." alone, for Content-Type.
QByteArray legacyParameter(QByteArrayView name, const QString &value);

} // namespace wharf::mime::writer
