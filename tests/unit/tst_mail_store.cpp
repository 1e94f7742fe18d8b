// The mail store against a real file system: Maildir files, the SQLite index, and how the
// two are kept in step when one of them changes behind the other's back.
#include "store/MailStore.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace wharf;
using namespace wharf::store;

namespace {

QByteArray makeMessage(const QByteArray &subject, const QByteArray &date,
                       const QByteArray &messageId, const QByteArray &body,
                       const QByteArray &extraHeaders = {})
{
    return "From: Alice Example <alice@example.org>\r\n"
           "To: Bob <bob@example.net>\r\n"
           "Subject: " +
           subject +
           "\r\n"
           "Date: " +
           date +
           "\r\n"
           "Message-ID: <" +
           messageId + ">\r\n" + extraHeaders + "\r\n" + body + "\r\n";
}

QStringList filesIn(const QString &directory)
{
    return QDir(directory).entryList(QDir::Files | QDir::Hidden);
}

} // namespace

#define VERIFY_OK(expression)                                                                      \
    do {                                                                                           \
        const wharf::Error error_ = (expression);                                                  \
        QVERIFY2(!error_, qPrintable(error_.message()));                                           \
    } while (false)

class TestMailStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString root() const { return m_dir.path() + QStringLiteral("/account"); }
    qint64 folderId(MailStore &store, const QString &name)
    {
        const std::optional<FolderRecord> folder = store.folder(name);
        return folder ? folder->id : 0;
    }

