#pragma once

// What every SQL file of the index shares: the columns of a full message row and how
// values are bound. Internal to the store.
#include "store/MessageRecord.h"

#include <QString>
#include <QVariant>

class QSqlQuery;

namespace wharf::store {

// The columns messageFromRow() reads, in its order, from the messages table aliased "m".
extern const QString kMessageColumns;

MessageRecord messageFromRow(const QSqlQuery &query);

// QVariant of a null QString binds as SQL NULL, which the unique key index relies on.
QVariant sqlNullableText(const QString &text);
QVariant sqlNullableBytes(const QByteArray &bytes);
// Qt binds a null QString or QByteArray as SQL NULL; NOT NULL columns want the empty value.
QVariant sqlText(const QString &value);
QVariant sqlBytes(const QByteArray &value);

} // namespace wharf::store
