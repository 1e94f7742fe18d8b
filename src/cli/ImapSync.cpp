#include "cli/ImapSync.h"

#include "cli/ExitCode.h"
#include "cli/ImapCliSupport.h"
#include "controllers/FolderMapping.h"
#include "controllers/ResumingMailboxSync.h"
#include "store/MailStore.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <unistd.h>

namespace wharf::cli {

namespace {

int usage()
{
    printError(QStringLiteral("usage: wharf-cli [options] imap sync URL/FOLDER --store DIR "
                              "| --profile NAME FOLDER [--store DIR] [--headers-only] "
                              "[--retries N]"));
    return ExitUsage;
}

QString summaryText(const QString &folder, const controllers::MailboxSyncReport &report)
{
    QString text = QStringLiteral("%1: %2 new, %3 flags changed, %4 removed")
                       .arg(folder)
                       .arg(report.added)
                       .arg(report.flagsChanged)
                       .arg(report.removed);
    if (report.bodies > 0)
        text += QStringLiteral(", %1 bodies").arg(report.bodies);
    text +=
        QStringLiteral(" (%1%2) in %3 s\n")
            .arg(controllers::methodName(report.method),
                 report.uidValidityChanged ? QStringLiteral(", UIDVALIDITY changed") : QString())
            .arg(double(report.elapsedMs) / 1000.0, 0, 'f', 2);
    return text;
}

QJsonObject summaryJson(const QString &folder, const controllers::MailboxSyncReport &report)
{
    QJsonObject object;
    object[QStringLiteral("folder")] = folder;
    object[QStringLiteral("method")] = controllers::methodName(report.method);
    object[QStringLiteral("uidvalidity_changed")] = report.uidValidityChanged;
    object[QStringLiteral("added")] = report.added;
    object[QStringLiteral("flags_changed")] = report.flagsChanged;
    object[QStringLiteral("removed")] = report.removed;
    object[QStringLiteral("bodies")] = report.bodies;
    object[QStringLiteral("actions_replayed")] = report.actionsReplayed;
    object[QStringLiteral("actions_refused")] = report.actionsRefused;
    object[QStringLiteral("seconds")] = double(report.elapsedMs) / 1000.0;
    return object;
}

} // namespace

int runImapSync(const CliContext &context, const QStringList &arguments)
{
    QStringList rest = arguments;
    bool headersOnly = false;
    if (rest.removeAll(QStringLiteral("--headers-only")) > 0)
        headersOnly = true;
    bool json = context.json;
    if (rest.removeAll(QStringLiteral("--json")) > 0)
        json = true;
    controllers::SyncResumeSettings resume;
    if (const qsizetype retriesAt = rest.indexOf(QStringLiteral("--retries")); retriesAt >= 0) {
        bool ok = false;
        const int retries = retriesAt + 1 < rest.size() ? rest.at(retriesAt + 1).toInt(&ok) : -1;
        if (!ok || retries < 0 || retries > 1000)
            return usage();
        resume.maxAttempts = retries + 1;
        rest.remove(retriesAt, 2);
    }
    QString profile;
    if (!takeProfileOption(rest, &profile))
        return usage();
    QString storeDir;
    if (const qsizetype storeAt = rest.indexOf(QStringLiteral("--store")); storeAt >= 0) {
        if (storeAt + 1 >= rest.size())
            return usage();
        storeDir = rest.at(storeAt + 1);
        rest.remove(storeAt, 2);
    }
    if (rest.size() != 1 || (storeDir.isEmpty() && profile.isEmpty()))
        return usage();
    Error error;
    const std::optional<ImapTarget> target = imapTarget(context, profile, rest.first(), &error);
    if (!target) {
        printError(error.message());
        return exitCodeFor(error.kind());
    }
    const QString &path = target->endpoint.path;
    const QString folder = path.isEmpty() ? QStringLiteral("INBOX") : path;
    store::MailStore store;
    if (const Error opened = openTargetStore(*target, storeDir, &store)) {
        printError(opened.message());
        return exitCodeFor(opened.kind());
    }
    int exitCode = ExitOk;
    const std::unique_ptr<controllers::ImapConnectionPool> pool =
        makeImapPool(context, *target, 1, &exitCode);
    if (!pool)
        return exitCode;

    controllers::ResumingMailboxSync sync(pool.get(), &store, resume);
    QObject::connect(
        &sync, &controllers::ResumingMailboxSync::actionRefused, [](const Error &refusal) {
            printError(
                QStringLiteral("the server refused a local change: %1").arg(refusal.message()));
        });
    QObject::connect(&sync, &controllers::ResumingMailboxSync::connectionLost,
                     [](const Error &reason, int retryInMs) {
                         printError(QStringLiteral("%1; trying again in %2 s")
                                        .arg(reason.message())
                                        .arg(double(retryInMs) / 1000.0, 0, 'f', 1));
                     });
    const bool showProgress = isatty(STDERR_FILENO) && !json;
    if (showProgress) {
        QObject::connect(
            &sync, &controllers::ResumingMailboxSync::progress, [](qint64 done, qint64 total) {
                std::fprintf(stderr, "\rheaders %lld/%lld", qlonglong(done), qlonglong(total));
            });
        QObject::connect(
            &sync, &controllers::ResumingMailboxSync::bodyProgress, [](qint64 done, qint64 total) {
                std::fprintf(stderr, "\rbodies %lld/%lld  ", qlonglong(done), qlonglong(total));
            });
    }
    QObject::connect(
        &sync, &controllers::ResumingMailboxSync::finished, [&sync, folder, json, showProgress] {
            if (showProgress)
                std::fprintf(stderr, "\n");
            if (sync.error())
                return quitWith(sync.error());
            if (json) {
                printOut(QString::fromUtf8(QJsonDocument(summaryJson(folder, sync.report()))
                                               .toJson(QJsonDocument::Compact)) +
                         u'\n');
            } else {
                printOut(summaryText(folder, sync.report()));
            }
            QCoreApplication::exit(ExitOk);
        });
    controllers::MailboxSyncOptions options;
    options.downloadBodies = !headersOnly;
    if (target->profile && target->profile->mail.offlineDays > 0) {
        options.bodiesSince = QDateTime::currentMSecsSinceEpoch() -
                              qint64(target->profile->mail.offlineDays) * 24 * 3600 * 1000;
    }
    // The server's special-use folders become the store's Sent, Drafts and Trash first, so
    // that URL/<the server's sent folder> fills the store's Sent, whatever its name.
    controllers::FolderMapping mapping(pool.get(), &store);
    if (target->profile)
        mapping.setPreferredMailboxes(
            controllers::FolderMapping::preferredMailboxesOf(target->profile->mail));
    QObject::connect(&mapping, &controllers::FolderMapping::finished, [&] {
        // A refused login ends it here; a lost connection is the resuming sync's to retry.
        if (mapping.error() && controllers::ReconnectBackoff::isPermanent(mapping.error()))
            return quitWith(mapping.error());
        if (mapping.error())
            printError(QStringLiteral("special-use folders not matched: %1")
                           .arg(mapping.error().message()));
        sync.start(folder, options);
    });
    mapping.start();
    return runUntilDone(*pool);
}

} // namespace wharf::cli
