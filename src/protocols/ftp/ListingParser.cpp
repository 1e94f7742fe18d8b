// The line-by-line listing parser, and the MLSD facts (RFC 3659 section 7).

#include "protocols/ftp/ListingParser.h"

#include "protocols/ftp/ListingParserDetail.h"

#include <algorithm>
#include <utility>

namespace wharf::ftp {

namespace detail {

namespace {

bool startsWithIgnoringCase(QByteArrayView text, QByteArrayView prefix)
{
    return text.size() >= prefix.size() && equalsIgnoringCase(text.first(prefix.size()), prefix);
}

struct Fact
{
    QByteArrayView name;
    QByteArrayView value;
};

// "total 123", "insgesamt 12K", "итого 8": the block count `ls` prints first.
bool isTotalLine(const Tokens &tokens)
{
    if (tokens.size() != 2)
        return false;
    QByteArrayView word = tokens[0].text;
    if (word.endsWith(':'))
        word.chop(1);
    const bool wordy = !word.isEmpty() && std::all_of(word.begin(), word.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               static_cast<unsigned char>(c) >= 0x80;
    });
    const QByteArrayView count = tokens[1].text;
    return wordy && (allDigits(count) || parseSizeWithUnit(count).has_value());
}

} // namespace

LineResult parseMlsd(QByteArrayView line)
{
    QVarLengthArray<Fact, 12> facts;
    qsizetype nameStart = -1;
    qsizetype pos = 0;
    while (pos < line.size()) {
        // One blank ends the facts; a tab after the last ';' is seen in the wild too.
        if (line[pos] == ' ' || (line[pos] == '\t' && (pos == 0 || line[pos - 1] == ';'))) {
            nameStart = pos + 1;
            break;
        }
        qsizetype end = pos;
        while (end < line.size() && line[end] != ';' && line[end] != ' ')
            ++end;
        const QByteArrayView fact = line.sliced(pos, end - pos);
        if (end == line.size() && fact.contains('='))
            break;
        const qsizetype equals = fact.indexOf('=');
        if (equals <= 0)
            return LineResult::broken(
                QStringLiteral("not an MLSD line: \"%1\" is not a fact=value pair")
                    .arg(printable(fact)));
        facts.append(Fact{fact.first(equals), fact.sliced(equals + 1)});
        if (line[end] == ' ') { // drafts before mlst-07 put no ';' after the last fact
            nameStart = end + 1;
            break;
        }
        pos = end + 1;
    }
    if (nameStart < 0)
        return LineResult::broken(QStringLiteral("MLSD line without a name after its facts"));

    RemoteEntry entry;
    entry.modifiedHasTime = false;
    QByteArrayView size, sizd, owner, ownerName, uid, group, groupName, gid;
    for (const Fact &fact : facts) {
        if (equalsIgnoringCase(fact.name, "type")) {
            const QByteArrayView type = fact.value;
            if (equalsIgnoringCase(type, "file")) {
                entry.type = RemoteEntry::Type::File;
            } else if (equalsIgnoringCase(type, "dir")) {
                entry.type = RemoteEntry::Type::Directory;
            } else if (equalsIgnoringCase(type, "cdir") || equalsIgnoringCase(type, "pdir")) {
                return LineResult::skip();
            } else if (startsWithIgnoringCase(type, "OS.unix=slink") ||
                       startsWithIgnoringCase(type, "OS.unix=symlink")) {
                entry.type = RemoteEntry::Type::Symlink;
                const qsizetype colon = type.indexOf(':');
                if (colon > 0)
                    entry.linkTarget = decodeText(type.sliced(colon + 1));
            } else {
                entry.type = RemoteEntry::Type::Other;
            }
        } else if (equalsIgnoringCase(fact.name, "size")) {
            size = fact.value;
        } else if (equalsIgnoringCase(fact.name, "sizd")) {
            sizd = fact.value;
        } else if (equalsIgnoringCase(fact.name, "modify")) {
            entry.modified = parseMlsdTime(fact.value);
            entry.modifiedHasTime = entry.modified.isValid();
        } else if (equalsIgnoringCase(fact.name, "perm")) {
            entry.permissions = decodeText(fact.value);
        } else if (equalsIgnoringCase(fact.name, "unique")) {
            entry.uniqueId = fact.value.toByteArray();
        } else if (equalsIgnoringCase(fact.name, "UNIX.mode")) {
            const int mode = parseOctal(fact.value);
            entry.unixMode = mode < 0 ? -1 : mode & 07777;
        } else if (equalsIgnoringCase(fact.name, "UNIX.owner")) {
            owner = fact.value;
        } else if (equalsIgnoringCase(fact.name, "UNIX.ownername")) {
            ownerName = fact.value;
        } else if (equalsIgnoringCase(fact.name, "UNIX.uid")) {
            uid = fact.value;
        } else if (equalsIgnoringCase(fact.name, "UNIX.group")) {
            group = fact.value;
        } else if (equalsIgnoringCase(fact.name, "UNIX.groupname")) {
            groupName = fact.value;
        } else if (equalsIgnoringCase(fact.name, "UNIX.gid")) {
            gid = fact.value;
        }
    }
    QByteArrayView sizeText = size;
    if (sizeText.isEmpty() && entry.type == RemoteEntry::Type::Directory)
        sizeText = sizd;
    if (isOverflowingNumber(sizeText))
        return LineResult::broken(
            QStringLiteral("size %1 is too large").arg(QString::fromLatin1(sizeText)));
    entry.size = parseUnsigned(sizeText).value_or(-1);
    entry.owner = decodeText(!ownerName.isEmpty() ? ownerName : !owner.isEmpty() ? owner : uid);
    entry.group = decodeText(!groupName.isEmpty() ? groupName : !group.isEmpty() ? group : gid);
    setName(entry, line.sliced(nameStart));
    return LineResult::of(std::move(entry));
}

LineResult parseList(QByteArrayView line, const QDateTime &now)
{
    if (isTotalLine(tokenize(line)))
        return LineResult::skip();
    const LineResult unix = parseUnix(line, now);
    if (unix.kind == LineKind::Entry || unix.kind == LineKind::Skip)
        return unix;
    const LineResult other = parseOtherList(line, now);
    if (other.kind == LineKind::Entry || other.kind == LineKind::Skip)
        return other;
    if (unix.kind == LineKind::Broken)
        return unix;
    if (other.kind == LineKind::Broken)
        return other;
    return LineResult::broken(
        QStringLiteral("not a directory listing line in any format Wharf knows"));
}

LineResult parseNlst(QByteArrayView line, QByteArrayView directory)
{
    while (directory.size() > 1 && directory.endsWith('/'))
        directory.chop(1);
    if (!directory.isEmpty() && line.size() > directory.size() && line.startsWith(directory) &&
        (directory.endsWith('/') || line[directory.size()] == '/')) {
        line = line.sliced(directory.size() + (directory.endsWith('/') ? 0 : 1));
    }
    RemoteEntry entry;
    entry.type = RemoteEntry::Type::Other;
    entry.modifiedHasTime = false;
    setName(entry, line);
    return LineResult::of(std::move(entry));
}

} // namespace detail

