#pragma once

#include "store/ThreadKeys.h"

#include <QList>

namespace wharf::store {

// Conversation threading after Jamie Zawinski's algorithm (https://www.jwz.org/doc/threading.html),
// as Netscape, Thunderbird and mutt do it: by Message-ID and References, tolerant of missing
// and contradictory parents, optionally joining threads that share a base subject.
//
// It runs in O(n log n), and never recurses, so a reply chain 100,000 messages deep is as
// safe as a flat folder. The result is the same whatever order the messages come in.

struct ThreadMessage
{
    qint64 id = 0;             // the caller's key (an index row id); -1 is reserved for dummies
    QByteArray messageId;      // normaliseMessageId(); empty when the message has none
    QByteArrayList references; // threadReferences(): ancestors, oldest first, parent last
    QString subject;
    qint64 date = 0; // ms since the epoch
};

struct ThreadNode
{
    static constexpr qint64 DummyId = -1;

    qint64 id = DummyId; // a message, or DummyId: a missing parent shared by several replies
    int parent = -1;     // indices into ThreadForest::nodes
    int firstChild = -1;
    int nextSibling = -1;
    int depth = 0;

    bool isDummy() const { return id == DummyId; }
};

// Threads as a flat array, so that neither building nor destroying a deep one recurses.
// nodes are in display order: each thread's root, then its replies depth first, children
// oldest first. Roots come oldest first (a dummy dates from its oldest reply); equal dates
// fall back to the smaller id. Dummies are only ever roots and always have two or more
// children.
struct ThreadForest
{
    QList<ThreadNode> nodes;
    QList<int> roots;

    QList<int> children(int node) const;
};

enum class SubjectGrouping
{
    Off, // only Message-ID and References join messages
    On,  // threads whose roots share a base subject are joined too (JWZ step 5)
};

// Every message appears exactly once. A message's parent comes from the last id of its own
// references; an id it never received is a placeholder that the ids before it link into the
// chain (the first message to name a link wins) and that disappears at the end: its replies
// move up to the nearest real ancestor, or, at the top, share a dummy root when there are
// several. Links that would close a loop are dropped, weakest first. A second message with
// an already-seen Message-ID (the later one by date) threads by its own references, but
// nothing can reply to it; neither can a message without Message-ID.
ThreadForest threadMessages(const QList<ThreadMessage> &messages,
                            SubjectGrouping grouping = SubjectGrouping::Off);

struct ThreadRow
{
    qint64 id = ThreadNode::DummyId;
    int depth = 0;
};

enum class DummyRows
{
    Show, // dummies are rows (id DummyId) and their replies sit one level below them
    Hide, // dummies are left out and their replies become top-level rows
};

// The rows a message list shows, top to bottom.
QList<ThreadRow> flattenThreads(const ThreadForest &forest, DummyRows dummies = DummyRows::Show);

} // namespace wharf::store
