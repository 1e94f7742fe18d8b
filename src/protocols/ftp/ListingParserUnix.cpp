// `ls -l` as Unix servers (vsftpd, ProFTPD, Pure-FTPd) and the many servers that imitate it
// print it: "drwxr-xr-x  2 owner group  4096 Jan  5 12:34 name". The columns between the
// mode and the date vary (no group, numeric ids, a Windows domain, a size that runs into the
// group), so the parser looks for the date and reads the size just before it, the owner and
// group before that.

#include "protocols/ftp/ListingParserDetail.h"

namespace wharf::ftp::detail {

namespace {

struct ModeField
{
    RemoteEntry::Type type = RemoteEntry::Type::Other;
    QByteArrayView permissions;
    int unixMode = -1;
    bool device = false;  // character or block device: "major, minor" stands where size is
    bool netware = false; // NetWare aligns its names with any number of blanks
};

// "drwxr-xr-x", "-rw-r--r--+" (ACL), "-rw-r--r--." (SELinux), "-rw-r--r--@" (macOS).
std::optional<ModeField> unixMode(QByteArrayView text)
{
    if (text.size() != 10 && text.size() != 11)
        return std::nullopt;
    if (!QByteArrayView("-dlcbpsDn?").contains(text[0]))
        return std::nullopt;
    const QByteArrayView permissions = text.sliced(1, 9);
    for (const char c : permissions) {
        if (!QByteArrayView("-rwxsStTlL").contains(c))
            return std::nullopt;
    }
    if (text.size() == 11 && !QByteArrayView("+.@").contains(text[10]))
        return std::nullopt;
    ModeField mode;
    switch (text[0]) {
    case '-':
        mode.type = RemoteEntry::Type::File;
        break;
    case 'd':
        mode.type = RemoteEntry::Type::Directory;
        break;
    case 'l':
        mode.type = RemoteEntry::Type::Symlink;
        break;
    default:
        mode.type = RemoteEntry::Type::Other;
        break;
    }
    mode.permissions = permissions;
    mode.unixMode = modeFromPermissions(permissions);
    mode.device = text[0] == 'c' || text[0] == 'b';
    return mode;
}

// NetWare: "d [R----F--] supervisor 512 Jan 16 18:53 name".
std::optional<ModeField> netwareMode(QByteArrayView kind, QByteArrayView rights)
{
    if ((kind != "d" && kind != "-") || rights.size() < 3 || !rights.startsWith('[') ||
        !rights.endsWith(']'))
        return std::nullopt;
    ModeField mode;
    mode.type = kind == "d" ? RemoteEntry::Type::Directory : RemoteEntry::Type::File;
    mode.permissions = rights;
    mode.netware = true;
    return mode;
}

struct SizeField
{
    bool found = false;
    qint64 size = -1;
    int ownerEnd = 0;          // tokens [first, ownerEnd) are link count, owner and group
    QByteArrayView ownerTail;  // "longgroup" of "longgroup123456"
    QByteArrayView overflowed; // a size too large for qint64
};

bool isDeviceNumber(QByteArrayView text)
{
    if (allDigits(text))
        return true;
    if (text.size() > 2 && text.startsWith("0x"))
        return std::all_of(text.begin() + 2, text.end(), [](char c) {
            return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        });
    const qsizetype comma = text.indexOf(',');
    return comma > 0 && allDigits(text.first(comma)) && allDigits(text.sliced(comma + 1));
}

// The size column just before the date at `at`.
SizeField sizeBefore(const Tokens &tokens, int first, int at, bool device)
{
    SizeField field;
    const int prev = at - 1;
    if (prev < first)
        return field;
    const QByteArrayView text = tokens[prev].text;
    if (device) {
        // "1, 3", "1,3", "0x2d": device numbers, no size.
        if (prev - 1 >= first && tokens[prev - 1].text.endsWith(',') &&
            allDigits(tokens[prev - 1].text.chopped(1)) && allDigits(text))
            field.ownerEnd = prev - 1;
        else if (isDeviceNumber(text))
            field.ownerEnd = prev;
        else
            return field;
        field.found = true;
        return field;
    }
    if (allDigits(text)) {
        const auto size = parseUnsigned(text);
        if (!size) {
            field.overflowed = text;
            return field;
        }
        field = {true, *size, prev, {}, {}};
        return field;
    }
    if (const auto size = parseSizeWithUnit(text)) { // "33.5k"
        field = {true, *size, prev, {}, {}};
        return field;
    }
    // "longgroup123456": a long group name left no blank before the size.
    qsizetype digits = text.size();
    while (digits > 0 && isDigit(text[digits - 1]))
        --digits;
    if (digits == 0 || digits == text.size() || prev == first)
        return field;
    const auto size = parseUnsigned(text.sliced(digits));
    if (!size)
        return field;
    field = {true, *size, prev, text.first(digits), {}};
    return field;
}

// Link count, owner and group, from what stands between the mode and the size.
void setOwnerGroup(RemoteEntry &entry, const Tokens &tokens, int first, const SizeField &size)
{
    QVarLengthArray<QByteArrayView, 8> names;
    for (int k = first; k < size.ownerEnd; ++k)
        names.append(tokens[k].text);
    if (!size.ownerTail.isEmpty())
        names.append(size.ownerTail);
    if (!names.isEmpty() && allDigits(names.front()))
        names.erase(names.begin()); // the link count
    if (names.isEmpty())
        return;
    if (names.size() == 1) {
        entry.owner = decodeText(names.front());
        return;
    }
    entry.group = decodeText(names.back());
    QByteArray owner;
    for (qsizetype k = 0; k + 1 < names.size(); ++k) {
        if (k > 0)
            owner += ' ';
        owner += names[k];
    }
    entry.owner = decodeText(owner);
}

} // namespace

LineResult parseUnix(QByteArrayView line, const QDateTime &now)
{
    const Tokens tokens = tokenize(line);
    if (tokens.size() < 2)
        return LineResult::notMine();
    int first = 1;
    std::optional<ModeField> mode = unixMode(tokens[0].text);
    if (!mode) {
        mode = netwareMode(tokens[0].text, tokens[1].text);
        first = 2;
    }
    if (!mode)
        return LineResult::notMine();

    QByteArrayView overflowed;
    for (const bool weak : {false, true}) {
        for (int at = first + 1; at < tokens.size(); ++at) {
            const auto date = matchUnixDate(tokens, at, now, weak);
            if (!date)
                continue;
            const SizeField size = sizeBefore(tokens, first, at, mode->device);
            if (!size.overflowed.isEmpty())
                overflowed = size.overflowed;
            if (!size.found)
                continue;
            qsizetype nameStart = tokens[at + date->tokenCount - 1].end;
            if (date->separator < 0 || mode->netware) {
                nameStart = line.size() - restAfterBlanks(line, nameStart).size();
            } else {
                for (int skip = date->separator;
                     skip > 0 && nameStart < line.size() && isBlank(line[nameStart]); --skip)
                    ++nameStart;
            }
            if (nameStart >= line.size())
                continue;

            RemoteEntry entry;
            entry.type = mode->type;
            entry.permissions = decodeText(mode->permissions);
            entry.unixMode = mode->unixMode;
            entry.size = size.size;
            entry.modified = date->when;
            entry.modifiedHasTime = date->hasTime;
            setOwnerGroup(entry, tokens, first, size);
            QByteArrayView name = line.sliced(nameStart);
            if (entry.type == RemoteEntry::Type::Symlink) {
                const qsizetype arrow = name.indexOf(" -> ");
                if (arrow >= 0) {
                    entry.linkTarget = decodeText(name.sliced(arrow + 4));
                    name = name.first(arrow);
                }
            }
            setName(entry, name);
            return LineResult::of(std::move(entry));
        }
    }
    if (!overflowed.isEmpty())
        return LineResult::broken(
            QStringLiteral("size %1 is too large").arg(QString::fromLatin1(overflowed)));
    return LineResult::broken(QStringLiteral(
        "looks like a Unix listing line, but Wharf found no size and date followed by a name"));
}

} // namespace wharf::ftp::detail
