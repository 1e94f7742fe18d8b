#pragma once

#include <QByteArrayView>
#include <QDateTime>
#include <optional>

namespace wharf::mime {

// RFC 5322 3.3 dates as mailers really write them: the day name optional, two- and
// three-digit years (4.3), named and military zones (4.3; military ones read as +0000,
// their sign was never agreed), missing seconds, comments and extra spaces. Returns the
// time in UTC, or nothing when the text is not a date.
std::optional<QDateTime> parseMailDate(QByteArrayView text);

} // namespace wharf::mime
