// What local mail actions (MailActions) change in the store at once and what they queue
// for the server, on a real MailStore in a temporary directory.

#include "MailActionsTestSupport.h"

using namespace wharf;
using namespace wharf::controllers;
using namespace wharf::testing;
using Kind = wharf::store::PendingAction::Kind;

class TestMailActions : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void localFoldersStayLocal();
    void movingBackOrDeletingRetargetsTheQueuedMove();
};

void TestMailActions::localFoldersStayLocal()
{
    Account account;
    VERIFY_OK(account.open());
    MailActions actions(&*account.store);
    qint64 draft = 0;
    VERIFY_OK(actions.append(account.local, makeMessage("x", kDate, "l@x", "b"), {}, &draft));
    VERIFY_OK(actions.markRead({draft}));
    QVERIFY(account.queue().isEmpty());
    // Into a mirrored folder it is uploaded, with its flags as they are then.
    VERIFY_OK(actions.move({draft}, account.archive));
    QList<PendingAction> queued = account.queue();
    QCOMPARE(queued.size(), 1);
    QCOMPARE(queued[0].kind, Kind::Append);
    QCOMPARE(queued[0].folderId, account.archive);
    QCOMPARE(queued[0].messageId, draft);
    // Moved on before the upload: the upload follows it.
    VERIFY_OK(actions.move({draft}, account.sent));
    queued = account.queue();
    QCOMPARE(queued.size(), 1);
    QCOMPARE(queued[0].folderId, account.sent);
    // Back to a local folder: nothing to upload any more.
    VERIFY_OK(actions.move({draft}, account.local));
    QVERIFY(account.queue().isEmpty());

    // A server message moved to a local folder leaves the server.
    const qint64 six = account.add(account.inbox, kInboxValidity, 6);
    VERIFY_OK(actions.move({six}, account.local));
    queued = account.queue();
    QCOMPARE(queued.size(), 2);
    QCOMPARE(queued[0].kind, Kind::AddFlags);
    QCOMPARE(queued[0].flags, MessageFlags(MessageFlag::Deleted));
    QCOMPARE(queued[1].kind, Kind::Expunge);
    QCOMPARE(queued[1].uids, QList<quint32>{6});
    // One whose body is not here cannot go there: it would be lost.
    QList<store::RemoteHeaders> headers(1);
    headers[0].record.remote = {kInboxValidity, 9, {}};
    headers[0].record.subject = QStringLiteral("headers only");
    VERIFY_OK(account.store->addRemoteHeaders(account.inbox, headers));
    QCOMPARE(actions.move({headers[0].record.id}, account.local).kind(), ErrorKind::Usage);
    QCOMPARE(account.record(headers[0].record.id).folderId, account.inbox);
}

void TestMailActions::movingBackOrDeletingRetargetsTheQueuedMove()
{
    Account account;
    VERIFY_OK(account.open());
    const qint64 one = account.add(account.inbox, kInboxValidity, 1);
    const qint64 two = account.add(account.inbox, kInboxValidity, 2);
    MailActions actions(&*account.store);
    VERIFY_OK(actions.move({one, two}, account.archive));
    QCOMPARE(account.queue().size(), 2);

    // Back before the server moved it: it is uid 1 again, and its new flag goes there.
    VERIFY_OK(actions.markRead({one}));
    VERIFY_OK(actions.move({one}, account.inbox));
    QCOMPARE(account.record(one).remote.uid, 1u);
    QList<PendingAction> queued = account.queue();
    QCOMPARE(queued.size(), 2);
    QCOMPARE(queued[0].kind, Kind::Move);
    QCOMPARE(queued[0].uids, QList<quint32>{2});
    QCOMPARE(queued[1].kind, Kind::AddFlags);
    QCOMPARE(queued[1].folderId, account.inbox);
    QCOMPARE(queued[1].uids, QList<quint32>{1});

    // Moved on to Trash: one move from INBOX, to where it is now.
    VERIFY_OK(actions.moveToTrash({two}));
    queued = account.queue();
    QCOMPARE(queued.size(), 2);
    QCOMPARE(queued[1].kind, Kind::Move);
    QCOMPARE(queued[1].folderId, account.inbox);
    QCOMPARE(queued[1].targetFolderId, account.trash);
    QCOMPARE(queued[1].messageId, two);

    // Deleted for good before the server moved it: deleted in INBOX instead.
    VERIFY_OK(actions.moveToTrash({two}));
    queued = account.queue();
    QCOMPARE(queued.size(), 3);
    QCOMPARE(queued[1].kind, Kind::AddFlags);
    QCOMPARE(queued[1].flags, MessageFlags(MessageFlag::Deleted));
    QCOMPARE(queued[1].uids, QList<quint32>{2});
    QCOMPARE(queued[2].kind, Kind::Expunge);
    QCOMPARE(queued[2].folderId, account.inbox);

    // A copy of a server message is a COPY; a copy of a copy not made yet, an upload.
    QList<qint64> copies;
    VERIFY_OK(actions.copy({one}, account.archive, &copies));
    QCOMPARE(copies.size(), 1);
    queued = account.queue();
    QCOMPARE(queued.last().kind, Kind::Copy);
    QCOMPARE(queued.last().messageId, copies[0]);
    QList<qint64> again;
    VERIFY_OK(actions.copy(copies, account.sent, &again));
    QCOMPARE(account.queue().last().kind, Kind::Append);
    QCOMPARE(account.queue().last().messageId, again[0]);
}

QTEST_GUILESS_MAIN(TestMailActions)
#include "tst_mail_actions.moc"
