#include "mime/Mbox.h"

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

void forEachMboxMessage(QByteArrayView data, const std::function<void(QByteArray)> &message)
{
    QByteArray current;
    bool inMessage = false;
    qsizetype lastLineLength = -1; // of the last line if it was empty, else -1
    // Writers put an empty line before each separator; it is not part of the message.
    auto finish = [&] {
        if (lastLineLength > 0)
            current.chop(lastLineLength);
        message(std::move(current));
    };
    qsizetype pos = 0;
    while (pos < data.size()) {
        const qsizetype newline = data.indexOf('\n', pos);
        const qsizetype next = newline < 0 ? data.size() : newline + 1;
        const QByteArrayView line = data.sliced(pos, next - pos);
        if (line.startsWith("From ")) {
            if (inMessage)
                finish();
            current = QByteArray();
            inMessage = true;
            lastLineLength = -1;
        } else if (inMessage) {
            current.append(isQuotedFrom(line) ? line.sliced(1) : line);
            const bool empty = line == "\n" || line == "\r\n";
            lastLineLength = empty ? line.size() : -1;
        }
        pos = next;
    }
    if (inMessage)
        finish();
}

} // namespace wharf::mime
