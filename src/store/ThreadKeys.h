#pragma once

#include "mime/MessageIds.h"

#include <QByteArrayList>
#include <QString>

namespace wharf::store {

// What threading keys on, read from raw header values as real mailers write them (the
// message ids themselves: mime/MessageIds.h).
using mime::extractMessageIds;
using mime::normaliseMessageId;

// A message's ancestry, oldest first and parent last, from its raw References and
// In-Reply-To values: References' ids without repeats, then In-Reply-To's first id (the
// parent RFC 5322 names). When that id already stands in References, the list ends there:
// ids after it cannot be this message's ancestors.
QByteArrayList threadReferences(QByteArrayView references, QByteArrayView inReplyTo);

// The subject without reply and forward prefixes in the languages mailers write them
// ("Re:", "RE :", "Re[2]:", "AW:", "SV:", "WG:", "Fwd:", "回复:", ...), repeated or mixed with
// mailing-list tags ("[list]"), and without a trailing "(fwd)"; whitespace collapsed.
// *hadPrefix tells whether a reply or forward prefix was removed. A subject that is only
// a tag keeps it, so "[announce]" stays itself.
QString baseSubject(const QString &subject, bool *hadPrefix = nullptr);

} // namespace wharf::store
