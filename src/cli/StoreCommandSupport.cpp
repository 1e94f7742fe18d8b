#include "cli/StoreCommandSupport.h"

#include "cli/ExitCode.h"
#include "cli/ProfileLookup.h"
#include "store/StoragePaths.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

namespace wharf::cli {

namespace {

struct FlagName
{
    MessageFlag flag;
    char letter;
    const char *name;
};

// Maildir letters, so what the list shows is what the file names say.
constexpr FlagName kFlagNames[] = {
    {MessageFlag::Draft, 'D', "draft"},         {MessageFlag::Flagged, 'F', "flagged"},
    {MessageFlag::Forwarded, 'P', "forwarded"}, {MessageFlag::Answered, 'R', "answered"},
    {MessageFlag::Seen, 'S', "seen"},           {MessageFlag::Deleted, 'T', "deleted"},
};

// One line per field: a hostile subject cannot add lines to what a script reads.
QString oneLine(QString text)
{
    for (QChar &c : text) {
        if (c.category() == QChar::Other_Control)
            c = u' ';
    }
    return text;
}

} // namespace

StoreCommandLine::StoreCommandLine(const CliContext &context, QString action, QString usage)
    : m_context(context)
    , m_action(std::move(action))
    , m_usage(std::move(usage))
{
    m_parser.addOption(QCommandLineOption(QStringLiteral("profile"), {}, QStringLiteral("NAME")));
    m_parser.addOption(QCommandLineOption(QStringLiteral("json")));
}

bool StoreCommandLine::parse(const QStringList &arguments, qsizetype minimum, qsizetype maximum)
{
    if (!m_parser.parse(QStringList{m_action} + arguments)) {
        usage(m_parser.errorText());
        return false;
    }
    const qsizetype count = m_parser.positionalArguments().size();
    if (count < minimum || count > maximum) {
        usage();
        return false;
    }
    return true;
}

bool StoreCommandLine::json() const
{
    return m_context.json || m_parser.isSet(QStringLiteral("json"));
}

int StoreCommandLine::usage(const QString &why) const
{
    printError(why.isEmpty() ? QStringLiteral("usage: wharf-cli store %1").arg(m_usage)
                             : QStringLiteral("%1 (usage: wharf-cli store %2)").arg(why, m_usage));
    return ExitUsage;
}

std::optional<qint64> StoreCommandLine::number(const QString &name, qint64 fallback,
                                               qint64 minimum) const
{
    if (!m_parser.isSet(name))
        return fallback;
    bool ok = false;
    const qint64 value = m_parser.value(name).toLongLong(&ok);
    if (!ok || value < minimum) {
        printError(
            QStringLiteral("--%1 takes a whole number of at least %2").arg(name).arg(minimum));
        return std::nullopt;
    }
    return value;
}

int StoreCommandLine::open(store::MailStore *mailStore)
{
    QString root;
    if (m_parser.isSet(QStringLiteral("profile"))) {
        Error error;
        const std::optional<ResolvedProfile> resolved =
            resolveProfile(m_context, m_parser.value(QStringLiteral("profile")), &error);
        if (!resolved)
            return failWith(error);
        const store::Profile *profile = &resolved->profile;
        if (profile->kind != store::ProfileKind::Mail) {
            printError(QStringLiteral("\"%1\" is an FTP site: it has no mail").arg(profile->name));
            return ExitUsage;
        }
        root = store::accountMailDirectory(profile->id);
        m_storeName = QStringLiteral("profile \"%1\"").arg(profile->name);
    } else {
        root = store::accountMailDirectory(QString::fromUtf16(store::kLocalFoldersAccount));
        m_storeName = QStringLiteral("Local Folders");
    }
    const QString indexPath = root + u'/' + QString::fromUtf16(store::MailStore::kIndexFileName);
    const bool hadIndex = QFileInfo::exists(indexPath);
    if (const Error error = mailStore->open(root))
        return failWith(error);
    if (const Error &stale = mailStore->reconcileError()) {
        printError(QStringLiteral("warning: the index may miss recent changes to the Maildir: %1")
                       .arg(stale.message()));
    }
    if (mailStore->indexWasRebuilt() && hadIndex) {
        printError(QStringLiteral("note: the index %1 was damaged; it was set aside and rebuilt "
                                  "from the Maildir")
                       .arg(indexPath));
    } else if (mailStore->indexWasRebuilt() && mailStore->reconciledChanges() > 0) {
        printError(QStringLiteral("note: the index %1 was missing; it was rebuilt from the "
                                  "Maildir")
                       .arg(indexPath));
    }
    return ExitOk;
}

std::optional<store::FolderRecord>
StoreCommandLine::existingFolder(const store::MailStore &mailStore, const QString &name) const
{
    if (std::optional<store::FolderRecord> folder = mailStore.folder(name))
        return folder;
    QStringList names;
    for (const store::FolderRecord &folder : mailStore.folders())
        names.append(folder.name);
    printError(QStringLiteral("no folder \"%1\" in %2; it has: %3")
                   .arg(name, m_storeName, names.join(QStringLiteral(", "))));
    return std::nullopt;
}

int failWith(const Error &error)
{
    printError(error.message());
    return exitCodeFor(error.kind());
}

QString flagLetters(MessageFlags flags)
{
    QString letters;
    for (const FlagName &entry : kFlagNames) {
        if (flags.testFlag(entry.flag))
            letters += QLatin1Char(entry.letter);
    }
    return letters;
}

QString utcText(qint64 msecsSinceEpoch)
{
    return QDateTime::fromMSecsSinceEpoch(msecsSinceEpoch, Qt::UTC).toString(Qt::ISODate);
}

QJsonObject messageJson(store::MailStore &mailStore, const store::MessageRecord &record)
{
    QJsonArray flags;
    for (const FlagName &entry : kFlagNames) {
        if (record.flags.testFlag(entry.flag))
            flags.append(QString::fromLatin1(entry.name));
    }
    const std::optional<store::FolderRecord> folder = mailStore.folder(record.folderId);
    return QJsonObject{
        {QStringLiteral("id"), record.id},
        {QStringLiteral("folder"), folder ? folder->name : QString()},
        {QStringLiteral("date"), utcText(record.internalDate)},
        {QStringLiteral("size"), record.size},
        {QStringLiteral("flags"), flags},
        {QStringLiteral("from"), record.from},
        {QStringLiteral("to"), record.recipients},
        {QStringLiteral("subject"), record.subject},
        {QStringLiteral("message_id"), QString::fromUtf8(record.messageId)},
        {QStringLiteral("has_attachments"), record.hasAttachments},
        {QStringLiteral("local_copy"), record.hasLocalCopy()},
        {QStringLiteral("path"), mailStore.messageFilePath(record)},
    };
}

QString messageLine(const store::MessageRecord &record, const QString &folderName)
{
    const QString date = QDateTime::fromMSecsSinceEpoch(record.internalDate, Qt::UTC)
                             .toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    QString line = QStringLiteral("%1  %2  %3  ")
                       .arg(record.id, 6)
                       .arg(date)
                       .arg(flagLetters(record.flags), -6);
    if (!folderName.isEmpty())
        line += folderName + QStringLiteral("  ");
    return line + oneLine(record.from).left(40) + QStringLiteral("  ") + oneLine(record.subject) +
           u'\n';
}

void printJson(const QJsonValue &value)
{
    const QJsonDocument document =
        value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    printOut(QString::fromUtf8(document.toJson(QJsonDocument::Indented)));
}

} // namespace wharf::cli
