#include "cli/ImapIdle.h"

#include "cli/ExitCode.h"
#include "cli/ImapCliSupport.h"
#include "cli/Interrupt.h"
#include "controllers/MailboxWatcher.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <cstdio>

namespace wharf::cli {

namespace {

using controllers::MailboxWatcher;
using controllers::RemoteMessageSummary;

// How long LOGOUT may take after Ctrl+C before the program leaves anyway.
constexpr int kLogoutGraceMs = 3'000;

QByteArray lineFor(const RemoteMessageSummary &message, bool json)
{
    const QString date = message.internalDate.toString(Qt::ISODate);
    if (!json) {
        return QStringLiteral("%1\t%2\t%3\t%4\n")
            .arg(message.uid)
            .arg(date, message.from, message.subject)
            .toUtf8();
    }
    QStringList flags;
    for (const QByteArray &flag : controllers::flagsToImap(message.flags))
        flags.append(QString::fromLatin1(flag));
    flags += message.keywords;
    QJsonObject object;
    object[QStringLiteral("uid")] = qint64(message.uid);
    object[QStringLiteral("flags")] = QJsonArray::fromStringList(flags);
    object[QStringLiteral("size")] = qint64(message.size);
    object[QStringLiteral("date")] = date;
    object[QStringLiteral("from")] = message.from;
    object[QStringLiteral("subject")] = message.subject;
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

QString seconds(int ms)
{
    return QString::number(ms / 1000.0, 'f', ms < 10'000 ? 1 : 0);
}

} // namespace

int runImapIdle(const CliContext &context, const ImapTarget &target)
{
    int exitCode = ExitOk;
    const std::unique_ptr<controllers::ImapConnectionPool> pool =
        makeImapPool(context, target, 1, &exitCode);
    if (!pool)
        return exitCode;
    const QString &path = target.endpoint.path;
    const QString folder = path.isEmpty() ? QStringLiteral("INBOX") : path;
    controllers::MailboxWatcherSettings settings;
    if (target.profile) // servers without IDLE are asked at the account's interval
        settings.pollIntervalMs = target.profile->mail.checkIntervalMinutes * 60'000;
    MailboxWatcher watcher(pool.get(), folder, settings);
    const bool json = context.json;

    QObject::connect(&watcher, &MailboxWatcher::newMail,
                     [json](const QList<RemoteMessageSummary> &messages) {
                         for (const RemoteMessageSummary &message : messages) {
                             const QByteArray line = lineFor(message, json);
                             std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
                         }
                         // A script reading a pipe sees each message as it comes.
                         std::fflush(stdout);
                     });
    bool watchedOnce = false;
    bool reconnecting = false;
    QObject::connect(&watcher, &MailboxWatcher::connectionLost,
                     [&watchedOnce, &reconnecting](const Error &reason, int retryInMs) {
                         reconnecting = true;
                         printError(QStringLiteral("%1: %2; trying again in %3 s")
                                        .arg(watchedOnce ? QStringLiteral("connection lost")
                                                         : QStringLiteral("cannot connect"),
                                             reason.message(), seconds(retryInMs)));
                     });
    QObject::connect(&watcher, &MailboxWatcher::stateChanged,
                     [&watchedOnce, &reconnecting, &watcher, folder](MailboxWatcher::State state) {
                         if (state != MailboxWatcher::State::Watching)
                             return;
                         const QString how =
                             watcher.usesIdle() ? QStringLiteral("IDLE")
                                                : QStringLiteral("polling, the server has no IDLE");
                         printError(QStringLiteral("%1 %2 (%3)")
                                        .arg(reconnecting ? QStringLiteral("reconnected, watching")
                                                          : QStringLiteral("watching"),
                                             folder, how));
                         watchedOnce = true;
                         reconnecting = false;
                     });
    QObject::connect(&watcher, &MailboxWatcher::errorOccurred, quitWith);

    Interrupt interrupt;
    bool interrupted = false;
    QObject::connect(&interrupt, &Interrupt::requested, [&interrupted, &watcher, &pool] {
        if (interrupted)
            return;
        interrupted = true;
        printError(QStringLiteral("interrupted"));
        // DONE and LOGOUT, as a client should leave; a server that does not answer does
        // not hold the program.
        watcher.stop();
        QObject::connect(pool.get(), &controllers::ImapConnectionPool::closed,
                         [] { QCoreApplication::exit(ExitInterrupted); });
        QTimer::singleShot(kLogoutGraceMs, [] { QCoreApplication::exit(ExitInterrupted); });
        pool->logoutAll();
    });

    watcher.start();
    const int code = QCoreApplication::exec();
    watcher.stop();
    pool->cancel();
    return code;
}

} // namespace wharf::cli
