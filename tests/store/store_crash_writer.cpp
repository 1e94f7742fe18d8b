// The victim of tst_store_crash: works on a MailStore until it is killed. Before each
// operation it says what it is about to do, after the store returned OK it says "ok", so
// the driver knows what was acknowledged and what was in flight when SIGKILL came.
//
//   usage: store_crash_writer STORE_DIR RUN SEED
//
//   do put FOLDER FLAGS N...   adds messages N... (one addMessage, or one batch)
//   do set N FOLDER FLAGS      moves message N, changes its flags, or moves it to Trash
//   do drop N                  removes message N for good
//   ok                         the last "do" returned without error
//
// FLAGS are Maildir info letters, "-" for none. Message N has the subject "crash N" and a
// header X-Crash-Sum with the SHA-256 of its body (see CrashMessage.h).
#include "CrashMessage.h"

#include "store/MailStore.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QRandomGenerator>

#include <cstdio>
#include <unistd.h>

using namespace wharf;
using namespace wharf::store;

namespace {

constexpr qint64 kMaxMessages = 120;

struct Tracked
{
    qint64 id = 0;
    QString folder;
    MessageFlags flags;
};

[[noreturn]] void die(const QString &what, const Error &error)
{
    std::fprintf(stderr, "store_crash_writer: %s: %s\n", qPrintable(what),
                 qPrintable(error.message()));
    std::exit(1);
}

// One write(2) per line, so a kill never leaves half a line for the driver to misread.
void say(const QByteArray &line)
{
    const QByteArray text = line + '\n';
    if (::write(STDOUT_FILENO, text.constData(), size_t(text.size())) != text.size())
        std::exit(1);
}

class Writer
{
public:
    Writer(const QString &root, qint64 run, quint32 seed)
        : m_random(seed)
        , m_next(run * 1'000'000)
    {
        if (Error error = m_store.open(root))
            die(QStringLiteral("open"), error);
        for (const char *name : crash::kFolders) {
            if (Error error = m_store.createFolder(QString::fromLatin1(name)))
                die(QStringLiteral("create folder"), error);
        }
        for (const FolderRecord &folder : m_store.folders()) {
            QList<MessageRecord> records;
            if (Error error = m_store.page(folder.id, 0, 1'000'000, &records))
                die(QStringLiteral("list"), error);
            for (const MessageRecord &record : std::as_const(records)) {
                const qint64 number = crash::numberFromSubject(record.subject);
                if (number >= 0)
                    m_messages.insert(number, {record.id, folder.name, record.flags});
            }
        }
    }

    void step()
    {
        const int dice = int(m_random.bounded(100));
        if (m_messages.size() < 10 || (dice < 25 && m_messages.size() < kMaxMessages))
            addOne();
        else if (dice < 45 && m_messages.size() < kMaxMessages)
            addBatch();
        else if (dice < 60)
            move();
        else if (dice < 75)
            changeFlags();
        else if (dice < 88)
            trash();
        else
            drop();
    }

private:
    QString randomFolder()
    {
        return QString::fromLatin1(
            crash::kFolders[m_random.bounded(int(std::size(crash::kFolders)))]);
    }

    MessageFlags randomFlags()
    {
        MessageFlags flags;
        for (MessageFlag flag : {MessageFlag::Seen, MessageFlag::Flagged, MessageFlag::Answered}) {
            if (m_random.bounded(2))
                flags |= flag;
        }
        return flags;
    }

    qint64 pick()
    {
        const QList<qint64> numbers = m_messages.keys();
        return numbers[m_random.bounded(int(numbers.size()))];
    }

    qint64 idOf(qint64 number)
    {
        QList<MessageRecord> records;
        if (Error error = m_store.findByMessageId(crash::messageId(number), &records))
            die(QStringLiteral("find"), error);
        if (records.size() != 1)
            die(QStringLiteral("find"),
                Error(ErrorKind::Usage,
                      QStringLiteral("%1 copies of %2").arg(records.size()).arg(number)));
        return records.first().id;
    }

