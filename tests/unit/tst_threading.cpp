#include "store/Threading.h"

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace wharf::store;

namespace {

ThreadMessage message(qint64 id, const char *messageId, QByteArrayList references = {},
                      QString subject = {})
{
    ThreadMessage m;
    m.id = id;
    m.messageId = messageId;
    m.references = std::move(references);
    m.subject = std::move(subject);
    m.date = id * 1000; // unless a test says otherwise, ids are in date order
    return m;
}

ThreadMessage dated(ThreadMessage m, qint64 date)
{
    m.date = date;
    return m;
}

// "1(2(3),4) 5": parentheses hold replies, "*" is a dummy. Built from the display order, so
// it also checks that nodes[] is depth first.
QString render(const ThreadForest &forest)
{
    QString out;
    int previous = -1;
    for (const ThreadNode &node : forest.nodes) {
        if (node.depth > previous) {
            if (previous >= 0)
                out += u'(';
        } else {
            out += QString(previous - node.depth, u')');
            out += node.depth == 0 ? u' ' : u',';
        }
        out += node.isDummy() ? u"*"_s : QString::number(node.id);
        previous = node.depth;
    }
    out += QString(std::max(previous, 0), u')');
    return out;
}

QString threaded(const QList<ThreadMessage> &messages,
                 SubjectGrouping grouping = SubjectGrouping::Off)
{
    return render(threadMessages(messages, grouping));
}

// The invariants every result must keep, checked without recursion.
void checkForest(const ThreadForest &forest, const QList<ThreadMessage> &messages)
{
    QHash<qint64, qint64> dateOf;
    for (const ThreadMessage &m : messages)
        dateOf.insert(m.id, m.date);
    QHash<qint64, int> seen;
    QList<qint64> earliest(forest.nodes.size()); // oldest date in each subtree's root level
    for (qsizetype i = forest.nodes.size() - 1; i >= 0; --i) {
        const ThreadNode &node = forest.nodes[i];
        earliest[i] = node.isDummy() ? std::numeric_limits<qint64>::max() : dateOf.value(node.id);
        for (int child = node.firstChild; child != -1; child = forest.nodes[child].nextSibling) {
            QVERIFY(child > i);
            if (node.isDummy())
                earliest[i] = std::min(earliest[i], earliest[child]);
        }
    }
    int rootIndex = 0;
    for (qsizetype i = 0; i < forest.nodes.size(); ++i) {
        const ThreadNode &node = forest.nodes[i];
        if (node.parent == -1) {
            QCOMPARE(node.depth, 0);
            QVERIFY(rootIndex < forest.roots.size());
            QCOMPARE(forest.roots[rootIndex++], int(i));
        } else {
            QVERIFY(node.parent < i); // so no node is its own ancestor
            QCOMPARE(node.depth, forest.nodes[node.parent].depth + 1);
        }
        if (node.isDummy()) {
            QCOMPARE(node.parent, -1);
            QVERIFY(forest.children(int(i)).size() >= 2);
        } else {
            QVERIFY(dateOf.contains(node.id));
            ++seen[node.id];
        }
        qint64 last = std::numeric_limits<qint64>::min();
        for (int child = node.firstChild; child != -1; child = forest.nodes[child].nextSibling) {
            QCOMPARE(forest.nodes[child].parent, int(i));
            QVERIFY(earliest[child] >= last);
            last = earliest[child];
        }
    }
    QCOMPARE(rootIndex, forest.roots.size());
    for (qsizetype r = 1; r < forest.roots.size(); ++r)
        QVERIFY(earliest[forest.roots[r]] >= earliest[forest.roots[r - 1]]);
    QCOMPARE(seen.size(), dateOf.size());
    for (auto it = seen.cbegin(); it != seen.cend(); ++it)
        QCOMPARE(it.value(), 1);
}

QByteArray idOf(int n)
{
    return "m" + QByteArray::number(n) + "@example.org";
}

} // namespace

class TestThreading : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void simpleChain();
    void missingParentWithSiblingsBecomesDummy();
    void missingParentWithOneChildIsPromoted();
    void missingParentInsideThread();
    void inReplyToOnly();
    void referencesLongerThanParentChain();
    void conflictingReferencesFirstLinkWins();
    void ownReferencesOverrideOthers();
    void selfReference();
    void cycles();
    void duplicateMessageIds();
    void messagesWithoutMessageId();
    void subjectGrouping();
    void flattensRows();
    void deepChain();
    void oneMessageWithDeepReferences();
    void randomMessagesAppearOnce();
    void reconstructsGeneratedThreads();
};

