#include "cli/FtpCli.h"

#include "cli/ExitCode.h"
#include "cli/FtpCliSupport.h"
#include "cli/ImapCliSupport.h"
#include "cli/PoolSupport.h"
#include "controllers/FileTransfer.h"
#include "controllers/RemoteRemoval.h"
#include "controllers/TransferQueue.h"
#include "controllers/TreeTransfer.h"
#include "protocols/ftp/commands/SimpleCommands.h"
#include "protocols/ftp/commands/TransferCommands.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>

#include <functional>

namespace wharf::cli {

namespace {

using controllers::FtpConnectionPool;

int usage()
{
    printError(QStringLiteral(
        "usage: wharf-cli [options] ftp ls URL [--json] | get URL LOCAL [-r] [-j N] [--resume] "
        "[--ascii] | put LOCAL URL [-r] [-j N] [--resume] [--follow-symlinks] [--ascii] | "
        "mkdir URL | rm URL | "
        "rmdir URL | rm -r URL | mv URL NEWPATH | mirror SRC DST [--delete] [--only-missing] "
        "[-j N] | chmod MODE URL   (or --profile NAME and a path instead of the URL; "
        "--active: active mode, the server connects back with EPRT/PORT)"));
    return ExitUsage;
}

int fail(const Error &error)
{
    printError(error.message());
    return exitCodeFor(error.kind());
}

struct Invocation
{
    CliContext context;
    QString profileName;
    QStringList arguments;
    bool resume = false;
    bool recursive = false;
    bool followSymlinks = false;
    bool deleteExtra = false;
    bool onlyMissing = false;
    bool ascii = false;
    int parallel = 4;
    bool parallelGiven = false;
    bool active = false;
};

// One site, one session, one job: `work` runs once the session is ready and ends the event
// loop with QCoreApplication::exit.
int withSession(const Invocation &run, const FtpTarget &target,
                const std::function<void(ftp::FtpSession *)> &work)
{
    int exitCode = ExitOk;
    const std::unique_ptr<FtpConnectionPool> pool =
        makeFtpPool(run.context, target, 1, run.active, &exitCode);
    if (!pool)
        return exitCode;
    pool->acquire(pool.get(), work, quitWith);
    return runUntilDone(*pool, Goodbye::Polite);
}

// Runs one command on the target and exits with its result.
int runSimple(const Invocation &run, const FtpTarget &target,
              const std::function<ftp::FtpCommand *()> &make)
{
    return withSession(run, target, [make](ftp::FtpSession *session) {
        ftp::FtpCommand *command = make();
        QObject::connect(command, &ftp::FtpCommand::finished, [command] {
            if (command->error()) {
                quitWith(command->error());
                return;
            }
            QCoreApplication::exit(ExitOk);
        });
        session->enqueue(command);
    });
}

QString typeName(ftp::RemoteEntry::Type type)
{
    switch (type) {
    case ftp::RemoteEntry::Type::File:
        return QStringLiteral("file");
    case ftp::RemoteEntry::Type::Directory:
        return QStringLiteral("dir");
    case ftp::RemoteEntry::Type::Symlink:
        return QStringLiteral("link");
    case ftp::RemoteEntry::Type::Other:
        break;
    }
    return QStringLiteral("other");
}

QString printedTime(const ftp::RemoteEntry &entry)
{
    if (!entry.modified.isValid())
        return QStringLiteral("-");
    if (!entry.modifiedHasTime)
        return entry.modified.toString(QStringLiteral("yyyy-MM-dd"));
    return entry.modified.toString(Qt::ISODate);
}

void printListing(const ftp::Listing &listing, bool json)
{
    if (json) {
        QJsonArray array;
        for (const ftp::RemoteEntry &entry : listing.entries) {
            QJsonObject object;
            object[QStringLiteral("name")] = entry.name;
            object[QStringLiteral("type")] = typeName(entry.type);
            object[QStringLiteral("size")] = entry.size;
            object[QStringLiteral("mtime")] =
                entry.modified.isValid() ? QJsonValue(printedTime(entry)) : QJsonValue();
            object[QStringLiteral("permissions")] = entry.permissions;
            if (entry.unixMode >= 0)
                object[QStringLiteral("mode")] =
                    QString::number(entry.unixMode, 8).rightJustified(4, u'0');
            if (!entry.linkTarget.isEmpty())
                object[QStringLiteral("target")] = entry.linkTarget;
            array.append(object);
        }
        printOut(QString::fromUtf8(QJsonDocument(array).toJson()));
    } else {
        QString text;
        for (const ftp::RemoteEntry &entry : listing.entries) {
            QString name = entry.name;
            if (!entry.linkTarget.isEmpty())
                name += QStringLiteral(" -> ") + entry.linkTarget;
            text += QStringLiteral("%1\t%2\t%3\t%4\t%5\n")
                        .arg(typeName(entry.type), QString::number(entry.size), printedTime(entry),
                             entry.permissions, name);
        }
        printOut(text);
    }
    // Lines Wharf could not read, or names it will not use, are said, never dropped.
    for (const ftp::ListingProblem &problem : listing.unparsed)
        printError(QStringLiteral("unreadable listing line: %1").arg(problem.reason));
    for (const ftp::ListingProblem &problem : listing.refused)
        printError(problem.reason);
}

// MLSD lists folders only: when it refuses a path and the server has MLST, the path may be
// a file, whose facts MLST gives. When MLST fails too, MLSD's refusal is the one reported.
void listFileWithMlst(ftp::FtpSession *session, const QByteArray &path, const Error &listError,
                      bool json)
{
    auto *mlst = new ftp::MlstCommand(path);
    QObject::connect(mlst, &ftp::FtpCommand::finished, [mlst, listError, json] {
        if (mlst->error()) {
            quitWith(listError);
            return;
        }
        printListing(mlst->listing(), json);
        QCoreApplication::exit(ExitOk);
    });
    session->enqueue(mlst);
}

int runList(const Invocation &run, const FtpTarget &target)
{
    const bool json = run.context.json;
    const bool verbose = run.context.verbose;
    const QByteArray path = target.wirePath();
    return withSession(run, target, [path, json, verbose](ftp::FtpSession *session) {
        if (verbose && !session->systemType().isEmpty())
            printError(QStringLiteral("server system (SYST): %1")
                           .arg(QString::fromUtf8(session->systemType())));
        auto *list = new ftp::ListingCommand(path);
        const QPointer<ftp::FtpSession> guarded = session;
        QObject::connect(list, &ftp::FtpCommand::finished, [list, guarded, path, json] {
            if (!list->error()) {
                printListing(list->listing(), json);
                QCoreApplication::exit(ExitOk);
                return;
            }
            const bool mayBeFile = list->format() == ftp::ListingFormat::Mlsd &&
                                   list->lastReply().category() == 5 && !path.isEmpty();
            if (mayBeFile && guarded && guarded->state() == ftp::FtpSession::State::Ready) {
                listFileWithMlst(guarded, path, list->error(), json);
                return;
            }
            quitWith(list->error());
        });
        session->enqueue(list);
    });
}

QString baseName(const QString &path)
{
    QString trimmed = path;
    while (trimmed.endsWith(u'/'))
        trimmed.chop(1);
    return trimmed.mid(trimmed.lastIndexOf(u'/') + 1);
}

int runTransfer(const Invocation &run, FtpTarget target, const QString &local,
                controllers::TransferSpec::Direction direction)
{
    controllers::TransferSpec spec;
    spec.direction = direction;
    spec.localPath = local;
    const bool download = direction == controllers::TransferSpec::Direction::Download;
    if (download) {
        if (target.endpoint.path.isEmpty() || target.endpoint.path.endsWith(u'/'))
            return fail(Error(ErrorKind::Usage, QStringLiteral("get needs a file in the URL")));
        if (QFileInfo(local).isDir())
            spec.localPath = QDir(local).filePath(baseName(target.endpoint.path));
    } else {
        if (!QFileInfo(local).isFile())
            return fail(Error(ErrorKind::LocalFile, QStringLiteral("%1 is not a file").arg(local)));
        if (target.endpoint.path.isEmpty() || target.endpoint.path.endsWith(u'/'))
            target.endpoint.path += baseName(local);
    }
    spec.remotePath = target.wirePath();

    int exitCode = ExitOk;
    const std::unique_ptr<FtpConnectionPool> pool =
        makeFtpPool(run.context, target, 1, run.active, &exitCode);
    if (!pool)
        return exitCode;
    controllers::TransferOptions options;
    // A script's `get` replaces the file as curl -o does, unless it asked to resume.
    options.existing = run.resume ? controllers::ExistingTargetAction::Resume
                                  : controllers::ExistingTargetAction::Overwrite;
    options.ascii = run.ascii;
    controllers::FileTransfer transfer(pool.get(), spec, options);
    ProgressLine progress;
    QObject::connect(&transfer, &controllers::FileTransfer::progress,
                     [&progress](qint64 done, qint64 total) { progress.update(done, total); });
    QObject::connect(&transfer, &controllers::FileTransfer::finished, [&transfer, &progress] {
        progress.finish();
        if (transfer.error()) {
            quitWith(transfer.error());
            return;
        }
        if (transfer.attempts() > 1)
            printError(QStringLiteral("done after %1 attempts").arg(transfer.attempts()));
        QCoreApplication::exit(ExitOk);
    });
    transfer.start();
    return runUntilDone(*pool, Goodbye::Polite);
}

// get -r / put -r: the walk queues the files, the queue moves -j of them at a time.
int runTree(const Invocation &run, FtpTarget target, QString local,
            controllers::TransferSpec::Direction direction, bool mirror = false)
{
    using controllers::TransferItem;
    const bool download = direction == controllers::TransferSpec::Direction::Download;
    if (download) {
        // As cp -r: into an existing folder goes a folder of the remote one's name. A
        // mirror's target is the folder itself.
        if (!mirror && QFileInfo(local).isDir() && !target.endpoint.path.isEmpty())
            local = QDir(local).filePath(baseName(target.endpoint.path));
    } else {
        if (!QFileInfo(local).isDir())
            return fail(
                Error(ErrorKind::LocalFile, QStringLiteral("%1 is not a folder").arg(local)));
        if (!mirror && (target.endpoint.path.isEmpty() || target.endpoint.path.endsWith(u'/')))
            target.endpoint.path += baseName(QDir(local).absolutePath());
    }
    while (target.endpoint.path.endsWith(u'/'))
        target.endpoint.path.chop(1);

    // A saved site's parallel transfers, unless -j says otherwise.
    const int parallel = target.profile && !run.parallelGiven
                             ? target.profile->site.parallelTransfers
                             : run.parallel;
    int exitCode = ExitOk;
    // One more connection than transfers: the walk lists folders while files move.
    const std::unique_ptr<FtpConnectionPool> pool =
        makeFtpPool(run.context, target, parallel + 1, run.active, &exitCode);
    if (!pool)
        return exitCode;
    controllers::TransferQueue queue(pool.get());
    queue.setParallel(parallel);
    controllers::TransferOptions options;
    options.existing = run.resume ? controllers::ExistingTargetAction::Resume
                                  : controllers::ExistingTargetAction::Overwrite;
    queue.setOptions(options);
    controllers::TreeOptions treeOptions;
    treeOptions.followSymlinks = run.followSymlinks;
    if (mirror) {
        // Like lftp's mirror: what differs in size or is newer is copied again.
        treeOptions.selection = run.onlyMissing ? controllers::TreeOptions::Selection::Missing
                                                : controllers::TreeOptions::Selection::Newer;
        treeOptions.deleteExtra = run.deleteExtra;
    }
    controllers::TreeTransfer tree(pool.get(), &queue, direction, target.wirePath(), local,
                                   treeOptions);
    ProgressLine progress;
    QElapsedTimer clock;
    clock.start();
    const auto finishIfDone = [&] {
        if (!tree.isFinished() || !queue.isIdle())
            return;
        progress.finish();
        for (const QString &problem : tree.problems())
            printError(problem);
        qint64 bytes = 0;
        int done = 0;
        Error firstFailure = tree.error();
        for (const TransferItem &item : queue.items()) {
            if (item.state == TransferItem::State::Done ||
                item.state == TransferItem::State::Skipped) {
                ++done;
                bytes += std::max<qint64>(item.done, 0);
                continue;
            }
            printError(QStringLiteral("%1: %2").arg(item.spec.localPath, item.error.message()));
            if (!firstFailure)
                firstFailure = item.error;
        }
        const double seconds = std::max(0.001, clock.elapsed() / 1000.0);
        if (tree.filesUnchanged() > 0 || tree.removed() > 0)
            printError(QStringLiteral("%1 files unchanged, %2 removed from the target")
                           .arg(tree.filesUnchanged())
                           .arg(tree.removed()));
        printError(QStringLiteral("%1 of %2 files, %3 folders, %4 in %5 s (%6/s, %7 files/s)")
                       .arg(done)
                       .arg(queue.items().size())
                       .arg(tree.foldersCreated())
                       .arg(humanBytes(bytes))
                       .arg(seconds, 0, 'f', 2)
                       .arg(humanBytes(qint64(double(bytes) / seconds)))
                       .arg(double(done) / seconds, 0, 'f', 0));
        if (firstFailure) {
            quitWith(firstFailure);
        } else if (tree.entriesNotCopied() > 0) {
            printError(QStringLiteral("incomplete: %1 entries could not be copied (listed above)")
                           .arg(tree.entriesNotCopied()));
            QCoreApplication::exit(ExitIncomplete);
        } else {
            QCoreApplication::exit(ExitOk);
        }
    };
    QObject::connect(&queue, &controllers::TransferQueue::itemChanged, [&] {
        progress.update(queue.bytesDone(), tree.isFinished() ? queue.bytesTotal() : -1,
                        QStringLiteral("%1 files").arg(queue.items().size()));
    });
    QObject::connect(&queue, &controllers::TransferQueue::idle, finishIfDone);
    QObject::connect(&tree, &controllers::TreeTransfer::finished, finishIfDone);
    tree.start();
    return runUntilDone(*pool, Goodbye::Polite);
}

int runRemoveTree(const Invocation &run, const FtpTarget &target)
{
    int exitCode = ExitOk;
    const std::unique_ptr<FtpConnectionPool> pool =
        makeFtpPool(run.context, target, 1, run.active, &exitCode);
    if (!pool)
        return exitCode;
    controllers::RemoteRemoval removal(pool.get());
    removal.addFolder(target.wirePath());
    QObject::connect(&removal, &controllers::RemoteRemoval::finished, [&removal] {
        printError(QStringLiteral("%1 files and %2 folders removed")
                       .arg(removal.filesRemoved())
                       .arg(removal.foldersRemoved()));
        if (removal.error())
            quitWith(removal.error());
        else
            QCoreApplication::exit(ExitOk);
    });
    removal.start();
    return runUntilDone(*pool, Goodbye::Polite);
}

} // namespace

int runFtp(const CliContext &context, const QStringList &arguments)
{
    Invocation run;
    run.context = context;
    run.arguments = arguments;
    if (!takeProfileOption(run.arguments, &run.profileName)) {
        printError(QStringLiteral("--profile needs a NAME"));
        return ExitUsage;
    }
    if (run.arguments.removeAll(QStringLiteral("--json")) > 0)
        run.context.json = true;
    if (run.arguments.removeAll(QStringLiteral("--resume")) > 0)
        run.resume = true;
    run.recursive = run.arguments.removeAll(QStringLiteral("-r")) > 0;
    run.followSymlinks = run.arguments.removeAll(QStringLiteral("--follow-symlinks")) > 0;
    run.deleteExtra = run.arguments.removeAll(QStringLiteral("--delete")) > 0;
    run.active = run.arguments.removeAll(QStringLiteral("--active")) > 0;
    run.onlyMissing = run.arguments.removeAll(QStringLiteral("--only-missing")) > 0;
    run.ascii = run.arguments.removeAll(QStringLiteral("--ascii")) > 0;
    if (const qsizetype at = run.arguments.indexOf(QStringLiteral("-j")); at >= 0) {
        bool ok = false;
        run.parallel = at + 1 < run.arguments.size() ? run.arguments.at(at + 1).toInt(&ok) : 0;
        if (!ok || run.parallel < 1 || run.parallel > 16) {
            printError(QStringLiteral("-j takes a number of parallel transfers, 1 to 16"));
            return ExitUsage;
        }
        run.arguments.remove(at, 2);
        run.parallelGiven = true;
    }
    if (run.arguments.isEmpty())
        return usage();
    const QString verb = run.arguments.takeFirst();
    const QStringList &rest = run.arguments;
    if (run.ascii) {
        if (run.resume)
            return fail(Error(ErrorKind::Usage,
                              QStringLiteral("--ascii cannot be combined with --resume: "
                                             "converting line ends makes the local and remote "
                                             "sizes differ, so a partial copy cannot be "
                                             "continued")));
        if ((verb != u"get" && verb != u"put") || run.recursive)
            return fail(Error(ErrorKind::Usage, QStringLiteral("--ascii is for get and put of a "
                                                               "single file")));
    }
    Error error;
    const auto target = [&](const QString &where) {
        return ftpTarget(run.context, run.profileName, where, &error);
    };

    if (verb == u"ls" && rest.size() == 1) {
        const auto site = target(rest.at(0));
        return site ? runList(run, *site) : fail(error);
    }
    if (verb == u"get" && rest.size() == 2 && run.recursive) {
        const auto site = target(rest.at(0));
        return site
                   ? runTree(run, *site, rest.at(1), controllers::TransferSpec::Direction::Download)
                   : fail(error);
    }
    if (verb == u"put" && rest.size() == 2 && run.recursive) {
        const auto site = target(rest.at(1));
        return site ? runTree(run, *site, rest.at(0), controllers::TransferSpec::Direction::Upload)
                    : fail(error);
    }
    if (verb == u"get" && rest.size() == 2) {
        const auto site = target(rest.at(0));
        return site ? runTransfer(run, *site, rest.at(1),
                                  controllers::TransferSpec::Direction::Download)
                    : fail(error);
    }
    if (verb == u"put" && rest.size() == 2) {
        const auto site = target(rest.at(1));
        return site ? runTransfer(run, *site, rest.at(0),
                                  controllers::TransferSpec::Direction::Upload)
                    : fail(error);
    }
    if (verb == u"mirror" && rest.size() == 2) {
        const bool download = rest.at(0).contains(QStringLiteral("://"));
        if (download == rest.at(1).contains(QStringLiteral("://")))
            return fail(Error(ErrorKind::Usage,
                              QStringLiteral("mirror takes one URL and one local folder")));
        const auto site = target(download ? rest.at(0) : rest.at(1));
        if (!site)
            return fail(error);
        return runTree(run, *site, download ? rest.at(1) : rest.at(0),
                       download ? controllers::TransferSpec::Direction::Download
                                : controllers::TransferSpec::Direction::Upload,
                       true);
    }
    if (verb == u"rm" && rest.size() == 1 && run.recursive) {
        const auto site = target(rest.at(0));
        if (!site)
            return fail(error);
        if (site->wirePath().isEmpty())
            return fail(Error(ErrorKind::Usage, QStringLiteral("rm -r needs a folder in the URL")));
        return runRemoveTree(run, *site);
    }
    if ((verb == u"mkdir" || verb == u"rm" || verb == u"rmdir") && rest.size() == 1) {
        const auto site = target(rest.at(0));
        if (!site)
            return fail(error);
        const QByteArray path = site->wirePath();
        if (path.isEmpty())
            return fail(Error(ErrorKind::Usage, QStringLiteral("%1 needs a path").arg(verb)));
        return runSimple(run, *site, [verb, path]() -> ftp::FtpCommand * {
            if (verb == u"mkdir")
                return new ftp::MakeDirectoryCommand(path);
            if (verb == u"rm")
                return new ftp::DeleteFileCommand(path);
            return new ftp::RemoveDirectoryCommand(path);
        });
    }
    if (verb == u"mv" && rest.size() == 2) {
        const auto site = target(rest.at(0));
        if (!site)
            return fail(error);
        QString to = rest.at(1);
        if (to.startsWith(u'/'))
            to.remove(0, 1);
        const QByteArray from = site->wirePath();
        const QByteArray toWire = ftp::FtpSession::wirePath(to);
        return runSimple(run, *site,
                         [from, toWire] { return new ftp::RenameCommand(from, toWire); });
    }
    if (verb == u"chmod" && rest.size() == 2) {
        bool ok = false;
        const int mode = rest.at(0).toInt(&ok, 8);
        if (!ok || mode < 0 || mode > 07777)
            return fail(
                Error(ErrorKind::Usage, QStringLiteral("chmod takes an octal mode such as 644")));
        const auto site = target(rest.at(1));
        if (!site)
            return fail(error);
        const QByteArray path = site->wirePath();
        return runSimple(run, *site, [mode, path] { return new ftp::ChmodCommand(mode, path); });
    }
    return usage();
}

} // namespace wharf::cli
