// Bodies attached to headers-only rows in batches, as an offline sync does: raw bytes and
// files the caller streamed, flags in the file names, searchable text (at once, or left for
// the next search), rows skipped, and failures that leave neither a published file nor a row
// pointing at a missing one.
#include "MailStoreTestSupport.h"
#include "store/MailStore.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace wharf;
using namespace wharf::store;
using namespace wharf::testing;

namespace {

constexpr qint64 kDate = 1'772'530'000'000LL; // March 2026
constexpr quint32 kValidity = 11;

RemoteHeaders remoteHeaders(quint32 uid, MessageFlags flags = {}, const QString &extraFlags = {})
{
    RemoteHeaders item;
    item.record.remote.uidValidity = kValidity;
    item.record.remote.uid = uid;
    item.record.flags = flags;
    item.record.extraFlags = extraFlags;
    item.record.internalDate = kDate + uid * 60'000 + 123; // a millisecond part to keep
    item.record.size = 10;
    item.record.subject = QStringLiteral("subject %1").arg(uid);
    item.record.from = QStringLiteral("Alice <alice@example.org>");
    return item;
}

// A body whose text names its uid, so a search tells which rows got theirs.
QByteArray bodyFor(quint32 uid, qsizetype padding = 0)
{
    return makeMessage("subject " + QByteArray::number(uid), "Tue, 3 Mar 2026 10:00:00 +0000",
                       "b" + QByteArray::number(uid) + "@example.org",
                       "marker" + QByteArray::number(uid) + " zeppelin " + QByteArray(padding, 'x'),
                       "References: <r" + QByteArray::number(uid) + "@example.org>\r\n");
}

} // namespace

