#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <functional>

class QDateTime;
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
// The same, for readers that may stop early (an interrupted or failed import): reading ends
// as soon as `message` returns false. Stopping is not an error; a read error returns false.
bool forEachMboxMessageWhile(QIODevice &device, const std::function<bool(QByteArray)> &message);

// The address a separator line names: the Return-Path, else the first From address, else
// (none, or one that would break the line) "MAILER-DAEMON", as MTAs write for bounces.
QByteArray mboxEnvelopeSender(QByteArrayView message);
// "From SENDER Tue Jan  2 03:04:05 2024\n": the asctime() form, in UTC. An invalid date
// is replaced by the current time; a sender that is empty or holds whitespace or control
// characters by "MAILER-DAEMON".
QByteArray mboxSeparatorLine(QByteArrayView sender, const QDateTime &date);

// Appends one message to an mbox file as mboxrd writes it, which forEachMboxMessage reads
// back byte for byte: the separator line (sender from mboxEnvelopeSender() when empty),
// every line matching ^>*From  quoted with one more '>', LF line endings (CRLF becomes LF,
// as mbox files on Unix have them), a final LF when the message lacks one, and the empty
// line that ends each message. Writes in chunks, never the whole message at once. Returns
// false when the device does not take every byte (a full disk, a closed device): its
// errorString() says why. A buffered QFile may report a failure only when it is flushed.
bool writeMboxMessage(QIODevice &device, QByteArrayView message, const QDateTime &date,
                      QByteArrayView sender = {});

} // namespace wharf::mime
