#include "cli/StoreTransfer.h"

#include "cli/ExitCode.h"
#include "cli/Interrupt.h"
#include "cli/StoreCommandSupport.h"
#include "mime/HeaderFields.h"
#include "mime/Mbox.h"
#include "store/DurableFiles.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>

#include <cstdio>
#include <unistd.h>

namespace wharf::cli {

namespace {

// A batch is made durable every so often: progress is acknowledged mail, and a full disk or
// Ctrl-C finds little waiting in tmp/.
constexpr qsizetype kFlushEveryMessages = 256;
constexpr qint64 kFlushEveryBytes = 1024 * 1024;
constexpr qint64 kExportPage = 256;
constexpr qint64 kEventsEveryMs = 50;
constexpr qint64 kProgressEveryMs = 250;

// What a person sees of a long transfer: a progress line on a terminal (never in a pipe
// or a log) and Ctrl-C, which only the event loop notices, so it is let in now and then.
class TransferRun
{
public:
    TransferRun()
        : m_terminal(::isatty(STDERR_FILENO) == 1)
    {
        m_sinceEvents.start();
        m_sinceProgress.start();
        QObject::connect(&m_interrupt, &Interrupt::requested, [this] { m_requested = true; });
    }
    ~TransferRun() { clearProgress(); }
    TransferRun(const TransferRun &) = delete;
    TransferRun &operator=(const TransferRun &) = delete;

    bool interrupted()
    {
        if (m_sinceEvents.elapsed() >= kEventsEveryMs) {
            QCoreApplication::processEvents();
            m_sinceEvents.restart();
        }
        return m_requested;
    }

    void progress(const QString &what, qint64 done, qint64 total)
    {
        if (!m_terminal || m_sinceProgress.elapsed() < kProgressEveryMs)
            return;
        m_sinceProgress.restart();
        const int percent = total > 0 ? int(qMin<qint64>(100, done * 100 / total)) : 0;
        std::fprintf(stderr, "\r%s (%d%%)\033[K", qUtf8Printable(what), percent);
        std::fflush(stderr);
        m_shown = true;
    }

    void clearProgress()
    {
        if (m_shown)
            std::fputs("\r\033[K", stderr);
        m_shown = false;
    }

private:
    Interrupt m_interrupt;
    bool m_requested = false;
    bool m_terminal;
    bool m_shown = false;
    QElapsedTimer m_sinceEvents;
    QElapsedTimer m_sinceProgress;
};

// Adds messages through the store's batches and counts what it acknowledged.
class BatchImport
{
public:
    BatchImport(store::MailStore &mailStore, qint64 folderId)
        : m_store(mailStore)
        , m_folderId(folderId)
    {}

    Error add(const QByteArray &raw, const store::AddOptions &options)
    {
        const qsizetype before = m_store.pendingBatchSize();
        if (Error error = m_store.addToBatch(m_folderId, raw, options))
            return error;
        // The store flushes a full batch by itself: what left the batch was acknowledged.
        m_imported += before + 1 - m_store.pendingBatchSize();
        m_pendingBytes = m_store.pendingBatchSize() == 0 ? 0 : m_pendingBytes + raw.size();
        if (m_store.pendingBatchSize() >= kFlushEveryMessages || m_pendingBytes >= kFlushEveryBytes)
            return flush();
        return {};
    }

    Error flush()
    {
        qint64 added = 0;
        const Error error = m_store.flushBatch(&added);
        m_imported += added;
        m_pendingBytes = 0;
        return error;
    }

