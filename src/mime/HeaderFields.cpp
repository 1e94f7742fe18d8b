#include "mime/HeaderFields.h"

namespace wharf::mime {

namespace {

// RFC 5322 field names: printable ASCII except the colon; at least one character.
qsizetype fieldNameEnd(QByteArrayView line)
{
    for (qsizetype i = 0; i < line.size(); ++i) {
        const auto c = static_cast<unsigned char>(line[i]);
        if (c == ':')
            return i > 0 ? i : -1;
        if (c < 0x21 || c > 0x7e)
            return -1;
    }
    return -1;
}

QByteArrayView withoutLineEnd(QByteArrayView line)
{
    if (line.endsWith('\n'))
        line.chop(1);
    if (line.endsWith('\r'))
        line.chop(1);
    return line;
}

} // namespace

HeaderBlock parseHeaderBlock(QByteArrayView data)
{
    HeaderBlock block;
    qsizetype pos = 0;
    while (pos < data.size()) {
        const qsizetype newline = data.indexOf('\n', pos);
        const qsizetype next = newline < 0 ? data.size() : newline + 1;
        const QByteArrayView line = withoutLineEnd(data.sliced(pos, next - pos));
        if (line.isEmpty()) {
            block.bodyOffset = next;
            return block;
        }
        if ((line[0] == ' ' || line[0] == '\t') && !block.fields.isEmpty()) {
            block.fields.last().value.append(line);
            pos = next;
            continue;
        }
        const qsizetype colon = fieldNameEnd(line);
        if (colon < 0) {
            block.bodyOffset = pos; // the body starts without a blank line
            return block;
        }
        // Leading blanks separate the name; trailing ones belong to an unstructured value.
        QByteArrayView value = line.sliced(colon + 1);
        while (!value.isEmpty() && (value.front() == ' ' || value.front() == '\t'))
            value = value.sliced(1);
        block.fields.append({line.first(colon).toByteArray(), value.toByteArray()});
        pos = next;
    }
    block.bodyOffset = data.size();
    return block;
}

QList<HeaderField> readHeaderFields(const QByteArray &message)
{
    return parseHeaderBlock(message).fields;
}

const HeaderField *findField(const QList<HeaderField> &fields, QByteArrayView name)
{
    for (const HeaderField &field : fields) {
        if (field.name.compare(name, Qt::CaseInsensitive) == 0)
            return &field;
    }
    return nullptr;
}

} // namespace wharf::mime
