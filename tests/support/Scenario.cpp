#include "Scenario.h"

#include <QHostAddress>
#include <QStringList>

namespace wharf::test {

namespace {

using Kind = ScenarioStep::Kind;

constexpr qsizetype MaxRepeat = 64 * 1024 * 1024;

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Text after a "S:"-style prefix: one optional separating space is dropped, the rest is kept
// byte for byte (including trailing spaces).
QStringView textAfter(QStringView line, qsizetype prefixLength)
{
    QStringView rest = line.mid(prefixLength);
    if (rest.startsWith(u' '))
        rest = rest.mid(1);
    return rest;
}

// "S* 70000 x" / "D* 10 \x00": <count> copies of one byte.
QByteArray parseRepeat(QStringView args, QString *error)
{
    const QList<QStringView> parts = args.trimmed().split(u' ', Qt::SkipEmptyParts);
    if (parts.size() != 2) {
        *error = QStringLiteral("expected `<count> <byte>`");
        return {};
    }
    bool ok = false;
    const qlonglong count = parts[0].toLongLong(&ok);
    if (!ok || count < 0 || count > MaxRepeat) {
        *error = QStringLiteral("bad repeat count (0..%1)").arg(MaxRepeat);
        return {};
    }
    const QByteArray byte = unescapeScenarioText(parts[1], error);
    if (!error->isEmpty())
        return {};
    if (byte.size() != 1) {
        *error = QStringLiteral("repeat needs exactly one byte (use \\xHH for special bytes)");
        return {};
    }
    return QByteArray(qsizetype(count), byte.at(0));
}

bool isMergeable(Kind kind)
{
    return kind == Kind::Send || kind == Kind::DataSend || kind == Kind::DataExpect;
}

// Parses one directive (already stripped of leading whitespace); returns an error or "".
QString parseDirective(QStringView line, int lineNumber, QList<ScenarioStep> *steps)
{
    ScenarioStep step;
    step.line = lineNumber;
    step.source = line.toString();
    QString error;

    struct TextDirective
    {
        const char16_t *prefix;
        Kind kind;
        bool crlf;
    };
    static constexpr TextDirective textDirectives[] = {
        {u"S-:", Kind::Send, false},      {u"S:", Kind::Send, true},
        {u"C:", Kind::ExpectLine, false}, {u"DC:", Kind::DataExpect, false},
        {u"D-:", Kind::DataSend, false},  {u"D:", Kind::DataSend, true},
    };
    const QStringView keyword = line.trimmed();
    bool parsed = false;
    for (const TextDirective &directive : textDirectives) {
        const QStringView prefix(directive.prefix);
        if (!line.startsWith(prefix))
            continue;
        step.kind = directive.kind;
        step.bytes = unescapeScenarioText(textAfter(line, prefix.size()), &error);
        if (directive.crlf)
            step.bytes += "\r\n";
        parsed = true;
        break;
    }
    if (parsed) {
        // handled above
    } else if (line.startsWith(u"S*") || line.startsWith(u"D*")) {
        step.kind = line.startsWith(u'S') ? Kind::Send : Kind::DataSend;
        step.bytes = parseRepeat(line.mid(2), &error);
    } else if (line.startsWith(u"C~")) {
        step.kind = Kind::ExpectMatch;
        const QString pattern = textAfter(line, 2).toString();
        step.pattern.setPattern(QRegularExpression::anchoredPattern(pattern));
        if (!step.pattern.isValid())
            error = QStringLiteral("invalid regular expression: ") + step.pattern.errorString();
    } else if (keyword == u"STARTTLS") {
        step.kind = Kind::StartTls;
    } else if (keyword == u"X") {
        step.kind = Kind::Close;
    } else if (keyword == u"EXPECT-CLOSE") {
        step.kind = Kind::ExpectClose;
    } else if (keyword == u"DATA-TLS") {
        step.kind = Kind::DataTls;
    } else if (keyword == u"ACCEPT-DATA") {
        step.kind = Kind::AcceptData;
    } else if (keyword == u"CONNECT-DATA" || keyword.startsWith(u"CONNECT-DATA FROM ")) {
        step.kind = Kind::ConnectData;
        step.bytes = keyword.mid(18).trimmed().toLatin1(); // FROM's address, or empty
        if (keyword.size() > 12 && QHostAddress(QString::fromLatin1(step.bytes)).isNull())
            error = QStringLiteral("CONNECT-DATA FROM needs an IP address");
    } else if (keyword == u"DX") {
        step.kind = Kind::DataClose;
    } else if (keyword.startsWith(u"WAIT")) {
        return QStringLiteral("WAIT is not supported: scenarios must not sleep, "
                              "synchronise on client lines or connections instead");
    } else {
        return QStringLiteral("unknown directive");
    }
    if (!error.isEmpty())
        return error;

    if (!steps->isEmpty() && isMergeable(step.kind) && steps->last().kind == step.kind) {
        steps->last().bytes += step.bytes;
        steps->last().source += u'\n';
        steps->last().source += step.source;
    } else {
        steps->append(step);
    }
    return {};
}

} // namespace

bool Scenario::needsTls() const
{
    for (const ScenarioStep &step : steps) {
        if (step.kind == Kind::StartTls || step.kind == Kind::DataTls)
            return true;
    }
    return false;
}

Scenario Scenario::parse(const QString &text)
{
    Scenario scenario;
    const QStringList lines = text.split(u'\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QStringView line = lines.at(i);
        if (line.endsWith(u'\r'))
            line.chop(1);
        while (!line.isEmpty() && line.front().isSpace())
            line = line.mid(1);
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        const int lineNumber = int(i + 1);
        const QString error = parseDirective(line, lineNumber, &scenario.steps);
        if (!error.isEmpty()) {
            scenario.error =
                QStringLiteral("line %1: %2: `%3`").arg(lineNumber).arg(error, line.toString());
            scenario.steps.clear();
            return scenario;
        }
    }
    return scenario;
}

QByteArray unescapeScenarioText(QStringView text, QString *error)
{
    const QByteArray utf8 = text.toUtf8();
    QByteArray out;
    out.reserve(utf8.size());
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        const char c = utf8.at(i);
        if (c != '\\') {
            out += c;
            continue;
        }
        if (++i >= utf8.size()) {
            *error = QStringLiteral("dangling backslash (write \\\\ for a backslash)");
            return {};
        }
        switch (utf8.at(i)) {
        case 'r':
            out += '\r';
            break;
        case 'n':
            out += '\n';
            break;
        case 't':
            out += '\t';
            break;
        case '\\':
            out += '\\';
            break;
        case 'x': {
            const int high = i + 1 < utf8.size() ? hexValue(utf8.at(i + 1)) : -1;
            const int low = i + 2 < utf8.size() ? hexValue(utf8.at(i + 2)) : -1;
            if (high < 0 || low < 0) {
                *error = QStringLiteral("\\x needs two hex digits");
                return {};
            }
            out += char(high * 16 + low);
            i += 2;
            break;
        }
        default:
            *error = QStringLiteral("unknown escape \\") + QChar::fromLatin1(utf8.at(i)) +
                     QStringLiteral(" (known: \\r \\n \\t \\\\ \\xHH)");
            return {};
        }
    }
    return out;
}

QString describeBytes(const QByteArray &bytes, qsizetype maxBytes)
{
    QString out;
    const qsizetype shown = qMin(bytes.size(), maxBytes);
    for (qsizetype i = 0; i < shown; ++i) {
        const auto c = static_cast<unsigned char>(bytes.at(i));
        if (c == '\r')
            out += QStringLiteral("\\r");
        else if (c == '\n')
            out += QStringLiteral("\\n");
        else if (c == '\\')
            out += QStringLiteral("\\\\");
        else if (c >= 0x20 && c < 0x7f)
            out += QChar::fromLatin1(char(c));
        else
            out += QStringLiteral("\\x%1").arg(uint(c), 2, 16, QLatin1Char('0'));
    }
    if (shown < bytes.size())
        out += QStringLiteral("... (%1 bytes in total)").arg(bytes.size());
    return out;
}

} // namespace wharf::test
