// The mail store against a real file system: Maildir files and the SQLite index, what each
// operation writes and what lists and searches read. How the two are kept in step when one
// changes behind the other's back: tst_mail_store_recovery.
#include "MailStoreTestSupport.h"
#include "store/MailStore.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace wharf;
using namespace wharf::store;
using namespace wharf::testing;

class TestMailStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString root() const { return m_dir.path() + QStringLiteral("/account"); }
    qint64 folderId(MailStore &store, const QString &name) { return folderIdOf(store, name); }

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
};

QTEST_GUILESS_MAIN(TestMailStore)
#include "tst_mail_store.moc"
