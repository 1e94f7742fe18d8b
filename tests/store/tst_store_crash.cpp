// Crash safety of the mail store: store_crash_writer adds (one by one and in batches),
// moves, flags, trashes and removes messages and is killed with SIGKILL at a random moment,
// again and again on the same store. After every kill the store is opened (which
// reconciles) and must hold every acknowledged message exactly once, whole, in the folder
// and with the flags of its last acknowledged operation; an operation in flight may have
// happened or not. No partial file may be visible, and the index must match the files.
//
// WHARF_CRASH_SEED reproduces a run's choices (printed at the start); WHARF_CRASH_RUNS
// changes the number of kills (at least 200 by default).
#include "CrashMessage.h"

#include "store/MailStore.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace wharf;
using namespace wharf::store;

namespace {

constexpr int kDefaultRuns = 200;
constexpr int kMaxDelayMs = 150;
constexpr int kKillDuringOpenOneIn = 8;

// Where a message is: its folder and its flags as Maildir letters.
struct Place
{
    QString folder;
    QByteArray flags;
    bool operator==(const Place &) const = default;
};

QString describe(const std::optional<Place> &place)
{
    return place ? QStringLiteral("%1 [%2]").arg(place->folder, QString::fromLatin1(place->flags))
                 : QStringLiteral("absent");
}

// An operation the writer announced: what each message it touches may look like if it
// happened.
struct Operation
{
    QHash<qint64, std::optional<Place>> after;
};

Operation parseOperation(const QByteArray &line)
{
    const QList<QByteArray> words = line.split(' ');
    Operation operation;
    if (words.value(1) == "put") {
        for (qsizetype i = 4; i < words.size(); ++i)
            operation.after.insert(words[i].toLongLong(),
                                   Place{QString::fromUtf8(words[2]), words[3]});
    } else if (words.value(1) == "set") {
        operation.after.insert(words[2].toLongLong(), Place{QString::fromUtf8(words[3]), words[4]});
    } else if (words.value(1) == "drop") {
        operation.after.insert(words[2].toLongLong(), std::nullopt);
    } else {
        qFatal("unknown writer line: %s", line.constData());
    }
    return operation;
}

} // namespace

class TestStoreCrash : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void acknowledgedMailSurvivesSigkill();

private:
    // Applies the writer's output to the model; returns the operation in flight, if any.
    std::optional<Operation> replay(const QByteArray &output);
    // Opens the store and compares it with the model; adopts what the in-flight operation
    // did. Returns a description of the first problem, or an empty string.
    QString verify(const QString &root, const std::optional<Operation> &inFlight);

    QHash<qint64, Place> m_model;
};

std::optional<Operation> TestStoreCrash::replay(const QByteArray &output)
{
    std::optional<Operation> pending;
    for (const QByteArray &line : output.split('\n')) {
        if (line.startsWith("do ")) {
            pending = parseOperation(line);
        } else if (line == "ok" && pending) {
            for (auto it = pending->after.cbegin(); it != pending->after.cend(); ++it) {
                if (it.value())
                    m_model.insert(it.key(), *it.value());
                else
                    m_model.remove(it.key());
            }
            pending.reset();
        }
    }
    return pending;
}

