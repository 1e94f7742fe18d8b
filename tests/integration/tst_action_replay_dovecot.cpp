// Local mail actions replayed to the real Dovecot of tests/servers: mark read, move (to a
// mailbox that does not exist yet: TRYCREATE), delete to Trash and for good, append to Sent.
// Python's imaplib, on its own connection, is the witness of what the server has.

#include "ServerEnvironment.h"
#include "TestPki.h"
#include "controllers/ActionReplayer.h"
#include "controllers/MailActions.h"
#include "protocols/imap/ImapSession.h"
#include "protocols/imap/commands/AppendCommand.h"
#include "protocols/imap/commands/MailboxCommand.h"
#include "protocols/imap/commands/SelectCommand.h"
#include "store/MailStore.h"

#include <QDateTime>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace wharf;
using namespace wharf::controllers;
using wharf::store::MailStore;
using wharf::store::MessageRecord;

#define VERIFY_OK(expression)                                                                      \
    do {                                                                                           \
        const wharf::Error error_ = (expression);                                                  \
        QVERIFY2(!error_, qPrintable(error_.message()));                                           \
    } while (false)

namespace {

QByteArray makeMessage(const QByteArray &subject, const QByteArray &date,
                       const QByteArray &messageId, const QByteArray &body)
{
    return "From: Alice <alice@example.org>\r\nTo: Bob <bob@example.net>\r\nSubject: " + subject +
           "\r\nDate: " + date + "\r\nMessage-ID: <" + messageId + ">\r\n\r\n" + body + "\r\n";
}

// Prints "mailbox<TAB>uid<TAB>flags<TAB>message-id" for every message of the mailboxes
// named after the credentials; a mailbox that cannot be opened prints "mailbox<TAB>missing".
const char kWitness[] = R"(
import imaplib, re, ssl, sys
host, port, user, password, cafile = sys.argv[1:6]
imap = imaplib.IMAP4_SSL(host, int(port), ssl_context=ssl.create_default_context(cafile=cafile))
imap.login(user, password)
for box in sys.argv[6:]:
    typ, _ = imap.select('"%s"' % box, readonly=True)
    if typ != 'OK':
        print('%s\tmissing' % box)
        continue
    typ, data = imap.uid('FETCH', '1:*', '(UID FLAGS BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])')
    for item in data:
        if not isinstance(item, tuple):
            continue
        head = item[0].decode()
        uid = re.search(r'UID (\d+)', head).group(1)
        flags = re.search(r'FLAGS \(([^)]*)\)', head).group(1)
        mid = re.search(r'<([^>]+)>', item[1].decode())
        print('%s\t%s\t%s\t%s' % (box, uid, flags, mid.group(1) if mid else ''))
imap.logout()
)";

struct ServerMessage
{
    quint32 uid = 0;
    QStringList flags;
};

} // namespace

class TestActionReplayDovecot : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void replayedChangesReachTheServer();
    void cleanupTestCase();

private:
    bool openSession();
    bool run(imap::ImapCommand *command);
    Error replayAll(ActionReplayer &replayer, QList<Error> *refused);
    // mailbox → message-id → what the server has; a missing mailbox is absent.
    QHash<QString, QHash<QByteArray, ServerMessage>> witness(const QStringList &mailboxes);

    QHash<QString, QString> m_dovecot;
    std::unique_ptr<imap::ImapSession> m_session;
    QString m_stamp;
    QStringList m_mailboxes;
};

void TestActionReplayDovecot::initTestCase()
{
    m_dovecot = wharf::test::serverEnvironment(QStringLiteral("dovecot"));
    QVERIFY2(!m_dovecot.isEmpty(), "dovecot.env missing: run through ctest (fixture dovecot)");
    m_stamp = QString::number(QDateTime::currentMSecsSinceEpoch());
    QVERIFY(openSession());
}

