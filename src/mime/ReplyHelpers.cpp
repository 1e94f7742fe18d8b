#include "mime/ReplyHelpers.h"

#include <QLocale>
#include <QRegularExpression>
#include <QSet>

namespace wharf::mime {

namespace {

QString withPrefix(const QString &subject, const QRegularExpression &prefixes,
                   const QString &prefix)
{
    QString rest = subject.trimmed();
    for (;;) {
        const QRegularExpressionMatch match = prefixes.match(rest);
        if (!match.hasMatch())
            break;
        rest = rest.sliced(match.capturedLength());
    }
    return prefix + rest;
}

} // namespace

QString replySubject(const QString &subject)
{
    static const QRegularExpression prefixes(
        QStringLiteral("^(?:re|aw|sv|antw)(?:\\[\\d+\\])?\\s*:\\s*"),
        QRegularExpression::CaseInsensitiveOption);
    return withPrefix(subject, prefixes, QStringLiteral("Re: "));
}

QString forwardSubject(const QString &subject)
{
    static const QRegularExpression prefixes(
        QStringLiteral("^(?:fwd|fw|wg)(?:\\[\\d+\\])?\\s*:\\s*"),
        QRegularExpression::CaseInsensitiveOption);
    return withPrefix(subject, prefixes, QStringLiteral("Fwd: "));
}

QList<MailAddress> replyAllRecipients(const Message &original, const QList<QString> &ownAddresses)
{
    QSet<QString> seen;
    for (const QString &own : ownAddresses)
        seen.insert(own.trimmed().toCaseFolded());
    const QList<MailAddress> replyTo = original.replyTo();
    QList<MailAddress> candidates = replyTo.isEmpty() ? original.from() : replyTo;
    candidates += original.to();
    candidates += original.cc();
    QList<MailAddress> result;
    for (const MailAddress &candidate : std::as_const(candidates)) {
        const QString key = candidate.address.trimmed().toCaseFolded();
        if (key.isEmpty() || seen.contains(key))
            continue;
        seen.insert(key);
        result.append({candidate.name, candidate.address, {}});
    }
    return result;
}

QString quotedReply(const Message &original, const QString &bodyText)
{
    const QList<MailAddress> from = original.from();
    QString who = from.isEmpty()                ? QStringLiteral("Unknown sender")
                  : from.first().name.isEmpty() ? from.first().address
                                                : from.first().name;
    QString text;
    if (const auto date = original.date()) {
        text =
            QStringLiteral("On %1, %2 wrote:\n")
                .arg(QLocale::c().toString(*date, QStringLiteral("ddd, dd MMM yyyy hh:mm 'UTC'")),
                     who);
    } else {
        text = QStringLiteral("%1 wrote:\n").arg(who);
    }
    QString body = bodyText;
    body.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    if (body.endsWith(u'\n'))
        body.chop(1);
    const QStringList lines = body.split(u'\n');
    for (const QString &line : lines) {
        // Already quoted lines nest as ">>" the way most clients write them.
        if (line.isEmpty() || line.startsWith(u'>'))
            text += u'>' + line + u'\n';
        else
            text += QStringLiteral("> ") + line + u'\n';
    }
    return text;
}

} // namespace wharf::mime
