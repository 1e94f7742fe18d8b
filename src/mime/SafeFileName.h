#pragma once

#include <QDir>
#include <QString>

namespace wharf::mime {

// The one gate for every name a remote party chooses (attachment names, FTP listings)
// before it touches the disk. The result is always a single, non-empty path component of
// at most 255 UTF-8 bytes, in NFC, that is safe on common filesystems:
// - only the last component after `/` or `\` is kept;
// - C0 and C1 controls, DEL, unpaired surrogates, line/paragraph separators and bidi
//   controls (which can disguise "exe.txt" as "txt.exe") are removed;
// - `:*?"<>|` become `_`;
// - spaces and dots are trimmed at both ends (no hidden dotfiles, nothing Windows drops);
// - Windows device names (CON, NUL, COM1, LPT9.log, ...) get a `_` prefix;
// - an overlong name is cut at a character boundary, keeping the extension.
// When nothing usable is left, the (likewise sanitised) fallback is returned.
// sanitizeFileName(sanitizeFileName(x)) == sanitizeFileName(x).
QString sanitizeFileName(const QString &proposed,
                         const QString &fallback = QStringLiteral("attachment"));

// The absolute path for a new file named safeName in folder: safeName itself if free, else
// "name (1).ext", "name (2).ext", ... (a dangling symlink counts as taken). Empty when the
// folder does not exist, safeName is not a single path component, no free name is found,
// or the path would not lie directly in the folder. The check is not atomic: open the
// path with QIODevice::NewOnly so a file created in between is not overwritten.
QString uniqueFilePathIn(const QDir &folder, const QString &safeName);

} // namespace wharf::mime
