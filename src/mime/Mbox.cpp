#include "mime/Mbox.h"

#include "mime/AddressList.h"
#include "mime/HeaderFields.h"

#include <QDateTime>
#include <QIODevice>

#include <cstdio>
#include <cstring>

namespace wharf::mime {

namespace {

constexpr qsizetype kWriteChunk = 64 * 1024;
constexpr char kNoSender[] = "MAILER-DAEMON";

// ^>*From : a separator line, or one quoted any number of times. Writers add a '>' to
// each, readers take one away from those that have one.
bool isFromLine(QByteArrayView line)
{
    qsizetype i = 0;
    while (i < line.size() && line[i] == '>')
        ++i;
    return line.sliced(i).startsWith("From ");
}

bool isQuotedFrom(QByteArrayView line)
{
    return line.startsWith('>') && isFromLine(line);
}

// The separator is split at spaces by every reader: a sender must be one printable word.
bool usableSender(QByteArrayView sender)
{
    if (sender.isEmpty() || sender.size() > 256)
        return false;
    for (char c : sender) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte == 0x7f)
            return false;
    }
    return true;
}

QByteArray asctimeOf(const QDateTime &date)
{
    static constexpr const char *kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static constexpr const char *kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const QDateTime utc = (date.isValid() ? date : QDateTime::currentDateTimeUtc()).toUTC();
    const QDate day = utc.date();
    const QTime time = utc.time();
    char text[64];
    std::snprintf(text, sizeof text, "%s %s %2d %02d:%02d:%02d %d", kDays[day.dayOfWeek() - 1],
                  kMonths[day.month() - 1], day.day(), time.hour(), time.minute(), time.second(),
                  day.year());
    return QByteArray(text);
}

} // namespace

bool looksLikeMbox(QByteArrayView data)
{
    return data.startsWith("From ");
}

bool forEachMboxMessage(QIODevice &device, const std::function<void(QByteArray)> &message)
{
    return forEachMboxMessageWhile(device, [&message](QByteArray raw) {
        message(std::move(raw));
        return true;
    });
}

bool forEachMboxMessageWhile(QIODevice &device, const std::function<bool(QByteArray)> &message)
{
    QByteArray current;
    bool inMessage = false;
    qsizetype lastLineLength = -1; // of the last line if it was empty, else -1
    auto finish = [&] {
        if (lastLineLength > 0)
            current.chop(lastLineLength);
        const bool more = message(std::move(current));
        current = QByteArray();
        return more;
    };
    QByteArray line;
    while (!device.atEnd()) {
        line = device.readLine();
        if (line.isEmpty()) // nothing read although not at the end: a read error
            return false;
        if (line.startsWith("From ")) {
            if (inMessage && !finish())
                return true;
            inMessage = true;
            lastLineLength = -1;
            continue;
        }
        if (!inMessage)
            continue;
        current.append(isQuotedFrom(line) ? QByteArrayView(line).sliced(1) : QByteArrayView(line));
        const bool empty = line == "\n" || line == "\r\n";
        lastLineLength = empty ? line.size() : -1;
    }
    if (inMessage)
        finish();
    return true;
}

QByteArray mboxEnvelopeSender(QByteArrayView message)
{
    const HeaderBlock header = parseHeaderBlock(message);
    for (const char *name : {"Return-Path", "From"}) {
        const HeaderField *field = findField(header.fields, name);
        if (!field)
            continue;
        for (const MailAddress &address : parseAddressList(field->value)) {
            const QByteArray sender = address.address.toUtf8();
            if (usableSender(sender))
                return sender;
        }
    }
    return QByteArray(kNoSender);
}

QByteArray mboxSeparatorLine(QByteArrayView sender, const QDateTime &date)
{
    const QByteArrayView name = usableSender(sender) ? sender : QByteArrayView(kNoSender);
    return "From " + name.toByteArray() + ' ' + asctimeOf(date) + '\n';
}

bool writeMboxMessage(QIODevice &device, QByteArrayView message, const QDateTime &date,
                      QByteArrayView sender)
{
    QByteArray out = mboxSeparatorLine(
        sender.isEmpty() ? QByteArrayView(mboxEnvelopeSender(message)) : sender, date);
    out.reserve(qMin(message.size(), kWriteChunk) + out.size() + 256);
    // A device may take part of a write (a pipe, a disk filling up): the rest is offered
    // again until it refuses, so its error string says why.
    auto flush = [&] {
        for (qsizetype done = 0; done < out.size();) {
            const qint64 written = device.write(out.constData() + done, out.size() - done);
            if (written <= 0)
                return false;
            done += written;
        }
        out.clear();
        return true;
    };
    const char *data = message.data();
    qsizetype position = 0;
    while (position < message.size()) {
        const auto *newline = static_cast<const char *>(
            std::memchr(data + position, '\n', size_t(message.size() - position)));
        const qsizetype end = newline ? newline - data : message.size();
        QByteArrayView line = message.sliced(position, end - position);
        if (newline && line.endsWith('\r'))
            line.chop(1);
        if (isFromLine(line))
            out += '>';
        out += line;
        out += '\n';
        position = newline ? end + 1 : end;
        if (out.size() >= kWriteChunk && !flush())
            return false;
    }
    out += '\n';
    return flush();
}

} // namespace wharf::mime
