#include "protocols/imap/MailboxData.h"

#include "protocols/imap/ModifiedUtf7.h"

namespace wharf::imap {

namespace {

// COPYUID / APPENDUID sets are expanded into lists; a hostile "1:4294967295" must not
// allocate gigabytes. Far above what one COPY of a 100,000-message folder returns.
constexpr quint64 kMaxExpandedUids = 4u * 1024 * 1024;

bool sameName(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && qstrnicmp(a.data(), a.size(), b.data(), b.size()) == 0;
}

bool isText(const Value &value)
{
    return value.kind == Value::Kind::Atom || value.kind == Value::Kind::Number ||
           value.kind == Value::Kind::String;
}

// A mailbox name (astring): decoded for display, the wire bytes kept for commands.
bool readMailboxName(const Value &value, bool utf8, QByteArray *wireName, QString *name)
{
    if (!isText(value))
        return false;
    *wireName = value.bytes;
    // RFC 3501 5.1: INBOX is case-insensitive; it is shown one way whatever the server sent.
    if (sameName(*wireName, "INBOX")) {
        *name = QStringLiteral("INBOX");
        return true;
    }
    const auto decoded = decodeMailboxName(*wireName, utf8);
    *name = decoded ? *decoded : QString::fromLatin1(*wireName);
    return true;
}

// A hierarchy delimiter: one 7-bit character, or NIL (flat namespace). An empty string is
// read as NIL.
bool readDelimiter(const Value &value, QChar *delimiter)
{
    *delimiter = QChar();
    if (value.isNil())
        return true;
    if (value.kind != Value::Kind::String && value.kind != Value::Kind::Atom)
        return false;
    if (value.bytes.isEmpty())
        return true;
    if (value.bytes.size() != 1 || uchar(value.bytes.front()) >= 0x80)
        return false;
    *delimiter = QLatin1Char(value.bytes.front());
    return true;
}

// A set written in the server's order, each range ascending (RFC 4315: "2:4" and "4:2"
// are the same range), without merging or sorting: COPYUID pairs its two lists by
// position.
std::optional<QList<quint32>> expandInOrder(QByteArrayView text)
{
    QList<quint32> uids;
    qsizetype start = 0;
    while (start <= text.size()) {
        qsizetype end = text.indexOf(',', start);
        if (end < 0)
            end = text.size();
        // Each element is validated by SequenceSet's own parser (no "*", no zero).
        const auto element = SequenceSet::parse(text.sliced(start, end - start), 0);
        if (!element || element->ranges().size() != 1)
            return std::nullopt;
        const SequenceSet::Range range = element->ranges().first();
        if (quint64(uids.size()) + range.last - range.first + 1 > kMaxExpandedUids)
            return std::nullopt;
        for (quint64 uid = range.first; uid <= range.last; ++uid)
            uids.append(quint32(uid));
        start = end + 1;
    }
    return uids;
}

// A response code's arguments; when they did not tokenise, the raw text split at spaces.
QByteArrayList codeWords(const ResponseCode &code)
{
    QByteArrayList words;
    if (!code.arguments.isEmpty()) {
        for (const Value &argument : code.arguments)
            words.append(isText(argument) ? argument.bytes : QByteArray());
        return words;
    }
    for (const QByteArray &word : code.raw.trimmed().split(' ')) {
        if (!word.isEmpty())
            words.append(word);
    }
    return words;
}

bool readUidValidity(const QByteArray &word, quint32 *out)
{
    return Value::atom(word).toUInt32(out) && *out != 0;
}

} // namespace

bool ListEntry::hasAttribute(QByteArrayView attribute) const
{
    for (const QByteArray &candidate : attributes) {
        if (sameName(candidate, attribute))
            return true;
    }
    return false;
}

bool ListEntry::isSelectable() const
{
    return !hasAttribute("\\Noselect") && !hasAttribute("\\NonExistent");
}

QByteArray ListEntry::specialUse() const
{
    struct Use
    {
        QByteArrayView attribute;
        const char *canonical;
    };
    // RFC 6154, plus the names Gmail's XLIST used before it (same meanings).
    static constexpr Use kUses[] = {
        {"\\Sent", "\\Sent"},       {"\\Drafts", "\\Drafts"},   {"\\Trash", "\\Trash"},
        {"\\Junk", "\\Junk"},       {"\\Archive", "\\Archive"}, {"\\All", "\\All"},
        {"\\Flagged", "\\Flagged"}, {"\\Spam", "\\Junk"},       {"\\AllMail", "\\All"},
        {"\\Starred", "\\Flagged"},
    };
    for (const QByteArray &attribute : attributes) {
        for (const Use &use : kUses) {
            if (sameName(attribute, use.attribute))
                return QByteArray(use.canonical);
        }
    }
    return {};
}

std::optional<ListEntry> parseListEntry(const Response &response, bool utf8)
{
    // mailbox-list = "(" [mbx-list-flags] ")" SP (DQUOTE QUOTED-CHAR DQUOTE / nil) SP mailbox
    // [SP mbox-list-extended]; the extended data (CHILDINFO, OLDNAME) is not needed.
    if (!sameName(response.name, "LIST") && !sameName(response.name, "LSUB") &&
        !sameName(response.name, "XLIST")) {
        return std::nullopt;
    }
    if (response.data.size() < 3 || !response.data.at(0).isList())
        return std::nullopt;
    ListEntry entry;
    for (const Value &attribute : response.data.at(0).items) {
        if (attribute.kind != Value::Kind::Atom)
            return std::nullopt;
        entry.attributes.append(attribute.bytes);
    }
    if (!readDelimiter(response.data.at(1), &entry.delimiter) ||
        !readMailboxName(response.data.at(2), utf8, &entry.wireName, &entry.name)) {
        return std::nullopt;
    }
    return entry;
}

std::optional<StatusData> parseStatus(const Response &response, bool utf8)
{
    if (!sameName(response.name, "STATUS") || response.data.size() != 2 ||
        !response.data.at(1).isList()) {
        return std::nullopt;
    }
    StatusData status;
    if (!readMailboxName(response.data.at(0), utf8, &status.wireName, &status.name))
        return std::nullopt;
    const QList<Value> &items = response.data.at(1).items;
    if (items.size() % 2 != 0)
        return std::nullopt;
    for (qsizetype i = 0; i < items.size(); i += 2) {
        const Value &name = items.at(i);
        const Value &value = items.at(i + 1);
        if (name.kind != Value::Kind::Atom)
            return std::nullopt;
        std::optional<quint32> *field = nullptr;
        if (name.isAtom("MESSAGES"))
            field = &status.messages;
        else if (name.isAtom("RECENT"))
            field = &status.recent;
        else if (name.isAtom("UIDNEXT"))
            field = &status.uidNext;
        else if (name.isAtom("UIDVALIDITY"))
            field = &status.uidValidity;
        else if (name.isAtom("UNSEEN"))
            field = &status.unseen;
        if (field) {
            quint32 number = 0;
            if (!value.toUInt32(&number))
                return std::nullopt;
            *field = number;
        } else if (name.isAtom("HIGHESTMODSEQ")) {
            quint64 modSeq = 0;
            if (!value.toNumber(&modSeq))
                return std::nullopt;
            status.highestModSeq = modSeq;
        }
        // Others (SIZE, DELETED, APPENDLIMIT, MAILBOXID) are skipped with their value.
    }
    return status;
}

std::optional<VanishedData> parseVanished(const Response &response)
{
    if (!sameName(response.name, "VANISHED"))
        return std::nullopt;
    qsizetype next = 0;
    VanishedData vanished;
    if (!response.data.isEmpty() && response.data.first().isList()) {
        const QList<Value> &tags = response.data.first().items;
        if (tags.size() != 1 || !tags.first().isAtom("EARLIER"))
            return std::nullopt;
        vanished.earlier = true;
        next = 1;
    }
    if (response.data.size() != next + 1 || !isText(response.data.at(next)))
        return std::nullopt;
    auto uids = SequenceSet::parse(response.data.at(next).bytes, 0);
    if (!uids)
        return std::nullopt;
    vanished.uids = std::move(*uids);
    return vanished;
}

std::optional<SearchData> parseSearch(const Response &response)
{
    SearchData search;
    const QList<Value> &data = response.data;
    if (sameName(response.name, "SEARCH")) {
        // "* SEARCH 2 84 882" or, with CONDSTORE, "* SEARCH 2 84 882 (MODSEQ 917162500)".
        QList<quint32> numbers;
        numbers.reserve(data.size());
        for (qsizetype i = 0; i < data.size(); ++i) {
            const Value &value = data.at(i);
            if (value.isList() && i + 1 == data.size()) {
                quint64 modSeq = 0;
                if (value.items.size() != 2 || !value.items.first().isAtom("MODSEQ") ||
                    !value.items.at(1).toNumber(&modSeq)) {
                    return std::nullopt;
                }
                search.highestModSeq = modSeq;
                continue;
            }
            quint32 number = 0;
            if (!value.toUInt32(&number) || number == 0)
                return std::nullopt;
            numbers.append(number);
        }
        search.numbers = SequenceSet::fromList(std::move(numbers));
        return search;
    }
    if (!sameName(response.name, "ESEARCH"))
        return std::nullopt;

    // "* ESEARCH (TAG "A1") UID COUNT 5 ALL 4:19,21" (RFC 4731, RFC 4466 grammar).
    qsizetype i = 0;
    if (i < data.size() && data.at(i).isList()) {
        const QList<Value> &correlator = data.at(i).items;
        for (qsizetype j = 0; j + 1 < correlator.size(); j += 2) {
            if (correlator.at(j).isAtom("TAG"))
                search.tag = correlator.at(j + 1).text();
        }
        ++i;
    }
    if (i < data.size() && data.at(i).isAtom("UID"))
        ++i;
    for (; i < data.size(); i += 2) {
        const Value &name = data.at(i);
        if (name.kind != Value::Kind::Atom || i + 1 >= data.size())
            return std::nullopt;
        const Value &value = data.at(i + 1);
        if (name.isAtom("ALL")) {
            if (!isText(value))
                return std::nullopt;
            const auto all = SequenceSet::parse(value.bytes, 0);
            if (!all)
                return std::nullopt;
            for (const SequenceSet::Range &range : all->ranges())
                search.numbers.addRange(range.first, range.last);
        } else if (name.isAtom("MIN") || name.isAtom("MAX")) {
            // Members of the result: kept in `numbers` so MIN-only and MAX-only searches
            // (the newest UID, say) are answered without another field.
            quint32 number = 0;
            if (!value.toUInt32(&number) || number == 0)
                return std::nullopt;
            search.numbers.add(number);
        } else if (name.isAtom("COUNT")) {
            quint64 count = 0;
            if (!value.toNumber(&count))
                return std::nullopt;
            search.count = count;
        } else if (name.isAtom("MODSEQ")) {
            quint64 modSeq = 0;
            if (!value.toNumber(&modSeq))
                return std::nullopt;
            search.highestModSeq = modSeq;
        }
        // Other return data (PARTIAL, RELEVANCY, ...) is skipped with its value.
    }
    return search;
}

std::optional<NamespaceData> parseNamespace(const Response &response)
{
    // Namespace = nil / "(" 1*Namespace-Descr ")"; Namespace-Descr = "(" string SP
    // (DQUOTE QUOTED-CHAR DQUOTE / nil) *(Namespace-Response-Extension) ")".
    if (!sameName(response.name, "NAMESPACE") || response.data.size() != 3)
        return std::nullopt;
    for (const Value &space : response.data) {
        if (space.isNil())
            continue;
        if (!space.isList() || space.items.isEmpty())
            return std::nullopt;
        for (const Value &description : space.items) {
            if (!description.isList() || description.items.size() < 2 ||
                !isText(description.items.first())) {
                return std::nullopt;
            }
        }
    }
    NamespaceData result;
    const Value &personal = response.data.first();
    if (personal.isList()) {
        const Value &first = personal.items.first();
        result.personalPrefix = first.items.first().bytes;
        if (!readDelimiter(first.items.at(1), &result.personalDelimiter))
            return std::nullopt;
        result.hasPersonal = true;
    }
    return result;
}

QByteArrayList parseFlagList(const Value &value)
{
    QByteArrayList flags;
    if (!value.isList())
        return flags;
    flags.reserve(value.items.size());
    // Flags are atoms ("\Seen", "$Forwarded", "\*"); a quoted one from a lax server means
    // the same, so it is kept too.
    for (const Value &flag : value.items) {
        if (isText(flag) && !flag.bytes.isEmpty())
            flags.append(flag.bytes);
    }
    return flags;
}

QByteArrayList parseCapabilities(const QList<Value> &values)
{
    QByteArrayList words;
    words.reserve(values.size());
    for (const Value &value : values) {
        if (isText(value) && !value.bytes.isEmpty())
            words.append(value.bytes.toUpper());
    }
    return words;
}

std::optional<CopyUidData> parseCopyUid(const ResponseCode &code)
{
    if (!sameName(code.name, "COPYUID"))
        return std::nullopt;
    const QByteArrayList words = codeWords(code);
    CopyUidData data;
    if (words.size() != 3 || !readUidValidity(words.at(0), &data.uidValidity))
        return std::nullopt;
    auto source = expandInOrder(words.at(1));
    auto destination = expandInOrder(words.at(2));
    // Pairs are matched by position: unequal counts leave no safe pairing.
    if (!source || !destination || source->size() != destination->size())
        return std::nullopt;
    data.sourceUids = std::move(*source);
    data.destinationUids = std::move(*destination);
    return data;
}

std::optional<CopyUidData> parseAppendUid(const ResponseCode &code)
{
    if (!sameName(code.name, "APPENDUID"))
        return std::nullopt;
    const QByteArrayList words = codeWords(code);
    CopyUidData data;
    if (words.size() != 2 || !readUidValidity(words.at(0), &data.uidValidity))
        return std::nullopt;
    // MULTIAPPEND (RFC 3502) gives one UID per appended message, in order.
    auto uids = expandInOrder(words.at(1));
    if (!uids)
        return std::nullopt;
    data.destinationUids = std::move(*uids);
    return data;
}

std::optional<quint64> numericCode(const ResponseCode &code)
{
    const QByteArrayList words = codeWords(code);
    quint64 number = 0;
    if (words.size() != 1 || !Value::atom(words.first()).toNumber(&number))
        return std::nullopt;
    return number;
}

} // namespace wharf::imap
