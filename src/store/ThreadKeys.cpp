#include "store/ThreadKeys.h"

#include "mime/MessageIds.h"

#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wharf::store {

QByteArrayList threadReferences(QByteArrayView references, QByteArrayView inReplyTo)
{
    QByteArrayList ids = mime::extractMessageIds(references);
    // Most lists are short; a set pays off only for the long ones.
    constexpr qsizetype shortList = 32;
    if (ids.size() <= shortList) {
        for (qsizetype i = ids.size() - 1; i > 0; --i) {
            if (ids.indexOf(ids[i]) < i)
                ids.removeAt(i);
        }
    } else {
        QSet<QByteArray> seen;
        seen.reserve(ids.size());
        ids.removeIf([&seen](const QByteArray &id) {
            const qsizetype before = seen.size();
            seen.insert(id);
            return seen.size() == before;
        });
    }
    const QByteArrayList replyTo = mime::extractMessageIds(inReplyTo);
    if (replyTo.isEmpty())
        return ids;
    const qsizetype known = ids.indexOf(replyTo.first());
    if (known >= 0)
        ids.resize(known + 1);
    else
        ids.append(replyTo.first());
    return ids;
}

namespace {

// Reply and forward prefixes, case-folded. Sources: what Outlook, Thunderbird, Apple Mail,
// Gmail and the big webmailers write in their localisations.
const QSet<QString> &subjectPrefixes()
{
    static const QSet<QString> words = {
        // reply
        u"re"_s, u"aw"_s, u"sv"_s, u"vs"_s, u"antw"_s, u"ynt"_s, u"odp"_s, u"res"_s, u"rif"_s,
        u"r"_s, u"ref"_s, u"réf"_s, u"atb"_s, u"ats"_s, u"vá"_s, u"απ"_s, u"σχετ"_s, u"השב"_s,
        u"回复"_s, u"回覆"_s, u"答复"_s, u"答覆"_s, u"返信"_s, u"회신"_s, u"odg"_s,
        // forward
        u"fwd"_s, u"fw"_s, u"wg"_s, u"tr"_s, u"vl"_s, u"vb"_s, u"vd"_s, u"fs"_s, u"doorst"_s,
        u"enc"_s, u"rv"_s, u"i"_s, u"pd"_s, u"továbbítás"_s, u"pārs"_s, u"pers"_s, u"πρθ"_s,
        u"הועבר"_s, u"转发"_s, u"轉寄"_s, u"轉發"_s, u"転送"_s, u"전달"_s, u"prosl"_s};
    return words;
}

// Length of a reply or forward prefix at the start of text ("Re: ", "AW[2]:", "RE :"), or 0.
qsizetype prefixLength(QStringView text)
{
    constexpr qsizetype longestWord = 12;
    qsizetype i = 0;
    while (i < text.size() && i <= longestWord && text[i].isLetter())
        ++i;
    if (i == 0 || i > longestWord || i == text.size())
        return 0;
    const QStringView word = text.first(i);
    // A reply counter: Re[2]:, Re(2):, Re^2:
    const QChar open = text[i];
    if (open == u'[' || open == u'(' || open == u'^') {
        qsizetype j = i + 1;
        while (j < text.size() && text[j].isDigit())
            ++j;
        if (j > i + 1 && open == u'^')
            i = j;
        else if (j > i + 1 && j < text.size() && text[j] == (open == u'[' ? u']' : u')'))
            i = j + 1;
    }
    while (i < text.size() && text[i] == u' ')
        ++i;
    if (i == text.size() || (text[i] != u':' && text[i] != u'\uff1a'))
        return 0;
    return subjectPrefixes().contains(word.toString().toCaseFolded()) ? i + 1 : 0;
}

} // namespace

QString baseSubject(const QString &subject, bool *hadPrefix)
{
    const QString simplified = subject.simplified();
    QStringView rest = simplified;
    bool prefixed = false;
    for (;;) {
        if (const qsizetype length = prefixLength(rest)) {
            rest = rest.sliced(length).trimmed();
            prefixed = true;
            continue;
        }
        if (rest.startsWith(u'[')) {
            const qsizetype close = rest.indexOf(u']');
            const QStringView after = close > 0 ? rest.sliced(close + 1).trimmed() : QStringView();
            if (!after.isEmpty()) {
                rest = after;
                continue;
            }
        }
        if (rest.endsWith(u"(fwd)", Qt::CaseInsensitive)) {
            rest = rest.chopped(5).trimmed();
            prefixed = true;
            continue;
        }
        break;
    }
    if (hadPrefix)
        *hadPrefix = prefixed;
    return rest.toString();
}

} // namespace wharf::store
