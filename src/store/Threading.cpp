#include "store/Threading.h"

#include <QHash>

#include <algorithm>
#include <numeric>
#include <vector>

namespace wharf::store {

namespace {

constexpr int None = -1;

// Children of every node as one array (compressed rows): no per-node allocation, and
// nothing to free recursively.
struct ChildLists
{
    std::vector<int> start; // children of n are items[start[n] .. start[n + 1])
    std::vector<int> items;

    explicit ChildLists(const std::vector<int> &parent)
        : start(parent.size() + 1, 0)
    {
        for (const int p : parent) {
            if (p != None)
                ++start[size_t(p) + 1];
        }
        std::partial_sum(start.begin(), start.end(), start.begin());
        items.resize(size_t(start.back()));
        std::vector<int> fill(start.begin(), start.end() - 1);
        for (size_t n = 0; n < parent.size(); ++n) {
            if (parent[n] != None)
                items[size_t(fill[size_t(parent[n])]++)] = int(n);
        }
    }
    const int *begin(int n) const { return items.data() + start[size_t(n)]; }
    const int *end(int n) const { return items.data() + start[size_t(n) + 1]; }
};

class Threader
{
public:
    explicit Threader(const QList<ThreadMessage> &messages);

    ThreadForest run(SubjectGrouping grouping);

private:
    int newContainer();
    int containerFor(const QByteArray &messageId);
    void linkReferences();
    void breakLoops();
    void pruneEmptyContainers();
    void groupBySubject();
    ThreadForest emitForest();

    bool isDummy(int node) const { return node >= int(m_byDate.size()); }

    // Messages oldest first; a message's position here (its rank) orders everything after.
    std::vector<const ThreadMessage *> m_byDate;

    // JWZ's containers: one per Message-ID seen in either a message or a reference, plus one
    // for each message without Message-ID or with a repeated one.
    std::vector<int> m_message; // rank, or None for an id only referenced
    std::vector<int> m_parent;
    std::vector<bool> m_ownParent; // the parent named by the message's own references
    std::vector<int> m_linkOrder;  // when a link between references was made
    QHash<QByteArray, int> m_byId;
    int m_links = 0;

