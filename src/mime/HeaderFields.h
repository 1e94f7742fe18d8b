#pragma once

#include <QByteArray>
#include <QList>

namespace wharf::mime {

// One header field exactly as the message has it: unfolded, undecoded.
struct HeaderField
{
    QByteArray name;
    QByteArray value;
};

// Every header field of a message in order, duplicates kept, so a raw header stays
// reachable whatever the rest of the parser makes of it. The body is not loaded.
QList<HeaderField> readHeaderFields(const QByteArray &message);

} // namespace wharf::mime
