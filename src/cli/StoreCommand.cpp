#include "cli/StoreCommand.h"

#include "cli/ExitCode.h"
#include "cli/StoreCommandSupport.h"
#include "cli/StoreTransfer.h"

#include <QJsonArray>

namespace wharf::cli {

namespace {

constexpr qint64 kDefaultListLimit = 100;
constexpr qint64 kDefaultSearchLimit = 50;
// Deferred words indexed before a search says it is still indexing (a fraction of a second).
constexpr qint64 kIndexBeforeNotice = 500;

const char kUsage[] =
    "usage: wharf-cli store ACTION [--profile NAME] [--json] ...\n"
    "  import-mbox FILE --folder F [--skip N]   add the messages of an mbox file\n"
    "  export-mbox FILE --folder F [--force]    write a folder as an mbox file\n"
    "  import-maildir DIR --folder F            copy a Maildir's messages, with their flags\n"
    "  list --folder F [--offset N] [--limit N] messages, newest first\n"
    "  search QUERY [--folder F] [--limit N]    subject, addresses and text\n"
    "  folders | stats | rebuild";

QString roleText(store::FolderRole role)
{
    return role == store::FolderRole::None ? QString() : store::folderRoleName(role);
}

int runList(const CliContext &context, const QStringList &arguments)
{
    StoreCommandLine command(context, QStringLiteral("list"),
                             QStringLiteral("list --folder F [--offset N] [--limit N]"));
    command.parser().addOptions(
        {QCommandLineOption(QStringLiteral("folder"), {}, QStringLiteral("F")),
         QCommandLineOption(QStringLiteral("offset"), {}, QStringLiteral("N")),
         QCommandLineOption(QStringLiteral("limit"), {}, QStringLiteral("N"))});
    if (!command.parse(arguments, 0, 0))
        return ExitUsage;
    if (!command.parser().isSet(QStringLiteral("folder")))
        return command.usage(QStringLiteral("--folder is needed"));
    const auto offset = command.number(QStringLiteral("offset"), 0, 0);
    const auto limit = command.number(QStringLiteral("limit"), kDefaultListLimit, 1);
    if (!offset || !limit)
        return ExitUsage;
    store::MailStore mailStore;
    if (const int code = command.open(&mailStore))
        return code;
    const auto folder =
        command.existingFolder(mailStore, command.parser().value(QStringLiteral("folder")));
    if (!folder)
        return ExitUsage;
    qint64 total = 0;
    qint64 unread = 0;
    QList<store::MessageRecord> records;
    if (const Error error = mailStore.count(folder->id, &total, &unread))
        return failWith(error);
    if (const Error error = mailStore.page(folder->id, *offset, *limit, &records))
        return failWith(error);
    if (command.json()) {
        QJsonArray messages;
        for (const store::MessageRecord &record : std::as_const(records))
            messages.append(messageJson(mailStore, record));
        printJson(QJsonObject{{QStringLiteral("folder"), folder->name},
                              {QStringLiteral("total"), total},
                              {QStringLiteral("unread"), unread},
                              {QStringLiteral("offset"), *offset},
                              {QStringLiteral("messages"), messages}});
        return ExitOk;
    }
    QString text =
        QStringLiteral("%1: %2 messages, %3 unread\n").arg(folder->name).arg(total).arg(unread);
    for (const store::MessageRecord &record : std::as_const(records))
        text += messageLine(record);
    if (*offset + records.size() < total)
        text += QStringLiteral("(%1 more: --offset %2)\n")
                    .arg(total - *offset - records.size())
                    .arg(*offset + records.size());
    printOut(text);
    return ExitOk;
}

int runSearch(const CliContext &context, const QStringList &arguments)
{
    StoreCommandLine command(context, QStringLiteral("search"),
                             QStringLiteral("search QUERY [--folder F] [--limit N]"));
    command.parser().addOptions(
        {QCommandLineOption(QStringLiteral("folder"), {}, QStringLiteral("F")),
         QCommandLineOption(QStringLiteral("limit"), {}, QStringLiteral("N"))});
    if (!command.parse(arguments, 1, 1000))
        return ExitUsage;
    const QString query = command.positional().join(u' ').trimmed();
    if (query.isEmpty())
        return command.usage(QStringLiteral("the query is empty"));
    const auto limit = command.number(QStringLiteral("limit"), kDefaultSearchLimit, 1);
    if (!limit)
        return ExitUsage;
    store::MailStore mailStore;
    if (const int code = command.open(&mailStore))
        return code;
    qint64 folderId = 0;
    if (command.parser().isSet(QStringLiteral("folder"))) {
        const auto folder =
            command.existingFolder(mailStore, command.parser().value(QStringLiteral("folder")));
        if (!folder)
            return ExitUsage;
        folderId = folder->id;
    }
    // search() first indexes what a sync left for later; say so when that takes a while.
    qint64 unindexed = 0;
    if (const Error error = mailStore.indexDeferredText(kIndexBeforeNotice, &unindexed))
        return failWith(error);
    if (unindexed > 0)
        printError(QStringLiteral("indexing the words of %1 more messages first").arg(unindexed));
    QList<store::MessageRecord> records;
    if (const Error error = mailStore.search(query, folderId, *limit, &records))
        return failWith(error);
    if (command.json()) {
        QJsonArray messages;
        for (const store::MessageRecord &record : std::as_const(records))
            messages.append(messageJson(mailStore, record));
        printJson(
            QJsonObject{{QStringLiteral("query"), query}, {QStringLiteral("messages"), messages}});
        return ExitOk;
    }
    QString text = QStringLiteral("%1 found\n").arg(records.size());
    for (const store::MessageRecord &record : std::as_const(records)) {
        const auto folder = mailStore.folder(record.folderId);
        text += messageLine(record, folder ? folder->name : QString());
    }
    printOut(text);
    return ExitOk;
}

int runFolders(const CliContext &context, const QStringList &arguments)
{
    StoreCommandLine command(context, QStringLiteral("folders"), QStringLiteral("folders"));
    if (!command.parse(arguments, 0, 0))
        return ExitUsage;
    store::MailStore mailStore;
    if (const int code = command.open(&mailStore))
        return code;
    QJsonArray folders;
    QString text;
    for (const store::FolderRecord &folder : mailStore.folders()) {
        qint64 total = 0;
        qint64 unread = 0;
        if (const Error error = mailStore.count(folder.id, &total, &unread))
            return failWith(error);
        folders.append(QJsonObject{{QStringLiteral("name"), folder.name},
                                   {QStringLiteral("role"), roleText(folder.role)},
                                   {QStringLiteral("total"), total},
                                   {QStringLiteral("unread"), unread}});
        text += QStringLiteral("%1  %2 messages, %3 unread%4\n")
                    .arg(folder.name, -20)
                    .arg(total, 6)
                    .arg(unread, 6)
                    .arg(folder.role == store::FolderRole::None
                             ? QString()
                             : QStringLiteral("  (%1)").arg(roleText(folder.role)));
    }
    if (command.json())
        printJson(QJsonObject{{QStringLiteral("store"), mailStore.rootPath()},
                              {QStringLiteral("folders"), folders}});
    else
        printOut(text);
    return ExitOk;
}

QJsonObject statisticsJson(const store::MailStore &mailStore, const store::StoreStatistics &stats)
{
    return QJsonObject{{QStringLiteral("store"), mailStore.rootPath()},
                       {QStringLiteral("folders"), stats.folders},
                       {QStringLiteral("messages"), stats.messages},
                       {QStringLiteral("bytes"), stats.bytes},
                       {QStringLiteral("local_copies"), stats.localCopies},
                       {QStringLiteral("unread"), stats.unread},
                       {QStringLiteral("text_backlog"), stats.textBacklog}};
}

int runStats(const CliContext &context, const QStringList &arguments)
{
    StoreCommandLine command(context, QStringLiteral("stats"), QStringLiteral("stats"));
    if (!command.parse(arguments, 0, 0))
        return ExitUsage;
    store::MailStore mailStore;
    if (const int code = command.open(&mailStore))
        return code;
    store::StoreStatistics stats;
    if (const Error error = mailStore.statistics(&stats))
        return failWith(error);
    if (command.json()) {
        printJson(statisticsJson(mailStore, stats));
        return ExitOk;
    }
    printOut(QStringLiteral("%1 (%2)\n"
                            "  folders:      %3\n"
                            "  messages:     %4 (%5 unread)\n"
                            "  on this disk: %6 messages, %7 bytes\n")
                 .arg(command.storeName(), mailStore.rootPath())
                 .arg(stats.folders)
                 .arg(stats.messages)
                 .arg(stats.unread)
                 .arg(stats.localCopies)
                 .arg(stats.bytes));
    if (stats.textBacklog > 0) {
        printOut(QStringLiteral("  to index:     the words of %1 messages (the next search "
                                "indexes them)\n")
                     .arg(stats.textBacklog));
    }
    return ExitOk;
}

int runRebuild(const CliContext &context, const QStringList &arguments)
{
    StoreCommandLine command(context, QStringLiteral("rebuild"), QStringLiteral("rebuild"));
    if (!command.parse(arguments, 0, 0))
        return ExitUsage;
    store::MailStore mailStore;
    if (const int code = command.open(&mailStore))
        return code;
    if (const Error error = mailStore.rebuild())
        return failWith(error);
    store::StoreStatistics stats;
    if (const Error error = mailStore.statistics(&stats))
        return failWith(error);
    const QString note = QStringLiteral(
        "Remote ids and headers-only entries (mail whose body stays on the server) come back "
        "at the next sync.");
    if (command.json()) {
        QJsonObject object = statisticsJson(mailStore, stats);
        object[QStringLiteral("note")] = note;
        printJson(object);
        return ExitOk;
    }
    printOut(QStringLiteral("Rebuilt the index of %1 from its Maildir: %2 messages in %3 "
                            "folders.\n%4\n")
                 .arg(mailStore.rootPath())
                 .arg(stats.messages)
                 .arg(stats.folders)
                 .arg(note));
    return ExitOk;
}

} // namespace

int runStore(const CliContext &context, const QStringList &arguments)
{
    const QString action = arguments.value(0);
    const QStringList rest = arguments.mid(1);
    if (action == u"import-mbox")
        return runImportMbox(context, rest);
    if (action == u"export-mbox")
        return runExportMbox(context, rest);
    if (action == u"import-maildir")
        return runImportMaildir(context, rest);
    if (action == u"list")
        return runList(context, rest);
    if (action == u"search")
        return runSearch(context, rest);
    if (action == u"folders")
        return runFolders(context, rest);
    if (action == u"stats")
        return runStats(context, rest);
    if (action == u"rebuild")
        return runRebuild(context, rest);
    printError(QString::fromLatin1(kUsage));
    return ExitUsage;
}

} // namespace wharf::cli