    void addOne()
    {
        const qint64 number = m_next++;
        const QString folder = randomFolder();
        AddOptions options;
        options.flags = randomFlags();
        const QByteArray raw = crash::message(number);
        say("do put " + folder.toUtf8() + ' ' + crash::flagLetters(options.flags) + ' ' +
            QByteArray::number(number));
        qint64 id = 0;
        const qint64 folderId = m_store.folder(folder)->id;
        Error error;
        if (m_random.bounded(2)) {
            error = m_store.addMessage(folderId, raw, options, &id);
        } else {
            QBuffer stream;
            stream.setData(raw);
            stream.open(QIODevice::ReadOnly);
            error = m_store.addMessage(folderId, stream, options, &id);
        }
        if (error)
            die(QStringLiteral("add"), error);
        say("ok");
        m_messages.insert(number, {id, folder, options.flags});
    }

    void addBatch()
    {
        const QString folder = randomFolder();
        AddOptions options;
        options.flags = randomFlags();
        const int count = 1 + int(m_random.bounded(8));
        QByteArray line = "do put " + folder.toUtf8() + ' ' + crash::flagLetters(options.flags);
        QList<qint64> numbers;
        for (int i = 0; i < count; ++i) {
            numbers.append(m_next++);
            line += ' ' + QByteArray::number(numbers.last());
        }
        say(line);
        const qint64 folderId = m_store.folder(folder)->id;
        for (qint64 number : std::as_const(numbers)) {
            if (Error error = m_store.addToBatch(folderId, crash::message(number), options))
                die(QStringLiteral("add to batch"), error);
        }
        if (Error error = m_store.flushBatch())
            die(QStringLiteral("flush"), error);
        say("ok");
        for (qint64 number : std::as_const(numbers))
            m_messages.insert(number, {idOf(number), folder, options.flags});
    }

    void set(qint64 number, const QString &folder, MessageFlags flags,
             const std::function<Error(const Tracked &)> &operation)
    {
        Tracked &tracked = m_messages[number];
        say("do set " + QByteArray::number(number) + ' ' + folder.toUtf8() + ' ' +
            crash::flagLetters(flags));
        if (Error error = operation(tracked))
            die(QStringLiteral("change"), error);
        say("ok");
        tracked.folder = folder;
        tracked.flags = flags;
    }

    void move()
    {
        const qint64 number = pick();
        const QString folder = randomFolder();
        const qint64 folderId = m_store.folder(folder)->id;
        set(number, folder, m_messages[number].flags,
            [&](const Tracked &tracked) { return m_store.move(tracked.id, folderId); });
    }

    void changeFlags()
    {
        const qint64 number = pick();
        const MessageFlags flags = randomFlags();
        set(number, m_messages[number].folder, flags,
            [&](const Tracked &tracked) { return m_store.setFlags(tracked.id, flags); });
    }

    void trash()
    {
        const qint64 number = pick();
        const Tracked &tracked = m_messages[number];
        const QString trash = QStringLiteral("Trash");
        const MessageFlags flags =
            tracked.folder == trash ? tracked.flags | MessageFlag::Deleted : tracked.flags;
        set(number, trash, flags,
            [&](const Tracked &current) { return m_store.moveToTrash(current.id); });
    }

    void drop()
    {
        const qint64 number = pick();
        say("do drop " + QByteArray::number(number));
        if (Error error = m_store.removePermanently(m_messages[number].id))
            die(QStringLiteral("remove"), error);
        say("ok");
        m_messages.remove(number);
    }

    MailStore m_store;
    QRandomGenerator m_random;
    qint64 m_next;
    QHash<qint64, Tracked> m_messages;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList arguments = QCoreApplication::arguments();
    if (arguments.size() != 4) {
        std::fprintf(stderr, "usage: store_crash_writer STORE_DIR RUN SEED\n");
        return 2;
    }
    Writer writer(arguments[1], arguments[2].toLongLong(), arguments[3].toUInt());
    say("ready");
    // Until SIGKILL; a bounded loop so a driver that lost it does not leave it running.
    for (int i = 0; i < 100'000; ++i)
        writer.step();
    return 0;
}
