#include "mime/SafeFileName.h"

#include <QFileInfo>
#include <QStringList>
#include <QTextBoundaryFinder>

namespace wharf::mime {

namespace {

// NAME_MAX on Linux filesystems counts bytes; Windows counts UTF-16 units, never more.
constexpr qsizetype MaxNameBytes = 255;
// A longer "extension" is more likely a sentence after a dot than a file type; cutting it
// beats leaving no room for the name.
constexpr qsizetype MaxExtensionBytes = 32;
// "name (9999).ext" is already absurd; past that something is wrong with the folder.
constexpr int MaxCounter = 9999;

qsizetype utf8Length(QStringView text)
{
    qsizetype bytes = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        if (c < 0x80) {
            bytes += 1;
        } else if (c < 0x800) {
            bytes += 2;
        } else if (QChar::isHighSurrogate(c) && i + 1 < text.size() &&
                   text[i + 1].isLowSurrogate()) {
            bytes += 4;
            ++i;
        } else {
            bytes += 3;
        }
    }
    return bytes;
}

// The longest prefix of at most maxBytes UTF-8 bytes that ends on a grapheme boundary, so
// no accent is cut from its letter; if even the first grapheme is too long (hundreds of
// combining marks), the longest prefix ending between code points.
QString truncateToBytes(const QString &text, qsizetype maxBytes)
{
    if (maxBytes <= 0)
        return {};
    if (utf8Length(text) <= maxBytes)
        return text;
    QTextBoundaryFinder graphemes(QTextBoundaryFinder::Grapheme, text);
    qsizetype end = 0;
    qsizetype bytes = 0;
    for (qsizetype next = graphemes.toNextBoundary(); next > 0; next = graphemes.toNextBoundary()) {
        bytes += utf8Length(QStringView(text).sliced(end, next - end));
        if (bytes > maxBytes)
            break;
        end = next;
    }
    if (end > 0)
        return text.left(end);
    bytes = 0;
    for (qsizetype i = 0; i < text.size();) {
        const qsizetype width = text[i].isHighSurrogate() && i + 1 < text.size() ? 2 : 1;
        bytes += utf8Length(QStringView(text).sliced(i, width));
        if (bytes > maxBytes)
            break;
        i += width;
        end = i;
    }
    return text.left(end);
}

// Both, whatever the platform: a name made on Windows arrives with backslashes.
bool isSeparator(QChar c)
{
    return c == u'/' || c == u'\\';
}

bool isSpaceOrDot(QChar c)
{
    return c.isSpace() || c == u'.';
}

QString trimSpacesAndDots(const QString &text)
{
    qsizetype begin = 0;
    qsizetype end = text.size();
    while (begin < end && isSpaceOrDot(text[begin]))
        ++begin;
    while (end > begin && isSpaceOrDot(text[end - 1]))
        --end;
    return text.sliced(begin, end - begin);
}

// Controls (C0, DEL, C1), separators that break lines in every list view, and the bidi
// embeddings, overrides, isolates and marks that make "evil\u202Etxt.exe" display as
// "evilexe.txt".
bool isRemoved(char16_t c)
{
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x061c || c == 0x200e || c == 0x200f ||
           c == 0x2028 || c == 0x2029 || (c >= 0x202a && c <= 0x202e) ||
           (c >= 0x2066 && c <= 0x2069);
}

QString filterCharacters(QStringView text)
{
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c.isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            out.append(c);
            out.append(text[++i]);
        } else if (c.isSurrogate() || isRemoved(c.unicode())) {
            continue; // an unpaired surrogate has no UTF-8 form
        } else if (QStringView(u":*?\"<>|").contains(c)) {
            out.append(u'_'); // reserved on Windows, FAT and SMB shares
        } else {
            out.append(c);
        }
    }
    return out;
}

