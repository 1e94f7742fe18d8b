// The mail store when its Maildir or its index changed behind its back: other programs,
// a crash between the file and the index, a deleted, damaged or newer index.
#include "MailStoreTestSupport.h"
#include "store/MailStore.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace wharf;
using namespace wharf::store;
using namespace wharf::testing;

class TestMailStoreRecovery : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString root() const { return m_dir.path() + QStringLiteral("/account"); }
    qint64 folderId(MailStore &store, const QString &name) { return folderIdOf(store, name); }

private Q_SLOTS:
    void init() { QDir(root()).removeRecursively(); }

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

QTEST_GUILESS_MAIN(TestMailStoreRecovery)
#include "tst_mail_store_recovery.moc"