bool TestActionReplayDovecot::openSession()
{
    ServerEndpoint endpoint;
    endpoint.protocol = Protocol::Imap;
    endpoint.tlsMode = TlsMode::Implicit;
    endpoint.host = QStringLiteral("localhost");
    endpoint.port = m_dovecot.value(QStringLiteral("DOVECOT_IMAPS_PORT")).toUShort();
    imap::ImapSessionSettings settings;
    settings.connection = net::settingsFor(endpoint);
    settings.connection.extraCaFile = wharf::test::testPkiFile(QStringLiteral("ca.pem"));
    settings.user = m_dovecot.value(QStringLiteral("DOVECOT_USER"));
    settings.password = m_dovecot.value(QStringLiteral("DOVECOT_PASSWORD"));
    m_session = std::make_unique<imap::ImapSession>(settings);
    bool ready = false;
    connect(m_session.get(), &imap::ImapSession::ready, this, [&ready] { ready = true; });
    m_session->open();
    return QTest::qWaitFor(
               [&] { return ready || m_session->state() == imap::ImapSession::State::Closed; },
               20'000) &&
           ready;
}

bool TestActionReplayDovecot::run(imap::ImapCommand *command)
{
    command->setAutoDelete(false);
    std::unique_ptr<imap::ImapCommand> owned(command);
    m_session->enqueue(command);
    if (!QTest::qWaitFor([command] { return command->isFinished(); }, 20'000))
        return false;
    if (command->error())
        qWarning("%s", qPrintable(command->error().message()));
    return !command->error();
}

Error TestActionReplayDovecot::replayAll(ActionReplayer &replayer, QList<Error> *refused)
{
    std::optional<Error> finished;
    QObject context;
    connect(&replayer, &ActionReplayer::finished, &context,
            [&](const Error &error) { finished = error; });
    connect(&replayer, &ActionReplayer::actionRefused, &context,
            [&](const store::PendingAction &, const Error &error) { refused->append(error); });
    replayer.replayAll(m_session.get());
    if (!QTest::qWaitFor([&] { return finished.has_value(); }, 60'000))
        return Error(ErrorKind::Timeout, QStringLiteral("The replay did not finish"));
    return *finished;
}

QHash<QString, QHash<QByteArray, ServerMessage>>
TestActionReplayDovecot::witness(const QStringList &mailboxes)
{
    QProcess python;
    python.start(QStringLiteral(WHARF_PYTHON3),
                 QStringList{QStringLiteral("-c"), QString::fromUtf8(kWitness),
                             QStringLiteral("localhost"),
                             m_dovecot.value(QStringLiteral("DOVECOT_IMAPS_PORT")),
                             m_dovecot.value(QStringLiteral("DOVECOT_USER")),
                             m_dovecot.value(QStringLiteral("DOVECOT_PASSWORD")),
                             wharf::test::testPkiFile(QStringLiteral("ca.pem"))} +
                     mailboxes);
    QHash<QString, QHash<QByteArray, ServerMessage>> result;
    if (!python.waitForFinished(60'000) || python.exitCode() != 0) {
        qWarning("imaplib witness failed: %s", python.readAllStandardError().constData());
        return result;
    }
    QSet<QString> missing;
    for (const QByteArray &line : python.readAllStandardOutput().split('\n')) {
        const QList<QByteArray> fields = line.split('\t');
        if (fields.size() == 2)
            missing.insert(QString::fromUtf8(fields[0]));
        if (fields.size() != 4)
            continue;
        const QString box = QString::fromUtf8(fields[0]);
        ServerMessage message;
        message.uid = fields[1].toUInt();
        message.flags = QString::fromUtf8(fields[2]).split(u' ', Qt::SkipEmptyParts);
        result[box].insert(fields[3], message);
    }
    for (const QString &box : mailboxes) {
        if (!result.contains(box) && !missing.contains(box))
            result.insert(box, {}); // opened and empty
    }
    return result;
}

void TestActionReplayDovecot::replayedChangesReachTheServer()
{
    const QString source = QStringLiteral("ReplaySource") + m_stamp;
    const QString target = QStringLiteral("ReplayArchive") + m_stamp; // created by TRYCREATE
    const QString trash = QStringLiteral("ReplayTrash") + m_stamp;
    const QString sent = QStringLiteral("ReplaySent") + m_stamp; // created by TRYCREATE
    m_mailboxes = {source, target, trash, sent};
    QVERIFY(run(new imap::MailboxCommand(imap::MailboxCommand::Action::Create,
                                         m_session->mailboxWireName(source))));
    QVERIFY(run(new imap::MailboxCommand(imap::MailboxCommand::Action::Create,
                                         m_session->mailboxWireName(trash))));

    // Three messages on the server, and the same three in the store under their uids.
    QTemporaryDir dir;
    MailStore store;
    VERIFY_OK(store.open(dir.path()));
    const qint64 inbox = store.folderForRole(store::FolderRole::Inbox)->id;
    const qint64 trashFolder = store.folderForRole(store::FolderRole::Trash)->id;
    const qint64 sentFolder = store.folderForRole(store::FolderRole::Sent)->id;
    qint64 archive = 0;
    VERIFY_OK(store.createFolder(QStringLiteral("Archive"), &archive));
    QList<QByteArray> ids;
    QList<qint64> rows;
    quint32 validity = 0;
    for (int i = 0; i < 3; ++i) {
        ids.append("replay-" + m_stamp.toLatin1() + '-' + QByteArray::number(i) + "@example.org");
        const QByteArray raw = makeMessage("Replay " + QByteArray::number(i),
                                           "Thu, 05 Mar 2026 14:07:09 +0000", ids.last(), "text");
        auto *append = new imap::AppendCommand(m_session->mailboxWireName(source), raw);
        append->setAutoDelete(false);
        std::unique_ptr<imap::AppendCommand> owned(append);
        m_session->enqueue(append);
        QVERIFY(QTest::qWaitFor([append] { return append->isFinished(); }, 20'000));
        QVERIFY2(!append->error(), qPrintable(append->error().message()));
        QVERIFY(append->appendUid().has_value());
        validity = append->appendUid()->uidValidity;
        store::AddOptions options;
        options.remote = {validity, append->appendUid()->destinationUids.first(), {}};
        qint64 row = 0;
        VERIFY_OK(store.addMessage(inbox, raw, options, &row));
        rows.append(row);
    }
    VERIFY_OK(store.setRemoteFolderState(inbox, {m_session->mailboxWireName(source), validity}));
    VERIFY_OK(store.setRemoteFolderState(archive, {m_session->mailboxWireName(target)}));
    VERIFY_OK(store.setRemoteFolderState(trashFolder, {m_session->mailboxWireName(trash)}));
    VERIFY_OK(store.setRemoteFolderState(sentFolder, {m_session->mailboxWireName(sent)}));

    MailActions actions(&store);
    VERIFY_OK(actions.markRead({rows[0]}));
    VERIFY_OK(actions.move({rows[1]}, archive));
    VERIFY_OK(actions.moveToTrash({rows[2]}));
    const QByteArray sentId = "replay-sent-" + m_stamp.toLatin1() + "@example.org";
    qint64 sentRow = 0;
    VERIFY_OK(actions.append(sentFolder,
                             makeMessage("Sent", "Thu, 05 Mar 2026 15:00:00 +0000", sentId, "hi"),
                             MessageFlag::Seen, &sentRow));

    ActionReplayer replayer(&store);
    QList<Error> refused;
    VERIFY_OK(replayAll(replayer, &refused));
    QVERIFY2(refused.isEmpty(), qPrintable(refused.value(0).message()));
    qint64 queued = -1;
    VERIFY_OK(store.pendingActions().count(&queued));
    QCOMPARE(queued, 0);

    const auto onServer = witness(m_mailboxes);
    QCOMPARE(onServer.value(source).size(), 1);
    QVERIFY(onServer.value(source).value(ids[0]).flags.contains(QStringLiteral("\\Seen")));
    std::optional<MessageRecord> record;
    VERIFY_OK(store.message(rows[1], &record));
    QCOMPARE(onServer.value(target).size(), 1);
    QCOMPARE(onServer.value(target).value(ids[1]).uid, record->remote.uid);
    VERIFY_OK(store.message(rows[2], &record));
    QCOMPARE(record->folderId, trashFolder);
    QCOMPARE(onServer.value(trash).size(), 1);
    QCOMPARE(onServer.value(trash).value(ids[2]).uid, record->remote.uid);
    VERIFY_OK(store.message(sentRow, &record));
    QCOMPARE(onServer.value(sent).size(), 1);
    QCOMPARE(onServer.value(sent).value(sentId).uid, record->remote.uid);
    QVERIFY(onServer.value(sent).value(sentId).flags.contains(QStringLiteral("\\Seen")));

    // Deleted again from Trash: gone for good, here and there.
    VERIFY_OK(actions.moveToTrash({rows[2]}));
    VERIFY_OK(replayAll(replayer, &refused));
    QVERIFY2(refused.isEmpty(), qPrintable(refused.value(0).message()));
    QVERIFY(witness({trash}).value(trash).isEmpty());
}

void TestActionReplayDovecot::cleanupTestCase()
{
    if (!m_session || m_session->state() != imap::ImapSession::State::Ready)
        return;
    // Dovecot ends the session when its selected mailbox is deleted.
    run(new imap::SelectCommand("INBOX", true));
    for (const QString &box : std::as_const(m_mailboxes)) {
        run(new imap::MailboxCommand(imap::MailboxCommand::Action::Delete,
                                     m_session->mailboxWireName(box)));
    }
    m_session->logout();
}

QTEST_GUILESS_MAIN(TestActionReplayDovecot)
#include "tst_action_replay_dovecot.moc"
