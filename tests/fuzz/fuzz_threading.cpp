// libFuzzer target: whatever ids, references and subjects a folder holds (repeats, loops,
// self references, junk), threading shows every message exactly once, in a forest (no node
// is its own ancestor), dummies only as roots with two or more replies, and the same forest
// whatever order the messages come in. The header readers it relies on keep their promises.
//
// Input: a first byte of flags (bit 0: subject grouping), then one message per line with
// fields separated by '|': Message-ID, References, In-Reply-To, Subject, date (its bytes).

#include "store/Threading.h"

#include <QSet>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace wharf::store;

namespace {

void check(bool ok)
{
    if (!ok)
        std::abort();
}

void checkIds(const QByteArrayList &ids)
{
    for (const QByteArray &id : ids) {
        check(!id.isEmpty());
        for (const char c : id)
            check(uchar(c) > 0x20 && c != 0x7f && c != '<' && c != '>');
    }
}

ThreadMessage readMessage(qint64 id, QByteArrayView line)
{
    QByteArrayView fields[5];
    for (int f = 0; f < 5 && !line.isEmpty(); ++f) {
        const qsizetype bar = f < 4 ? line.indexOf('|') : -1;
        fields[f] = bar < 0 ? line : line.first(bar);
        line = bar < 0 ? QByteArrayView() : line.sliced(bar + 1);
    }
    ThreadMessage m;
    m.id = id;
    m.messageId = normaliseMessageId(fields[0]);
    checkIds({m.messageId.isEmpty() ? QByteArray("x") : m.messageId});

    checkIds(extractMessageIds(fields[1]));
    m.references = threadReferences(fields[1], fields[2]);
    checkIds(m.references);
    check(QSet<QByteArray>(m.references.begin(), m.references.end()).size() == m.references.size());
    const QByteArrayList replyTo = extractMessageIds(fields[2]);
    check(replyTo.isEmpty() || m.references.last() == replyTo.first());

    m.subject = QString::fromUtf8(fields[3]);
    const QString base = baseSubject(m.subject);
    check(baseSubject(base) == base);

    for (const char c : fields[4])
        m.date = m.date * 7 + uchar(c) % 8; // small, so that dates often tie
    return m;
}

void checkForest(const ThreadForest &forest, qsizetype messageCount)
{
    QList<int> seen(messageCount, 0);
    qsizetype rootsSeen = 0;
    for (qsizetype i = 0; i < forest.nodes.size(); ++i) {
        const ThreadNode &node = forest.nodes[i];
        if (node.parent == -1) {
            check(node.depth == 0 && rootsSeen < forest.roots.size());
            check(forest.roots[rootsSeen++] == i);
        } else {
            check(node.parent < i && node.depth == forest.nodes[node.parent].depth + 1);
        }
        qsizetype children = 0;
        for (int c = node.firstChild; c != -1; c = forest.nodes[c].nextSibling) {
            check(c > i && c < forest.nodes.size() && forest.nodes[c].parent == i);
            ++children;
        }
        if (node.isDummy()) {
            check(node.parent == -1 && children >= 2);
        } else {
            check(node.id >= 0 && node.id < messageCount);
            ++seen[node.id];
        }
    }
    check(rootsSeen == forest.roots.size());
    check(std::all_of(seen.begin(), seen.end(), [](int n) { return n == 1; }));
}

bool sameShape(const ThreadForest &a, const ThreadForest &b)
{
    if (a.nodes.size() != b.nodes.size())
        return false;
    for (qsizetype i = 0; i < a.nodes.size(); ++i) {
        if (a.nodes[i].id != b.nodes[i].id || a.nodes[i].parent != b.nodes[i].parent)
            return false;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const auto grouping = (data[0] & 1) ? SubjectGrouping::On : SubjectGrouping::Off;
    QByteArrayView input(reinterpret_cast<const char *>(data) + 1, qsizetype(size) - 1);

    QList<ThreadMessage> messages;
    for (;;) {
        const qsizetype end = input.indexOf('\n');
        messages.append(readMessage(messages.size(), end < 0 ? input : input.first(end)));
        if (end < 0)
            break;
        input = input.sliced(end + 1);
    }

    const ThreadForest forest = threadMessages(messages, grouping);
    checkForest(forest, messages.size());
    std::reverse(messages.begin(), messages.end());
    check(sameShape(threadMessages(messages, grouping), forest));
    return 0;
}
