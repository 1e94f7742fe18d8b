#include "protocols/imap/FetchData.h"

#include <cstdio>

namespace wharf::imap {

namespace {

// BODYSTRUCTURE nesting beyond this is refused even for a Value built by hand; the
// parser's own limit is lower.
constexpr int kMaxBodyDepth = 100;

constexpr const char *kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool sameName(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && qstrnicmp(a.data(), a.size(), b.data(), b.size()) == 0;
}

bool isScalar(const Value &value)
{
    return value.kind == Value::Kind::Nil || value.kind == Value::Kind::Atom ||
           value.kind == Value::Kind::Number || value.kind == Value::Kind::String;
}

// nstring / astring read leniently: servers put atoms and numbers where strings belong
// ("7BIT" unquoted, a bare number as a subject). Lists and streamed literals do not fit.
bool readString(const Value &value, QByteArray *out)
{
    if (!isScalar(value))
        return false;
    *out = value.isNil() ? QByteArray() : value.bytes;
    return true;
}

QByteArray lowerString(const Value &value)
{
    return isScalar(value) && !value.isNil() ? value.bytes.toLower() : QByteArray();
}

bool readAddresses(const Value &value, QList<EnvelopeAddress> *out)
{
    if (value.isNil())
        return true;
    if (!value.isList())
        return false;
    out->reserve(value.items.size());
    for (const Value &address : value.items) {
        if (!address.isList() || address.items.size() != 4)
            return false;
        EnvelopeAddress entry;
        if (!readString(address.items.at(0), &entry.name) ||
            !readString(address.items.at(1), &entry.route) ||
            !readString(address.items.at(2), &entry.mailbox) ||
            !readString(address.items.at(3), &entry.host)) {
            return false;
        }
        out->append(std::move(entry));
    }
    return true;
}

// body-fld-param: NIL or ("name" "value" ...). A dangling name without a value is dropped
// (servers that cut long parameter lists); a list inside means the structure was misread.
bool readParameters(const Value &value, QList<QPair<QByteArray, QByteArray>> *out)
{
    out->clear();
    if (value.isNil())
        return true;
    if (!value.isList())
        return false;
    const QList<Value> &items = value.items;
    out->reserve(items.size() / 2);
    for (qsizetype i = 0; i + 1 < items.size(); i += 2) {
        QByteArray name;
        QByteArray text;
        if (!readString(items.at(i), &name) || !readString(items.at(i + 1), &text))
            return false;
        out->append({name.toLower(), text});
    }
    return items.size() % 2 == 0 || isScalar(items.last());
}

// body-fld-dsp: ("attachment" ("filename" "a.pdf")) or NIL. Extension data is optional, so
// a shape we do not recognise (a bare "inline" from some servers) is taken for what it
// plainly says or ignored, never fatal.
void readDisposition(const Value &value, BodyPart *part)
{
    if (value.isList() && !value.items.isEmpty()) {
        part->disposition = lowerString(value.items.first());
        if (value.items.size() > 1 &&
            !readParameters(value.items.at(1), &part->dispositionParameters))
            part->dispositionParameters.clear();
    } else if (value.kind == Value::Kind::String || value.kind == Value::Kind::Atom) {
        part->disposition = value.bytes.toLower();
    }
}

QByteArray childSection(const QByteArray &prefix, qsizetype index)
{
    QByteArray number = QByteArray::number(index + 1);
    return prefix.isEmpty() ? number : prefix + '.' + number;
}

bool readBody(const Value &value, const QByteArray &number, bool messageRoot, int depth,
              BodyPart *part);

// body-type-mpart: 1*body SP subtype [SP params [SP dsp [SP lang [SP loc ...]]]].
// A multipart that is the body of a message carries the message's number ("" at the top,
// "3" inside the message/rfc822 part 3) and its children are 1, 2, ... below it, as in
// RFC 3501 6.4.5 and the mime layer's MessageParser.
bool readMultipart(const QList<Value> &items, const QByteArray &number, int depth, BodyPart *part)
{
    part->type = "multipart";
    part->section = number;
    qsizetype i = 0;
    while (i < items.size() && items.at(i).isList()) {
        BodyPart child;
        if (!readBody(items.at(i), childSection(number, i), false, depth + 1, &child))
            return false;
        part->parts.append(std::move(child));
        ++i;
    }
    // A missing or NIL subtype is read as "mixed", what RFC 2046 says to assume for an
    // unknown multipart.
    part->subtype = i < items.size() ? lowerString(items.at(i)) : QByteArray();
    if (part->subtype.isEmpty())
        part->subtype = "mixed";
    if (i + 1 < items.size() && !readParameters(items.at(i + 1), &part->parameters))
        part->parameters.clear();
    if (i + 2 < items.size())
        readDisposition(items.at(i + 2), part);
    return true;
}

bool readSinglePart(const QList<Value> &items, const QByteArray &number, int depth, BodyPart *part)
{
    if (items.size() < 7)
        return false;
    // NIL type or subtype: treated as opaque data rather than guessed to be text.
    part->type = lowerString(items.at(0));
    if (part->type.isEmpty())
        part->type = "application";
    part->subtype = lowerString(items.at(1));
    if (part->subtype.isEmpty())
        part->subtype = "octet-stream";
    part->section = number;
    if (!readParameters(items.at(2), &part->parameters) || !readString(items.at(3), &part->id) ||
        !readString(items.at(4), &part->description) || !isScalar(items.at(5))) {
        return false;
    }
    // Content-Transfer-Encoding is a case-insensitive token: lower-cased like the type.
    part->encoding = lowerString(items.at(5));
    if (!items.at(6).isNil() && !items.at(6).toNumber(&part->size))
        return false;

    qsizetype extension = 7;
    const bool message =
        part->type == "message" && (part->subtype == "rfc822" || part->subtype == "global");
    if (message && items.size() >= 10 && items.at(7).isList() && items.at(8).isList()) {
        auto envelope = parseEnvelope(items.at(7));
        if (!envelope)
            return false;
        part->envelope = std::make_shared<Envelope>(std::move(*envelope));
        BodyPart child;
        if (!readBody(items.at(8), number, true, depth + 1, &child))
            return false;
        part->parts.append(std::move(child));
        if (!items.at(9).isNil() && !items.at(9).toNumber(&part->lines))
            return false;
        extension = 10;
    } else if (part->type == "text" && items.size() > 7) {
        // Some servers leave the line count out; then what follows is extension data.
        if (items.at(7).isNil() || items.at(7).toNumber(&part->lines))
            extension = 8;
    }
    // body-ext-1part: md5, then disposition.
    if (extension + 1 < items.size())
        readDisposition(items.at(extension + 1), part);
    return true;
}

// `messageRoot`: the body of a whole message (the top, or inside message/rfc822) whose
// number is `number`. Its single part is then number.1 ("1" at the top); its multipart
// keeps the number.
bool readBody(const Value &value, const QByteArray &number, bool messageRoot, int depth,
              BodyPart *part)
{
    if (!value.isList() || value.items.isEmpty() || depth > kMaxBodyDepth)
        return false;
    if (value.items.first().isList())
        return readMultipart(value.items, number, depth, part);
    const QByteArray own = messageRoot ? childSection(number, 0) : number;
    return readSinglePart(value.items, own, depth, part);
}

bool readDigits(QByteArrayView text, qsizetype *pos, int minDigits, int maxDigits, int *out)
{
    int value = 0;
    int digits = 0;
    while (*pos < text.size() && digits < maxDigits && text.at(*pos) >= '0' &&
           text.at(*pos) <= '9') {
        value = value * 10 + (text.at(*pos) - '0');
        ++*pos;
        ++digits;
    }
    *out = value;
    return digits >= minDigits;
}

bool expect(QByteArrayView text, qsizetype *pos, char c)
{
    if (*pos >= text.size() || text.at(*pos) != c)
        return false;
    ++*pos;
    return true;
}

enum class Item
{
    Unknown,
    Uid,
    Flags,
    InternalDate,
    Size,
    ModSeq,
    Envelope,
    BodyStructure,
    Body,
    Rfc822,
    Rfc822Header,
    Rfc822Text,
};

Item classify(QByteArrayView name)
{
    struct Entry
    {
        QByteArrayView name;
        Item item;
    };
    static constexpr Entry kItems[] = {
        {"UID", Item::Uid},
        {"FLAGS", Item::Flags},
        {"INTERNALDATE", Item::InternalDate},
        {"RFC822.SIZE", Item::Size},
        {"MODSEQ", Item::ModSeq},
        {"ENVELOPE", Item::Envelope},
        {"BODYSTRUCTURE", Item::BodyStructure},
        {"BODY", Item::Body},
        {"RFC822", Item::Rfc822},
        {"RFC822.HEADER", Item::Rfc822Header},
        {"RFC822.TEXT", Item::Rfc822Text},
    };
    for (const Entry &entry : kItems) {
        if (sameName(name, entry.name))
            return entry.item;
    }
    return Item::Unknown;
}

bool isSectionContent(const Value &value)
{
    return value.kind == Value::Kind::String || value.kind == Value::Kind::Nil ||
           value.kind == Value::Kind::StreamedLiteral;
}

// "BODY[1.2]<0>", "BINARY[2]", "BODY[HEADER.FIELDS (FROM)]". nullopt when the name has a
// section but it is malformed; `*known` false when it is not BODY/BINARY at all.
std::optional<BodySection> readSectionName(QByteArrayView name, bool *known)
{
    *known = false;
    const qsizetype open = name.indexOf('[');
    const qsizetype close = name.lastIndexOf(']');
    if (open < 0)
        return std::nullopt;
    const QByteArrayView prefix = name.first(open);
    if (!sameName(prefix, "BODY") && !sameName(prefix, "BINARY") &&
        !sameName(prefix, "BODY.PEEK")) {
        return std::nullopt;
    }
    *known = true;
    if (close < open)
        return std::nullopt;
    BodySection section;
    section.section = name.sliced(open + 1, close - open - 1).toByteArray();
    const QByteArrayView rest = name.sliced(close + 1);
    if (!rest.isEmpty()) {
        if (rest.size() < 3 || rest.front() != '<' || rest.back() != '>')
            return std::nullopt;
        quint64 origin = 0;
        for (const char c : rest.sliced(1, rest.size() - 2)) {
            if (c < '0' || c > '9' || origin > (~quint64(0) - 9) / 10)
                return std::nullopt;
            origin = origin * 10 + quint64(c - '0');
        }
        section.origin = origin;
    }
    return section;
}

QByteArray shortDescription(const Value &value)
{
    QByteArray text = describe(value);
    if (text.size() > 120)
        text = text.left(117) + "...";
    return text;
}

} // namespace

QByteArray BodyPart::parameter(QByteArrayView name) const
{
    for (const auto &entry : parameters) {
        if (sameName(entry.first, name))
            return entry.second;
    }
    return {};
}

std::optional<Envelope> parseEnvelope(const Value &value)
{
    if (!value.isList() || value.items.size() != 10)
        return std::nullopt;
    const QList<Value> &items = value.items;
    Envelope envelope;
    if (!readString(items.at(0), &envelope.date) || !readString(items.at(1), &envelope.subject) ||
        !readAddresses(items.at(2), &envelope.from) ||
        !readAddresses(items.at(3), &envelope.sender) ||
        !readAddresses(items.at(4), &envelope.replyTo) ||
        !readAddresses(items.at(5), &envelope.to) || !readAddresses(items.at(6), &envelope.cc) ||
        !readAddresses(items.at(7), &envelope.bcc) ||
        !readString(items.at(8), &envelope.inReplyTo) ||
        !readString(items.at(9), &envelope.messageId)) {
        return std::nullopt;
    }
    return envelope;
}

std::optional<BodyPart> parseBodyStructure(const Value &value, const QByteArray &section)
{
    BodyPart part;
    if (!readBody(value, section, section.isEmpty(), 0, &part))
        return std::nullopt;
    return part;
}

std::optional<QDateTime> parseInternalDate(QByteArrayView text)
{
    // date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE;
    // the day may be space-padded (" 7-Jul-1996") or, from lax servers, one digit.
    qsizetype pos = 0;
    while (pos < text.size() && text.at(pos) == ' ')
        ++pos;
    int day = 0;
    int year = 0;
    int hour = 0;
    int minute = 0;
    int second = 0;
    int zone = 0;
    if (!readDigits(text, &pos, 1, 2, &day) || !expect(text, &pos, '-') || pos + 4 > text.size()) {
        return std::nullopt;
    }
    int month = 0;
    const QByteArrayView monthName = text.sliced(pos, 3);
    while (month < 12 && !sameName(monthName, kMonths[month]))
        ++month;
    if (month == 12)
        return std::nullopt;
    pos += 3;
    if (!expect(text, &pos, '-') || !readDigits(text, &pos, 4, 4, &year) ||
        !expect(text, &pos, ' ') || !readDigits(text, &pos, 2, 2, &hour) ||
        !expect(text, &pos, ':') || !readDigits(text, &pos, 2, 2, &minute) ||
        !expect(text, &pos, ':') || !readDigits(text, &pos, 2, 2, &second) ||
        !expect(text, &pos, ' ') || pos >= text.size()) {
        return std::nullopt;
    }
    const char sign = text.at(pos++);
    if ((sign != '+' && sign != '-') || !readDigits(text, &pos, 4, 4, &zone) ||
        pos != text.size() || zone / 100 > 23 || zone % 100 >= 60) {
        return std::nullopt;
    }
    const QDate date(year, month + 1, day);
    const QTime time(hour, minute, second);
    if (!date.isValid() || !time.isValid())
        return std::nullopt;
    const int offset = (zone / 100 * 3600 + zone % 100 * 60) * (sign == '-' ? -1 : 1);
    return QDateTime(date, time, Qt::UTC).addSecs(-offset);
}

QByteArray formatInternalDate(const QDateTime &dateTime)
{
    if (!dateTime.isValid())
        return {};
    const QDateTime utc = dateTime.toUTC();
    const QDate date = utc.date();
    const QTime time = utc.time();
    if (date.year() < 1 || date.year() > 9999)
        return {};
    // Built by hand: QDateTime::toString would use the locale's month names.
    char buffer[32];
    const int length = std::snprintf(buffer, sizeof buffer, "%02d-%s-%04d %02d:%02d:%02d +0000",
                                     date.day(), kMonths[date.month() - 1], date.year(),
                                     time.hour(), time.minute(), time.second());
    return QByteArray(buffer, length);
}

std::optional<FetchData> parseFetch(quint32 sequence, const QList<Value> &data, QByteArray *problem)
{
    const auto fail = [problem](const QByteArray &why) -> std::optional<FetchData> {
        if (problem)
            *problem = why;
        return std::nullopt;
    };
    if (data.size() != 1 || !data.first().isList())
        return fail("FETCH data is not one parenthesised list: " + describe(data).left(120));

    FetchData fetch;
    fetch.sequence = sequence;
    const QList<Value> &items = data.first().items;
    for (qsizetype i = 0; i < items.size(); i += 2) {
        const Value &nameValue = items.at(i);
        if (nameValue.kind != Value::Kind::Atom)
            return fail("FETCH item name expected, got " + shortDescription(nameValue));
        const QByteArray &name = nameValue.bytes;
        if (i + 1 >= items.size())
            return fail("FETCH item " + name + " has no value");
        const Value &value = items.at(i + 1);
        const auto malformed = [&]() {
            return fail("FETCH item " + name + " is malformed: " + shortDescription(value));
        };

        const Item item = classify(name);
        switch (item) {
        case Item::Uid: {
            quint32 uid = 0;
            if (!value.toUInt32(&uid) || uid == 0)
                return malformed();
            fetch.uid = uid;
            break;
        }
        case Item::Flags: {
            if (!value.isList())
                return malformed();
            QByteArrayList flags;
            flags.reserve(value.items.size());
            for (const Value &flag : value.items) {
                if (flag.kind != Value::Kind::Atom && flag.kind != Value::Kind::Number)
                    return malformed();
                flags.append(flag.bytes);
            }
            fetch.flags = std::move(flags);
            break;
        }
        case Item::InternalDate: {
            if (value.isNil())
                break;
            if (value.kind != Value::Kind::String)
                return malformed();
            fetch.internalDate = parseInternalDate(value.bytes);
            if (!fetch.internalDate)
                return malformed();
            break;
        }
        case Item::Size: {
            quint64 size = 0;
            if (!value.toNumber(&size))
                return malformed();
            fetch.size = size;
            break;
        }
        case Item::ModSeq: {
            // "(12345)" per RFC 7162; a bare number is taken too.
            const Value &inner =
                value.isList() && value.items.size() == 1 ? value.items.first() : value;
            quint64 modSeq = 0;
            if (inner.isList() || !inner.toNumber(&modSeq))
                return malformed();
            fetch.modSeq = modSeq;
            break;
        }
        case Item::Envelope:
            fetch.envelope = parseEnvelope(value);
            if (!fetch.envelope)
                return malformed();
            break;
        case Item::BodyStructure:
        case Item::Body:
            fetch.bodyStructure = parseBodyStructure(value);
            if (!fetch.bodyStructure)
                return malformed();
            break;
        case Item::Rfc822:
        case Item::Rfc822Header:
        case Item::Rfc822Text: {
            if (!isSectionContent(value))
                return malformed();
            BodySection section;
            section.section = item == Item::Rfc822         ? QByteArray()
                              : item == Item::Rfc822Header ? QByteArray("HEADER")
                                                           : QByteArray("TEXT");
            section.content = value;
            fetch.sections.append(std::move(section));
            break;
        }
        case Item::Unknown: {
            bool known = false;
            auto section = readSectionName(name, &known);
            if (!known) {
                fetch.unknownItems.append(name);
                break;
            }
            if (!section || !isSectionContent(value)) {
                return fail("FETCH item " + name + " is malformed: " + shortDescription(value));
            }
            section->content = value;
            fetch.sections.append(std::move(*section));
            break;
        }
        }
    }
    return fetch;
}

} // namespace wharf::imap
