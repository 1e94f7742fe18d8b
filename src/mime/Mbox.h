#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <functional>

class QIODevice;

namespace wharf::mime {

// True when the data starts like an mbox file: a "From " separator line.
bool looksLikeMbox(QByteArrayView data);

// Calls `message` with each message of an mbox file (separators "From " at line starts),
// without the separator line, without the empty line writers put before the next separator,
// and with one level of ">From " quoting removed (mboxrd, which also reads mboxo files
// correctly in all but their ambiguous lines). Reads the device line by line, so only one
// message is in memory at a time. Returns false on a read error.
bool forEachMboxMessage(QIODevice &device, const std::function<void(QByteArray)> &message);

} // namespace wharf::mime