    // Nodes after pruning: ranks 0..n-1 are the messages, then the dummies.
    std::vector<int> m_nodeParent;
    std::vector<int> m_firstChild; // a dummy's oldest child, whose subject it goes by
    std::vector<int> m_redirect;   // a dummy merged into another one
};

Threader::Threader(const QList<ThreadMessage> &messages)
{
    m_byDate.reserve(size_t(messages.size()));
    for (const ThreadMessage &message : messages)
        m_byDate.push_back(&message);
    std::stable_sort(m_byDate.begin(), m_byDate.end(),
                     [](const ThreadMessage *a, const ThreadMessage *b) {
                         return a->date != b->date ? a->date < b->date : a->id < b->id;
                     });
}

int Threader::newContainer()
{
    m_message.push_back(None);
    m_parent.push_back(None);
    m_ownParent.push_back(false);
    m_linkOrder.push_back(0);
    return int(m_message.size()) - 1;
}

int Threader::containerFor(const QByteArray &messageId)
{
    auto it = m_byId.find(messageId);
    if (it == m_byId.end())
        it = m_byId.insert(messageId, newContainer());
    return *it;
}

// JWZ step 1. Where the original links at once and checks for loops by walking up (quadratic
// on deep chains), this records each container's parent first and breaks loops afterwards:
// a message's own last reference decides its parent; for anything else, the first link wins.
void Threader::linkReferences()
{
    m_byId.reserve(qsizetype(m_byDate.size()));
    for (int rank = 0; rank < int(m_byDate.size()); ++rank) {
        const ThreadMessage &message = *m_byDate[size_t(rank)];
        int own = message.messageId.isEmpty() ? None : containerFor(message.messageId);
        if (own == None || m_message[size_t(own)] != None)
            own = newContainer(); // no id, or a repeated one: nothing can reply to it
        m_message[size_t(own)] = rank;

        int previous = None;
        for (const QByteArray &reference : message.references) {
            if (reference.isEmpty() || reference == message.messageId)
                continue; // a message cannot be its own ancestor
            const int container = containerFor(reference);
            if (previous != None && container != previous && m_parent[size_t(container)] == None) {
                m_parent[size_t(container)] = previous;
                m_linkOrder[size_t(container)] = ++m_links;
            }
            previous = container;
        }
        if (previous != None) {
            m_parent[size_t(own)] = previous;
            m_ownParent[size_t(own)] = true;
        }
    }
}

// Every container has at most one parent, so each loop is a simple cycle found by one walk.
// The link cut is the weakest: a link between references before a message's own parent,
// the latest of those first (the earlier one won); among own parents, the oldest message's,
// so the oldest message of the loop becomes its root.
void Threader::breakLoops()
{
    enum : char
    {
        Unseen,
        OnPath,
        Done
    };
    std::vector<char> state(m_parent.size(), Unseen);
    std::vector<int> path;
    for (int start = 0; start < int(m_parent.size()); ++start) {
        path.clear();
        int at = start;
        while (at != None && state[size_t(at)] == Unseen) {
            state[size_t(at)] = OnPath;
            path.push_back(at);
            at = m_parent[size_t(at)];
        }
        if (at != None && state[size_t(at)] == OnPath) {
            auto weaker = [this](int a, int b) {
                if (m_ownParent[size_t(a)] != m_ownParent[size_t(b)])
                    return !m_ownParent[size_t(a)];
                if (!m_ownParent[size_t(a)])
                    return m_linkOrder[size_t(a)] > m_linkOrder[size_t(b)];
                return m_message[size_t(a)] < m_message[size_t(b)];
            };
            const auto loop = std::find(path.begin(), path.end(), at);
            m_parent[size_t(*std::min_element(loop, path.end(), weaker))] = None;
        }
        for (const int visited : path)
            state[size_t(visited)] = Done;
    }
}

// JWZ step 4, done top-down over the whole tree at once: an empty container vanishes and its
// replies attach to the nearest ancestor with a message. At the top, an empty container stays
// as a dummy when two or more replies hang from it, and otherwise gives its place to its one
// reply.
void Threader::pruneEmptyContainers()
{
    const ChildLists children(m_parent);
    std::vector<int> order; // parents before children
    order.reserve(m_parent.size());
    for (int container = 0; container < int(m_parent.size()); ++container) {
        if (m_parent[size_t(container)] == None)
            order.push_back(container);
    }
    for (size_t i = 0; i < order.size(); ++i)
        order.insert(order.end(), children.begin(order[i]), children.end(order[i]));

    // Where the replies below a container attach: the nearest message, or an empty root.
    std::vector<int> attach(m_parent.size(), None);
    std::vector<int> replies(m_parent.size(), 0);
    std::vector<int> oldestReply(m_parent.size(), None);
    std::vector<int> attachedTo(m_byDate.size(), None); // by rank
    for (const int container : order) {
        const int parent = m_parent[size_t(container)];
        const int message = m_message[size_t(container)];
        if (message == None) {
            attach[size_t(container)] = parent == None ? container : attach[size_t(parent)];
            continue;
        }
        attach[size_t(container)] = container;
        if (parent == None)
            continue;
        const int target = attach[size_t(parent)];
        attachedTo[size_t(message)] = target;
        if (m_message[size_t(target)] == None) {
            ++replies[size_t(target)];
            if (oldestReply[size_t(target)] == None || message < oldestReply[size_t(target)])
                oldestReply[size_t(target)] = message;
        }
    }

    const int messageCount = int(m_byDate.size());
    std::vector<int> nodeOf(m_parent.size(), None);
    m_nodeParent.assign(size_t(messageCount), None);
    m_firstChild.assign(size_t(messageCount), None);
    for (int container = 0; container < int(m_parent.size()); ++container) {
        if (m_message[size_t(container)] != None) {
            nodeOf[size_t(container)] = m_message[size_t(container)];
        } else if (replies[size_t(container)] >= 2) {
            nodeOf[size_t(container)] = int(m_nodeParent.size());
            m_nodeParent.push_back(None);
            m_firstChild.push_back(oldestReply[size_t(container)]);
        }
    }
    for (int rank = 0; rank < messageCount; ++rank) {
        const int target = attachedTo[size_t(rank)];
        if (target != None)
            m_nodeParent[size_t(rank)] = nodeOf[size_t(target)]; // None for a lone reply
    }
    m_redirect.assign(m_nodeParent.size(), None);
}

// JWZ step 5: roots with the same base subject become one thread. A dummy is preferred as
// the thread's root, then a message without a prefix; two alike get a new dummy above them.
void Threader::groupBySubject()
{
    auto rankOf = [this](int node) {
        return isDummy(node) ? m_firstChild[size_t(node)] : node;
    };
    std::vector<int> roots;
    for (int node = 0; node < int(m_nodeParent.size()); ++node) {
        if (m_nodeParent[size_t(node)] == None)
            roots.push_back(node);
    }
    std::sort(roots.begin(), roots.end(), [&](int a, int b) { return rankOf(a) < rankOf(b); });

    std::vector<QString> keys(roots.size());
    std::vector<char> prefixed(m_nodeParent.size(), false);
    QHash<QString, int> table;
    for (size_t i = 0; i < roots.size(); ++i) {
        const int root = roots[i];
        bool hadPrefix = false;
        keys[i] = baseSubject(m_byDate[size_t(rankOf(root))]->subject, &hadPrefix).toCaseFolded();
        if (keys[i].isEmpty())
            continue;
        prefixed[size_t(root)] = hadPrefix;
        auto it = table.find(keys[i]);
        if (it == table.end())
            table.insert(keys[i], root);
        else if (!isDummy(*it) && (isDummy(root) || (prefixed[size_t(*it)] && !hadPrefix)))
            *it = root;
    }

    for (size_t i = 0; i < roots.size(); ++i) {
        const int root = roots[i];
        if (keys[i].isEmpty() || m_nodeParent[size_t(root)] != None ||
            m_redirect[size_t(root)] != None)
            continue;
        int &winner = table[keys[i]];
        const int that = winner;
        if (that == root)
            continue;
        if (isDummy(that) && isDummy(root)) {
            m_redirect[size_t(root)] = that;
        } else if (isDummy(that) ||
                   (!isDummy(root) && !prefixed[size_t(that)] && prefixed[size_t(root)])) {
            m_nodeParent[size_t(root)] = that;
        } else if (isDummy(root) || (prefixed[size_t(that)] && !prefixed[size_t(root)])) {
            m_nodeParent[size_t(that)] = root;
            winner = root;
        } else {
            const int dummy = int(m_nodeParent.size());
            m_nodeParent.push_back(None);
            m_firstChild.push_back(std::min(rankOf(that), rankOf(root)));
            m_redirect.push_back(None);
            m_nodeParent[size_t(that)] = dummy;
            m_nodeParent[size_t(root)] = dummy;
            winner = dummy;
        }
    }
}

// Sorts children and roots by date (a dummy by its oldest child) and lays the threads out
// depth first, with an explicit stack.
ThreadForest Threader::emitForest()
{
    const int nodeCount = int(m_nodeParent.size());
    std::vector<int> parent(size_t(nodeCount), None);
    std::vector<int> key(size_t(nodeCount), None);
    std::vector<bool> alive(size_t(nodeCount), true);
    for (int node = 0; node < nodeCount; ++node) {
        int p = m_nodeParent[size_t(node)];
        while (p != None && m_redirect[size_t(p)] != None)
            p = m_redirect[size_t(p)];
        parent[size_t(node)] = p;
        alive[size_t(node)] = m_redirect[size_t(node)] == None;
        key[size_t(node)] = isDummy(node) ? m_firstChild[size_t(node)] : node;
    }
    // Subject grouping can put a message older than its replies under a dummy.
    for (int node = 0; node < nodeCount; ++node) {
        const int p = parent[size_t(node)];
        if (p != None && isDummy(p))
            key[size_t(p)] = std::min(key[size_t(p)], key[size_t(node)]);
    }
    ChildLists children(parent);
    auto byKey = [&key](int a, int b) {
        return key[size_t(a)] < key[size_t(b)];
    };
    for (int node = 0; node < nodeCount; ++node)
        std::sort(children.items.begin() + children.start[size_t(node)],
                  children.items.begin() + children.start[size_t(node) + 1], byKey);
    std::vector<int> roots;
    for (int node = 0; node < nodeCount; ++node) {
        if (alive[size_t(node)] && parent[size_t(node)] == None)
            roots.push_back(node);
    }
    std::sort(roots.begin(), roots.end(), byKey);

    ThreadForest forest;
    forest.nodes.reserve(nodeCount);
    std::vector<int> lastChild;
    lastChild.reserve(size_t(nodeCount));
    struct Pending
    {
        int node;
        int outParent;
    };
    std::vector<Pending> stack;
    for (auto it = roots.rbegin(); it != roots.rend(); ++it)
        stack.push_back({*it, None});
    while (!stack.empty()) {
        const Pending next = stack.back();
        stack.pop_back();
        const int index = int(forest.nodes.size());
        ThreadNode out;
        out.id = isDummy(next.node) ? ThreadNode::DummyId : m_byDate[size_t(next.node)]->id;
        out.parent = next.outParent;
        if (next.outParent == None) {
            forest.roots.append(index);
        } else {
            ThreadNode &up = forest.nodes[next.outParent];
            out.depth = up.depth + 1;
            int &previous = lastChild[size_t(next.outParent)];
            if (previous == None)
                up.firstChild = index;
            else
                forest.nodes[previous].nextSibling = index;
            previous = index;
        }
        forest.nodes.append(out);
        lastChild.push_back(None);
        for (const int *child = children.end(next.node); child != children.begin(next.node);)
            stack.push_back({*--child, index});
    }
    return forest;
}

ThreadForest Threader::run(SubjectGrouping grouping)
{
    linkReferences();
    breakLoops();
    pruneEmptyContainers();
    if (grouping == SubjectGrouping::On)
        groupBySubject();
    return emitForest();
}

} // namespace

QList<int> ThreadForest::children(int node) const
{
    QList<int> list;
    for (int child = nodes[node].firstChild; child != -1; child = nodes[child].nextSibling)
        list.append(child);
    return list;
}

ThreadForest threadMessages(const QList<ThreadMessage> &messages, SubjectGrouping grouping)
{
    return Threader(messages).run(grouping);
}

QList<ThreadRow> flattenThreads(const ThreadForest &forest, DummyRows dummies)
{
    QList<ThreadRow> rows;
    rows.reserve(forest.nodes.size());
    bool underDummy = false;
    for (const ThreadNode &node : forest.nodes) {
        if (node.depth == 0)
            underDummy = node.isDummy();
        if (dummies == DummyRows::Show)
            rows.append({node.id, node.depth});
        else if (!node.isDummy())
            rows.append({node.id, underDummy ? node.depth - 1 : node.depth});
    }
    return rows;
}

} // namespace wharf::store