void TestThreading::simpleChain()
{
    QCOMPARE(threaded({message(1, "a"), message(2, "b", {"a"}), message(3, "c", {"a", "b"})}),
             u"1(2(3))"_s);
    // Input order does not matter.
    QCOMPARE(threaded({message(3, "c", {"a", "b"}), message(2, "b", {"a"}), message(1, "a")}),
             u"1(2(3))"_s);
    QCOMPARE(threaded({message(1, "a"), message(2, "b"), message(3, "c", {"a"})}), u"1(3) 2"_s);
}

void TestThreading::missingParentWithSiblingsBecomesDummy()
{
    QCOMPARE(threaded({message(1, "a", {"x"}), message(2, "b", {"x"})}), u"*(1,2)"_s);
    QCOMPARE(
        threaded({message(1, "a", {"x"}), message(2, "b", {"x"}), message(3, "c", {"x", "b"})}),
        u"*(1,2(3))"_s);
    // Missing ancestors above a missing parent collapse into the one dummy.
    QCOMPARE(threaded({message(1, "a", {"w", "x"}), message(2, "b", {"w", "y"})}), u"*(1,2)"_s);
    // The dummy dates from its oldest reply.
    QCOMPARE(threaded({message(1, "a"), dated(message(2, "b", {"x"}), 5000),
                       dated(message(3, "c", {"x"}), 500)}),
             u"*(3,2) 1"_s);
}

void TestThreading::missingParentWithOneChildIsPromoted()
{
    QCOMPARE(threaded({message(1, "a", {"x"})}), u"1"_s);
    QCOMPARE(threaded({message(1, "a", {"w", "x", "y"})}), u"1"_s);
    QCOMPARE(threaded({message(1, "a", {"x"}), message(2, "b", {"x", "a"})}), u"1(2)"_s);
}

void TestThreading::missingParentInsideThread()
{
    // x is missing but sits below a: its replies move up to a, never under a dummy.
    QCOMPARE(threaded({message(1, "a"), message(2, "b", {"a", "x"}), message(3, "c", {"a", "x"})}),
             u"1(2,3)"_s);
}

void TestThreading::inReplyToOnly()
{
    QCOMPARE(threaded({message(1, "a"), message(2, "b", threadReferences("", "<a>")),
                       message(3, "c", threadReferences("", "<b> (message from Bob <bob@x>)"))}),
             u"1(2(3))"_s);
}

void TestThreading::referencesLongerThanParentChain()
{
    // b and c were never received: d and e still hang from a, and f, which replied to the
    // missing b, beside them.
    QCOMPARE(threaded({message(1, "a"), message(4, "d", {"a", "b", "c"}),
                       message(5, "e", {"a", "b", "c", "d"}), message(6, "f", {"a", "b"})}),
             u"1(4(5),6)"_s);
}

void TestThreading::conflictingReferencesFirstLinkWins()
{
    // c says b replied to a; d says b replied to c, which would close a loop. The first stays.
    QCOMPARE(threaded({message(1, "a"), message(2, "b"), message(3, "c", {"a", "b"}),
                       message(4, "d", {"c", "b"})}),
             u"1(2(3,4))"_s);
    // Two messages linked both ways by others' references: the older link stays.
    QCOMPARE(threaded({message(1, "a"), message(2, "b"), message(3, "c", {"a", "b"}),
                       message(4, "d", {"b", "a"})}),
             u"1(2(3),4)"_s);
    // Two missing ids named in both orders: one link is kept, no loop, both messages shown.
    QCOMPARE(threaded({message(1, "m1", {"x", "y"}), message(2, "m2", {"y", "x"})}), u"*(1,2)"_s);
}

void TestThreading::ownReferencesOverrideOthers()
{
    // d guesses that c replied to b; c itself says it replied to a, and is believed.
    QCOMPARE(threaded({message(1, "a"), message(2, "b"), message(3, "d", {"b", "c"}),
                       message(4, "c", {"a"})}),
             u"1(4(3)) 2"_s);
}

void TestThreading::selfReference()
{
    QCOMPARE(threaded({message(1, "a", {"a"})}), u"1"_s);
    QCOMPARE(threaded({message(1, "a"), message(2, "b", {"a", "b"})}), u"1(2)"_s);
    QCOMPARE(threaded({message(1, "a"), message(2, "b", {"b", "a", "b"})}), u"1(2)"_s);
    QCOMPARE(threaded({message(1, "a"), message(2, "b", threadReferences("<a>", "<b>"))}),
             u"1(2)"_s);
}

