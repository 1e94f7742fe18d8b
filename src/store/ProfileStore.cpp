#include "store/ProfileStore.h"

#include "store/DurableFiles.h"
#include "store/StoragePaths.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>

namespace wharf::store {

namespace {

const QLatin1StringView kFormat("wharf-profiles");
constexpr qint64 kMaxDocumentSize = 32 * 1024 * 1024;

// Upgrades a document from version N to N+1 in place, or says why it cannot. Version 1 is
// the first format, so there is no step yet: when the format changes, bump
// kProfilesFormatVersion and add the step from the old version here, so that every file an
// older Wharf wrote keeps loading.
using Migration = bool (*)(QJsonObject &document, QString *problem);

const QMap<int, Migration> &migrations()
{
    static const QMap<int, Migration> steps;
    return steps;
}

bool upgradeDocument(QJsonObject &document, int version, QString *problem)
{
    for (; version < kProfilesFormatVersion; ++version) {
        const Migration step = migrations().value(version);
        if (!step) {
            *problem =
                QStringLiteral("profiles format version %1 is not one Wharf knows").arg(version);
            return false;
        }
        if (!step(document, problem))
            return false;
        document[QStringLiteral("version")] = version + 1;
    }
    return true;
}

QString uniqueName(const QString &name, const QList<Profile> &taken)
{
    auto isTaken = [&taken](const QString &candidate) {
        return std::any_of(taken.begin(), taken.end(), [&candidate](const Profile &profile) {
            return profile.name.compare(candidate, Qt::CaseInsensitive) == 0;
        });
    };
    if (!isTaken(name))
        return name;
    for (int n = 2;; ++n) {
        const QString suffix = QStringLiteral(" (%1)").arg(n);
        const QString candidate = name.left(100 - suffix.size()).trimmed() + suffix;
        if (!isTaken(candidate))
            return candidate;
    }
}

} // namespace

std::optional<QList<Profile>> parseProfilesDocument(const QByteArray &bytes, const QString &source,
                                                    ErrorKind errorKind, Error *error)
{
    auto fail = [&](const QString &problem) -> std::optional<QList<Profile>> {
        if (error)
            *error = Error(errorKind, QStringLiteral("%1: %2").arg(source, problem));
        return std::nullopt;
    };
    if (bytes.size() > kMaxDocumentSize)
        return fail(QStringLiteral("too large for a profiles file"));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (document.isNull()) {
        return fail(QStringLiteral("not valid JSON (%1 at byte %2)")
                        .arg(parseError.errorString())
                        .arg(parseError.offset));
    }
    if (!document.isObject() || document.object().value(QLatin1StringView("format")) != kFormat)
        return fail(
            QStringLiteral("not a Wharf profiles file (no \"format\": \"%1\")").arg(kFormat));
    QJsonObject root = document.object();
    // Each profile is checked for credentials as it is read, naming the profile.
    QJsonObject outside = root;
    outside.remove(QLatin1StringView("profiles"));
    if (const QString key = findSecretKey(outside); !key.isEmpty()) {
        return fail(QStringLiteral("refusing a file with a \"%1\" field: passwords and tokens "
                                   "belong in the system keychain, never in a profile file; "
                                   "remove the field and set the password with wharf-cli "
                                   "profile password NAME")
                        .arg(key));
    }
    const QJsonValue versionValue = root.value(QLatin1StringView("version"));
    const int version = versionValue.toInt(0);
    if (!versionValue.isDouble() || versionValue.toDouble() != version)
        return fail(QStringLiteral("no valid \"version\""));
    if (version > kProfilesFormatVersion) {
        return fail(QStringLiteral("written by a newer Wharf (profiles format version %1; this "
                                   "Wharf reads up to version %2)")
                        .arg(version)
                        .arg(kProfilesFormatVersion));
    }
    QString problem;
    if (!upgradeDocument(root, version, &problem))
        return fail(problem);
    if (!root.value(QLatin1StringView("profiles")).isArray())
        return fail(QStringLiteral("\"profiles\" must be an array"));

    QList<Profile> profiles;
    for (const QJsonValue &value : root.value(QLatin1StringView("profiles")).toArray()) {
        if (!value.isObject())
            return fail(QStringLiteral("each entry of \"profiles\" must be an object"));
        Error profileError;
        auto profile = Profile::fromJson(value.toObject(), errorKind, &profileError);
        if (!profile)
            return fail(profileError.message());
        for (const Profile &earlier : profiles) {
            if (!profile->id.isEmpty() && earlier.id == profile->id)
                return fail(QStringLiteral("two profiles have the id %1").arg(profile->id));
        }
        profiles.append(*profile);
    }
    return profiles;
}

QByteArray profilesDocument(const QList<Profile> &profiles, bool withIds)
{
    QJsonArray array;
    for (const Profile &profile : profiles) {
        QJsonObject object = profile.toJson();
        if (!withIds)
            object.remove(QLatin1StringView("id"));
        array.append(object);
    }
    const QJsonObject root{{QStringLiteral("format"), kFormat},
                           {QStringLiteral("version"), kProfilesFormatVersion},
                           {QStringLiteral("profiles"), array}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

ProfileStore::ProfileStore(QString filePath)
    : m_filePath(std::move(filePath))
{}

QString ProfileStore::defaultFilePath()
{
    return configDirectory() + QStringLiteral("/profiles.json");
}

Error ProfileStore::load()
{
    m_profiles.clear();
    m_writable = false;
    QFile file(m_filePath);
    if (!file.exists()) {
        m_writable = true;
        return {};
    }
    if (!file.open(QIODevice::ReadOnly)) {
        return Error(ErrorKind::LocalFile,
                     QStringLiteral("Cannot read %1: %2").arg(m_filePath, file.errorString()));
    }
    const QByteArray bytes = file.read(kMaxDocumentSize + 1);
    Error error;
    auto profiles = parseProfilesDocument(bytes, m_filePath, ErrorKind::LocalFile, &error);
    if (!profiles) {
        return Error(ErrorKind::LocalFile,
                     error.message() + QStringLiteral(" (Wharf will not change this file: "
                                                      "repair it or move it aside)"));
    }
    for (qsizetype i = 0; i < profiles->size(); ++i) {
        if (profiles->at(i).id.isEmpty()) {
            return Error(ErrorKind::LocalFile,
                         QStringLiteral("%1: profile \"%2\" has no id (Wharf will not change "
                                        "this file: repair it or move it aside)")
                             .arg(m_filePath, profiles->at(i).name));
        }
        for (qsizetype j = 0; j < i; ++j) {
            if (profiles->at(j).name.compare(profiles->at(i).name, Qt::CaseInsensitive) == 0) {
                return Error(ErrorKind::LocalFile,
                             QStringLiteral("%1: two profiles are named \"%2\" (Wharf will not "
                                            "change this file: repair it or move it aside)")
                                 .arg(m_filePath, profiles->at(i).name));
            }
        }
    }
    m_profiles = *profiles;
    m_writable = true;
    return {};
}

std::optional<Profile> ProfileStore::findById(const QString &id) const
{
    for (const Profile &profile : m_profiles) {
        if (profile.id == id)
            return profile;
    }
    return std::nullopt;
}

std::optional<Profile> ProfileStore::findByName(const QString &name) const
{
    for (const Profile &profile : m_profiles) {
        if (profile.name.compare(name, Qt::CaseInsensitive) == 0)
            return profile;
    }
    return std::nullopt;
}

std::optional<Profile> ProfileStore::find(const QString &nameOrId) const
{
    if (auto profile = findById(nameOrId))
        return profile;
    return findByName(nameOrId);
}

Error ProfileStore::checkWritable() const
{
    if (m_writable)
        return {};
    return Error(ErrorKind::LocalFile,
                 QStringLiteral("%1 was not read successfully, so Wharf will not change it")
                     .arg(m_filePath));
}

Error ProfileStore::add(Profile *profile)
{
    if (Error error = checkWritable())
        return error;
    profile->id = Profile::newId();
    if (Error error = profile->validate())
        return error;
    if (findByName(profile->name)) {
        return Error(ErrorKind::Usage,
                     QStringLiteral("A profile named \"%1\" already exists").arg(profile->name));
    }
    QList<Profile> profiles = m_profiles;
    profiles.append(*profile);
    return save(profiles);
}

Error ProfileStore::update(const Profile &profile)
{
    if (Error error = checkWritable())
        return error;
    if (Error error = profile.validate())
        return error;
    QList<Profile> profiles = m_profiles;
    auto it = std::find_if(profiles.begin(), profiles.end(),
                           [&profile](const Profile &p) { return p.id == profile.id; });
    if (it == profiles.end() || profile.id.isEmpty()) {
        return Error(ErrorKind::Usage,
                     QStringLiteral("No profile has the id \"%1\"").arg(profile.id));
    }
    if (auto same = findByName(profile.name); same && same->id != profile.id) {
        return Error(ErrorKind::Usage,
                     QStringLiteral("A profile named \"%1\" already exists").arg(profile.name));
    }
    *it = profile;
    return save(profiles);
}

Error ProfileStore::remove(const QString &id)
{
    if (Error error = checkWritable())
        return error;
    QList<Profile> profiles = m_profiles;
    if (profiles.removeIf([&id](const Profile &p) { return p.id == id; }) == 0)
        return Error(ErrorKind::Usage, QStringLiteral("No profile has the id \"%1\"").arg(id));
    return save(profiles);
}

Error ProfileStore::save(const QList<Profile> &profiles)
{
    if (Error error = makePrivateDirectory(QFileInfo(m_filePath).absolutePath()))
        return error;
    if (Error error = writePrivateFileAtomically(m_filePath, profilesDocument(profiles, true)))
        return error;
    m_profiles = profiles;
    return {};
}

Error ProfileStore::exportTo(const QString &path, const QStringList &names) const
{
    if (Error error = checkWritable())
        return error; // an export of a file that failed to load would be silently empty
    QList<Profile> chosen;
    if (names.isEmpty())
        chosen = m_profiles;
    for (const QString &name : names) {
        const auto profile = find(name);
        if (!profile)
            return Error(ErrorKind::Usage, QStringLiteral("No profile named \"%1\"").arg(name));
        chosen.append(*profile);
    }
    return writePrivateFileAtomically(path, profilesDocument(chosen, false));
}

std::optional<QList<Profile>> ProfileStore::importFrom(const QString &path, NameClash clash,
                                                       Error *error)
{
    auto fail = [error](const Error &failure) -> std::optional<QList<Profile>> {
        if (error)
            *error = failure;
        return std::nullopt;
    };
    if (Error notWritable = checkWritable())
        return fail(notWritable);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return fail(Error(ErrorKind::LocalFile,
                          QStringLiteral("Cannot read %1: %2").arg(path, file.errorString())));
    }
    Error parseError;
    auto imported =
        parseProfilesDocument(file.read(kMaxDocumentSize + 1), path, ErrorKind::Usage, &parseError);
    if (!imported)
        return fail(parseError);

    QList<Profile> profiles = m_profiles;
    for (Profile &profile : *imported) {
        // Ids key the keychain; an imported profile has no password here yet, and its old id
        // may belong to another profile on this machine.
        profile.id = Profile::newId();
        const QString name = uniqueName(profile.name, profiles);
        if (name != profile.name && clash == NameClash::Refuse) {
            return fail(Error(ErrorKind::Usage,
                              QStringLiteral("A profile named \"%1\" already exists; nothing was "
                                             "imported (remove or rename it, or import with "
                                             "renaming)")
                                  .arg(profile.name)));
        }
        profile.name = name;
        profiles.append(profile);
    }
    if (Error saveError = save(profiles))
        return fail(saveError);
    return imported;
}

} // namespace wharf::store