private Q_SLOTS:
    void init() { QDir(root()).removeRecursively(); }

    void folderNamesSurviveTheMaildirLayout_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("directory");
        QTest::newRow("plain") << QStringLiteral("Archive") << QStringLiteral(".Archive");
        QTest::newRow("nested") << QStringLiteral("Lists/Qt") << QStringLiteral(".Lists.Qt");
        QTest::newRow("dot") << QStringLiteral("v1.2") << QStringLiteral(".v1%2E2");
        QTest::newRow("percent") << QStringLiteral("100%") << QStringLiteral(".100%25");
        QTest::newRow("utf8") << QStringLiteral("Entwürfe") << QStringLiteral(".Entwürfe");
    }

    void folderNamesSurviveTheMaildirLayout()
    {
        QFETCH(QString, name);
        QFETCH(QString, directory);
        QCOMPARE(MaildirTree::directoryNameFor(name), directory);
        QCOMPARE(MaildirTree::folderNameFor(directory), std::optional<QString>(name));
    }

    void hostileFolderNamesAreRefused()
    {
        const MaildirTree tree(root());
        for (const QString &name : {QStringLiteral(""), QStringLiteral(".."),
                                    QStringLiteral("a//b"), QStringLiteral("../x")}) {
            Error error;
            QVERIFY2(!tree.folder(name, &error), qPrintable(name));
            QCOMPARE(error.kind(), ErrorKind::Usage);
        }
        QVERIFY(!MaildirTree::folderNameFor(QStringLiteral(".a..b")));
    }

    void maildirFileNamesCarryFlags()
    {
        const auto entry = MaildirFolder::parseFileName(QStringLiteral("cur"),
                                                        QStringLiteral("123.M1P2.host:2,FSa"));
        QVERIFY(entry);
        QCOMPARE(entry->key, QStringLiteral("123.M1P2.host"));
        QCOMPARE(entry->flags, MessageFlags(MessageFlag::Flagged | MessageFlag::Seen));
        QCOMPARE(entry->extraFlags, QStringLiteral("a"));
        QCOMPARE(MaildirFolder::infoSuffix(MessageFlag::Seen | MessageFlag::Draft |
                                           MessageFlag::Answered),
                 QStringLiteral(":2,DRS"));
        QVERIFY(!MaildirFolder::parseFileName(QStringLiteral("cur"), QStringLiteral(".hidden")));
    }

    void openCreatesTheSpecialFolders()
    {
        MailStore store;
        VERIFY_OK(store.open(root()));
        for (FolderRole role : {FolderRole::Inbox, FolderRole::Drafts, FolderRole::Sent,
                                FolderRole::Trash, FolderRole::Outbox}) {
            QVERIFY2(store.folderForRole(role), qPrintable(folderRoleName(role)));
        }
        for (const char *directory :
             {"cur", "new", "tmp", ".Sent/cur", ".Trash/new", ".Outbox/tmp", ".Drafts/cur"}) {
            QVERIFY2(QFileInfo(root() + u'/' + QLatin1String(directory)).isDir(), directory);
        }
        QVERIFY(store.indexWasRebuilt());
        QVERIFY(QFileInfo::exists(root() + QStringLiteral("/wharf-index.sqlite")));
    }

    void addedMessageIsAFileAndARow()
    {
        MailStore store;
        VERIFY_OK(store.open(root()));
        const QByteArray raw = makeMessage("Quarterly report", "Tue, 3 Mar 2026 10:00:00 +0100",
                                           "q1@example.org", "Numbers inside.",
                                           "Cc: Carol <carol@example.com>\r\n"
                                           "References: <a@x> <b@x>\r\n"
                                           "In-Reply-To: <b@x>\r\n");
        qint64 id = 0;
        VERIFY_OK(store.addMessage(folderId(store, QStringLiteral("INBOX")), raw, {}, &id));
        QVERIFY(id > 0);

        const QStringList inNew = filesIn(root() + QStringLiteral("/new"));
        QCOMPARE(inNew.size(), 1);
        QVERIFY(filesIn(root() + QStringLiteral("/tmp")).isEmpty());
        QFile file(root() + QStringLiteral("/new/") + inNew.first());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), raw);
        QCOMPARE(file.permissions() & (QFile::ReadOther | QFile::ReadGroup), QFile::Permissions());

        std::optional<MessageRecord> record;
        VERIFY_OK(store.message(id, &record));
        QVERIFY(record);
        QCOMPARE(record->subject, QStringLiteral("Quarterly report"));
        QCOMPARE(record->from, QStringLiteral("Alice Example <alice@example.org>"));
        QCOMPARE(record->recipients,
                 QStringLiteral("Bob <bob@example.net>, Carol <carol@example.com>"));
        QCOMPARE(record->messageId, QByteArray("q1@example.org"));
        QCOMPARE(record->inReplyTo, QByteArray("b@x"));
        QCOMPARE(record->references, QByteArrayList({"a@x", "b@x"}));
        QCOMPARE(record->internalDate,
                 QDateTime(QDate(2026, 3, 3), QTime(9, 0), Qt::UTC).toMSecsSinceEpoch());
        QCOMPARE(record->size, raw.size());
        QVERIFY(!record->hasAttachments);
        // The arrival date is the file's mtime, as Dovecot keeps it.
        QCOMPARE(QFileInfo(file).lastModified().toMSecsSinceEpoch(), record->internalDate);

        QByteArray read;
        VERIFY_OK(store.readMessage(id, &read));
        QCOMPARE(read, raw);
        qint64 total = 0, unread = 0;
        VERIFY_OK(store.count(record->folderId, &total, &unread));
        QCOMPARE(total, 1);
        QCOMPARE(unread, 1);
    }

    void addFromAStream()
    {
        MailStore store;
        VERIFY_OK(store.open(root()));
        QByteArray body;
        for (int i = 0; i < 20000; ++i)
            body += "line " + QByteArray::number(i) + " of a long message\r\n";
        QByteArray raw = makeMessage("Streamed", "Wed, 4 Mar 2026 08:00:00 +0000", "s@x", body,
                                     "Content-Type: multipart/mixed; boundary=b\r\n");
        raw = makeMessage("Streamed", "Wed, 4 Mar 2026 08:00:00 +0000", "s@x",
                          "--b\r\nContent-Type: text/plain\r\n\r\n" + body +
                              "--b\r\nContent-Type: application/pdf\r\n"
                              "Content-Disposition: attachment; filename=r.pdf\r\n\r\nPDF\r\n--b--",
                          "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n");
        QBuffer buffer(&raw);
        QVERIFY(buffer.open(QIODevice::ReadOnly));
        AddOptions options;
        options.flags = MessageFlag::Seen;
        qint64 id = 0;
        VERIFY_OK(store.addMessage(folderId(store, QStringLiteral("Sent")), buffer, options, &id));
        std::optional<MessageRecord> record;
        VERIFY_OK(store.message(id, &record));
        QVERIFY(record->hasAttachments);
        QVERIFY(record->relativePath.startsWith(u"cur/"));
        QVERIFY(record->relativePath.endsWith(u":2,S"));
        QByteArray read;
        VERIFY_OK(store.readMessage(id, &read));
        QCOMPARE(read, raw);
    }

    void flagsRenameTheFile()
    {
        MailStore store;
        VERIFY_OK(store.open(root()));
        const qint64 inbox = folderId(store, QStringLiteral("INBOX"));
        qint64 id = 0;
        VERIFY_OK(store.addMessage(
            inbox, makeMessage("f", "Tue, 3 Mar 2026 10:00:00 +0000", "f@x", "b"), {}, &id));
        VERIFY_OK(store.changeFlags(id, MessageFlag::Seen | MessageFlag::Flagged, {}));
        QStringList cur = filesIn(root() + QStringLiteral("/cur"));
        QCOMPARE(cur.size(), 1);
        QVERIFY2(cur.first().endsWith(u":2,FS"), qPrintable(cur.first()));
        QVERIFY(filesIn(root() + QStringLiteral("/new")).isEmpty());
        qint64 unread = -1;
        VERIFY_OK(store.count(inbox, nullptr, &unread));
        QCOMPARE(unread, 0);
        // Seen once, a message stays in cur/ even with every flag removed.
        VERIFY_OK(store.setFlags(id, {}));
        cur = filesIn(root() + QStringLiteral("/cur"));
        QCOMPARE(cur.size(), 1);
        QVERIFY2(cur.first().endsWith(u":2,"), qPrintable(cur.first()));
    }

    void moveCopyTrashAndExpunge()
    {
        MailStore store;
        VERIFY_OK(store.open(root()));
        const qint64 inbox = folderId(store, QStringLiteral("INBOX"));
        qint64 archive = 0;
        VERIFY_OK(store.createFolder(QStringLiteral("Archive/2026"), &archive));
        QVERIFY(QFileInfo(root() + QStringLiteral("/.Archive.2026/cur")).isDir());
        const QByteArray raw = makeMessage("m", "Tue, 3 Mar 2026 10:00:00 +0000", "m@x", "body");
        qint64 id = 0;
        VERIFY_OK(store.addMessage(inbox, raw, {}, &id));
        VERIFY_OK(store.move(id, archive));
        QCOMPARE(filesIn(root() + QStringLiteral("/new")).size(), 0);
        // Still unseen: it stays in new/ of its new folder.
        QCOMPARE(filesIn(root() + QStringLiteral("/.Archive.2026/new")).size(), 1);
        std::optional<MessageRecord> record;
        VERIFY_OK(store.message(id, &record));
        QCOMPARE(record->folderId, archive);

        qint64 copyId = 0;
        VERIFY_OK(store.copy(id, inbox, &copyId));
        QVERIFY(copyId != id);
        std::optional<MessageRecord> copied;
        VERIFY_OK(store.message(copyId, &copied));
        QVERIFY(copied->maildirKey != record->maildirKey);
        QCOMPARE(copied->internalDate, record->internalDate);
        QByteArray read;
        VERIFY_OK(store.readMessage(copyId, &read));
        QCOMPARE(read, raw);

        const qint64 trash = store.folderForRole(FolderRole::Trash)->id;
        VERIFY_OK(store.moveToTrash(id));
        VERIFY_OK(store.message(id, &record));
        QCOMPARE(record->folderId, trash);
        QVERIFY(!record->flags.testFlag(MessageFlag::Deleted));
        // Deleting in Trash marks; expunge removes.
        VERIFY_OK(store.moveToTrash(id));
        VERIFY_OK(store.message(id, &record));
        QVERIFY(record->flags.testFlag(MessageFlag::Deleted));
        QVERIFY(record->relativePath.endsWith(u"T"));
        qint64 removed = 0;
        VERIFY_OK(store.expunge(trash, &removed));
        QCOMPARE(removed, 1);
        VERIFY_OK(store.message(id, &record));
        QVERIFY(!record);
        QVERIFY(filesIn(root() + QStringLiteral("/.Trash/cur")).isEmpty());
        VERIFY_OK(store.readMessage(copyId, &read)); // the copy is untouched
    }

    void pagesAreSortedByDateAndNeverOverlap()
    {
        MailStore store;
        VERIFY_OK(store.open(root()));
        const qint64 inbox = folderId(store, QStringLiteral("INBOX"));
        // Same dates on purpose: ties are broken by id, so paging is stable.
        for (int i = 0; i < 25; ++i) {
            AddOptions options;
            options.internalDate = 1'700'000'000'000LL + (i % 5) * 60'000;
            VERIFY_OK(store.addToBatch(inbox,
                                       makeMessage("n" + QByteArray::number(i), "x",
                                                   "n" + QByteArray::number(i) + "@x", "b"),
                                       options));
        }
        qint64 added = 0;
        VERIFY_OK(store.flushBatch(&added));
        QCOMPARE(added, 25);
        QCOMPARE(filesIn(root() + QStringLiteral("/new")).size(), 25);
        QList<qint64> seen;
        qint64 previousDate = std::numeric_limits<qint64>::max();
        for (qint64 offset = 0; offset < 25; offset += 10) {
            QList<MessageRecord> page;
            VERIFY_OK(store.page(inbox, offset, 10, &page));
            for (const MessageRecord &record : page) {
                QVERIFY(record.internalDate <= previousDate);
                previousDate = record.internalDate;
                QVERIFY(!seen.contains(record.id));
                seen.append(record.id);
            }
        }
        QCOMPARE(seen.size(), 25);

        // Continuing from the last row shown gives the same pages, both ways round.
        for (bool newestFirst : {true, false}) {
            QList<MessageRecord> all;
            VERIFY_OK(store.page(inbox, 0, 100, &all, newestFirst));
            QList<qint64> expected, walked;
            for (const MessageRecord &record : all)
                expected.append(record.id);
            QList<MessageRecord> page;
            VERIFY_OK(store.page(inbox, 0, 7, &page, newestFirst));
            while (!page.isEmpty()) {
                for (const MessageRecord &record : page)
                    walked.append(record.id);
                const MessageRecord last = page.last();
                page.clear();
                VERIFY_OK(store.pageAfter(inbox, last, 7, &page, newestFirst));
            }
            QCOMPARE(walked, expected);
        }
    }

    void searchFindsWordsAndIsSafe()
    {
        MailStore store;
        VERIFY_OK(store.open(root()));
        const qint64 inbox = folderId(store, QStringLiteral("INBOX"));
        VERIFY_OK(store.addMessage(inbox,
                                   makeMessage("Budget meeting", "Tue, 3 Mar 2026 10:00:00 +0000",
                                               "b@x", "The zeppelin arrives on Tuesday."),
                                   {}));
        VERIFY_OK(store.addMessage(
            inbox,
            makeMessage(
                "=?UTF-8?Q?Caf=C3=A9_menu?=", "Tue, 3 Mar 2026 11:00:00 +0000", "c@x",
                "<html><body><p>Soup &amp; bread</p><script>secretword()</script></body></html>",
                "Content-Type: text/html; charset=utf-8\r\n"),
            {}));
        auto ids = [&](const QString &query) {
            QList<MessageRecord> records;
            const Error error = store.search(query, 0, 100, &records);
            QStringList subjects;
            for (const MessageRecord &record : records)
                subjects.append(record.subject);
            return error ? QStringList{QStringLiteral("error: ") + error.message()} : subjects;
        };
        QCOMPARE(ids(QStringLiteral("zeppelin")), QStringList{QStringLiteral("Budget meeting")});
        QCOMPARE(ids(QStringLiteral("zepp")), QStringList{QStringLiteral("Budget meeting")});
        QCOMPARE(ids(QStringLiteral("budget tuesday")),
                 QStringList{QStringLiteral("Budget meeting")});
        QCOMPARE(ids(QStringLiteral("cafe")), QStringList{QStringLiteral("Café menu")});
        QCOMPARE(ids(QStringLiteral("bread")), QStringList{QStringLiteral("Café menu")});
        QCOMPARE(ids(QStringLiteral("secretword")), QStringList());
        QCOMPARE(ids(QStringLiteral("alice@example.org")).size(), 2);
        // FTS syntax in user input is only words.
        for (const QString &hostile :
             {QStringLiteral("\"unbalanced"), QStringLiteral("a OR"), QStringLiteral("NEAR(x y)"),
              QStringLiteral("*"), QStringLiteral("subject:budget"), QStringLiteral("-x")}) {
            QVERIFY2(!ids(hostile).value(0).startsWith(u"error"), qPrintable(hostile));
        }
        QList<MessageRecord> found;
        VERIFY_OK(store.findByMessageId("<b@x>", &found));
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.first().subject, QStringLiteral("Budget meeting"));
    }

    void threadsFollowReferences()
    {
        MailStore store;
        VERIFY_OK(store.open(root()));
        const qint64 inbox = folderId(store, QStringLiteral("INBOX"));
        qint64 root = 0, reply = 0, orphan = 0, other = 0;
        VERIFY_OK(store.addMessage(
            inbox, makeMessage("Plan", "Mon, 2 Mar 2026 10:00:00 +0000", "p@x", "b"), {}, &root));
        VERIFY_OK(store.addMessage(
            inbox,
            makeMessage("Re: Plan", "Mon, 2 Mar 2026 11:00:00 +0000", "r@x", "b",
                        "In-Reply-To: <p@x> (message from Alice <alice@example.org>)\r\n"),
            {}, &reply));
        // Its parent (q@x) never arrived; its grandparent did.
        VERIFY_OK(
            store.addMessage(inbox,
                             makeMessage("Re: Plan", "Mon, 2 Mar 2026 12:00:00 +0000", "o@x", "b",
                                         "References: <p@x> <q@x>\r\nIn-Reply-To: <q@x>\r\n"),
                             {}, &orphan));
        VERIFY_OK(store.addMessage(
            inbox, makeMessage("Other", "Mon, 2 Mar 2026 09:00:00 +0000", "z@x", "b"), {}, &other));
        QList<ThreadRow> rows;
        VERIFY_OK(store.threads(inbox, SubjectGrouping::Off, &rows));
        QCOMPARE(rows.size(), 4);
        QCOMPARE(rows[0].id, other);
        QCOMPARE(rows[1].id, root);
        QCOMPARE(rows[1].depth, 0);
        QCOMPARE(rows[2].id, reply);
        QCOMPARE(rows[2].depth, 1);
        QCOMPARE(rows[3].id, orphan);
        QCOMPARE(rows[3].depth, 1);
    }

    void changesByOtherProgramsAreNoticed()
    {
        qint64 keptId = 0, movedId = 0, deletedId = 0;
        QString keptKey;
        {
            MailStore store;
            VERIFY_OK(store.open(root()));
            const qint64 inbox = folderId(store, QStringLiteral("INBOX"));
            VERIFY_OK(store.addMessage(
                inbox, makeMessage("kept", "Tue, 3 Mar 2026 10:00:00 +0000", "k@x", "b"), {},
                &keptId));
            VERIFY_OK(store.addMessage(
                inbox, makeMessage("moved", "Tue, 3 Mar 2026 10:00:00 +0000", "v@x", "b"), {},
                &movedId));
            VERIFY_OK(store.addMessage(
                inbox, makeMessage("deleted", "Tue, 3 Mar 2026 10:00:00 +0000", "d@x", "b"), {},
                &deletedId));
            std::optional<MessageRecord> record;
            VERIFY_OK(store.message(keptId, &record));
            keptKey = record->maildirKey;
        }
        // Like mutt: mark one read (new/ -> cur/:2,S), move one to Sent, delete one, and
        // deliver a new one into the Sent folder.
        QDir newDir(root() + QStringLiteral("/new"));
        for (const QString &name : newDir.entryList(QDir::Files)) {
            QFile file(newDir.filePath(name));
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray content = file.readAll();
            file.close();
            if (content.contains("Subject: kept"))
                QVERIFY(QFile::rename(file.fileName(), root() + QStringLiteral("/cur/") + name +
                                                           QStringLiteral(":2,S")));
            else if (content.contains("Subject: moved"))
                QVERIFY(QFile::rename(file.fileName(), root() + QStringLiteral("/.Sent/cur/") +
                                                           name + QStringLiteral(":2,RS")));
            else
                QVERIFY(QFile::remove(file.fileName()));
        }
        QFile delivered(root() + QStringLiteral("/.Sent/new/1700000000.external.host"));
        QVERIFY(delivered.open(QIODevice::WriteOnly));
        delivered.write(makeMessage("external", "Tue, 3 Mar 2026 12:00:00 +0000", "e@x", "b"));
        delivered.close();

        MailStore store;
        VERIFY_OK(store.open(root()));
        QVERIFY(!store.indexWasRebuilt());
        QCOMPARE(store.reconciledChanges(), 4);
        std::optional<MessageRecord> record;
        VERIFY_OK(store.message(keptId, &record));
        QCOMPARE(record->flags, MessageFlags(MessageFlag::Seen));
        QCOMPARE(record->maildirKey, keptKey);
        VERIFY_OK(store.message(movedId, &record));
        QVERIFY(record);
        QCOMPARE(record->folderId, store.folder(QStringLiteral("Sent"))->id);
        QCOMPARE(record->flags, MessageFlags(MessageFlag::Seen | MessageFlag::Answered));
        VERIFY_OK(store.message(deletedId, &record));
        QVERIFY(!record);
        QList<MessageRecord> found;
        VERIFY_OK(store.findByMessageId("e@x", &found));
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.first().subject, QStringLiteral("external"));

        // Nothing changed since: the next open scans nothing, and a clean close remembered
        // the folders' times, so the open after it does not even read them.
        {
            MailStore again;
            VERIFY_OK(again.open(root()));
            QCOMPARE(again.reconciledChanges(), 0);
        }
        MailStore third;
        VERIFY_OK(third.open(root()));
        for (const FolderRecord &folder : third.folders()) {
            QVERIFY2(folder.stamp.newDirectory >= 0 && folder.stamp.curDirectory >= 0,
                     qPrintable(folder.name));
        }
    }

    void aFolderMadeByAnotherProgramJoins()
    {
        {
            MailStore store;
            VERIFY_OK(store.open(root()));
        }
        QVERIFY(QDir().mkpath(root() + QStringLiteral("/.Lists.Qt%2Edev/cur")));
        QVERIFY(QDir().mkpath(root() + QStringLiteral("/.Lists.Qt%2Edev/new")));
        QVERIFY(QDir().mkpath(root() + QStringLiteral("/.Lists.Qt%2Edev/tmp")));
        QFile file(root() + QStringLiteral("/.Lists.Qt%2Edev/cur/1.a.b:2,S"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(makeMessage("list mail", "Tue, 3 Mar 2026 12:00:00 +0000", "l@x", "b"));
        file.close();
        MailStore store;
        VERIFY_OK(store.open(root()));
        const std::optional<FolderRecord> folder = store.folder(QStringLiteral("Lists/Qt.dev"));
        QVERIFY(folder);
        qint64 total = 0;
        VERIFY_OK(store.count(folder->id, &total));
        QCOMPARE(total, 1);
    }

    void headersOnlyMessagesSurviveReconciliation()
    {
        qint64 id = 0;
        {
            MailStore store;
            VERIFY_OK(store.open(root()));
            AddOptions options;
            options.remote.uidValidity = 7;
            options.remote.uid = 42;
            VERIFY_OK(store.addHeadersOnly(folderId(store, QStringLiteral("INBOX")),
                                           "Subject: remote\r\nFrom: r@x\r\n\r\n", options, &id));
        }
        QFile stray(root() + QStringLiteral("/new/2.stray.host"));
        QVERIFY(stray.open(QIODevice::WriteOnly));
        stray.write("Subject: stray\r\n\r\nx\r\n");
        stray.close();
        MailStore store;
        VERIFY_OK(store.open(root()));
        std::optional<MessageRecord> record;
        VERIFY_OK(store.message(id, &record));
        QVERIFY(record);
        QVERIFY(!record->hasLocalCopy());
        QCOMPARE(record->remote.uid, 42u);
        QCOMPARE(record->remote.uidValidity, 7u);
        QByteArray raw;
        QCOMPARE(store.readMessage(id, &raw).kind(), ErrorKind::Usage);
    }

    void aDeletedIndexIsRebuiltFromTheMaildir()
    {
        qint64 internalDate = 0;
        {
            MailStore store;
            VERIFY_OK(store.open(root()));
            AddOptions options;
            options.internalDate = 1'600'000'000'123LL; // not the Date header
            options.flags = MessageFlag::Flagged;
            qint64 id = 0;
            VERIFY_OK(store.addMessage(
                folderId(store, QStringLiteral("Drafts")),
                makeMessage("draft", "Tue, 3 Mar 2026 12:00:00 +0000", "dr@x", "text"), options,
                &id));
            std::optional<MessageRecord> record;
            VERIFY_OK(store.message(id, &record));
            internalDate = record->internalDate;
            QCOMPARE(internalDate, 1'600'000'000'123LL);
        }
        QVERIFY(QFile::remove(root() + QStringLiteral("/wharf-index.sqlite")));
        MailStore store;
        VERIFY_OK(store.open(root()));
        QVERIFY(store.indexWasRebuilt());
        QList<MessageRecord> found;
        VERIFY_OK(store.findByMessageId("dr@x", &found));
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.first().folderId, store.folderForRole(FolderRole::Drafts)->id);
        QCOMPARE(found.first().flags, MessageFlags(MessageFlag::Flagged));
        QCOMPARE(found.first().internalDate, internalDate);
        QList<MessageRecord> hits;
        VERIFY_OK(store.search(QStringLiteral("text"), 0, 10, &hits));
        QCOMPARE(hits.size(), 1);
    }

    void aDamagedIndexIsMovedAsideAndRebuilt()
    {
        {
            MailStore store;
            VERIFY_OK(store.open(root()));
            VERIFY_OK(store.addMessage(
                folderId(store, QStringLiteral("INBOX")),
                makeMessage("kept", "Tue, 3 Mar 2026 12:00:00 +0000", "k@x", "b"), {}));
        }
        QFile index(root() + QStringLiteral("/wharf-index.sqlite"));
        QVERIFY(index.open(QIODevice::WriteOnly | QIODevice::Truncate));
        index.write(QByteArray(8192, 'x'));
        index.close();
        MailStore store;
        VERIFY_OK(store.open(root()));
        QVERIFY(store.indexWasRebuilt());
        QList<MessageRecord> found;
        VERIFY_OK(store.findByMessageId("k@x", &found));
        QCOMPARE(found.size(), 1);
        const QStringList aside =
            QDir(root()).entryList({QStringLiteral("wharf-index.sqlite.damaged-*")});
        QCOMPARE(aside.size(), 1);
    }

    void anIndexFromANewerWharfIsLeftAlone()
    {
        {
            MailStore store;
            VERIFY_OK(store.open(root()));
        }
        {
            IndexDatabase database;
            VERIFY_OK(database.open(root() + QStringLiteral("/wharf-index.sqlite")));
            VERIFY_OK(
                database.execute(QStringLiteral("PRAGMA user_version=99"), QStringLiteral("test")));
        }
        MailStore store;
        const Error error = store.open(root());
        QCOMPARE(error.kind(), ErrorKind::Usage);
        QVERIFY2(error.message().contains(QStringLiteral("newer Wharf")),
                 qPrintable(error.message()));
    }

    void aMessageMovedBeforeTheIndexKnewKeepsItsRow()
    {
        // What a crash between the rename and the index update leaves: the file in the new
        // folder, the row still pointing at the old one.
        qint64 id = 0;
        {
            MailStore store;
            VERIFY_OK(store.open(root()));
            VERIFY_OK(store.addMessage(
                folderId(store, QStringLiteral("INBOX")),
                makeMessage("x", "Tue, 3 Mar 2026 12:00:00 +0000", "x@x", "b"), {}, &id));
        }
        const QString name = filesIn(root() + QStringLiteral("/new")).value(0);
        QVERIFY(
            QFile::rename(root() + QStringLiteral("/new/") + name,
                          root() + QStringLiteral("/.Trash/cur/") + name + QStringLiteral(":2,S")));
        MailStore store;
        VERIFY_OK(store.open(root()));
        std::optional<MessageRecord> record;
        VERIFY_OK(store.message(id, &record));
        QVERIFY(record);
        QCOMPARE(record->folderId, store.folderForRole(FolderRole::Trash)->id);
        QCOMPARE(record->flags, MessageFlags(MessageFlag::Seen));
    }
};

QTEST_GUILESS_MAIN(TestMailStore)
#include "tst_mail_store.moc"