void TestThreading::cycles()
{
    QCOMPARE(threaded({message(1, "a", {"b"}), message(2, "b", {"a"})}), u"1(2)"_s);
    QCOMPARE(threaded({dated(message(1, "a", {"b"}), 9000), message(2, "b", {"a"})}), u"2(1)"_s);
    QCOMPARE(threaded({message(1, "a", {"c"}), message(2, "b", {"a"}), message(3, "c", {"b"})}),
             u"1(2(3))"_s);
    // A loop only among references: a message is never lost to it.
    QCOMPARE(threaded({message(1, "a", {"x", "y", "x"}), message(2, "b", {"y", "x"})}),
             u"*(1,2)"_s);
    QCOMPARE(threaded({message(1, "a", {"b", "a"}), message(2, "b", {"a", "b"})}), u"1(2)"_s);
}

void TestThreading::duplicateMessageIds()
{
    // Both copies stay; replies go to the older one.
    QCOMPARE(threaded({message(1, "x"), message(2, "x"), message(3, "r", {"x"})}), u"1(3) 2"_s);
    // The later copy still threads by its own references.
    QCOMPARE(threaded({dated(message(5, "y"), 0), message(1, "x"), message(2, "x", {"y"}),
                       message(3, "r", {"x"})}),
             u"5(2) 1(3)"_s);
    // Which copy is older, not which comes first in the input, decides.
    QCOMPARE(threaded({message(2, "x"), message(3, "r", {"x"}), message(1, "x")}), u"1(3) 2"_s);
}

void TestThreading::messagesWithoutMessageId()
{
    QCOMPARE(threaded({message(1, ""), message(2, ""), message(3, "", {"c"})}), u"1 2 3"_s);
    QCOMPARE(threaded({message(1, "a"), message(2, "", {"a"}), message(3, "", {"a"})}),
             u"1(2,3)"_s);
}

void TestThreading::subjectGrouping()
{
    const QList<ThreadMessage> replyAfter = {message(1, "a", {}, u"Meeting"_s),
                                             message(2, "b", {}, u"Re: Meeting"_s)};
    QCOMPARE(threaded(replyAfter, SubjectGrouping::Off), u"1 2"_s);
    QCOMPARE(threaded(replyAfter, SubjectGrouping::On), u"1(2)"_s);

    // The message without prefix leads even when it is newer.
    QCOMPARE(threaded({message(1, "a", {}, u"Re: Meeting"_s), message(2, "b", {}, u"Meeting"_s)},
                      SubjectGrouping::On),
             u"2(1)"_s);
    QCOMPARE(threaded({message(1, "a", {}, u"Re: Meeting"_s), message(2, "b", {}, u"Re: Meeting"_s),
                       message(3, "c", {}, u"Meeting"_s)},
                      SubjectGrouping::On),
             u"3(1,2)"_s);
    // Two alike: a new dummy above both.
    QCOMPARE(threaded({message(1, "a", {}, u"Meeting"_s), message(2, "b", {}, u"meeting"_s),
                       message(3, "c", {}, u"Re: Meeting"_s)},
                      SubjectGrouping::On),
             u"*(1,2,3)"_s);
    // A dummy from a missing parent takes the others in.
    const QList<ThreadMessage> withDummy = {message(1, "a", {"x"}, u"Re: Plan"_s),
                                            message(2, "b", {"x"}, u"Re: Plan"_s),
                                            message(3, "c", {}, u"Plan"_s)};
    QCOMPARE(threaded(withDummy, SubjectGrouping::Off), u"*(1,2) 3"_s);
    QCOMPARE(threaded(withDummy, SubjectGrouping::On), u"*(1,2,3)"_s);
    // ... and dates from it when it is older than the replies.
    QCOMPARE(
        threaded({dated(message(3, "c", {}, u"Plan"_s), 0), message(1, "a", {"x"}, u"Re: Plan"_s),
                  message(2, "b", {"x"}, u"Re: Plan"_s), dated(message(4, "d"), 500)},
                 SubjectGrouping::On),
        u"*(3,1,2) 4"_s);
    // Two dummies merge.
    QCOMPARE(
        threaded({message(1, "a", {"x"}, u"Re: Plan"_s), message(2, "b", {"x"}, u"Re: Plan"_s),
                  message(3, "c", {"y"}, u"AW: Plan"_s), message(4, "d", {"y"}, u"Re: Plan"_s)},
                 SubjectGrouping::On),
        u"*(1,2,3,4)"_s);
    // Whole threads join, with list tags, case and spacing ignored.
    QCOMPARE(threaded({message(1, "a", {}, u"[dev] Build broken"_s),
                       message(2, "b", {"a"}, u"Re: [dev] Build broken"_s),
                       message(3, "c", {}, u"RE: build   BROKEN"_s)},
                      SubjectGrouping::On),
             u"1(2,3)"_s);
    // Replies inside a thread are never moved by their subject.
    QCOMPARE(threaded({message(1, "a", {}, u"One"_s), message(2, "b", {"a"}, u"Two"_s),
                       message(3, "c", {}, u"Two"_s)},
                      SubjectGrouping::On),
             u"1(2) 3"_s);
    // An empty base subject joins nothing.
    QCOMPARE(threaded({message(1, "a", {}, u""_s), message(2, "b", {}, u"Re:"_s),
                       message(3, "c", {}, u"Re: "_s)},
                      SubjectGrouping::On),
             u"1 2 3"_s);
}

