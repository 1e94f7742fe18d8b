#pragma once

#include "protocols/ftp/RemoteEntry.h"

#include <QByteArrayList>
#include <QByteArrayView>
#include <QList>

#include <optional>

namespace wharf::ftp {

namespace detail {
struct LineResult;
}

// MLSD (RFC 3659, one format), LIST (whatever the server's `ls` or equivalent prints; the
// format is recognised line by line), or NLST (RFC 959: names only, one a line; their type,
// size and time unknown).
enum class ListingFormat
{
    Mlsd,
    List,
    Nlst
};

// Why a line did not become an entry.
struct ListingProblem
{
    QByteArray line; // as received, without the line end
    QString reason;  // a sentence for a person
};

struct Listing
{
    QList<RemoteEntry> entries;
    // Lines no parser understood: reported, never silently dropped.
    QList<ListingProblem> unparsed;
    // Lines that parsed but whose name is unusable (see ListingParser::isUsableName); they
    // never reach `entries`, so nothing downstream can turn them into a local path.
    QList<ListingProblem> refused;
};

// Parses a listing line by line, so it can be parsed while it arrives.
//
// Skipped silently, as they are not entries: blank lines, "total 123" lines, MLSD cdir/pdir
// facts, the "." and ".." directories of `ls -a`, and VMS "Directory"/"Total of" lines.
//
// LIST forms: Unix `ls -l` (with or without group, numeric ids, ACL markers, device files,
// long-iso and full-iso dates, localised and CJK month names), NetWare, DOS/IIS, EPLF, VMS
// (also with the name on a line of its own), OS/2, IBM AS/400, VShell and the numeric Unix
// form ("0100644 uid gid size mtime name").
class ListingParser
{
public:
    // `now` decides the year of dates given without one ("Mon DD HH:MM"): the newest date not
    // more than a day after `now`.
    explicit ListingParser(ListingFormat format,
                           const QDateTime &now = QDateTime::currentDateTimeUtc());

    // One line without its line end (a trailing CR is dropped too).
    void addLine(QByteArrayView line);
    // Any chunk of the data connection's bytes: split on LF (CRLF or LF); a partial last line
    // waits for the next chunk or finish(). A line longer than kMaxLineLength (a CR before
    // the LF counted) is reported as unparsed, its first 256 bytes only, and not buffered.
    void addData(QByteArrayView bytes);
    // NLST: the directory that was listed, as sent. Servers answer "NLST dir" with
    // "dir/name" (wu-ftpd, IIS) or with "name" (vsftpd, pyftpdlib); the prefix is dropped.
    void setNameListDirectory(QByteArrayView directory);
    // Flushes a partial last line and returns everything parsed; the parser starts afresh.
    Listing finish();

    static constexpr qsizetype kMaxLineLength = 64 * 1024;

    // Single lines, pure. They parse only: the caller applies isUsableName. nullopt when the
    // line is not an entry (not understood, or an MLSD cdir/pdir).
    static std::optional<RemoteEntry> parseMlsdLine(QByteArrayView line);
    static std::optional<RemoteEntry> parseListLine(QByteArrayView line, const QDateTime &now);
    // An NLST line: the name, type Other, size and time unknown; "directory/" in front of
    // it is dropped. Not checked with isUsableName either.
    static std::optional<RemoteEntry> parseNlstLine(QByteArrayView line,
                                                    QByteArrayView directory = {});

    // True when `name` may be used as ONE local path component and sent back to the server as
    // a name in this directory: not empty, not "." or "..", no '/', no NUL or other control
    // character (below 0x20, or 0x7f). Backslashes are allowed: a Unix name may hold them.
    static bool isUsableName(const QString &name);
    // Why `name` is unusable, as a sentence; empty when it is usable.
    static QString unusableNameReason(const QString &name);

private:
    void addProblem(QList<ListingProblem> &list, QByteArrayView line, const QString &reason);
    void parseOne(QByteArrayView line);
    void accept(const detail::LineResult &result, QByteArrayView line);
    void flushVmsName();

    ListingFormat m_format;
    QDateTime m_now;
    Listing m_listing;
    QByteArray m_partial;      // bytes after the last LF seen by addData
    bool m_discarding = false; // inside an over-long line, dropping bytes up to its LF
    QByteArray m_vmsName;      // a VMS name on its own line, waiting for its details
    QByteArray m_nlstDirectory;
};

// The lines of a 250 reply to MLST (RFC 3659 7.2): "Listing path", then " facts; pathname"
// (one leading space), then "End". The entry is named by the pathname's last component, so
// the usual name rules apply to it; unreadable lines and unusable names are reported in
// `unparsed` and `refused`.
Listing parseMlstReply(const QByteArrayList &replyLines);

// The whole listing at once.
Listing parseListing(QByteArrayView data, ListingFormat format,
                     const QDateTime &now = QDateTime::currentDateTimeUtc());

} // namespace wharf::ftp