QString TestStoreCrash::verify(const QString &root, const std::optional<Operation> &inFlight)
{
    MailStore store;
    if (Error error = store.open(root))
        return QStringLiteral("open after the kill: ") + error.message();

    QHash<qint64, QList<Place>> found;
    for (const FolderRecord &folder : store.folders()) {
        // The files of the folder: every one whole, and exactly the index's rows.
        const MaildirFolder maildir = folder.role == FolderRole::Inbox
                                          ? MaildirFolder(root)
                                          : *MaildirTree(root).folder(folder.name);
        QList<MaildirEntry> entries;
        if (Error error = maildir.list(&entries))
            return error.message();
        QHash<QString, qint64> files; // relative path -> the number its bytes carry
        for (const MaildirEntry &entry : std::as_const(entries)) {
            QFile file(maildir.absolutePath(entry.relativePath));
            const qint64 number =
                file.open(QIODevice::ReadOnly) ? crash::verifiedNumber(file.readAll()) : -1;
            if (number < 0)
                return QStringLiteral("partial or damaged file visible: ") + file.fileName();
            files.insert(entry.relativePath, number);
        }
        qint64 total = 0;
        QList<MessageRecord> records;
        if (Error error = store.count(folder.id, &total))
            return error.message();
        if (Error error = store.page(folder.id, 0, total + 1, &records))
            return error.message();
        if (total != files.size() || records.size() != files.size()) {
            return QStringLiteral("%1: %2 files, the index counts %3 and lists %4")
                .arg(folder.name)
                .arg(files.size())
                .arg(total)
                .arg(records.size());
        }
        for (const MessageRecord &record : std::as_const(records)) {
            const qint64 number = crash::numberFromSubject(record.subject);
            if (!files.contains(record.relativePath))
                return QStringLiteral("%1: index row %2 without its file %3")
                    .arg(folder.name)
                    .arg(record.id)
                    .arg(record.relativePath);
            if (number < 0 || files.take(record.relativePath) != number)
                return QStringLiteral("row %1 (%2) does not match its file")
                    .arg(record.id)
                    .arg(record.subject);
            const auto entry = MaildirFolder::parseFileName(record.relativePath.section(u'/', 0, 0),
                                                            record.relativePath.section(u'/', 1));
            if (!entry || entry->flags != record.flags)
                return QStringLiteral("row %1: flags differ from its file name %2")
                    .arg(record.id)
                    .arg(record.relativePath);
            found[number].append(Place{folder.name, crash::flagLetters(record.flags)});
        }
    }

    QHash<qint64, Place> next;
    for (auto it = found.cbegin(); it != found.cend(); ++it) {
        if (it.value().size() != 1)
            return QStringLiteral("message %1 is there %2 times")
                .arg(it.key())
                .arg(it.value().size());
        next.insert(it.key(), it.value().first());
    }
    QSet<qint64> numbers(m_model.keyBegin(), m_model.keyEnd());
    for (auto it = found.cbegin(); it != found.cend(); ++it)
        numbers.insert(it.key());
    for (qint64 number : std::as_const(numbers)) {
        const std::optional<Place> before =
            m_model.contains(number) ? std::optional(m_model.value(number)) : std::nullopt;
        const std::optional<Place> now =
            next.contains(number) ? std::optional(next.value(number)) : std::nullopt;
        if (now == before)
            continue;
        if (inFlight && inFlight->after.contains(number) && now == inFlight->after.value(number))
            continue;
        return QStringLiteral("message %1 should be %2%3, but is %4")
            .arg(number)
            .arg(describe(before),
                 inFlight && inFlight->after.contains(number)
                     ? QStringLiteral(" or ") + describe(inFlight->after.value(number))
                     : QString(),
                 describe(now));
    }
    m_model = next;
    return {};
}

void TestStoreCrash::acknowledgedMailSurvivesSigkill()
{
    bool ok = false;
    quint32 seed = qEnvironmentVariable("WHARF_CRASH_SEED").toUInt(&ok);
    if (!ok)
        seed = QRandomGenerator::system()->generate();
    int runs = qEnvironmentVariableIntValue("WHARF_CRASH_RUNS", &ok);
    if (!ok || runs <= 0)
        runs = kDefaultRuns;
    qInfo("seed %u (WHARF_CRASH_SEED=%u reproduces the choices), %d runs", seed, seed, runs);
    QRandomGenerator random(seed);

    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    const QString root = directory.filePath(QStringLiteral("store"));
    qint64 acknowledged = 0;
    int killedWhileWriting = 0;
    for (int run = 0; run < runs; ++run) {
        QProcess writer;
        writer.setProcessChannelMode(QProcess::SeparateChannels);
        writer.start(QStringLiteral(WHARF_CRASH_WRITER),
                     {root, QString::number(run), QString::number(random.generate())});
        QVERIFY2(writer.waitForStarted(), qPrintable(writer.errorString()));
        // Most kills land while it works; some while it opens the store (a sanitizer build
        // starts slowly, so the delay counts from "ready" rather than from the start).
        QByteArray output;
        if (random.bounded(kKillDuringOpenOneIn) != 0) {
            while (!output.contains("ready\n") && writer.waitForReadyRead())
                output += writer.readAllStandardOutput();
        }
        QTest::qWait(int(random.bounded(kMaxDelayMs + 1)));
        ::kill(pid_t(writer.processId()), SIGKILL);
        QVERIFY(writer.waitForFinished());
        QVERIFY2(writer.exitStatus() == QProcess::CrashExit,
                 qPrintable(QStringLiteral("run %1: the writer stopped by itself: %2")
                                .arg(run)
                                .arg(QString::fromLocal8Bit(writer.readAllStandardError()))));
        output += writer.readAllStandardOutput();
        acknowledged += output.count("\nok");
        const std::optional<Operation> inFlight = replay(output);
        if (inFlight)
            ++killedWhileWriting;
        const QString problem = verify(root, inFlight);
        QVERIFY2(problem.isEmpty(),
                 qPrintable(QStringLiteral("seed %1, run %2: %3").arg(seed).arg(run).arg(problem)));
    }
    qInfo("%d kills, %lld acknowledged operations, %d kills in the middle of one, %lld messages "
          "at the end",
          runs, acknowledged, killedWhileWriting, qint64(m_model.size()));
    // A writer that never got to write would make every check above pass vacuously.
    QVERIFY(acknowledged > runs);
    QVERIFY(killedWhileWriting > runs / 4);
}

QTEST_GUILESS_MAIN(TestStoreCrash)
#include "tst_store_crash.moc"