void TestThreading::flattensRows()
{
    const ThreadForest forest = threadMessages({message(1, "a", {"x"}), message(2, "b", {"x"}),
                                                message(3, "c", {"x", "b"}), message(4, "d")});
    QCOMPARE(render(forest), u"*(1,2(3)) 4"_s);
    auto rows = [](const QList<ThreadRow> &list) {
        QStringList out;
        for (const ThreadRow &row : list)
            out.append(QString::number(row.id) + u':' + QString::number(row.depth));
        return out.join(u' ');
    };
    QCOMPARE(rows(flattenThreads(forest)), u"-1:0 1:1 2:1 3:2 4:0"_s);
    QCOMPARE(rows(flattenThreads(forest, DummyRows::Hide)), u"1:0 2:0 3:1 4:0"_s);
    QCOMPARE(rows(flattenThreads(threadMessages({}))), QString());
}

void TestThreading::deepChain()
{
    constexpr int depth = 100'000;
    QList<ThreadMessage> messages;
    messages.reserve(depth);
    for (int i = 0; i < depth; ++i) {
        ThreadMessage m;
        m.id = i;
        m.messageId = idOf(i);
        if (i > 0) // the last few references, as mailers trim them, plus In-Reply-To
            m.references = threadReferences(i > 3 ? "<" + idOf(i - 3) + ">" : QByteArray(),
                                            "<" + idOf(i - 1) + ">");
        m.subject = i == 0 ? u"Chain"_s : u"Re: Chain"_s;
        m.date = i;
        messages.append(m);
    }
    // Newest first, as a folder listing might hand them over.
    std::reverse(messages.begin(), messages.end());
    for (const SubjectGrouping grouping : {SubjectGrouping::Off, SubjectGrouping::On}) {
        const ThreadForest forest = threadMessages(messages, grouping);
        QCOMPARE(forest.roots.size(), 1);
        QCOMPARE(forest.nodes.size(), depth);
        for (int i = 0; i < depth; ++i) {
            QCOMPARE(forest.nodes[i].id, qint64(i));
            QCOMPARE(forest.nodes[i].depth, i);
        }
        const QList<ThreadRow> rows = flattenThreads(forest);
        QCOMPARE(rows.size(), depth);
        QCOMPARE(rows.last().depth, depth - 1);
        checkForest(forest, messages);
    }
}

