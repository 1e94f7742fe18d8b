#pragma once

#include "protocols/imap/Response.h"
#include "protocols/imap/SequenceSet.h"

#include <QByteArrayList>
#include <QString>

#include <optional>

namespace wharf::imap {

// "* LIST (\HasNoChildren \Sent) "/" Sent" (RFC 3501 7.2.2, RFC 6154 SPECIAL-USE,
// RFC 5258 extended data such as CHILDINFO are ignored).
struct ListEntry
{
    QByteArrayList attributes; // as sent: "\Noselect", "\Sent", "\HasChildren"
    QChar delimiter;           // null when the server has no hierarchy (NIL)
    QByteArray wireName;       // exactly as sent, for commands
    QString name;              // decoded for display; the wire bytes when they do not decode

    bool hasAttribute(QByteArrayView attribute) const; // case-insensitive
    bool isSelectable() const;                         // not \Noselect or \NonExistent
    // The special-use attribute (RFC 6154) if any: "\Sent", "\Drafts", "\Trash", "\Junk",
    // "\Archive", "\All", "\Flagged"; empty otherwise. INBOX is recognised by name.
    QByteArray specialUse() const;
};
// `utf8` : UTF8=ACCEPT is enabled, so names are UTF-8 rather than modified UTF-7.
std::optional<ListEntry> parseListEntry(const Response &response, bool utf8);

// "* STATUS INBOX (MESSAGES 231 UIDNEXT 44292)".
struct StatusData
{
    QByteArray wireName;
    QString name;
    std::optional<quint32> messages, recent, uidNext, uidValidity, unseen;
    std::optional<quint64> highestModSeq;
};
std::optional<StatusData> parseStatus(const Response &response, bool utf8);

// "* VANISHED (EARLIER) 300:310,405,411".
struct VanishedData
{
    bool earlier = false;
    SequenceSet uids;
};
std::optional<VanishedData> parseVanished(const Response &response);

// "* SEARCH 2 84 882" (with an optional "(MODSEQ n)" at the end, RFC 7162) and
// "* ESEARCH (TAG "A1") UID COUNT 5 ALL 4:19,21" (RFC 4731).
struct SearchData
{
    SequenceSet numbers;
    std::optional<quint64> count;
    std::optional<quint64> highestModSeq;
    QByteArray tag; // ESEARCH's correlator, when given
};
std::optional<SearchData> parseSearch(const Response &response);

// "* NAMESPACE (("" "/")) NIL (("#shared/" "/"))" (RFC 2342): the first personal one.
struct NamespaceData
{
    QByteArray personalPrefix;
    QChar personalDelimiter;
    bool hasPersonal = false;
};
std::optional<NamespaceData> parseNamespace(const Response &response);

// "* FLAGS (...)" and "[PERMANENTFLAGS (...)]".
QByteArrayList parseFlagList(const Value &value);
// "* CAPABILITY ..." or "[CAPABILITY ...]": the words, upper-cased.
QByteArrayList parseCapabilities(const QList<Value> &values);

// Response codes with arguments that sync needs.
struct CopyUidData // [COPYUID validity source-uids dest-uids], [APPENDUID validity uids]
{
    quint32 uidValidity = 0;
    // Expanded in the order the server gave them: the n-th source UID became the n-th
    // destination UID (RFC 4315 section 3). Empty source for APPENDUID.
    QList<quint32> sourceUids;
    QList<quint32> destinationUids;
};
std::optional<CopyUidData> parseCopyUid(const ResponseCode &code);
std::optional<CopyUidData> parseAppendUid(const ResponseCode &code);
// UIDVALIDITY, UIDNEXT, UNSEEN, HIGHESTMODSEQ: the single numeric argument.
std::optional<quint64> numericCode(const ResponseCode &code);

} // namespace wharf::imap
