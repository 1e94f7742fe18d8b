#include "mime/DisplayBody.h"

namespace wharf::mime {

namespace {

bool isText(const MessagePart &part)
{
    return part.contentType() == "text/plain" || part.contentType() == "text/html";
}

const MessagePart *bodyOf(const MessagePart &part, BodyPreference preference)
{
    if (part.isEncapsulatedMessage())
        return nullptr;
    if (part.isLeaf())
        return isText(part) && part.disposition() != "attachment" ? &part : nullptr;

    const QList<MessagePart> &children = part.children();
    if (part.contentType() == "multipart/alternative") {
        const QByteArray wanted = preference == BodyPreference::Html ? "text/html" : "text/plain";
        const MessagePart *richest = nullptr;
        const MessagePart *preferred = nullptr;
        for (const MessagePart &child : children) {
            const MessagePart *body = bodyOf(child, preference);
            if (!body)
                continue;
            richest = body;
            if (body->contentType() == wanted)
                preferred = body;
        }
        return preferred ? preferred : richest;
    }
    if (part.contentType() == "multipart/related")
        return children.isEmpty() ? nullptr : bodyOf(children.first(), preference);
    for (const MessagePart &child : children) {
        if (const MessagePart *body = bodyOf(child, preference))
            return body;
    }
    return nullptr;
}

} // namespace

const MessagePart *displayBody(const Message &message, BodyPreference preference)
{
    return bodyOf(message.root(), preference);
}

} // namespace wharf::mime