using namespace detail;

ListingParser::ListingParser(ListingFormat format, const QDateTime &now)
    : m_format(format)
    , m_now(now.toUTC())
{}

void ListingParser::addProblem(QList<ListingProblem> &list, QByteArrayView line,
                               const QString &reason)
{
    list.append(ListingProblem{line.toByteArray(), reason});
}

void ListingParser::addLine(QByteArrayView line)
{
    if (line.endsWith('\r'))
        line.chop(1);
    if (!m_vmsName.isEmpty()) {
        // The details of a VMS name that came alone on the line before.
        const QByteArray joined = m_vmsName + ' ' + restAfterBlanks(line, 0).toByteArray();
        const LineResult result = parseList(joined, m_now);
        if (result.kind == LineKind::Entry) {
            m_vmsName.clear();
            accept(result, joined);
            return;
        }
        flushVmsName();
    }
    // An NLST line is a name and nothing else: blank ones are names too (refused if empty).
    if (m_format != ListingFormat::Nlst && std::all_of(line.begin(), line.end(), isBlank))
        return;
    if (m_format == ListingFormat::List && isVmsNameOnly(line)) {
        m_vmsName = line.toByteArray();
        return;
    }
    parseOne(line);
}

void ListingParser::parseOne(QByteArrayView line)
{
    switch (m_format) {
    case ListingFormat::Mlsd:
        accept(parseMlsd(line), line);
        return;
    case ListingFormat::List:
        accept(parseList(line, m_now), line);
        return;
    case ListingFormat::Nlst:
        accept(parseNlst(line, m_nlstDirectory), line);
        return;
    }
}

void ListingParser::accept(const LineResult &result, QByteArrayView line)
{
    switch (result.kind) {
    case LineKind::Skip:
        return;
    case LineKind::NotMine:
    case LineKind::Broken:
        addProblem(m_listing.unparsed, line,
                   result.reason.isEmpty() ? QStringLiteral("line not understood") : result.reason);
        return;
    case LineKind::Entry:
        break;
    }
    const RemoteEntry &entry = result.entry;
    // `ls -a` lists the directory itself and its parent; they are not entries. (An NLST's
    // "." and ".." have no type: refused and reported like any unusable name.)
    if (entry.type == RemoteEntry::Type::Directory && (entry.name == u"." || entry.name == u".."))
        return;
    const QString why = unusableNameReason(entry.name);
    if (!why.isEmpty()) {
        addProblem(m_listing.refused, line, why);
        return;
    }
    m_listing.entries.append(entry);
}

void ListingParser::flushVmsName()
{
    if (m_vmsName.isEmpty())
        return;
    addProblem(m_listing.unparsed, m_vmsName,
               QStringLiteral("a VMS file name without the size and date that should follow it"));
    m_vmsName.clear();
}

