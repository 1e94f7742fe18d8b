#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace wharf::mime {

// Content-Transfer-Encoding decoders, lenient as readers must be: base64 skips characters
// outside its alphabet, tolerates missing padding, drops an incomplete final quantum and
// reads on after padding (concatenated encodings); quoted-printable keeps an "=" that
// starts no valid escape and keeps the line breaks it was given (only soft breaks go).
QByteArray decodeBase64(QByteArrayView encoded);
QByteArray decodeQuotedPrintable(QByteArrayView encoded);

// By the Content-Transfer-Encoding value (any case); 7bit, 8bit, binary and unknown
// encodings give the bytes back unchanged.
QByteArray decodeTransferEncoding(QByteArrayView body, QByteArrayView encoding);

// 0-15 for a hex digit of either case, -1 otherwise (QP, RFC 2047 Q, RFC 2231 %XX).
int hexDigitValue(char c);

} // namespace wharf::mime
