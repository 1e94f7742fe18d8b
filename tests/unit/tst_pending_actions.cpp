// The persistent queue of local changes to replay to the server (store/PendingActions).

#include "MailStoreTestSupport.h"
#include "store/MailStore.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

using namespace wharf;
using namespace wharf::store;
using namespace wharf::testing;

class TestPendingActions : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString root() const { return m_dir.path() + QStringLiteral("/account"); }
    qint64 inboxOf(const MailStore &store) { return folderIdOf(store, QStringLiteral("INBOX")); }

private Q_SLOTS:
    void init() { QDir(root()).removeRecursively(); }

    void theQueueKeepsLocalChangesInOrder()
    {
        using Kind = PendingAction::Kind;
        qint64 inbox = 0, archive = 0, appended = 0, first = 0, second = 0, third = 0;
        {
            MailStore store;
            VERIFY_OK(store.open(root()));
            inbox = inboxOf(store);
            VERIFY_OK(store.createFolder(QStringLiteral("Archive"), &archive));
            VERIFY_OK(
                store.addMessage(archive, makeMessage("up", "x", "up@x", "b"), {}, &appended));
            PendingActions &queue = store.pendingActions();
            VERIFY_OK(queue.enqueue({.kind = Kind::AddFlags,
                                     .folderId = inbox,
                                     .uidValidity = 7,
                                     .uids = {7, 1, 2, 3, 4, 5, 3},
                                     .flags = MessageFlag::Seen,
                                     .extraFlags = QStringLiteral("$Label1")},
                                    &first));
            VERIFY_OK(queue.enqueue({.kind = Kind::Move,
                                     .folderId = inbox,
                                     .uidValidity = 7,
                                     .uids = {9},
                                     .targetFolderId = archive},
                                    &second));
            VERIFY_OK(queue.enqueue(
                {.kind = Kind::Append, .folderId = archive, .messageId = appended}, &third));
            VERIFY_OK(queue.enqueue({.kind = Kind::CreateFolder, .name = QStringLiteral("New")}));
            QVERIFY(first < second && second < third);
            // What cannot be replayed is refused now, not when the server is asked.
            QCOMPARE(queue.enqueue({.kind = Kind::Move, .folderId = inbox, .uids = {1}}).kind(),
                     ErrorKind::Usage);
            QCOMPARE(queue.enqueue({.kind = Kind::Append, .folderId = archive}).kind(),
                     ErrorKind::Usage);
            VERIFY_OK(queue.recordFailure(second, QStringLiteral("connection lost")));
            VERIFY_OK(queue.recordFailure(second, QStringLiteral("[TRYCREATE] no such mailbox")));
            QCOMPARE(queue.recordFailure(12345, QStringLiteral("x")).kind(), ErrorKind::Usage);
        }
        MailStore store;
        VERIFY_OK(store.open(root()));
        PendingActions &queue = store.pendingActions();
        QList<PendingAction> actions;
        VERIFY_OK(queue.list(&actions));
        QCOMPARE(actions.size(), 4);
        QCOMPARE(actions[0].id, first);
        QCOMPARE(actions[0].kind, Kind::AddFlags);
        QCOMPARE(actions[0].uids, QList<quint32>({1, 2, 3, 4, 5, 7}));
        QCOMPARE(actions[0].flags, MessageFlags(MessageFlag::Seen));
        QCOMPARE(actions[0].extraFlags, QStringLiteral("$Label1"));
        QCOMPARE(actions[0].uidValidity, 7u);
        QVERIFY(actions[0].createdAt > 0);
        QCOMPARE(actions[1].kind, Kind::Move);
        QCOMPARE(actions[1].targetFolderId, archive);
        QCOMPARE(actions[1].attempts, 2);
        QCOMPARE(actions[1].lastError, QStringLiteral("[TRYCREATE] no such mailbox"));
        QCOMPARE(actions[2].messageId, appended);
        QCOMPARE(actions[3].name, QStringLiteral("New"));
        VERIFY_OK(queue.list(&actions, archive));
        QCOMPARE(actions.size(), 2); // the move into it and the append
        QCOMPARE(actions[0].id, second);

        VERIFY_OK(queue.complete(first));
        QCOMPARE(queue.complete(first).kind(), ErrorKind::Usage);
        // The message to upload is deleted before it was: the action stays, pointing nowhere.
        VERIFY_OK(store.removePermanently(appended));
        VERIFY_OK(queue.list(&actions));
        QCOMPARE(actions.size(), 3);
        QCOMPARE(actions[1].kind, Kind::Append);
        QCOMPARE(actions[1].messageId, 0);
        VERIFY_OK(queue.remove(actions[1].id));
        qint64 count = 0;
        VERIFY_OK(queue.count(&count));
        QCOMPARE(count, 2);
        // Ids are never reused, so order survives an emptied queue.
        VERIFY_OK(queue.list(&actions));
        for (const PendingAction &action : std::as_const(actions))
            VERIFY_OK(queue.complete(action.id));
        qint64 later = 0;
        VERIFY_OK(queue.enqueue({.kind = Kind::Expunge, .folderId = inbox}, &later));
        QVERIFY(later > third);
    }

    void uidSetsAreCompactText()
    {
        QCOMPARE(PendingActions::uidSetText({7, 1, 2, 3, 4, 5, 3, 10, 11}),
                 QStringLiteral("1:5,7,10:11"));
        QCOMPARE(PendingActions::uidSetText({}), QString());
        QCOMPARE(PendingActions::uidsFromText(u"1:5,7,10:11"),
                 QList<quint32>({1, 2, 3, 4, 5, 7, 10, 11}));
        QCOMPARE(PendingActions::uidsFromText(u"4294967295"), QList<quint32>({4294967295u}));
        // Damaged text gives what can be read, never a hang or a huge list.
        QCOMPARE(PendingActions::uidsFromText(u"x,3,5:2,0,1:4294967295,8"), QList<quint32>({3, 8}));
    }
};

QTEST_GUILESS_MAIN(TestPendingActions)
#include "tst_pending_actions.moc"
