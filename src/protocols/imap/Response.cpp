#include "protocols/imap/Response.h"

namespace wharf::imap {

bool ResponseCode::is(QByteArrayView codeName) const
{
    return QByteArrayView(name).compare(codeName, Qt::CaseInsensitive) == 0;
}

bool Response::isUntagged(QByteArrayView responseName) const
{
    return kind == ResponseKind::Untagged &&
           QByteArrayView(name).compare(responseName, Qt::CaseInsensitive) == 0;
}

} // namespace wharf::imap