void TestThreading::oneMessageWithDeepReferences()
{
    // A chain of 100,000 missing ancestors and 100,000 replies to the middle of it.
    QByteArrayList chain;
    for (int i = 0; i < 100'000; ++i)
        chain.append(idOf(i));
    QList<ThreadMessage> messages = {message(1, "first", chain)};
    for (int i = 0; i < 100'000; i += 5000)
        messages.append(message(2 + i, "", chain.mid(0, i + 1)));
    const ThreadForest forest = threadMessages(messages);
    QCOMPARE(forest.roots.size(), 1);
    QVERIFY(forest.nodes.first().isDummy());
    QCOMPARE(forest.nodes.size(), messages.size() + 1);
    checkForest(forest, messages);
}

void TestThreading::randomMessagesAppearOnce()
{
    // Ids from a pool smaller than the folder (duplicates), references to ids that may never
    // arrive, in random order (conflicts and loops), dates that collide.
    QRandomGenerator random(20240604);
    constexpr int count = 100'000;
    const QStringList subjects = {u"Plan"_s,     u"Re: Plan"_s, u"AW: Re: Plan"_s,
                                  u"[x] Plan"_s, u"Lunch"_s,    u"Fwd: Lunch"_s,
                                  u""_s,         u"Re:"_s};
    QList<ThreadMessage> messages;
    messages.reserve(count);
    for (int i = 0; i < count; ++i) {
        ThreadMessage m;
        m.id = i;
        if (random.bounded(20) != 0)
            m.messageId = idOf(random.bounded(count * 6 / 5));
        const int references = random.bounded(6);
        for (int r = 0; r < references; ++r)
            m.references.append(idOf(random.bounded(count * 6 / 5)));
        m.subject = subjects[random.bounded(subjects.size())];
        m.date = random.bounded(count / 2);
        messages.append(m);
    }
    for (const SubjectGrouping grouping : {SubjectGrouping::Off, SubjectGrouping::On}) {
        const ThreadForest forest = threadMessages(messages, grouping);
        checkForest(forest, messages);
        // The same result whatever order the folder lists them in.
        QList<ThreadMessage> shuffled = messages;
        std::shuffle(shuffled.begin(), shuffled.end(), random);
        const ThreadForest again = threadMessages(shuffled, grouping);
        QCOMPARE(render(again), render(forest));
    }
}

void TestThreading::reconstructsGeneratedThreads()
{
    // Conversations as well-behaved mailers write them: each reply carries its parent's
    // References plus the parent's id, sometimes trimmed, sometimes only In-Reply-To.
    // Threading must give back exactly the tree they came from; with a tenth of the messages
    // gone, each message hangs from its nearest ancestor still there.
    QRandomGenerator random(7);
    constexpr int count = 100'000;
    QList<int> parentOf(count, -1);
    QList<QByteArrayList> ancestry(count);
    QList<ThreadMessage> messages;
    for (int i = 0; i < count; ++i) {
        ThreadMessage m;
        m.id = i;
        m.messageId = idOf(i);
        m.date = i;
        if (i > 0 && random.bounded(5) != 0) {
            const int parent = random.bounded(i);
            parentOf[i] = parent;
            ancestry[i] = ancestry[parent];
            ancestry[i].append(idOf(parent));
        }
        m.references = ancestry[i];
        if (random.bounded(4) == 0 && m.references.size() > 1)
            m.references = m.references.mid(m.references.size() - 1);
        messages.append(m);
    }
    std::shuffle(messages.begin(), messages.end(), random);

    auto parentsIn = [](const ThreadForest &forest) {
        QHash<qint64, qint64> parents;
        for (const ThreadNode &node : forest.nodes)
            parents.insert(node.id, node.parent == -1 ? -1 : forest.nodes[node.parent].id);
        return parents;
    };
    auto isAncestor = [&parentOf](qint64 ancestor, qint64 of) {
        for (int up = parentOf[of]; up != -1; up = parentOf[up]) {
            if (up == ancestor)
                return true;
        }
        return false;
    };
    const ThreadForest whole = threadMessages(messages);
    checkForest(whole, messages);
    const QHash<qint64, qint64> parents = parentsIn(whole);
    for (int i = 0; i < count; ++i)
        QCOMPARE(parents.value(i), qint64(parentOf[i]));

    QList<ThreadMessage> kept;
    QSet<qint64> removed;
    for (const ThreadMessage &m : messages) {
        if (m.id % 10 == 3)
            removed.insert(m.id);
        else
            kept.append(m);
    }
    const ThreadForest partial = threadMessages(kept);
    checkForest(partial, kept);
    const QHash<qint64, qint64> partialParents = parentsIn(partial);
    for (const ThreadMessage &m : kept) {
        int expected = -1;
        for (qsizetype r = m.references.size() - 1; r >= 0 && expected == -1; --r) {
            const int ancestor = m.references[r].mid(1).split('@').first().toInt();
            if (!removed.contains(ancestor))
                expected = ancestor;
        }
        const qint64 parent = partialParents.value(m.id);
        if (expected != -1)
            QCOMPARE(parent, qint64(expected));
        else if (parent != -1) // none named: an older ancestor that others linked to
            QVERIFY(parent == ThreadNode::DummyId || isAncestor(parent, m.id));
    }
}

QTEST_GUILESS_MAIN(TestThreading)
#include "tst_threading.moc"
