#include "protocols/imap/ResponseParser.h"

#include "net/LineReader.h"
#include "protocols/imap/ResponseTokenizer.h"

#include <limits>

namespace wharf::imap {

namespace {

constexpr qint64 kSizeSaturated = std::numeric_limits<qint64>::max();

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// A response name or code name: stops at spaces and at every bracket and quote.
qsizetype wordEnd(QByteArrayView line, qsizetype pos)
{
    while (pos < line.size() && !stopsAtom(line[pos]) && line[pos] != '[')
        ++pos;
    return pos;
}

// Digits to a number, saturating so an absurd length fails a limit instead of wrapping.
qint64 saturatedNumber(QByteArrayView digits)
{
    qint64 n = 0;
    for (const char c : digits) {
        if (n > (kSizeSaturated - 9) / 10)
            return kSizeSaturated;
        n = n * 10 + (c - '0');
    }
    return n;
}

// The size announced by a literal marker that ends `line` ("{12}", "{12+}", "~{12}"), or -1.
qint64 trailingLiteral(QByteArrayView line, qsizetype *markerLength)
{
    qsizetype i = line.size();
    if (i == 0 || line[i - 1] != '}')
        return -1;
    --i;
    if (i > 0 && line[i - 1] == '+')
        --i;
    const qsizetype digitsEnd = i;
    while (i > 0 && isDigit(line[i - 1]))
        --i;
    if (i == digitsEnd || i == 0 || line[i - 1] != '{')
        return -1;
    const qint64 size = saturatedNumber(line.sliced(i, digitsEnd - i));
    --i;
    if (i > 0 && line[i - 1] == '~')
        --i;
    *markerLength = line.size() - i;
    return size;
}

QByteArray joined(const QList<QByteArray> &lines)
{
    if (lines.size() == 1)
        return lines.first();
    QByteArray all;
    for (const QByteArray &line : lines)
        all += line;
    return all;
}

bool isOneOf(QByteArrayView word, std::initializer_list<QByteArrayView> names)
{
    for (const QByteArrayView name : names) {
        if (word.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

ResponseStatus statusNamed(QByteArrayView word)
{
    static const std::pair<QByteArrayView, ResponseStatus> statuses[] = {
        {"OK", ResponseStatus::Ok},           {"NO", ResponseStatus::No},
        {"BAD", ResponseStatus::Bad},         {"BYE", ResponseStatus::Bye},
        {"PREAUTH", ResponseStatus::Preauth},
    };
    for (const auto &[name, status] : statuses) {
        if (word.compare(name, Qt::CaseInsensitive) == 0)
            return status;
    }
    return ResponseStatus::None;
}

// "[CODE args] text" after a status word or "+": fills code and text.
void parseStatusText(const QByteArray &line, qsizetype pos, int maxNesting, Response &response)
{
    while (pos < line.size() && line[pos] == ' ')
        ++pos;
    if (pos < line.size() && line[pos] == '[') {
        const qsizetype nameEnd = wordEnd(line, pos + 1);
        const qsizetype argsStart =
            nameEnd < line.size() && line[nameEnd] == ' ' ? nameEnd + 1 : nameEnd;
        QList<Value> arguments;
        qsizetype close = -1;
        const QList<QByteArray> lines{line};
        QList<Value> noLiterals;
        ResponseTokenizer tokenizer(lines, noLiterals, maxNesting);
        if (tokenizer.run(argsStart, true, arguments)) {
            close = tokenizer.closePos();
        } else {
            arguments.clear();
            close = line.indexOf(']', nameEnd);
        }
        if (nameEnd > pos + 1 && close >= 0) {
            response.code.name = line.sliced(pos + 1, nameEnd - pos - 1).toUpper();
            response.code.arguments = std::move(arguments);
            if (close > argsStart)
                response.code.raw = line.sliced(argsStart, close - argsStart);
            pos = close + 1;
            if (pos < line.size() && line[pos] == ' ')
                ++pos;
        }
    }
    response.text = line.sliced(pos);
}

// Untagged names whose shape the parser knows; anything else is an extension.
bool knownDataShape(const Response &r, bool *known)
{
    const QByteArrayView name = r.name;
    const qsizetype n = r.data.size();
    *known = true;
    if (isOneOf(name, {"EXISTS", "RECENT", "EXPUNGE"}))
        return r.hasNumber && n == 0;
    if (name == "FETCH")
        return r.hasNumber && n == 1 && r.data.first().isList();
    if (isOneOf(name, {"LIST", "LSUB"}))
        return n >= 3 && r.data.first().isList();
    if (name == "STATUS")
        return n == 2 && r.data.last().isList();
    if (name == "FLAGS")
        return n == 1 && r.data.first().isList();
    if (name == "NAMESPACE")
        return n == 3;
    if (name == "ID")
        return n == 1 && (r.data.first().isList() || r.data.first().isNil());
    if (isOneOf(name, {"VANISHED"}))
        return n >= 1;
    if (isOneOf(name, {"CAPABILITY", "SEARCH", "ESEARCH", "ENABLED"}))
        return true;
    *known = false;
    return true;
}

} // namespace

ResponseParser::ResponseParser(net::LineReader &reader, const ParserLimits &limits)
    : m_reader(reader)
    , m_limits(limits)
{}

void ResponseParser::setLineObserver(std::function<void(const QByteArray &)> observer)
{
    m_lineObserver = std::move(observer);
}

Response ResponseParser::takeResponse()
{
    return std::exchange(m_response, {});
}

LiteralChunk ResponseParser::takeChunk()
{
    return std::exchange(m_chunk, {});
}

ResponseParser::Event ResponseParser::fail(ErrorKind kind, const QString &message)
{
    m_error = Error(kind, message);
    reset();
    return Event::Error;
}

void ResponseParser::reset()
{
    m_lines.clear();
    m_literals.clear();
    m_responseSize = 0;
    m_literalSize = -1;
    m_literalOffset = 0;
    m_streaming = false;
    m_singleLine = false;
    m_restOffset = 0;
    m_head.clear();
}

ResponseParser::Event ResponseParser::next()
{
    while (!m_error.isError()) {
        if (m_literalSize >= 0) {
            const Event event = readLiteral();
            if (event != Event::Response)
                return event;
            continue; // the literal is complete; the response goes on on the next line
        }
        QByteArray line;
        switch (m_reader.takeLine(line)) {
        case net::LineReader::Status::NeedMore:
            return Event::NeedMore;
        case net::LineReader::Status::LineTooLong:
            return fail(ErrorKind::LimitExceeded,
                        QStringLiteral("the server sent a line longer than %1 bytes")
                            .arg(m_reader.maxLineLength()));
        case net::LineReader::Status::Ok:
            break;
        }
        if (m_lineObserver)
            m_lineObserver(line);
        const Event event = addLine(std::move(line));
        if (event != Event::NeedMore)
            return event;
    }
    return Event::Error;
}

// Returns NeedMore to go on reading, or the event to hand out.
ResponseParser::Event ResponseParser::addLine(QByteArray &&line)
{
    if (m_lines.isEmpty()) {
        if (line.isEmpty())
            return Event::NeedMore; // stray blank lines between responses are harmless
        m_response = {};            // in case the last one was never taken
        Response &r = m_response;
        if (line.startsWith('+')) {
            r.kind = ResponseKind::Continuation;
            m_singleLine = true;
        } else if (line.startsWith("* ") || line == "*") {
            r.kind = ResponseKind::Untagged;
            qsizetype pos = std::min<qsizetype>(2, line.size());
            const qsizetype digitsEnd = [&] {
                qsizetype end = pos;
                while (end < line.size() && isDigit(line[end]))
                    ++end;
                return end;
            }();
            if (digitsEnd > pos && (digitsEnd == line.size() || line[digitsEnd] == ' ')) {
                const qint64 number = saturatedNumber(line.sliced(pos, digitsEnd - pos));
                if (number > 0xffffffffll)
                    return fail(ErrorKind::ProtocolError,
                                QStringLiteral("the server sent a message number out of "
                                               "range: %1")
                                    .arg(quoteForMessage(line)));
                r.hasNumber = true;
                r.number = quint32(number);
                pos = digitsEnd;
                while (pos < line.size() && line[pos] == ' ')
                    ++pos;
            }
            const qsizetype nameEnd = wordEnd(line, pos);
            r.name = line.sliced(pos, nameEnd - pos).toUpper();
            r.status = r.hasNumber ? ResponseStatus::None : statusNamed(r.name);
            if (r.name.isEmpty())
                return fail(ErrorKind::ProtocolError,
                            QStringLiteral("the server sent an untagged response without a "
                                           "name: %1")
                                .arg(quoteForMessage(line)));
            m_singleLine = r.isStatus();
            m_restOffset = nameEnd < line.size() && line[nameEnd] == ' ' ? nameEnd + 1 : nameEnd;
        } else {
            r.kind = ResponseKind::Tagged;
            const qsizetype space = line.indexOf(' ');
            qsizetype nameStart = space;
            while (nameStart >= 0 && nameStart < line.size() && line[nameStart] == ' ')
                ++nameStart;
            const qsizetype nameEnd = space < 0 ? -1 : wordEnd(line, nameStart);
            r.status =
                space < 0
                    ? ResponseStatus::None
                    : statusNamed(QByteArrayView(line).sliced(nameStart, nameEnd - nameStart));
            if (r.status == ResponseStatus::None || r.status == ResponseStatus::Bye ||
                r.status == ResponseStatus::Preauth)
                return fail(ErrorKind::ProtocolError,
                            QStringLiteral("the server sent a tagged response that is not OK, "
                                           "NO or BAD: %1")
                                .arg(quoteForMessage(line)));
            r.tag = line.first(space);
            r.name = line.sliced(nameStart, nameEnd - nameStart).toUpper();
            m_restOffset = nameEnd;
            m_singleLine = true;
        }
    }
    m_responseSize += line.size();
    if (m_responseSize > m_limits.maxResponseSize)
        return fail(ErrorKind::LimitExceeded,
                    QStringLiteral("the server sent a response of more than %1 bytes")
                        .arg(m_limits.maxResponseSize));
    m_lines.append(std::move(line));
    if (!m_singleLine) {
        qsizetype markerLength = 0;
        const qint64 size = trailingLiteral(m_lines.last(), &markerLength);
        if (size >= 0)
            return startLiteral(size, markerLength);
    }
    return finishResponse();
}

ResponseParser::Event ResponseParser::startLiteral(qint64 size, qsizetype markerLength)
{
    if (size > m_limits.maxLiteralSize)
        return fail(ErrorKind::LimitExceeded,
                    QStringLiteral("the server announced a literal of %1 bytes, more than the "
                                   "limit of %2")
                        .arg(size)
                        .arg(m_limits.maxLiteralSize));
    m_streaming = size > m_limits.inlineLiteralLimit && size > 0;
    if (!m_streaming) {
        m_responseSize += size;
        if (m_responseSize > m_limits.maxResponseSize)
            return fail(ErrorKind::LimitExceeded,
                        QStringLiteral("the server sent a response of more than %1 bytes")
                            .arg(m_limits.maxResponseSize));
    } else {
        m_head = joined(m_lines);
        m_head.chop(markerLength);
    }
    m_reader.beginCounted(size, m_limits.maxLiteralSize);
    m_literalSize = size;
    m_literalOffset = 0;
    return Event::NeedMore;
}

// Response when the literal is complete, LiteralChunk for a streamed piece, NeedMore to
// wait for bytes.
ResponseParser::Event ResponseParser::readLiteral()
{
    const qint64 remaining = m_literalSize - m_literalOffset;
    if (!m_streaming) {
        // Taken whole once it is all buffered: one copy, and never sized from the announcement.
        QByteArray bytes;
        if (remaining > 0 &&
            (m_reader.buffered() < remaining || !m_reader.takeCounted(bytes, qsizetype(remaining))))
            return Event::NeedMore;
        m_literals.append(Value::string(bytes));
        m_literalSize = -1;
        return Event::Response;
    }
    // Chunks are cut at chunkSize whatever the reads were, so consumers see the same events
    // however the bytes arrived.
    const qint64 wanted = std::min<qint64>(remaining, std::max<qsizetype>(m_limits.chunkSize, 1));
    QByteArray data;
    if (m_reader.buffered() < wanted || !m_reader.takeCounted(data, qsizetype(wanted)))
        return Event::NeedMore;
    m_chunk = LiteralChunk{m_head, m_literalSize, m_literalOffset, std::move(data)};
    m_literalOffset += wanted;
    if (m_literalOffset == m_literalSize) {
        Value streamed;
        streamed.kind = Value::Kind::StreamedLiteral;
        streamed.number = quint64(m_literalSize);
        m_literals.append(std::move(streamed));
        m_literalSize = -1;
        m_streaming = false;
        m_head.clear();
    }
    return Event::LiteralChunk;
}

ResponseParser::Event ResponseParser::finishResponse()
{
    Response &r = m_response;
    if (r.kind == ResponseKind::Continuation) {
        parseStatusText(m_lines.first(), 1, m_limits.maxNesting, r);
    } else if (r.isStatus()) {
        parseStatusText(m_lines.first(), m_restOffset, m_limits.maxNesting, r);
    } else {
        ResponseTokenizer tokenizer(m_lines, m_literals, m_limits.maxNesting);
        const bool parsed = tokenizer.run(m_restOffset, false, r.data);
        bool known = false;
        const bool shaped = knownDataShape(r, &known);
        const bool wellFormed = parsed && shaped;
        if (tokenizer.tooDeep())
            return fail(ErrorKind::LimitExceeded,
                        QStringLiteral("the server sent a response nested more than %1 levels "
                                       "deep: %2")
                            .arg(m_limits.maxNesting)
                            .arg(quoteForMessage(joined(m_lines))));
        if (!wellFormed && known) {
            const QString reason = parsed ? QStringLiteral("not the shape of one")
                                          : QString::fromLatin1(tokenizer.failure());
            return fail(
                ErrorKind::ProtocolError,
                QStringLiteral("the server sent a malformed %1 response (%2): %3")
                    .arg(QString::fromLatin1(r.name), reason, quoteForMessage(joined(m_lines))));
        }
        if (!parsed) {
            r.data.clear();
            r.text = joined(m_lines).sliced(m_restOffset);
        }
    }
    reset();
    return Event::Response;
}

QList<Response> parseResponses(QByteArrayView bytes, Error *error, const ParserLimits &limits,
                               QByteArray *streamed)
{
    net::LineReader reader;
    reader.append(bytes);
    ResponseParser parser(reader, limits);
    QList<Response> responses;
    for (;;) {
        switch (parser.next()) {
        case ResponseParser::Event::NeedMore:
            if (error)
                *error = {};
            return responses;
        case ResponseParser::Event::Response:
            responses.append(parser.takeResponse());
            break;
        case ResponseParser::Event::LiteralChunk:
            if (streamed)
                streamed->append(parser.takeChunk().data);
            break;
        case ResponseParser::Event::Error:
            if (error)
                *error = parser.error();
            return responses;
        }
    }
}

} // namespace wharf::imap
