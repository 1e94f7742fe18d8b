#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

namespace wharf::mime {

// One parameter after RFC 2231 reassembly: `name` is the base name in lower case (no `*`,
// no section number), `value` the decoded text. `extended` says the value came from an
// RFC 2231 form (name* or name*0...), whose bytes are percent-decoded in a declared charset;
// otherwise the value is the plain token or quoted string, undecoded beyond that.
struct Parameter
{
    QByteArray name;
    QString value;
    bool extended = false;
};

// A Content-Type or Content-Disposition value: the leading token ("attachment",
// "text/plain", lower case) and its parameters in order of first appearance.
struct ParameterizedValue
{
    QByteArray type;
    QList<Parameter> parameters;

    // The parameter of that (case-insensitive) name, or nullptr.
    const Parameter *find(QByteArrayView name) const;
};

// Parses the value of a MIME header field, unfolded or not. Readers meet every kind of
// broken mailer, so this never fails: comments are skipped, junk up to the next `;` is
// dropped, an unterminated quoted string runs to the end, and unquoted values keep inner
// spaces. A duplicate name keeps the first value. Per base name, name* beats a name*0...
// continuation, which beats the plain name; continuations are put in section order and stop
// at the first gap. An unknown charset decodes as UTF-8 (bad bytes become U+FFFD); raw
// 8-bit bytes in plain values decode as UTF-8 when valid, else as windows-1252.
ParameterizedValue parseParameterizedValue(QByteArrayView fieldValue);

// The file name a message proposes for a part: filename from Content-Disposition, else name
// from Content-Type (each in its RFC 2231 form first). A plain value holding RFC 2047
// encoded words (Outlook writes filename="=?UTF-8?B?...?=") is decoded. Empty when neither
// gives a name. The result is chosen by the sender: every save must pass it through
// sanitizeFileName (mime/SafeFileName.h).
QString attachmentFileName(QByteArrayView contentDisposition, QByteArrayView contentType);

} // namespace wharf::mime
