#pragma once

#include <QByteArray>
#include <QList>

namespace wharf::mime {

// One header field as the message has it: unfolded (line breaks removed), undecoded.
struct HeaderField
{
    QByteArray name;
    QByteArray value;
};

struct HeaderBlock
{
    QList<HeaderField> fields;
    qsizetype bodyOffset = 0; // where the body starts, after the blank line
};

// Splits a message or part into its header fields, in order and duplicates kept, and finds
// where its body starts. Linear in the input, whatever the line lengths (mimetic's own
// header parser is quadratic on long lines, so Wharf reads headers itself). A line that is
// neither a field nor a continuation ends the header block and belongs to the body, as in
// Python's email parser.
HeaderBlock parseHeaderBlock(QByteArrayView data);

// Every header field of a message; the body is not looked at.
QList<HeaderField> readHeaderFields(const QByteArray &message);

// The first field with that name (case-insensitive), or nullptr.
const HeaderField *findField(const QList<HeaderField> &fields, QByteArrayView name);

} // namespace wharf::mime
