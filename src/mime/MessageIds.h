#pragma once

#include <QByteArrayList>
#include <QByteArrayView>

namespace wharf::mime {

// Message ids in a Message-ID, References or In-Reply-To value, in order, without their
// angle brackets. Comments and quoted strings are skipped, because In-Reply-To often carries
// "<id> (message from Ann <ann@example.org>)"; whitespace (folding) inside brackets is
// dropped; an id cut short by a missing ">" still counts. Ids without brackets are taken
// only when the value holds nothing else and each has an "@", so a mailer's prose
// ("Your message of Monday") never becomes an id. Repeats are kept.
QByteArrayList extractMessageIds(QByteArrayView value);

// The key a Message-ID header value is stored and matched under: its first id, or, when it
// holds no id-like text at all, the value without whitespace and brackets. Empty when blank.
QByteArray normaliseMessageId(QByteArrayView value);

// The same ids with their angle brackets, as Message-ID and References show them.
QByteArrayList messageIds(QByteArrayView value);

} // namespace wharf::mime