void ListingParser::addData(QByteArrayView bytes)
{
    while (!bytes.isEmpty()) {
        const qsizetype lf = bytes.indexOf('\n');
        const QByteArrayView piece = lf < 0 ? bytes : bytes.first(lf);
        if (m_discarding) {
            m_discarding = lf < 0;
        } else if (m_partial.size() + piece.size() > kMaxLineLength) {
            constexpr qsizetype kShown = 256;
            m_partial +=
                piece.first(qMin(piece.size(), qMax<qsizetype>(0, kShown - m_partial.size())));
            addProblem(m_listing.unparsed,
                       QByteArrayView(m_partial).first(qMin(m_partial.size(), kShown)),
                       QStringLiteral("line longer than %1 bytes (only its start is kept)")
                           .arg(kMaxLineLength));
            m_partial.clear();
            m_discarding = lf < 0;
        } else if (lf >= 0) {
            if (m_partial.isEmpty()) {
                addLine(piece);
            } else {
                m_partial += piece;
                addLine(m_partial);
                m_partial.clear();
            }
        } else {
            m_partial += piece;
        }
        if (lf < 0)
            break;
        bytes = bytes.sliced(lf + 1);
    }
}

void ListingParser::setNameListDirectory(QByteArrayView directory)
{
    m_nlstDirectory = directory.toByteArray();
}

Listing ListingParser::finish()
{
    if (!m_discarding && !m_partial.isEmpty())
        addLine(m_partial);
    m_partial.clear();
    m_discarding = false;
    flushVmsName();
    return std::exchange(m_listing, Listing{});
}

std::optional<RemoteEntry> ListingParser::parseMlsdLine(QByteArrayView line)
{
    LineResult result = parseMlsd(line);
    if (result.kind != LineKind::Entry)
        return std::nullopt;
    return std::move(result.entry);
}

std::optional<RemoteEntry> ListingParser::parseListLine(QByteArrayView line, const QDateTime &now)
{
    LineResult result = parseList(line, now.toUTC());
    if (result.kind != LineKind::Entry)
        return std::nullopt;
    return std::move(result.entry);
}

std::optional<RemoteEntry> ListingParser::parseNlstLine(QByteArrayView line,
                                                        QByteArrayView directory)
{
    if (line.endsWith('\r'))
        line.chop(1);
    return std::move(parseNlst(line, directory).entry);
}

bool ListingParser::isUsableName(const QString &name)
{
    return unusableNameReason(name).isEmpty();
}

QString ListingParser::unusableNameReason(const QString &name)
{
    if (name.isEmpty())
        return QStringLiteral("an empty name was refused");
    if (name == u"." || name == u"..")
        return QStringLiteral("name \"%1\" refused: it is the directory itself or its parent, "
                              "not an entry in it")
            .arg(name);
    if (name.contains(u'/'))
        return QStringLiteral("name \"%1\" refused: it contains '/', so it is not a single "
                              "path component")
            .arg(printable(name));
    const bool control = std::any_of(name.begin(), name.end(), [](QChar c) {
        return c.unicode() < 0x20 || c.unicode() == 0x7f;
    });
    if (control)
        return QStringLiteral("name \"%1\" refused: it contains a control character")
            .arg(printable(name));
    return {};
}

Listing parseMlstReply(const QByteArrayList &replyLines)
{
    Listing listing;
    const auto problem = [](QList<ListingProblem> &list, QByteArrayView line, const QString &why) {
        list.append(ListingProblem{line.toByteArray(), why});
    };
    for (qsizetype i = 1; i + 1 < replyLines.size(); ++i) {
        QByteArrayView line = replyLines[i];
        if (line.endsWith('\r'))
            line.chop(1);
        if (!line.startsWith(' ')) {
            problem(listing.unparsed, line,
                    QStringLiteral("not an MLST entry line: it does not start with a space"));
            continue;
        }
        const LineResult result = parseMlsd(line.sliced(1));
        if (result.kind == LineKind::Skip)
            continue;
        if (result.kind != LineKind::Entry) {
            problem(listing.unparsed, line,
                    result.reason.isEmpty() ? QStringLiteral("line not understood")
                                            : result.reason);
            continue;
        }
        // The pathname as asked for ("/pub/a.txt", "pub/a.txt/"): the entry is its last part.
        RemoteEntry entry = result.entry;
        QByteArrayView path = entry.wireName;
        while (path.size() > 1 && path.endsWith('/'))
            path.chop(1);
        setName(entry, path.sliced(path.lastIndexOf('/') + 1));
        const QString why = ListingParser::unusableNameReason(entry.name);
        if (!why.isEmpty())
            problem(listing.refused, line, why);
        else
            listing.entries.append(entry);
    }
    return listing;
}

Listing parseListing(QByteArrayView data, ListingFormat format, const QDateTime &now)
{
    ListingParser parser(format, now);
    parser.addData(data);
    return parser.finish();
}

} // namespace wharf::ftp
