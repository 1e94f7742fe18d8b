#include "cli/ImapCli.h"

#include "cli/ExitCode.h"
#include "cli/ImapCliSupport.h"
#include "cli/ImapIdle.h"
#include "cli/ImapOpen.h"
#include "cli/ImapSync.h"
#include "controllers/ImapConnectionPool.h"
#include "controllers/RemoteMessageSummary.h"
#include "protocols/imap/commands/AppendCommand.h"
#include "protocols/imap/commands/FetchCommand.h"
#include "protocols/imap/commands/ListCommand.h"
#include "protocols/imap/commands/SelectCommand.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <cstdio>
#include <functional>

namespace wharf::cli {

namespace {

using controllers::ImapConnectionPool;

int usage()
{
    printError(
        QStringLiteral("usage: wharf-cli [options] imap folders URL | list URL/FOLDER [--json] | "
                       "get URL/FOLDER/;UID=N [-o FILE] | append URL/FOLDER FILE | "
                       "sync URL/FOLDER --store DIR [--headers-only] | open URL --store DIR ID "
                       "[-o FILE] | idle URL/FOLDER [--json]"));
    return ExitUsage;
}

int fail(const Error &error)
{
    printError(error.message());
    return exitCodeFor(error.kind());
}

// "INBOX/;UID=42" -> ("INBOX", 42) (RFC 5092's form).
bool splitUid(const QString &path, QString *folder, quint32 *uid)
{
    const qsizetype at = path.lastIndexOf(QStringLiteral("/;UID="), -1, Qt::CaseInsensitive);
    if (at < 0)
        return false;
    bool ok = false;
    *uid = path.mid(at + 6).toUInt(&ok);
    *folder = path.left(at);
    return ok && *uid > 0 && !folder->isEmpty();
}

QString flagText(const controllers::RemoteMessageSummary &summary)
{
    QStringList words;
    for (const QByteArray &flag : controllers::flagsToImap(summary.flags))
        words.append(QString::fromLatin1(flag));
    words += summary.keywords;
    return words.join(u' ');
}

// One connection, one job: `work` runs once a session is ready and ends the event loop
// with QCoreApplication::exit.
int withSession(const CliContext &context, const ImapTarget &target,
                const std::function<void(imap::ImapSession *)> &work)
{
    int exitCode = ExitOk;
    const std::unique_ptr<ImapConnectionPool> pool = makeImapPool(context, target, 1, &exitCode);
    if (!pool)
        return exitCode;
    pool->acquire(pool.get(), work, quitWith);
    return runUntilDone(*pool);
}

// EXAMINE (read-only: listing or reading must not change \Recent or anything else).
void examine(imap::ImapSession *session, const QString &folder,
             const std::function<void(const imap::SelectedMailbox &)> &then)
{
    auto *select = new imap::SelectCommand(session->mailboxWireName(folder), true);
    QObject::connect(select, &imap::ImapCommand::finished, [select, then] {
        if (select->error()) {
            quitWith(select->error());
            return;
        }
        then(select->mailbox());
    });
    session->enqueue(select);
}

int runFolders(const CliContext &context, const ImapTarget &target)
{
    return withSession(context, target, [&context](imap::ImapSession *session) {
        auto *list = new imap::ListCommand("*");
        list->setStatusItems("MESSAGES UNSEEN");
        QObject::connect(list, &imap::ImapCommand::finished, [list, &context] {
            if (list->error()) {
                quitWith(list->error());
                return;
            }
            QHash<QByteArray, imap::StatusData> statuses;
            for (const imap::StatusData &status : list->statuses())
                statuses.insert(status.wireName, status);
            QJsonArray array;
            QString text;
            for (const imap::ListEntry &entry : list->entries()) {
                const imap::StatusData status = statuses.value(entry.wireName);
                if (context.json) {
                    QJsonObject object;
                    object[QStringLiteral("name")] = entry.name;
                    object[QStringLiteral("special_use")] = QString::fromLatin1(entry.specialUse());
                    object[QStringLiteral("selectable")] = entry.isSelectable();
                    if (status.messages)
                        object[QStringLiteral("messages")] = qint64(*status.messages);
                    if (status.unseen)
                        object[QStringLiteral("unseen")] = qint64(*status.unseen);
                    array.append(object);
                    continue;
                }
                QString counts;
                if (status.messages)
                    counts = QStringLiteral("%1 messages, %2 unseen")
                                 .arg(*status.messages)
                                 .arg(status.unseen.value_or(0));
                text += QStringLiteral("%1\t%2\t%3\n")
                            .arg(entry.name, QString::fromLatin1(entry.specialUse()), counts);
            }
            printOut(context.json ? QString::fromUtf8(QJsonDocument(array).toJson()) : text);
            QCoreApplication::exit(ExitOk);
        });
        session->enqueue(list);
    });
}

int runList(const CliContext &context, const ImapTarget &target, bool json)
{
    const ServerEndpoint &endpoint = target.endpoint;
    const QString folder = endpoint.path.isEmpty() ? QStringLiteral("INBOX") : endpoint.path;
    return withSession(context, target, [folder, json](imap::ImapSession *session) {
        examine(session, folder, [session, json](const imap::SelectedMailbox &mailbox) {
            if (mailbox.exists == 0) {
                QCoreApplication::exit(ExitOk);
                return;
            }
            auto *fetch = new imap::FetchCommand(imap::SequenceSet::range(1, ~quint32(0)),
                                                 "(UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE)");
            QObject::connect(
                fetch, &imap::FetchCommand::messageFetched, [json](const imap::FetchData &data) {
                    const controllers::RemoteMessageSummary row = controllers::summarize(data);
                    const QString date = row.internalDate.toString(Qt::ISODate);
                    QByteArray line;
                    if (json) {
                        QJsonObject object;
                        object[QStringLiteral("uid")] = qint64(row.uid);
                        object[QStringLiteral("flags")] = QJsonArray::fromStringList(
                            flagText(row).split(u' ', Qt::SkipEmptyParts));
                        object[QStringLiteral("size")] = qint64(row.size);
                        object[QStringLiteral("date")] = date;
                        object[QStringLiteral("from")] = row.from;
                        object[QStringLiteral("subject")] = row.subject;
                        line = QJsonDocument(object).toJson(QJsonDocument::Compact);
                    } else {
                        line = QStringLiteral("%1\t%2\t%3\t%4\t%5\t%6")
                                   .arg(row.uid)
                                   .arg(flagText(row))
                                   .arg(row.size)
                                   .arg(date, row.from, row.subject)
                                   .toUtf8();
                    }
                    line += '\n';
                    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
                });
            QObject::connect(fetch, &imap::ImapCommand::finished, [fetch] {
                std::fflush(stdout);
                if (fetch->error())
                    quitWith(fetch->error());
                else
                    QCoreApplication::exit(ExitOk);
            });
            session->enqueue(fetch);
        });
    });
}

// Writes the message as it arrives: a big one comes in chunks and is never held whole.
class MessageWriter
{
public:
    explicit MessageWriter(const QString &path)
        : m_path(path)
    {}