    qint64 imported() const { return m_imported; }

private:
    store::MailStore &m_store;
    qint64 m_folderId;
    qint64 m_imported = 0;
    qint64 m_pendingBytes = 0;
};

struct ImportOutcome
{
    qint64 imported = 0;
    qint64 skipped = 0; // --skip for mbox, files gone before they were read for a Maildir
    bool interrupted = false;
    Error error;
    bool storeFailed = false; // the error came from the store, not from the source
};

// Ends an import. After Ctrl-C or a source that cannot be read, what was written is made
// durable and counted. After the store failed (a full disk, mostly) nothing more is tried:
// publishing the rest would need the room the index has no more, and mail renamed into
// place but not indexed would keep the store from opening until space is freed. What
// waits in tmp/ was never acknowledged and is never seen as mail.
void finishImport(BatchImport &batch, ImportOutcome *outcome)
{
    if (!outcome->storeFailed) {
        if (Error error = batch.flush(); error && !outcome->error)
            outcome->error = error;
    }
    outcome->imported = batch.imported();
}

int reportImport(const StoreCommandLine &command, const QString &source, const QString &folder,
                 const ImportOutcome &outcome, const QString &resumeHint)
{
    if (command.json()) {
        printJson(QJsonObject{{QStringLiteral("source"), source},
                              {QStringLiteral("folder"), folder},
                              {QStringLiteral("imported"), outcome.imported},
                              {QStringLiteral("skipped"), outcome.skipped},
                              {QStringLiteral("interrupted"), outcome.interrupted},
                              {QStringLiteral("error"), outcome.error
                                                            ? QJsonValue(outcome.error.message())
                                                            : QJsonValue(QJsonValue::Null)}});
    } else {
        printOut(QStringLiteral("Imported %1 messages from %2 into %3 (%4).\n")
                     .arg(outcome.imported)
                     .arg(source, folder, command.storeName()));
    }
    if (outcome.error) {
        printError(QStringLiteral("%1 (%2 messages were imported before it)")
                       .arg(outcome.error.message())
                       .arg(outcome.imported));
        return exitCodeFor(outcome.error.kind());
    }
    if (outcome.interrupted) {
        printError(QStringLiteral("interrupted after %1 messages were imported%2")
                       .arg(outcome.imported)
                       .arg(resumeHint));
        return ExitInterrupted;
    }
    return ExitOk;
}

// The flags mbox writers keep in headers: mutt and elm write Status (R read) and X-Status
// (A answered, F flagged, T draft, D deleted); Thunderbird writes X-Mozilla-Status, hex.
store::AddOptions optionsFromMboxHeaders(const QByteArray &raw)
{
    store::AddOptions options;
    const mime::HeaderBlock header = mime::parseHeaderBlock(raw);
    if (const mime::HeaderField *status = mime::findField(header.fields, "Status")) {
        if (status->value.contains('R'))
            options.flags |= MessageFlag::Seen;
    }
    if (const mime::HeaderField *status = mime::findField(header.fields, "X-Status")) {
        for (const auto &[letter, flag] :
             {std::pair{'A', MessageFlag::Answered}, std::pair{'F', MessageFlag::Flagged},
              std::pair{'T', MessageFlag::Draft}, std::pair{'D', MessageFlag::Deleted}}) {
            if (status->value.contains(letter))
                options.flags |= flag;
        }
    }
    if (const mime::HeaderField *status = mime::findField(header.fields, "X-Mozilla-Status")) {
        bool ok = false;
        const uint bits = status->value.trimmed().toUInt(&ok, 16);
        if (ok) {
            for (const auto &[bit, flag] :
                 {std::pair{0x0001u, MessageFlag::Seen}, std::pair{0x0002u, MessageFlag::Answered},
                  std::pair{0x0004u, MessageFlag::Flagged},
                  std::pair{0x0008u, MessageFlag::Deleted},
                  std::pair{0x1000u, MessageFlag::Forwarded}}) {
                if (bits & bit)
                    options.flags |= flag;
            }
        }
    }
    return options;
}

// A word as a shell reads it back, for the command line printed to resume an import.
QString shellQuoted(const QString &word)
{
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9_./@%+=:,-]+$"));
    if (plain.match(word).hasMatch())
        return word;
    QString quoted = word;
    quoted.replace(u'\'', QStringLiteral("'\\''"));
    return u'\'' + quoted + u'\'';
}

QCommandLineOption folderOption()
{
    return QCommandLineOption(QStringLiteral("folder"), {}, QStringLiteral("F"));
}

// The folder an import goes into, made when it does not exist yet.
std::optional<qint64> importFolder(store::MailStore &mailStore, const QString &name, int *code)
{
    qint64 id = 0;
    if (const Error error = mailStore.createFolder(name, &id)) {
        *code = failWith(error);
        return std::nullopt;
    }
    return id;
}

} // namespace

