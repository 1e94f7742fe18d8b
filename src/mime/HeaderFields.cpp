#include "mime/HeaderFields.h"

#include <mimetic/mimetic.h>

namespace wharf::mime {

QList<HeaderField> readHeaderFields(const QByteArray &message)
{
    mimetic::MimeEntity entity;
    entity.load(message.cbegin(), message.cend(),
                mimetic::imBody | mimetic::imChildParts | mimetic::imPreamble |
                    mimetic::imEpilogue);
    QList<HeaderField> fields;
    for (const mimetic::Field &field : entity.header()) {
        const std::string &name = field.name();
        const std::string value = field.value();
        fields.append({QByteArray(name.data(), qsizetype(name.size())),
                       QByteArray(value.data(), qsizetype(value.size()))});
    }
    return fields;
}

} // namespace wharf::mime
