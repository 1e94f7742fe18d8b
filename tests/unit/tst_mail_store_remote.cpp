// The mail store as an IMAP sync uses it: folders' server state, header rows by uid, flags
// and expunges from the server, UIDVALIDITY changes, bodies fetched later, the queue of
// local changes to replay, and the upgrade of a version-1 index.
#include "MailIndexVersionOne.h"
#include "MailStoreTestSupport.h"
#include "store/MailStore.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace wharf;
using namespace wharf::store;
using namespace wharf::testing;

namespace {

constexpr qint64 kDate = 1'772'530'000'000LL; // March 2026

RemoteHeaders remoteHeaders(quint32 uid, quint32 uidValidity, const QString &subject,
                            MessageFlags flags = {}, const QString &extraFlags = {})
{
    RemoteHeaders item;
    item.record.remote.uidValidity = uidValidity;
    item.record.remote.uid = uid;
    item.record.flags = flags;
    item.record.extraFlags = extraFlags;
    item.record.internalDate = kDate + uid * 1000;
    item.record.size = 1000 + uid;
    item.record.subject = subject;
    item.record.from = QStringLiteral("Alice <alice@example.org>");
    item.record.recipients = QStringLiteral("Bob <bob@example.net>");
    item.record.messageId = "m" + QByteArray::number(uid) + "@example.org";
    return item;
}

} // namespace

class TestMailStoreRemote : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString root() const { return m_dir.path() + QStringLiteral("/account"); }
    qint64 inboxOf(const MailStore &store) { return folderIdOf(store, QStringLiteral("INBOX")); }

    static QList<RemoteHeaders> batchOf(quint32 first, quint32 last, quint32 uidValidity)
    {
        QList<RemoteHeaders> batch;
        for (quint32 uid = first; uid <= last; ++uid)
            batch.append(remoteHeaders(uid, uidValidity, QStringLiteral("subject %1").arg(uid)));
        return batch;
    }

    static QStringList subjectsFound(MailStore &store, const QString &query)
    {
        QList<MessageRecord> records;
        const Error error = store.search(query, 0, 100, &records);
        QStringList subjects;
        for (const MessageRecord &record : std::as_const(records))
            subjects.append(record.subject);
        return error ? QStringList{error.message()} : subjects;
    }

    // Server flags on a folder with one local copy; leaves that copy answered by another
    // program, for the next open to notice.
    void renameByServerFlags(MailStore &store, qint64 *withCopyId)
    {
        const qint64 inbox = folderIdOf(store, QStringLiteral("INBOX"));
        QList<RemoteHeaders> batch = batchOf(1, 20, 3);
        VERIFY_OK(store.addRemoteHeaders(inbox, batch));
        const qint64 withCopy = batch[0].record.id;
        VERIFY_OK(store.attachBody(withCopy, makeMessage("one", "x", "one@x", "b")));
        QCOMPARE(filesIn(root() + QStringLiteral("/new")).size(), 1);

        QList<RemoteFlagChange> changes;
        changes.append({1, MessageFlag::Seen | MessageFlag::Flagged, QStringLiteral("$Junk")});
        for (quint32 uid = 2; uid <= 20; ++uid)
            changes.append({uid, MessageFlag::Seen, {}});
        changes.append({99, MessageFlag::Seen, {}}); // not here: skipped
        VERIFY_OK(store.applyRemoteFlags(inbox, 3, changes));
        qint64 unread = -1;
        VERIFY_OK(store.count(inbox, nullptr, &unread));
        QCOMPARE(unread, 0);
        QVERIFY(filesIn(root() + QStringLiteral("/new")).isEmpty());
        const QStringList cur = filesIn(root() + QStringLiteral("/cur"));
        QCOMPARE(cur.size(), 1);
        QVERIFY2(cur.first().endsWith(u":2,FS"), qPrintable(cur.first())); // no keyword letter
        std::optional<MessageRecord> record;
        VERIFY_OK(store.message(withCopy, &record));
        QCOMPARE(record->flags, MessageFlags(MessageFlag::Seen | MessageFlag::Flagged));
        QCOMPARE(record->extraFlags, QStringLiteral("$Junk"));
        QCOMPARE(record->relativePath, QStringLiteral("cur/") + cur.first());

        // The server unflags it; another program answers it behind Wharf's back: the next
        // open takes the letter from the name and keeps the keyword.
        VERIFY_OK(
            store.applyRemoteFlags(inbox, 3, {{1, MessageFlag::Seen, QStringLiteral("$Junk")}}));
        VERIFY_OK(store.message(withCopy, &record));
        const QString path = store.messageFilePath(*record);
        QVERIFY2(path.endsWith(u":2,S"), qPrintable(path));
        QVERIFY(QFile::rename(path, path + u'R'));
        *withCopyId = withCopy;
    }