int runImportMbox(const CliContext &context, const QStringList &arguments)
{
    StoreCommandLine command(context, QStringLiteral("import-mbox"),
                             QStringLiteral("import-mbox FILE --folder F [--skip N]"));
    command.parser().addOptions(
        {folderOption(), QCommandLineOption(QStringLiteral("skip"), {}, QStringLiteral("N"))});
    if (!command.parse(arguments, 1, 1))
        return ExitUsage;
    if (!command.parser().isSet(QStringLiteral("folder")))
        return command.usage(QStringLiteral("--folder is needed"));
    const auto skip = command.number(QStringLiteral("skip"), 0, 0);
    if (!skip)
        return ExitUsage;
    const QString path = command.positional().first();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        printError(QStringLiteral("Cannot read %1: %2").arg(path, file.errorString()));
        return ExitLocalFile;
    }
    if (!file.atEnd() && !mime::looksLikeMbox(file.peek(5))) {
        printError(QStringLiteral("%1 is not an mbox file: it does not start with a \"From \" "
                                  "line (for one message, use a Maildir or mail parse)")
                       .arg(path));
        return ExitUsage;
    }
    store::MailStore mailStore;
    if (const int code = command.open(&mailStore))
        return code;
    int code = ExitOk;
    const QString folderName = command.parser().value(QStringLiteral("folder"));
    const std::optional<qint64> folderId = importFolder(mailStore, folderName, &code);
    if (!folderId)
        return code;

    BatchImport batch(mailStore, *folderId);
    TransferRun run;
    ImportOutcome outcome;
    qint64 read = 0;
    const qint64 total = file.size();
    const bool readable = mime::forEachMboxMessageWhile(file, [&](QByteArray raw) {
        if (read++ < *skip) {
            ++outcome.skipped;
        } else if (Error error = batch.add(raw, optionsFromMboxHeaders(raw))) {
            outcome.error = error;
            outcome.storeFailed = true;
            return false;
        }
        run.progress(QStringLiteral("%1 messages imported").arg(batch.imported()), file.pos(),
                     total);
        if (run.interrupted()) {
            outcome.interrupted = true;
            return false;
        }
        return true;
    });
    if (!readable && !outcome.error) {
        outcome.error = Error(ErrorKind::LocalFile,
                              QStringLiteral("Cannot read %1: %2").arg(path, file.errorString()));
    }
    finishImport(batch, &outcome);
    run.clearProgress();
    const QString hint = QStringLiteral("; to go on: wharf-cli store import-mbox %1 --folder %2 "
                                        "--skip %3")
                             .arg(shellQuoted(path), shellQuoted(folderName))
                             .arg(*skip + outcome.imported);
    return reportImport(command, path, folderName, outcome, hint);
}

int runImportMaildir(const CliContext &context, const QStringList &arguments)
{
    StoreCommandLine command(context, QStringLiteral("import-maildir"),
                             QStringLiteral("import-maildir DIR --folder F"));
    command.parser().addOption(folderOption());
    if (!command.parse(arguments, 1, 1))
        return ExitUsage;
    if (!command.parser().isSet(QStringLiteral("folder")))
        return command.usage(QStringLiteral("--folder is needed"));
    const QString directory = QDir::cleanPath(command.positional().first());
    if (!QFileInfo(directory + QStringLiteral("/cur")).isDir() ||
        !QFileInfo(directory + QStringLiteral("/new")).isDir()) {
        printError(
            QStringLiteral("%1 is not a Maildir: it needs cur/ and new/ folders").arg(directory));
        return ExitUsage;
    }
    store::MailStore mailStore;
    if (const int code = command.open(&mailStore))
        return code;
    const QString source = QFileInfo(directory).canonicalFilePath();
    const QString root = QFileInfo(mailStore.rootPath()).canonicalFilePath();
    if (source == root || source.startsWith(root + u'/')) {
        printError(QStringLiteral("%1 is part of the store itself").arg(directory));
        return ExitUsage;
    }
    QList<store::MaildirEntry> entries;
    if (const Error error = store::MaildirFolder(directory).list(&entries))
        return failWith(error);
    int code = ExitOk;
    const QString folderName = command.parser().value(QStringLiteral("folder"));
    const std::optional<qint64> folderId = importFolder(mailStore, folderName, &code);
    if (!folderId)
        return code;

    BatchImport batch(mailStore, *folderId);
    TransferRun run;
    ImportOutcome outcome;
    qint64 done = 0;
    for (const store::MaildirEntry &entry : std::as_const(entries)) {
        const QString path = directory + u'/' + entry.relativePath;
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            if (!QFileInfo::exists(path)) { // moved or deleted by its mail client meanwhile
                ++outcome.skipped;
                continue;
            }
            outcome.error =
                Error(ErrorKind::LocalFile,
                      QStringLiteral("Cannot read %1: %2").arg(path, file.errorString()));
            break;
        }
        store::AddOptions options;
        // Keyword letters (a-z) name entries of the source's own dovecot-keywords file and
        // would mean other keywords here: only the standard flags come along.
        options.flags = entry.flags;
        // The arrival time is the file's mtime, as Dovecot and Wharf keep it.
        options.internalDate = QFileInfo(file).lastModified().toMSecsSinceEpoch();
        const QByteArray raw = file.readAll();
        if (file.error() != QFile::NoError) {
            outcome.error =
                Error(ErrorKind::LocalFile,
                      QStringLiteral("Cannot read %1: %2").arg(path, file.errorString()));
            break;
        }
        if (Error error = batch.add(raw, options)) {
            outcome.error = error;
            outcome.storeFailed = true;
            break;
        }
        run.progress(QStringLiteral("%1 messages imported").arg(batch.imported()), ++done,
                     entries.size());
        if (run.interrupted()) {
            outcome.interrupted = true;
            break;
        }
    }
    finishImport(batch, &outcome);
    run.clearProgress();
    return reportImport(command, directory, folderName, outcome, {});
}

