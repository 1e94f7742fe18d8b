#pragma once

#include "store/MessageRecord.h"

#include <QByteArray>

namespace wharf::store {

// The index fields and the searchable text of a raw message. Hostile input only gives
// emptier fields: it never fails. Long display fields are capped so one hostile message
// cannot bloat every page of its folder's list.
struct MessageSummary
{
    MessageRecord record; // id, folder, paths, remote id and flags are the caller's
    MessageText text;
};

inline constexpr qsizetype kMaxIndexedBodyCharacters = 64 * 1024;
inline constexpr qsizetype kMaxDisplayFieldCharacters = 1024;

MessageSummary summarizeMessage(const QByteArray &raw);

} // namespace wharf::store