private Q_SLOTS:
    void init() { QDir(root()).removeRecursively(); }

    void aVersionOneIndexIsUpgraded()
    {
        for (const char *sub : {"cur", "new", "tmp"})
            QVERIFY(QDir().mkpath(root() + u'/' + QLatin1String(sub)));
        QFile file(root() + QStringLiteral("/cur/1.old.host:2,Sab"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(makeMessage("local", "Tue, 3 Mar 2026 10:00:00 +0000", "l@x", "b"));
        file.close();
        {
            QSqlDatabase db =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("version-one"));
            db.setDatabaseName(root() + QStringLiteral("/wharf-index.sqlite"));
            QVERIFY(db.open());
            for (const char *statement : kVersionOneIndex) {
                QSqlQuery query(db);
                QVERIFY2(query.exec(QString::fromUtf8(statement)), statement);
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("version-one"));

        MailStore store;
        VERIFY_OK(store.open(root()));
        QVERIFY(!store.indexWasRebuilt());
        const qint64 inbox = inboxOf(store);
        QCOMPARE(inbox, 1);
        std::optional<MessageRecord> record;
        VERIFY_OK(store.recordByUid(inbox, 7, 42, &record));
        QVERIFY(record);
        QCOMPARE(record->id, 1);
        VERIFY_OK(store.message(2, &record));
        QVERIFY(!record); // the duplicate of uid 42
        VERIFY_OK(store.message(3, &record));
        QCOMPARE(record->extraFlags, QStringLiteral("a b"));
        QCOMPARE(subjectsFound(store, QStringLiteral("remote")),
                 QStringList{QStringLiteral("remote one")});

        // What version 2 added works on the upgraded file.
        RemoteFolderState state;
        VERIFY_OK(store.remoteFolderState(inbox, &state));
        QCOMPARE(state.highestModSeq, 0u);
        state.remoteName = "INBOX";
        state.highestModSeq = 99;
        VERIFY_OK(store.setRemoteFolderState(inbox, state));
        QList<RemoteHeaders> batch{remoteHeaders(42, 7, QStringLiteral("remote one"))};
        VERIFY_OK(store.addRemoteHeaders(inbox, batch));
        QCOMPARE(batch.first().record.id, 1);
        VERIFY_OK(store.pendingActions().enqueue(
            {.kind = PendingAction::Kind::Expunge, .folderId = inbox, .uidValidity = 7}));
        // A flag change keeps the letters in the name.
        VERIFY_OK(store.setFlags(3, MessageFlag::Seen | MessageFlag::Flagged));
        VERIFY_OK(store.message(3, &record));
        QCOMPARE(record->relativePath, QStringLiteral("cur/1.old.host:2,FSab"));
        QVERIFY(QFileInfo::exists(store.messageFilePath(*record)));
    }

    void folderStatePersistsAndNamesOneFolder()
    {
        qint64 archive = 0;
        {
            MailStore store;
            VERIFY_OK(store.open(root()));
            VERIFY_OK(store.createFolder(QStringLiteral("Archive"), &archive));
            const RemoteFolderState state{"Archiv&AOQ-", 1234, 77, 9'000'000'000'000ULL, kDate};
            VERIFY_OK(store.setRemoteFolderState(archive, state));
            QCOMPARE(store.folderForRemoteName("Archiv&AOQ-")->id, archive);
            // One mailbox, one folder.
            const Error taken = store.setRemoteFolderState(inboxOf(store), state);
            QCOMPARE(taken.kind(), ErrorKind::Usage);
            QCOMPARE(store.setRemoteFolderState(999, state).kind(), ErrorKind::Usage);
        }
        MailStore store;
        VERIFY_OK(store.open(root()));
        QCOMPARE(store.folderForRemoteName("Archiv&AOQ-")->id, archive);
        QVERIFY(!store.folderForRemoteName("INBOX"));
        RemoteFolderState state;
        VERIFY_OK(store.remoteFolderState(archive, &state));
        QCOMPARE(state.remoteName, QByteArray("Archiv&AOQ-"));
        QCOMPARE(state.uidValidity, 1234u);
        QCOMPARE(state.uidNext, 77u);
        QCOMPARE(state.highestModSeq, 9'000'000'000'000ULL);
        QCOMPARE(state.lastFullSync, kDate);
        state.remoteName.clear();
        VERIFY_OK(store.setRemoteFolderState(archive, state));
        QVERIFY(!store.folderForRemoteName("Archiv&AOQ-"));
    }

    void aHeaderSyncAddsEachUidOnce()
    {
        MailStore store;
        VERIFY_OK(store.open(root()));
        const qint64 inbox = inboxOf(store);
        QList<RemoteHeaders> batch = batchOf(1, 300, 5);
        batch[9].record.subject = QStringLiteral("Zeppelin timetable");
        batch[9].record.flags = MessageFlag::Seen;
        batch[10].record.flags = MessageFlag::Seen | MessageFlag::Flagged;
        batch[10].record.maildirKey = QStringLiteral("not.a.file"); // headers only, whatever
        batch[10].record.subject = QString(5000, u'x');
        VERIFY_OK(store.addRemoteHeaders(inbox, batch));
        QSet<qint64> ids;
        for (const RemoteHeaders &item : std::as_const(batch)) {
            QVERIFY(item.record.id > 0);
            ids.insert(item.record.id);
        }
        QCOMPARE(ids.size(), 300);
        qint64 total = 0, unread = 0;
        VERIFY_OK(store.count(inbox, &total, &unread));
        QCOMPARE(total, 300);
        QCOMPARE(unread, 298);
        QVERIFY(filesIn(root() + QStringLiteral("/new")).isEmpty());
        QVERIFY(filesIn(root() + QStringLiteral("/cur")).isEmpty());
        std::optional<MessageRecord> record;
        VERIFY_OK(store.message(batch[10].record.id, &record));
        QVERIFY(!record->hasLocalCopy());
        QVERIFY(record->relativePath.isEmpty());
        QVERIFY(store.messageFilePath(*record).isEmpty());
        QCOMPARE(record->subject.size(), kMaxDisplayFieldCharacters);
        QCOMPARE(record->messageId, QByteArray("m11@example.org"));
        QCOMPARE(subjectsFound(store, QStringLiteral("zeppelin")),
                 QStringList{QStringLiteral("Zeppelin timetable")});
        QCOMPARE(subjectsFound(store, QStringLiteral("bob@example.net")).size(), 100);

        // The same uids again (a sync cut short, started over): no new rows, flags follow.
        QList<RemoteHeaders> again = batchOf(5, 305, 5);
        again[5].record.flags = MessageFlag::Answered; // uid 10
        VERIFY_OK(store.addRemoteHeaders(inbox, again));
        QCOMPARE(again[5].record.id, batch[9].record.id);
        VERIFY_OK(store.count(inbox, &total, &unread));
        QCOMPARE(total, 305);
        QCOMPARE(unread, 305);
        VERIFY_OK(store.message(batch[9].record.id, &record));
        QCOMPARE(record->flags, MessageFlags(MessageFlag::Answered));

        // Another UIDVALIDITY is another message; no uid is refused before anything is written.
        QList<RemoteHeaders> other = batchOf(1, 1, 6);
        VERIFY_OK(store.addRemoteHeaders(inbox, other));
        QVERIFY(other[0].record.id != batch[0].record.id);
        QList<RemoteHeaders> bad = batchOf(400, 401, 5);
        bad[1].record.remote.uid = 0;
        QCOMPARE(store.addRemoteHeaders(inbox, bad).kind(), ErrorKind::Usage);
        VERIFY_OK(store.recordByUid(inbox, 5, 400, &record));
        QVERIFY(!record);
    }

    void uidMapAndLookupByUid()
    {
        MailStore store;
        VERIFY_OK(store.open(root()));
        const qint64 inbox = inboxOf(store);
        QList<RemoteHeaders> batch = batchOf(1, 3, 9);
        batch[1].record.flags = MessageFlag::Flagged;
        batch[1].record.extraFlags = QStringLiteral("NonJunk $Label1 NonJunk");
        VERIFY_OK(store.addRemoteHeaders(inbox, batch));
        VERIFY_OK(store.attachBody(
            batch[2].record.id,
            makeMessage("three", "Tue, 3 Mar 2026 10:00:00 +0000", "t@x", "body")));
        VERIFY_OK(store.addMessage(inbox, makeMessage("local", "x", "lo@x", "b"), {}));
        QHash<quint32, RemoteMessageState> uids;
        VERIFY_OK(store.remoteUids(inbox, 9, &uids));
        QCOMPARE(uids.size(), 3);
        QCOMPARE(uids.value(2).id, batch[1].record.id);
        QCOMPARE(uids.value(2).flags, MessageFlags(MessageFlag::Flagged));
        QCOMPARE(uids.value(2).extraFlags, QStringLiteral("$Label1 NonJunk"));
        QVERIFY(!uids.value(1).hasLocalCopy);
        QVERIFY(uids.value(3).hasLocalCopy);
        VERIFY_OK(store.remoteUids(inbox, 10, &uids));
        QVERIFY(uids.isEmpty());
        std::optional<MessageRecord> record;
        VERIFY_OK(store.recordByUid(inbox, 9, 2, &record));
        QCOMPARE(record->subject, QStringLiteral("subject 2"));
        VERIFY_OK(store.recordByUid(inbox, 9, 4, &record));
        QVERIFY(!record);
        VERIFY_OK(store.recordByUid(folderIdOf(store, QStringLiteral("Sent")), 9, 2, &record));
        QVERIFY(!record);
    }

    void serverFlagsRenameLocalCopies()
    {
        qint64 withCopy = 0;
        {
            MailStore store;
            VERIFY_OK(store.open(root()));
            renameByServerFlags(store, &withCopy);
            if (QTest::currentTestFailed())
                return;
        }
        MailStore store;
        VERIFY_OK(store.open(root()));
        std::optional<MessageRecord> record;
        VERIFY_OK(store.message(withCopy, &record));
        QCOMPARE(record->flags, MessageFlags(MessageFlag::Seen | MessageFlag::Answered));
        QCOMPARE(record->extraFlags, QStringLiteral("$Junk"));
        QCOMPARE(record->remote.uid, 1u);
    }

    void expungedUidsLoseRowsAndFiles()
    {
        MailStore store;
        VERIFY_OK(store.open(root()));
        const qint64 inbox = inboxOf(store);
        QList<RemoteHeaders> batch = batchOf(1, 5, 3);
        batch[1].record.subject = QStringLiteral("vanishing zeppelin");
        VERIFY_OK(store.addRemoteHeaders(inbox, batch));
        VERIFY_OK(store.attachBody(batch[0].record.id, makeMessage("one", "x", "one@x", "b")));
        qint64 removed = 0;
        VERIFY_OK(store.removeRemoteUids(inbox, 3, {1, 2, 77}, &removed));
        QCOMPARE(removed, 2);
        QVERIFY(filesIn(root() + QStringLiteral("/new")).isEmpty());
        QHash<quint32, RemoteMessageState> uids;
        VERIFY_OK(store.remoteUids(inbox, 3, &uids));
        QCOMPARE(QSet<quint32>(uids.keyBegin(), uids.keyEnd()), QSet<quint32>({3, 4, 5}));
        QVERIFY(subjectsFound(store, QStringLiteral("zeppelin")).isEmpty());
        VERIFY_OK(store.removeRemoteUids(inbox, 4, {3, 4}, &removed)); // another validity
        QCOMPARE(removed, 0);
    }

    void aVanishedFileDoesNotStopFlagChanges()
    {
        MailStore store;
        VERIFY_OK(store.open(root()));
        const qint64 inbox = inboxOf(store);
        QList<RemoteHeaders> batch = batchOf(1, 2, 3);
        VERIFY_OK(store.addRemoteHeaders(inbox, batch));
        VERIFY_OK(store.attachBody(batch[0].record.id, makeMessage("one", "x", "one@x", "b")));
        std::optional<MessageRecord> record;
        VERIFY_OK(store.message(batch[0].record.id, &record));
        QVERIFY(QFile::remove(store.messageFilePath(*record))); // another program
        VERIFY_OK(store.applyRemoteFlags(inbox, 3, {{1, MessageFlag::Seen, {}}, {2, {}, {}}}));
        VERIFY_OK(store.message(batch[0].record.id, &record));
        QVERIFY(!record->hasLocalCopy());
        QCOMPARE(record->flags, MessageFlags(MessageFlag::Seen));
    }

    void aNewUidValidityDropsTheCacheButNotLocalOnlyMail()
    {
        MailStore store;
        VERIFY_OK(store.open(root()));
        const qint64 inbox = inboxOf(store);
        VERIFY_OK(store.setRemoteFolderState(inbox, {"INBOX", 7, 50, 1200, kDate}));
        QList<RemoteHeaders> batch = batchOf(1, 10, 7);
        VERIFY_OK(store.addRemoteHeaders(inbox, batch));
        VERIFY_OK(store.attachBody(batch[3].record.id, makeMessage("four", "x", "four@x", "b")));
        qint64 localId = 0;
        AddOptions seen;
        seen.flags = MessageFlag::Seen;
        VERIFY_OK(store.addMessage(inbox, makeMessage("draft reply", "x", "local@x", "text"), seen,
                                   &localId));
        QCOMPARE(filesIn(root() + QStringLiteral("/new")).size(), 1);
        QCOMPARE(filesIn(root() + QStringLiteral("/cur")).size(), 1);

        qint64 removed = 0;
        VERIFY_OK(store.dropRemoteCache(inbox, 8, &removed));
        QCOMPARE(removed, 10);
        qint64 total = 0;
        VERIFY_OK(store.count(inbox, &total));
        QCOMPARE(total, 1);
        QVERIFY(filesIn(root() + QStringLiteral("/new")).isEmpty());
        QCOMPARE(filesIn(root() + QStringLiteral("/cur")).size(), 1);
        QList<MessageRecord> local;
        VERIFY_OK(store.localOnlyMessages(inbox, &local));
        QCOMPARE(local.size(), 1);
        QCOMPARE(local.first().id, localId);
        RemoteFolderState state;
        VERIFY_OK(store.remoteFolderState(inbox, &state));
        QCOMPARE(state.remoteName, QByteArray("INBOX"));
        QCOMPARE(state.uidValidity, 8u);
        QCOMPARE(state.uidNext, 0u);
        QCOMPARE(state.highestModSeq, 0u);

        // Uploaded: APPENDUID names it, and it is no longer local only.
        VERIFY_OK(store.setRemoteUid(localId, 8, 1));
        local.clear();
        VERIFY_OK(store.localOnlyMessages(inbox, &local));
        QVERIFY(local.isEmpty());
        std::optional<MessageRecord> record;
        VERIFY_OK(store.recordByUid(inbox, 8, 1, &record));
        QCOMPARE(record->id, localId);
        // A uid names one row of a folder.
        QList<RemoteHeaders> one = batchOf(2, 2, 8);
        VERIFY_OK(store.addRemoteHeaders(inbox, one));
        QCOMPARE(store.setRemoteUid(one[0].record.id, 8, 1).kind(), ErrorKind::Usage);
    }

    void anAttachedBodyIsADurableLocalCopy()
    {
        const QByteArray raw =
            makeMessage("Re: plans", "Tue, 3 Mar 2026 10:00:00 +0000", "p2@x",
                        "The hovercraft leaves at noon.", "References: <p0@x> <p1@x>\r\n");
        qint64 id = 0;
        {
            MailStore store;
            VERIFY_OK(store.open(root()));
            QList<RemoteHeaders> batch{
                remoteHeaders(12, 4, QStringLiteral("Re: plans"), MessageFlag::Seen)};
            VERIFY_OK(store.addRemoteHeaders(inboxOf(store), batch));
            id = batch.first().record.id;
            QVERIFY(subjectsFound(store, QStringLiteral("hovercraft")).isEmpty());
            QBuffer source;
            source.setData(raw);
            QVERIFY(source.open(QIODevice::ReadOnly));
            VERIFY_OK(store.attachBody(id, source));
            QVERIFY(filesIn(root() + QStringLiteral("/tmp")).isEmpty());
        }
        MailStore store;
        VERIFY_OK(store.open(root()));
        QCOMPARE(store.reconciledChanges(), 0);
        std::optional<MessageRecord> record;
        VERIFY_OK(store.message(id, &record));
        QVERIFY(record->hasLocalCopy());
        QCOMPARE(record->remote.uid, 12u);
        QCOMPARE(record->remote.uidValidity, 4u);
        QCOMPARE(record->flags, MessageFlags(MessageFlag::Seen));
        QCOMPARE(record->size, raw.size());
        QCOMPARE(record->references, QByteArrayList({"p0@x", "p1@x"}));
        QVERIFY2(record->relativePath.endsWith(u":2,S"), qPrintable(record->relativePath));
        QFile file(store.messageFilePath(*record));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), raw);
        QCOMPARE(QFileInfo(file).lastModified().toMSecsSinceEpoch(), record->internalDate);
        QCOMPARE(subjectsFound(store, QStringLiteral("hovercraft")),
                 QStringList{QStringLiteral("Re: plans")});
        QByteArray read;
        VERIFY_OK(store.readMessage(id, &read));
        QCOMPARE(read, raw);
        // Once is enough.
        VERIFY_OK(store.attachBody(id, QByteArray("Subject: other\r\n\r\nx\r\n")));
        VERIFY_OK(store.readMessage(id, &read));
        QCOMPARE(read, raw);
        QCOMPARE(filesIn(root() + QStringLiteral("/cur")).size(), 1);
        QCOMPARE(store.attachBody(12345, raw).kind(), ErrorKind::Usage);
    }

    void reconciliationKeepsWhatOnlyTheServerKnew()
    {
        qint64 headersOnly = 0, withCopy = 0, lostCopy = 0;
        {
            MailStore store;
            VERIFY_OK(store.open(root()));
            QList<RemoteHeaders> batch = batchOf(1, 3, 2);
            VERIFY_OK(store.addRemoteHeaders(inboxOf(store), batch));
            headersOnly = batch[0].record.id;
            withCopy = batch[1].record.id;
            lostCopy = batch[2].record.id;
            VERIFY_OK(store.attachBody(withCopy, makeMessage("two", "x", "two@x", "b")));
            VERIFY_OK(store.attachBody(lostCopy, makeMessage("three", "x", "three@x", "b")));
        }
        // mutt reads one (new/ -> cur/:2,S), another program deletes the other's file.
        QDir newDir(root() + QStringLiteral("/new"));
        for (const QString &name : newDir.entryList(QDir::Files)) {
            QFile file(newDir.filePath(name));
            QVERIFY(file.open(QIODevice::ReadOnly));
            const bool two = file.readAll().contains("Subject: two");
            file.close();
            if (two)
                QVERIFY(
                    file.rename(root() + QStringLiteral("/cur/") + name + QStringLiteral(":2,S")));
            else
                QVERIFY(file.remove());
        }
        MailStore store;
        VERIFY_OK(store.open(root()));
        QCOMPARE(store.reconciledChanges(), 2);
        std::optional<MessageRecord> record;
        VERIFY_OK(store.message(headersOnly, &record));
        QVERIFY(record);
        QCOMPARE(record->remote.uid, 1u);
        VERIFY_OK(store.message(withCopy, &record));
        QCOMPARE(record->remote.uid, 2u);
        QCOMPARE(record->flags, MessageFlags(MessageFlag::Seen));
        QVERIFY(record->hasLocalCopy());
        // The server still has it: headers only again, ready for the body to be fetched anew.
        VERIFY_OK(store.message(lostCopy, &record));
        QVERIFY(record);
        QVERIFY(!record->hasLocalCopy());
        QCOMPARE(record->remote.uid, 3u);
        QList<quint32> uids;
        VERIFY_OK(store.headersOnlyUids(inboxOf(store), 2, 0, &uids));
        QCOMPARE(uids, QList<quint32>({3, 1})); // newest first
        uids.clear();
        VERIFY_OK(store.headersOnlyUids(inboxOf(store), 2, kDate + 2000, &uids));
        QCOMPARE(uids, QList<quint32>({3}));
    }

    void aMovedMessageLeavesItsUidBehind()
    {
        MailStore store;
        VERIFY_OK(store.open(root()));
        const qint64 inbox = inboxOf(store);
        qint64 archive = 0;
        VERIFY_OK(store.createFolder(QStringLiteral("Archive"), &archive));
        QList<RemoteHeaders> batch = batchOf(5, 5, 1);
        VERIFY_OK(store.addRemoteHeaders(inbox, batch));
        QList<RemoteHeaders> same = batchOf(5, 5, 1); // same validity and uid, other mailbox
        VERIFY_OK(store.addRemoteHeaders(archive, same));
        VERIFY_OK(store.move(batch[0].record.id, archive));
        std::optional<MessageRecord> record;
        VERIFY_OK(store.message(batch[0].record.id, &record));
        QCOMPARE(record->folderId, archive);
        QVERIFY(record->remote.isEmpty());
        VERIFY_OK(store.setRemoteUid(batch[0].record.id, 1, 6)); // what COPYUID said
        VERIFY_OK(store.recordByUid(archive, 1, 6, &record));
        QCOMPARE(record->id, batch[0].record.id);
    }
};

QTEST_GUILESS_MAIN(TestMailStoreRemote)
#include "tst_mail_store_remote.moc"
