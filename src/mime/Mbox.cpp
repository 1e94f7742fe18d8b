#include "mime/Mbox.h"

#include <QIODevice>

namespace wharf::mime {

namespace {

// ">From ", ">>From ", ...: quoted separator lines lose one '>'.
bool isQuotedFrom(QByteArrayView line)
{
    qsizetype i = 0;
    while (i < line.size() && line[i] == '>')
        ++i;
    return i > 0 && line.sliced(i).startsWith("From ");
}

} // namespace

bool looksLikeMbox(QByteArrayView data)
{
    return data.startsWith("From ");
}

bool forEachMboxMessage(QIODevice &device, const std::function<void(QByteArray)> &message)
{
    QByteArray current;
    bool inMessage = false;
    qsizetype lastLineLength = -1; // of the last line if it was empty, else -1
    auto finish = [&] {
        if (lastLineLength > 0)
            current.chop(lastLineLength);
        message(std::move(current));
        current = QByteArray();
    };
    QByteArray line;
    while (!device.atEnd()) {
        line = device.readLine();
        if (line.isEmpty()) // nothing read although not at the end: a read error
            return false;
        if (line.startsWith("From ")) {
            if (inMessage)
                finish();
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

} // namespace wharf::mime