int runExportMbox(const CliContext &context, const QStringList &arguments)
{
    StoreCommandLine command(context, QStringLiteral("export-mbox"),
                             QStringLiteral("export-mbox FILE --folder F [--force]"));
    command.parser().addOptions({folderOption(), QCommandLineOption(QStringLiteral("force"))});
    if (!command.parse(arguments, 1, 1))
        return ExitUsage;
    if (!command.parser().isSet(QStringLiteral("folder")))
        return command.usage(QStringLiteral("--folder is needed"));
    const QString path = command.positional().first();
    if (QFileInfo::exists(path) && !command.parser().isSet(QStringLiteral("force"))) {
        printError(QStringLiteral("%1 exists; --force replaces it").arg(path));
        return ExitUsage;
    }
    store::MailStore mailStore;
    if (const int code = command.open(&mailStore))
        return code;
    const auto folder =
        command.existingFolder(mailStore, command.parser().value(QStringLiteral("folder")));
    if (!folder)
        return ExitUsage;
    qint64 total = 0;
    if (const Error error = mailStore.count(folder->id, &total))
        return failWith(error);

    // Written beside the target and renamed over it once complete and synced.
    QSaveFile file(path);
    auto cannotWrite = [&] {
        printError(QStringLiteral("Cannot write %1: %2").arg(path, file.errorString()));
        return ExitLocalFile;
    };
    // Unbuffered: the writer sends 64 KiB chunks, and a full disk fails the write that hit
    // it, with its reason (a buffered QSaveFile loses the reason by the time it commits).
    if (!file.open(QIODevice::WriteOnly | QIODevice::Unbuffered))
        return cannotWrite();
    TransferRun run;
    qint64 exported = 0;
    qint64 headersOnly = 0;
    QList<store::MessageRecord> records;
    for (qint64 offset = 0; offset < total; offset += kExportPage) {
        records.clear();
        if (const Error error = mailStore.page(folder->id, offset, kExportPage, &records, false))
            return failWith(error);
        if (records.isEmpty())
            break;
        for (const store::MessageRecord &record : std::as_const(records)) {
            if (!record.hasLocalCopy()) {
                ++headersOnly;
                continue;
            }
            QByteArray raw;
            if (const Error error = mailStore.readMessage(record.id, &raw))
                return failWith(error);
            const QDateTime date = QDateTime::fromMSecsSinceEpoch(record.internalDate, Qt::UTC);
            if (!mime::writeMboxMessage(file, raw, date))
                return cannotWrite();
            ++exported;
            run.progress(QStringLiteral("%1 messages exported").arg(exported),
                         exported + headersOnly, total);
            if (run.interrupted()) {
                file.cancelWriting();
                run.clearProgress();
                printError(QStringLiteral("interrupted; %1 was not written").arg(path));
                return ExitInterrupted;
            }
        }
    }
    if (!file.commit())
        return cannotWrite();
    // The rename reaches the disk too, not only the file's bytes.
    if (const Error error = store::syncPath(QFileInfo(path).absolutePath()))
        return failWith(error);
    run.clearProgress();
    if (command.json()) {
        printJson(QJsonObject{{QStringLiteral("file"), path},
                              {QStringLiteral("folder"), folder->name},
                              {QStringLiteral("exported"), exported},
                              {QStringLiteral("headers_only"), headersOnly}});
        return ExitOk;
    }
    QString text = QStringLiteral("Exported %1 messages from %2 to %3.\n")
                       .arg(exported)
                       .arg(folder->name, path);
    if (headersOnly > 0) {
        text += QStringLiteral("%1 messages have only their headers here (the body is on the "
                               "server) and were left out.\n")
                    .arg(headersOnly);
    }
    printOut(text);
    return ExitOk;
}

} // namespace wharf::cli
