#pragma once

#include "store/Profile.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace wharf::store {

// The profiles file: {"format":"wharf-profiles","version":1,"profiles":[...]}. Exports use
// the same format (without ids), so an export is also a valid import.
inline constexpr int kProfilesFormatVersion = 1;

// What to do when an imported profile has the name of one already here.
enum class NameClash
{
    Refuse, // import nothing and say which name clashes
    Rename, // import it as "Name (2)", "Name (3)", ...
};

// All account profiles and FTP sites, kept in one small JSON file under the XDG config
// directory. Every change is written at once, atomically (QSaveFile: the file on disk is
// either the old one or the new one), with mode 0600 in a 0700 directory. A file that
// cannot be read (corrupt, or written by a newer Wharf) is never overwritten: the store
// refuses every change until the user has dealt with it, so nothing is lost.
class ProfileStore
{
public:
    // The default is configDirectory() + "/profiles.json".
    explicit ProfileStore(QString filePath = defaultFilePath());

    static QString defaultFilePath();
    QString filePath() const { return m_filePath; }

    // A missing file is an empty store. Errors name the file (ErrorKind::LocalFile).
    Error load();
    bool isLoaded() const { return m_writable; }

    const QList<Profile> &profiles() const { return m_profiles; }
    std::optional<Profile> findById(const QString &id) const;
    std::optional<Profile> findByName(const QString &name) const; // case-insensitive
    // By id first, then by name: what the CLI's NAME arguments accept.
    std::optional<Profile> find(const QString &nameOrId) const;

    // Gives the profile a new id (written back into *profile), checks it and the
    // uniqueness of its name, and saves.
    Error add(Profile *profile);
    // Replaces the profile with the same id.
    Error update(const Profile &profile);
    Error remove(const QString &id);

    // Writes the named profiles (all when names is empty) to path, without ids: there is no
    // password in a profile, so there is none in the export either.
    Error exportTo(const QString &path, const QStringList &names = {}) const;
    // Adds the profiles in path, each with a new id; all of them or, on any problem, none.
    std::optional<QList<Profile>> importFrom(const QString &path, NameClash clash, Error *error);

private:
    Error checkWritable() const;
    Error save(const QList<Profile> &profiles);

    QString m_filePath;
    QList<Profile> m_profiles;
    bool m_writable = false;
};

// Reads a profiles document (the file or an export), upgrading older versions. Bad
// content is reported with errorKind and the name `source`.
std::optional<QList<Profile>> parseProfilesDocument(const QByteArray &bytes, const QString &source,
                                                    ErrorKind errorKind, Error *error);
QByteArray profilesDocument(const QList<Profile> &profiles, bool withIds);

} // namespace wharf::store
