#include "mime/Charset.h"

#include <QHash>
#include <QMutex>
#include <QStringDecoder>

namespace wharf::mime {

namespace {

const QStringDecoder::Flags kFlags =
    QStringDecoder::Flag::Stateless | QStringDecoder::Flag::ConvertInitialBom;

QByteArray aliasFor(const QByteArray &name)
{
    static const struct
    {
        const char *alias;
        const char *name;
    } aliases[] = {
        {"utf8", "utf-8"},
        {"cp1252", "windows-1252"},
        {"latin-1", "iso-8859-1"},
        {"big5_tw", "big5"},
        {"big5-tw", "big5"},
        {"cn-big5", "big5"},
        {"x-x-big5", "big5"},
        // Labelled gb2312 or gbk, Chinese mail uses the whole of GB18030.
        {"gb2312", "gb18030"},
        {"gbk", "gb18030"},
        {"x-gbk", "gb18030"},
        {"euc-cn", "gb18030"},
        // Outlook's label for Korean mail, which is really Windows-949 (EUC-KR's superset).
        {"ks_c_5601-1987", "windows-949"},
        {"ks_c_5601", "windows-949"},
        {"ksc5601", "windows-949"},
        {"euc-kr", "windows-949"},
        {"iso-8859-8-i", "iso-8859-8"},
        {"shift-jis", "shift_jis"},
        {"sjis", "shift_jis"},
        {"x-sjis", "shift_jis"},
        // WHATWG: text labelled Latin-1 or ASCII is decoded as Windows-1252.
        {"iso-8859-1", "windows-1252"},
        {"iso_8859-1", "windows-1252"},
        {"latin1", "windows-1252"},
        {"us-ascii", "windows-1252"},
        {"ascii", "windows-1252"},
    };
    for (const auto &alias : aliases) {
        if (name == alias.alias)
            return alias.name;
    }
    return name;
}

QByteArray lookUpName(QByteArrayView label)
{
    QByteArray name = label.trimmed().toByteArray().toLower();
    if (name.size() >= 2 && name.startsWith('"') && name.endsWith('"'))
        name = name.mid(1, name.size() - 2).trimmed();
    const qsizetype star = name.indexOf('*'); // RFC 2231 5: "utf-8*en"
    if (star >= 0)
        name.truncate(star);
    name = aliasFor(name);
    if (name.isEmpty())
        return {};
    const QStringDecoder decoder(name.constData(), kFlags);
    return decoder.isValid() ? QByteArray(decoder.name()) : QByteArray();
}

} // namespace

QByteArray charsetName(QByteArrayView label)
{
    // Mail repeats a handful of labels millions of times; ICU's lookup is not cheap.
    static QMutex mutex;
    static QHash<QByteArray, QByteArray> known;
    const QByteArray key = label.toByteArray();
    QMutexLocker lock(&mutex);
    const auto found = known.constFind(key);
    if (found != known.constEnd())
        return *found;
    if (known.size() > 1024)
        known.clear(); // labels are chosen by senders: keep the cache bounded
    return *known.insert(key, lookUpName(label));
}

bool isValidUtf8(QByteArrayView bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder.decode(bytes);
    return !decoder.hasError();
}

QString decodeCharset(QByteArrayView bytes, QByteArrayView label)
{
    bool ascii = true;
    for (const char c : bytes) {
        if (static_cast<unsigned char>(c) >= 0x80) {
            ascii = false;
            break;
        }
    }
    // Every charset mail uses in practice is ASCII-compatible; UTF-16/32 and UTF-7 are not.
    QByteArray name = charsetName(label);
    const bool asciiCompatible = !name.startsWith("UTF-16") && !name.startsWith("UTF-32") &&
                                 !name.startsWith("UTF-7") && !name.startsWith("ISO-2022");
    if (ascii && asciiCompatible)
        return QString::fromLatin1(bytes);
    if (name.isEmpty())
        name = isValidUtf8(bytes) ? QByteArray("UTF-8") : QByteArray("windows-1252");
    QStringDecoder decoder(name.constData(), kFlags);
    QString text = decoder.decode(bytes);
    // ICU's decoders drop a character cut off at the end instead of replacing it; the
    // reader should see that something is missing.
    if (decoder.hasError() && !text.contains(QChar::ReplacementCharacter))
        text.append(QChar::ReplacementCharacter);
    return text;
}

} // namespace wharf::mime