class TestMailStoreBodies : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString root() const { return m_dir.path() + QStringLiteral("/account"); }
    QString spool() const { return m_dir.path() + QStringLiteral("/spool"); }

    // Headers-only rows for uids 1..count of the Inbox; their ids by uid.
    static QList<qint64> addHeaders(MailStore &store, quint32 count,
                                    const QList<RemoteHeaders> &special = {})
    {
        QList<RemoteHeaders> batch = special;
        for (quint32 uid = quint32(special.size()) + 1; uid <= count; ++uid)
            batch.append(remoteHeaders(uid));
        const Error error =
            store.addRemoteHeaders(folderIdOf(store, QStringLiteral("INBOX")), batch);
        if (error)
            return {};
        QList<qint64> ids{0};
        for (const RemoteHeaders &item : std::as_const(batch))
            ids.append(item.record.id);
        return ids;
    }

    QString writeSpoolFile(const QString &name, const QByteArray &bytes)
    {
        QDir().mkpath(spool());
        QFile file(spool() + u'/' + name);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
            return {};
        return file.fileName();
    }

    QStringList published() const
    {
        return filesIn(root() + QStringLiteral("/new")) + filesIn(root() + QStringLiteral("/cur"));
    }

    static bool searchFinds(MailStore &store, const QString &word)
    {
        QList<MessageRecord> records;
        return !store.search(word, 0, 10, &records) && !records.isEmpty();
    }

    // Every row of these uids is headers-only and its body text is not searchable.
    void verifyHeadersOnly(MailStore &store, const QList<qint64> &ids)
    {
        for (qsizetype uid = 1; uid < ids.size(); ++uid) {
            std::optional<MessageRecord> record;
            VERIFY_OK(store.message(ids[uid], &record));
            QVERIFY(record);
            QVERIFY2(!record->hasLocalCopy(), qPrintable(record->relativePath));
            QVERIFY(!searchFinds(store, QStringLiteral("marker%1").arg(uid)));
        }
    }

    // Runs statements on the index from another connection, behind the store's back.
    void tamper(const QStringList &statements)
    {
        const QString name = QStringLiteral("provoke");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(root() + QStringLiteral("/wharf-index.sqlite"));
            QVERIFY(db.open());
            for (const QString &sql : statements) {
                QSqlQuery query(db);
                QVERIFY2(query.exec(sql), qPrintable(query.lastError().text()));
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
    }

    // How many messages the full-text index finds for a word, read from another connection
    // (search() would index the backlog first).
    qint64 indexedHits(const QString &word)
    {
        const QString name = QStringLiteral("peek");
        qint64 hits = -1;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(root() + QStringLiteral("/wharf-index.sqlite"));
            if (db.open()) {
                QSqlQuery query(db);
                query.prepare(
                    QStringLiteral("SELECT count(*) FROM message_text WHERE message_text MATCH ?"));
                query.addBindValue(word);
                if (query.exec() && query.next())
                    hits = query.value(0).toLongLong();
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
        return hits;
    }

    static qint64 backlogOf(MailStore &store)
    {
        StoreStatistics statistics;
        if (store.statistics(&statistics))
            return -1;
        return statistics.textBacklog;
    }

    // A trigger that refuses to give this row a file: an index failure in the middle of a
    // batch's transaction.
    void refuseBodyFor(qint64 id, bool refuse)
    {
        tamper({refuse ? QStringLiteral("CREATE TRIGGER refuse_body BEFORE UPDATE ON messages "
                                        "WHEN NEW.id = %1 AND NEW.maildir_key IS NOT NULL "
                                        "BEGIN SELECT RAISE(ABORT, 'provoked failure'); END")
                             .arg(id)
                       : QStringLiteral("DROP TRIGGER refuse_body")});
    }

private Q_SLOTS:
    void init()
    {
        QDir(root()).removeRecursively();
        QDir(spool()).removeRecursively();
    }

    void aBatchAttachesRawAndStreamedBodies()
    {
        QList<qint64> ids;
        QHash<quint32, QByteArray> bodies;
        const QString big = QStringLiteral("big.eml");
        {
            MailStore store;
            VERIFY_OK(store.open(root()));
            const qint64 inbox = folderIdOf(store, QStringLiteral("INBOX"));
            ids = addHeaders(store, 8,
                             {remoteHeaders(1, MessageFlag::Seen),
                              remoteHeaders(2, MessageFlag::Seen | MessageFlag::Flagged),
                              remoteHeaders(3, {}), // unseen, no flags: new/
                              remoteHeaders(4, MessageFlag::Answered, QStringLiteral("$Junk a"))});
            QCOMPARE(ids.size(), 9);
            // Uid 5 has its copy already; uid 6 is expunged before its body arrives.
            const QByteArray earlier = bodyFor(5);
            VERIFY_OK(store.attachBody(ids[5], earlier));
            VERIFY_OK(store.removeRemoteUids(inbox, kValidity, {6}));

            QList<BodyAttachment> batch;
            for (quint32 uid = 1; uid <= 8; ++uid) {
                bodies.insert(uid, bodyFor(uid, uid == 2 ? 300'000 : 100));
                if (uid == 2 || uid == 7) {
                    const QString path =
                        writeSpoolFile(QStringLiteral("%1.eml").arg(uid), bodies.value(uid));
                    QVERIFY(!path.isEmpty());
                    batch.append({ids[uid], QByteArray("ignored"), path});
                } else {
                    batch.append(
                        {ids[uid],
                         uid == 5 ? QByteArray("Subject: other\r\n\r\nx\r\n") : bodies.value(uid),
                         {}});
                }
            }
            batch.append({ids[3], bodyFor(99), {}}); // the same row twice: the first wins
            qint64 attached = -1;
            VERIFY_OK(store.attachBodies(batch, &attached));
            QCOMPARE(attached, 6); // 1, 2, 3, 4, 7, 8
            bodies.insert(5, earlier);
            // Copied, never moved: the caller's files are still there for it to delete.
            QVERIFY(QFileInfo::exists(spool() + QStringLiteral("/2.eml")));
            QVERIFY(filesIn(root() + QStringLiteral("/tmp")).isEmpty());
            QCOMPARE(published().size(), 7);
            QVERIFY(searchFinds(store, QStringLiteral("marker8")));
            QVERIFY(!searchFinds(store, QStringLiteral("marker99")));
            VERIFY_OK(store.attachBodies({}, &attached));
            QCOMPARE(attached, 0);
        }

        MailStore store;
        VERIFY_OK(store.open(root()));
        QCOMPARE(store.reconciledChanges(), 0);
        // Unseen without flags stays in new/, as for any Maildir delivery.
        const QHash<quint32, QString> suffixes{{1, QStringLiteral(":2,S")},
                                               {2, QStringLiteral(":2,FS")},
                                               {4, QStringLiteral(":2,Ra")}};
        for (quint32 uid : {1, 2, 3, 4, 5, 7, 8}) {
            std::optional<MessageRecord> record;
            VERIFY_OK(store.message(ids[uid], &record));
            QVERIFY(record);
            QVERIFY2(record->hasLocalCopy(), qPrintable(QString::number(uid)));
            QCOMPARE(record->remote.uid, uid);
            QCOMPARE(record->remote.uidValidity, kValidity);
            QCOMPARE(record->size, bodies.value(uid).size());
            QCOMPARE(record->references,
                     QByteArrayList{"r" + QByteArray::number(uid) + "@example.org"});
            QCOMPARE(record->subject, QStringLiteral("subject %1").arg(uid));
            QCOMPARE(record->relativePath,
                     suffixes.contains(uid)
                         ? QStringLiteral("cur/") + record->maildirKey + suffixes.value(uid)
                         : QStringLiteral("new/") + record->maildirKey);
            QByteArray raw;
            VERIFY_OK(store.readMessage(ids[uid], &raw));
            QCOMPARE(raw, bodies.value(uid));
            QCOMPARE(QFileInfo(store.messageFilePath(*record)).lastModified().toMSecsSinceEpoch(),
                     kDate + uid * 60'000 + 123);
            QVERIFY(searchFinds(store, QStringLiteral("marker%1").arg(uid)));
        }
        std::optional<MessageRecord> record;
        VERIFY_OK(store.message(ids[4], &record));
        QCOMPARE(record->flags, MessageFlags(MessageFlag::Answered));
        QCOMPARE(record->extraFlags, QStringLiteral("$Junk a"));
        VERIFY_OK(store.message(ids[6], &record));
        QVERIFY(!record);
        QList<quint32> missing;
        VERIFY_OK(store.headersOnlyUids(folderIdOf(store, QStringLiteral("INBOX")), kValidity, 0,
                                        &missing));
        QVERIFY(missing.isEmpty());
    }

    void deferredWordsWaitForTheNextSearch()
    {
        QList<qint64> ids;
        {
            MailStore store;
            VERIFY_OK(store.open(root()));
            ids = addHeaders(store, 6);
            QCOMPARE(ids.size(), 7);
            QList<BodyAttachment> batch;
            for (quint32 uid = 1; uid <= 5; ++uid)
                batch.append({ids[uid], bodyFor(uid), {}});
            // A header sync leaves the words of its rows for later too.
            QCOMPARE(backlogOf(store), 6);
            QCOMPARE(indexedHits(QStringLiteral("alice")), 0);
            qint64 attached = 0;
            VERIFY_OK(store.attachBodies(batch, &attached, TextIndexing::Deferred));
            QCOMPARE(attached, 5);
            QCOMPARE(backlogOf(store), 6);
            // Stored and readable, not indexed.
            QCOMPARE(indexedHits(QStringLiteral("zeppelin")), 0);
            QByteArray raw;
            VERIFY_OK(store.readMessage(ids[3], &raw));
            QCOMPARE(raw, bodyFor(3));
            // An expunged message leaves the backlog with its row.
            VERIFY_OK(
                store.removeRemoteUids(folderIdOf(store, QStringLiteral("INBOX")), kValidity, {2}));
            QCOMPARE(backlogOf(store), 5);
        }

        MailStore store;
        VERIFY_OK(store.open(root()));
        QCOMPARE(backlogOf(store), 5); // kept across a restart
        qint64 remaining = -1;
        VERIFY_OK(store.indexDeferredText(2, &remaining));
        QCOMPARE(remaining, 3);
        QCOMPARE(indexedHits(QStringLiteral("zeppelin")), 2);
        QCOMPARE(indexedHits(QStringLiteral("marker1")), 1);
        // A file gone behind the index's back leaves the words of its headers, not an error.
        std::optional<MessageRecord> fourth;
        VERIFY_OK(store.message(ids[4], &fourth));
        QVERIFY(fourth && QFile::remove(store.messageFilePath(*fourth)));

        QVERIFY(searchFinds(store, QStringLiteral("marker5")));
        QCOMPARE(backlogOf(store), 0);
        QVERIFY(searchFinds(store, QStringLiteral("marker3")));
        QVERIFY(!searchFinds(store, QStringLiteral("marker4")));
        QVERIFY(searchFinds(store, QStringLiteral("\"subject 4\"")));
        QCOMPARE(indexedHits(QStringLiteral("zeppelin")), 3); // 1, 3 and 5
        QCOMPARE(indexedHits(QStringLiteral("alice")), 5);    // all but 2, headers-only 6 too
        VERIFY_OK(store.indexDeferredText(100, &remaining));
        QCOMPARE(remaining, 0);
    }

    void anUnreadableSourceLeavesNothing()
    {
        MailStore store;
        VERIFY_OK(store.open(root()));
        const QList<qint64> ids = addHeaders(store, 5);
        QCOMPARE(ids.size(), 6);
        QList<BodyAttachment> batch;
        for (quint32 uid = 1; uid <= 5; ++uid)
            batch.append({ids[uid], bodyFor(uid), {}});
        batch[1].sourcePath = writeSpoolFile(QStringLiteral("2.eml"), bodyFor(2));
        batch[3].sourcePath = spool() + QStringLiteral("/never-written.eml");
        qint64 attached = -1;
        const Error error = store.attachBodies(batch, &attached);
        QCOMPARE(error.kind(), ErrorKind::LocalFile);
        QVERIFY2(error.message().contains(u"never-written.eml"), qPrintable(error.message()));
        QCOMPARE(attached, 0);
        QVERIFY(published().isEmpty());
        QVERIFY(filesIn(root() + QStringLiteral("/tmp")).isEmpty());
        verifyHeadersOnly(store, ids);

        // Once the caller has the body, the same batch goes through.
        batch[3].sourcePath.clear();
        VERIFY_OK(store.attachBodies(batch, &attached));
        QCOMPARE(attached, 5);
        QCOMPARE(published().size(), 5);
    }

    void anIndexFailureWithdrawsThePublishedFiles()
    {
        QList<qint64> ids;
        {
            MailStore store;
            VERIFY_OK(store.open(root()));
            ids = addHeaders(store, 6, {remoteHeaders(1, MessageFlag::Seen)});
            QCOMPARE(ids.size(), 7);
            refuseBodyFor(ids[4], true);
            if (QTest::currentTestFailed())
                return;
            QList<BodyAttachment> batch;
            for (quint32 uid = 1; uid <= 6; ++uid)
                batch.append({ids[uid], bodyFor(uid), {}});
            batch[4].sourcePath = writeSpoolFile(QStringLiteral("5.eml"), bodyFor(5));
            qint64 attached = -1;
            const Error error = store.attachBodies(batch, &attached);
            QVERIFY(error);
            QVERIFY2(error.message().contains(u"provoked failure"), qPrintable(error.message()));
            QCOMPARE(attached, 0);
            // The rows before and after the refused one had their files renamed into place;
            // they are gone again, and no row points at them.
            QVERIFY2(published().isEmpty(), qPrintable(published().join(u' ')));
            QVERIFY(filesIn(root() + QStringLiteral("/tmp")).isEmpty());
            verifyHeadersOnly(store, ids);
            // One body on its own takes the same path.
            QVERIFY(store.attachBody(ids[4], bodyFor(4)));
            QVERIFY(published().isEmpty());
            VERIFY_OK(store.attachBody(ids[3], bodyFor(3)));
            QCOMPARE(published().size(), 1);
            refuseBodyFor(ids[4], false);
        }
        MailStore store;
        VERIFY_OK(store.open(root()));
        QCOMPARE(store.reconciledChanges(), 0); // nothing published without its row
        std::optional<MessageRecord> record;
        VERIFY_OK(store.message(ids[3], &record));
        QVERIFY(record->hasLocalCopy());
        VERIFY_OK(store.message(ids[4], &record));
        QVERIFY(!record->hasLocalCopy());
        QList<BodyAttachment> batch;
        for (quint32 uid = 1; uid <= 6; ++uid)
            batch.append({ids[uid], bodyFor(uid), {}});
        qint64 attached = -1;
        VERIFY_OK(store.attachBodies(batch, &attached));
        QCOMPARE(attached, 5);
        QCOMPARE(published().size(), 6);
        QVERIFY(searchFinds(store, QStringLiteral("marker4")));
    }

    // SIGKILL after the renames and before the index transaction leaves each row as the
    // expectCopies() step wrote it: headers-only, with the key its file now has. Opening
    // the store must give each file back to its row: a second, local-only row would be
    // uploaded to the server as a new message by the next sync.
    void aKillAfterTheRenamesGivesTheFilesBackToTheirRows()
    {
        QList<qint64> ids;
        {
            MailStore store;
            VERIFY_OK(store.open(root()));
            ids = addHeaders(store, 4, {remoteHeaders(1, MessageFlag::Seen)});
            QCOMPARE(ids.size(), 5);
            QList<BodyAttachment> batch;
            for (quint32 uid = 1; uid <= 3; ++uid)
                batch.append({ids[uid], bodyFor(uid), {}});
            VERIFY_OK(store.attachBodies(batch));
            // A file of a store that knew nothing of expected keys: found, it stays a
            // message of its own.
            VERIFY_OK(store.attachBody(ids[4], bodyFor(4)));
        }
        const QString inbox = QStringLiteral("(SELECT id FROM folders WHERE name = 'INBOX')");
        tamper({QStringLiteral("UPDATE messages SET incoming_key = maildir_key, maildir_key = "
                               "NULL, relative_path = NULL WHERE id IN (%1, %2, %3)")
                    .arg(ids[1])
                    .arg(ids[2])
                    .arg(ids[3]),
                QStringLiteral("UPDATE messages SET maildir_key = NULL, relative_path = NULL "
                               "WHERE id = %1")
                    .arg(ids[4]),
                QStringLiteral("UPDATE folders SET stamp_new = -1, stamp_cur = -1 WHERE id = %1")
                    .arg(inbox)});
        if (QTest::currentTestFailed())
            return;

        MailStore store;
        VERIFY_OK(store.open(root()));
        QCOMPARE(store.reconciledChanges(), 4);
        const qint64 inboxId = folderIdOf(store, QStringLiteral("INBOX"));
        qint64 total = 0;
        VERIFY_OK(store.count(inboxId, &total));
        QCOMPARE(total, 5); // four server rows and the one found without an expecting row
        for (quint32 uid = 1; uid <= 3; ++uid) {
            std::optional<MessageRecord> record;
            VERIFY_OK(store.message(ids[uid], &record));
            QVERIFY(record && record->hasLocalCopy());
            QCOMPARE(record->remote.uid, uid);
            QFile file(store.messageFilePath(*record));
            QVERIFY(file.open(QIODevice::ReadOnly));
            QCOMPARE(file.readAll(), bodyFor(uid));
            QVERIFY(searchFinds(store, QStringLiteral("marker%1").arg(uid)));
        }
        std::optional<MessageRecord> first;
        VERIFY_OK(store.message(ids[1], &first));
        QVERIFY(first->flags.testFlag(MessageFlag::Seen));
        QList<MessageRecord> localOnly;
        VERIFY_OK(store.localOnlyMessages(inboxId, &localOnly));
        QCOMPARE(localOnly.size(), 1);
        QCOMPARE(localOnly.first().subject, QStringLiteral("subject 4"));
    }
};

QTEST_GUILESS_MAIN(TestMailStoreBodies)
#include "tst_mail_store_bodies.moc"