// Windows opens the device, not a file, for these names with any extension ("nul.txt",
// "COM1.tar.gz") and with spaces before the dot; COM and LPT with superscript digits too.
bool isDeviceName(const QString &name)
{
    QString stem = name.left(name.indexOf(u'.')).toUpper();
    while (stem.endsWith(u' '))
        stem.chop(1);
    static const QStringList fixed = {QStringLiteral("CON"),    QStringLiteral("PRN"),
                                      QStringLiteral("AUX"),    QStringLiteral("NUL"),
                                      QStringLiteral("CONIN$"), QStringLiteral("CONOUT$")};
    if (fixed.contains(stem))
        return true;
    if (stem.size() != 4 || !(stem.startsWith(u"COM") || stem.startsWith(u"LPT")))
        return false;
    const QChar digit = stem[3];
    return (digit >= u'0' && digit <= u'9') || digit == u'\u00b9' || digit == u'\u00b2' ||
           digit == u'\u00b3';
}

// The last dot starts the extension, unless it starts the name or leaves a long tail.
qsizetype extensionStart(const QString &name)
{
    const qsizetype dot = name.lastIndexOf(u'.');
    if (dot <= 0 || utf8Length(QStringView(name).sliced(dot)) > MaxExtensionBytes)
        return name.size();
    return dot;
}

QString clean(const QString &proposed)
{
    // The last non-empty component: "dir/" still names "dir".
    qsizetype end = proposed.size();
    while (end > 0 && isSeparator(proposed[end - 1]))
        --end;
    qsizetype begin = end;
    while (begin > 0 && !isSeparator(proposed[begin - 1]))
        --begin;
    // Normalise after filtering: a removed character may have kept two composable ones apart.
    QString name = filterCharacters(QStringView(proposed).sliced(begin, end - begin))
                       .normalized(QString::NormalizationForm_C);
    name = trimSpacesAndDots(name);
    if (name.isEmpty())
        return {};
    if (isDeviceName(name))
        name.prepend(u'_');
    if (utf8Length(name) <= MaxNameBytes)
        return name;

    const qsizetype dot = extensionStart(name);
    const QString extension = name.sliced(dot);
    QString stem = truncateToBytes(name.left(dot), MaxNameBytes - utf8Length(extension));
    // The cut may end on a space or dot; the stem still starts with a visible character.
    while (!stem.isEmpty() && isSpaceOrDot(stem.back()))
        stem.chop(1);
    return stem + extension;
}

} // namespace

QString sanitizeFileName(const QString &proposed, const QString &fallback)
{
    QString name = clean(proposed);
    if (name.isEmpty())
        name = clean(fallback);
    return name.isEmpty() ? QStringLiteral("attachment") : name;
}

QString uniqueFilePathIn(const QDir &folder, const QString &safeName)
{
    if (safeName.isEmpty() || safeName == u"." || safeName == u".." || safeName.contains(u'/') ||
        safeName.contains(u'\\') || safeName.contains(QChar(0)) ||
        utf8Length(safeName) > MaxNameBytes)
        return {};
    const QString root = folder.canonicalPath();
    if (root.isEmpty())
        return {};

    const qsizetype dot = extensionStart(safeName);
    const QString stem = safeName.left(dot);
    const QString extension = safeName.sliced(dot);
    for (int counter = 0; counter <= MaxCounter; ++counter) {
        QString name = safeName;
        if (counter > 0) {
            const QString suffix = QStringLiteral(" (%1)").arg(counter);
            const qsizetype room = MaxNameBytes - utf8Length(suffix) - utf8Length(extension);
            name = truncateToBytes(stem, room) + suffix + extension;
        }
        // Joined by hand: QDir::filePath() would take a name starting with ':' for a resource.
        const QString path = root.endsWith(u'/') ? root + name : root + u'/' + name;
        const QFileInfo info(path);
        // exists() follows symlinks: a dangling one would let the write land elsewhere.
        if (info.exists() || info.isSymLink())
            continue;
        // Whatever the name holds, the file must be created directly in the folder.
        if (info.fileName() != name || QFileInfo(info.absolutePath()).canonicalFilePath() != root)
            return {};
        return path;
    }
    return {};
}

} // namespace wharf::mime
