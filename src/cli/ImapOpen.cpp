#include "cli/ImapOpen.h"

#include "cli/ExitCode.h"
#include "cli/ImapCliSupport.h"
#include "controllers/MessageOpening.h"
#include "store/MailStore.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <unistd.h>

namespace wharf::cli {

namespace {

int usage()
{
    printError(QStringLiteral("usage: wharf-cli [options] imap open URL --store DIR ID "
                              "| --profile NAME ID [--store DIR] [-o FILE] [--json]"));
    return ExitUsage;
}

// Copies the local copy to `output` ("-": stdout) in blocks.
Error copyOut(const QString &path, const QString &output)
{
    QFile source(path);
    if (!source.open(QIODevice::ReadOnly)) {
        return Error(ErrorKind::LocalFile,
                     QStringLiteral("Cannot read %1: %2").arg(path, source.errorString()));
    }
    QFile target;
    const bool toStdout = output == u"-";
    if (toStdout ? !target.open(stdout, QIODevice::WriteOnly)
                 : (target.setFileName(output), !target.open(QIODevice::WriteOnly))) {
        return Error(ErrorKind::LocalFile,
                     QStringLiteral("Cannot write %1: %2").arg(output, target.errorString()));
    }
    QByteArray block;
    while (!(block = source.read(256 * 1024)).isEmpty()) {
        if (target.write(block) != block.size()) {
            return Error(ErrorKind::LocalFile,
                         QStringLiteral("Cannot write %1: %2").arg(output, target.errorString()));
        }
    }
    return {};
}

} // namespace

int runImapOpen(const CliContext &context, const QStringList &arguments)
{
    QStringList rest = arguments;
    bool json = context.json;
    if (rest.removeAll(QStringLiteral("--json")) > 0)
        json = true;
    QString profile;
    if (!takeProfileOption(rest, &profile))
        return usage();
    QString storeDir;
    QString output;
    for (const QString &option : {QStringLiteral("--store"), QStringLiteral("-o")}) {
        const qsizetype at = rest.indexOf(option);
        if (at < 0)
            continue;
        if (at + 1 >= rest.size())
            return usage();
        (option == u"-o" ? output : storeDir) = rest.at(at + 1);
        rest.remove(at, 2);
    }
    // With a profile only the id is left; with a URL, the URL and the id.
    if (rest.size() != (profile.isEmpty() ? 2 : 1))
        return usage();
    bool ok = false;
    const qint64 id = rest.takeLast().toLongLong(&ok);
    if (!ok || id <= 0)
        return usage();
    Error error;
    const std::optional<ImapTarget> target = imapTarget(context, profile, rest.value(0), &error);
    if (!target) {
        printError(error.message());
        return exitCodeFor(error.kind());
    }
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

    controllers::MessageOpening opening(pool.get(), &store, id);
    const bool showProgress = isatty(STDERR_FILENO) && !json;
    if (showProgress) {
        QObject::connect(
            &opening, &controllers::MessageOpening::progress, [](qint64 received, qint64 total) {
                std::fprintf(stderr, "\r%lld of %lld bytes", qlonglong(received), qlonglong(total));
            });
    }
    QObject::connect(&opening, &controllers::MessageOpening::finished, [&] {
        if (showProgress && opening.downloaded())
            std::fprintf(stderr, "\n");
        if (opening.error())
            return quitWith(opening.error());
        if (!output.isEmpty()) {
            if (const Error copied = copyOut(opening.filePath(), output))
                return quitWith(copied);
        } else if (json) {
            const QJsonObject object{{QStringLiteral("id"), id},
                                     {QStringLiteral("path"), opening.filePath()},
                                     {QStringLiteral("downloaded"), opening.downloaded()}};
            printOut(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)) +
                     u'\n');
        } else {
            printOut(opening.filePath() + u'\n');
        }
        QCoreApplication::exit(ExitOk);
    });
    opening.start();
    return runUntilDone(*pool);
}

} // namespace wharf::cli