    Error open()
    {
        if (m_path.isEmpty() || m_path == u"-") {
            if (!m_stdout.open(stdout, QIODevice::WriteOnly))
                return Error(ErrorKind::LocalFile, QStringLiteral("Cannot write to stdout"));
            m_device = &m_stdout;
            return {};
        }
        m_file.setFileName(m_path);
        if (!m_file.open(QIODevice::WriteOnly))
            return Error(ErrorKind::LocalFile,
                         QStringLiteral("Cannot write %1: %2").arg(m_path, m_file.errorString()));
        m_device = &m_file;
        return {};
    }

    Error write(const QByteArray &bytes)
    {
        if (m_device->write(bytes) != bytes.size())
            return Error(
                ErrorKind::LocalFile,
                QStringLiteral("Cannot write %1: %2").arg(m_path, m_device->errorString()));
        m_written += bytes.size();
        return {};
    }

    // Only a complete message replaces the file (QSaveFile); stdout just gets flushed.
    Error commit()
    {
        if (m_device == &m_stdout) {
            m_stdout.flush();
            return {};
        }
        if (!m_file.commit())
            return Error(ErrorKind::LocalFile,
                         QStringLiteral("Cannot write %1: %2").arg(m_path, m_file.errorString()));
        return {};
    }

    qint64 written() const { return m_written; }

private:
    QString m_path;
    QSaveFile m_file;
    QFile m_stdout;
    QIODevice *m_device = nullptr;
    qint64 m_written = 0;
};

int runGet(const CliContext &context, const ImapTarget &target, const QString &output)
{
    const ServerEndpoint &endpoint = target.endpoint;
    QString folder;
    quint32 uid = 0;
    if (!splitUid(endpoint.path, &folder, &uid)) {
        printError(QStringLiteral("imap get needs URL/FOLDER/;UID=N"));
        return ExitUsage;
    }
    MessageWriter writer(output);
    if (const Error error = writer.open())
        return fail(error);
    return withSession(context, target, [&writer, folder, uid](imap::ImapSession *session) {
        examine(session, folder, [&writer, session, folder, uid](const imap::SelectedMailbox &) {
            auto *fetch =
                new imap::FetchCommand(imap::SequenceSet::fromList({uid}), "(UID BODY.PEEK[])");
            fetch->setMaxLiteralSize(session->settings().maxMessageSize);
            auto found = std::make_shared<bool>(false);
            auto failure = std::make_shared<Error>();
            QObject::connect(fetch, &imap::FetchCommand::chunkReceived,
                             [&writer, failure](const imap::LiteralChunk &chunk) {
                                 if (!*failure)
                                     *failure = writer.write(chunk.data);
                             });
            QObject::connect(fetch, &imap::FetchCommand::messageFetched,
                             [&writer, found, failure](const imap::FetchData &data) {
                                 for (const imap::BodySection &section : data.sections) {
                                     if (!section.section.isEmpty())
                                         continue;
                                     *found = true;
                                     if (section.content.isString() && !*failure)
                                         *failure = writer.write(section.content.bytes);
                                 }
                             });
            QObject::connect(
                fetch, &imap::ImapCommand::finished, [fetch, &writer, found, failure, folder, uid] {
                    if (fetch->error())
                        return quitWith(fetch->error());
                    if (*failure)
                        return quitWith(*failure);
                    if (!*found) {
                        return quitWith(
                            Error(ErrorKind::ProtocolError,
                                  QStringLiteral("There is no message with UID %1 in %2")
                                      .arg(uid)
                                      .arg(folder)));
                    }
                    if (const Error error = writer.commit())
                        return quitWith(error);
                    QCoreApplication::exit(ExitOk);
                });
            session->enqueue(fetch);
        });
    });
}

int runAppend(const CliContext &context, const ImapTarget &target, const QString &path)
{
    const ServerEndpoint &endpoint = target.endpoint;
    if (endpoint.path.isEmpty()) {
        printError(QStringLiteral("imap append needs URL/FOLDER"));
        return ExitUsage;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(Error(ErrorKind::LocalFile,
                          QStringLiteral("Cannot read %1: %2").arg(path, file.errorString())));
    QByteArray message = file.readAll();
    // IMAP wants CRLF line ends (RFC 3501 2.3.1); files on Linux usually have LF.
    if (!message.contains("\r\n"))
        message.replace('\n', "\r\n");
    const QString folder = endpoint.path;
    return withSession(context, target, [message, folder](imap::ImapSession *session) {
        auto *append = new imap::AppendCommand(session->mailboxWireName(folder), message);
        QObject::connect(append, &imap::ImapCommand::finished, [append, folder] {
            if (append->error())
                return quitWith(append->error());
            if (append->appendUid() && !append->appendUid()->destinationUids.isEmpty()) {
                printOut(QStringLiteral("appended to %1 as UID %2\n")
                             .arg(folder)
                             .arg(append->appendUid()->destinationUids.first()));
            } else {
                printOut(QStringLiteral("appended to %1\n").arg(folder));
            }
            QCoreApplication::exit(ExitOk);
        });
        session->enqueue(append);
    });
}

} // namespace

int runImap(const CliContext &context, const QStringList &arguments)
{
    QStringList rest = arguments;
    if (rest.size() < 2)
        return usage();
    const QString action = rest.takeFirst();
    if (action == u"sync")
        return runImapSync(context, rest);
    if (action == u"open")
        return runImapOpen(context, rest);
    bool json = context.json;
    if (rest.removeAll(QStringLiteral("--json")) > 0)
        json = true;
    QString output;
    const qsizetype outputAt = rest.indexOf(QStringLiteral("-o"));
    if (outputAt >= 0) {
        if (outputAt + 1 >= rest.size())
            return usage();
        output = rest.at(outputAt + 1);
        rest.remove(outputAt, 2);
    }
    QString profile;
    if (!takeProfileOption(rest, &profile))
        return usage();
    // With a profile, folders needs no path: the account's server is all it lists.
    if (!profile.isEmpty() && action == u"folders" && rest.isEmpty())
        rest.append(QString());
    Error error;
    const std::optional<ImapTarget> target = imapTarget(context, profile, rest.value(0), &error);
    if (!target) {
        printError(error.message());
        return exitCodeFor(error.kind());
    }
    CliContext effective = context;
    effective.json = json;
    if (action == u"folders" && rest.size() == 1)
        return runFolders(effective, *target);
    if (action == u"list" && rest.size() == 1)
        return runList(effective, *target, json);
    if (action == u"get" && rest.size() == 1)
        return runGet(effective, *target, output);
    if (action == u"idle" && rest.size() == 1)
        return runImapIdle(effective, *target);
    if (action == u"append" && rest.size() == 2)
        return runAppend(effective, *target, rest.at(1));
    return usage();
}

} // namespace wharf::cli
