// FolderMapping against scripted servers: special-use mailboxes become the store's Sent,
// Drafts and Trash, checked in a real MailStore (reopened, so the index kept it).

#include "ImapControllerTestSupport.h"
#include "ImapSessionTestSupport.h"
#include "MailStoreTestSupport.h"
#include "controllers/FolderMapping.h"
#include "controllers/ImapConnectionPool.h"

#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace wharf;
using namespace wharf::controllers;
using wharf::test::ScriptedServer;

class TestFolderMapping : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void mapsSpecialUseMailboxesOntoRoleFolders();
    void roleFolderMirroringSomethingIsLeftAlone();
    void mailboxMirroredByAnotherFolderIsLeftAlone();
    void duplicateSpecialUseTakesTheFirst();
    void profileChoicesBeatSpecialUse();
    void plainListWithoutSpecialUseCapability();
    void refusedListMapsNothing();

private:
    static std::unique_ptr<ImapConnectionPool> poolFor(const ScriptedServer &server)
    {
        return std::make_unique<ImapConnectionPool>(test::accountOn(server.port()));
    }
    // Runs a mapping to its end against the server; false if it never finished.
    bool runMapping(ImapConnectionPool &pool, FolderMapping &mapping);
    QByteArray remoteNameOf(store::FolderRole role);
    void reopenStore();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<store::MailStore> m_store;
};

namespace {

const QString kList = QStringLiteral("C: A3 LIST \"\" \"*\" RETURN (SPECIAL-USE)\n");

} // namespace

void TestFolderMapping::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_store = std::make_unique<store::MailStore>();
    VERIFY_OK(m_store->open(m_dir->path()));
}

bool TestFolderMapping::runMapping(ImapConnectionPool &pool, FolderMapping &mapping)
{
    Q_UNUSED(pool);
    QSignalSpy finished(&mapping, &FolderMapping::finished);
    mapping.start();
    return finished.wait(10'000) || finished.size() == 1;
}

QByteArray TestFolderMapping::remoteNameOf(store::FolderRole role)
{
    const std::optional<store::FolderRecord> folder = m_store->folderForRole(role);
    return folder ? folder->remoteName : QByteArray("<no such folder>");
}

void TestFolderMapping::reopenStore()
{
    m_store = std::make_unique<store::MailStore>();
    VERIFY_OK(m_store->open(m_dir->path()));
}

void TestFolderMapping::mapsSpecialUseMailboxesOntoRoleFolders()
{
    const qsizetype foldersBefore = m_store->folders().size();
    ScriptedServer server(test::modernLoginScenario() + kList + QStringLiteral(R"(
        S: * LIST (\\HasNoChildren) "/" INBOX
        S: * LIST (\\HasNoChildren \\Sent) "/" "Sent Messages"
        S: * LIST (\\HasNoChildren \\Trash) "/" Deleted
        S: * LIST (\\HasNoChildren \\Drafts) "/" "Entw&APw-rfe"
        S: * LIST (\\HasNoChildren \\Junk) "/" Spam
        S: * LIST (\\HasNoChildren \\Archive) "/" Archive
        S: * LIST (\\HasNoChildren) "/" Projects
        S: A3 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto pool = poolFor(server);
    FolderMapping mapping(pool.get(), m_store.get());
    QVERIFY(runMapping(*pool, mapping));
    QVERIFY2(!mapping.error(), qPrintable(mapping.error().message()));
    WHARF_TRY_VERIFY_SCENARIO(server);

    QCOMPARE(mapping.mapped().size(), 3);
    QCOMPARE(mapping.mapped().at(0).role, store::FolderRole::Sent);
    QCOMPARE(mapping.mapped().at(0).remoteName, QByteArray("Sent Messages"));
    QCOMPARE(mapping.mapped().at(0).folderId, m_store->folderForRole(store::FolderRole::Sent)->id);
    QCOMPARE(mapping.mapped().at(1).role, store::FolderRole::Trash);
    QCOMPARE(mapping.mapped().at(2).role, store::FolderRole::Drafts);
    QCOMPARE(mapping.mapped().at(2).mailbox, QStringLiteral("Entwürfe"));

    reopenStore();
    QCOMPARE(remoteNameOf(store::FolderRole::Sent), QByteArray("Sent Messages"));
    QCOMPARE(remoteNameOf(store::FolderRole::Trash), QByteArray("Deleted"));
    QCOMPARE(remoteNameOf(store::FolderRole::Drafts), QByteArray("Entw&APw-rfe"));
    QCOMPARE(remoteNameOf(store::FolderRole::Inbox), QByteArray());
    QCOMPARE(m_store->folderForRemoteName("Sent Messages")->role, store::FolderRole::Sent);
    // Nothing created, renamed or pointed at Junk, Archive or ordinary mailboxes.
    QCOMPARE(m_store->folders().size(), foldersBefore);
    QVERIFY(!m_store->folderForRemoteName("Spam"));
    QVERIFY(!m_store->folderForRemoteName("Archive"));
    QVERIFY(!m_store->folderForRemoteName("Projects"));
    QCOMPARE(m_store->folderForRole(store::FolderRole::Sent)->name, QStringLiteral("Sent"));
    store::RemoteFolderState state;
    VERIFY_OK(
        m_store->remoteFolderState(m_store->folderForRole(store::FolderRole::Sent)->id, &state));
    QCOMPARE(state.uidValidity, 0u); // the first sync of it has all to learn
    QCOMPARE(state.highestModSeq, 0u);
}

void TestFolderMapping::roleFolderMirroringSomethingIsLeftAlone()
{
    const qint64 sent = m_store->folderForRole(store::FolderRole::Sent)->id;
    VERIFY_OK(m_store->setRemoteFolderState(sent, {"Sent", 5, 10, 77, 1}));
    ScriptedServer server(test::modernLoginScenario() + kList + QStringLiteral(R"(
        S: * LIST (\\HasNoChildren \\Sent) "/" "Sent Messages"
        S: * LIST (\\HasNoChildren \\Trash) "/" Deleted
        S: A3 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto pool = poolFor(server);
    FolderMapping mapping(pool.get(), m_store.get());
    QVERIFY(runMapping(*pool, mapping));
    QVERIFY2(!mapping.error(), qPrintable(mapping.error().message()));
    WHARF_TRY_VERIFY_SCENARIO(server);

    QCOMPARE(mapping.mapped().size(), 1);
    QCOMPARE(mapping.mapped().at(0).role, store::FolderRole::Trash);
    reopenStore();
    store::RemoteFolderState state;
    VERIFY_OK(m_store->remoteFolderState(sent, &state));
    QCOMPARE(state.remoteName, QByteArray("Sent"));
    QCOMPARE(state.uidValidity, 5u);
    QCOMPARE(state.highestModSeq, 77u);
    QVERIFY(!m_store->folderForRemoteName("Sent Messages"));
    QCOMPARE(remoteNameOf(store::FolderRole::Trash), QByteArray("Deleted"));
}

void TestFolderMapping::mailboxMirroredByAnotherFolderIsLeftAlone()
{
    // An earlier sync of "Sent Messages", before there was a mapping, made a folder of it.
    qint64 own = 0;
    VERIFY_OK(m_store->createFolder(QStringLiteral("Sent Messages"), &own));
    VERIFY_OK(m_store->setRemoteFolderState(own, {"Sent Messages", 3, 4, 0, 1}));
    ScriptedServer server(test::modernLoginScenario() + kList + QStringLiteral(R"(
        S: * LIST (\\HasNoChildren \\Sent) "/" "Sent Messages"
        S: A3 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto pool = poolFor(server);
    FolderMapping mapping(pool.get(), m_store.get());
    QVERIFY(runMapping(*pool, mapping));
    QVERIFY2(!mapping.error(), qPrintable(mapping.error().message()));
    WHARF_TRY_VERIFY_SCENARIO(server);

    QVERIFY(mapping.mapped().isEmpty());
    reopenStore();
    QCOMPARE(remoteNameOf(store::FolderRole::Sent), QByteArray());
    QCOMPARE(m_store->folderForRemoteName("Sent Messages")->id, own);
}

void TestFolderMapping::duplicateSpecialUseTakesTheFirst()
{
    QLoggingCategory::setFilterRules(QStringLiteral("wharf.controller.info=true"));
    QTest::ignoreMessage(QtInfoMsg, QRegularExpression(QStringLiteral("Sent Items.*first one")));
    ScriptedServer server(test::modernLoginScenario() + kList + QStringLiteral(R"(
        S: * LIST (\\HasNoChildren \\Sent) "/" "Sent Messages"
        S: * LIST (\\HasNoChildren \\Sent) "/" "Sent Items"
        S: A3 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto pool = poolFor(server);
    FolderMapping mapping(pool.get(), m_store.get());
    const bool finished = runMapping(*pool, mapping);
    QLoggingCategory::setFilterRules(QString());
    QVERIFY(finished);
    QVERIFY2(!mapping.error(), qPrintable(mapping.error().message()));
    WHARF_TRY_VERIFY_SCENARIO(server);

    QCOMPARE(mapping.mapped().size(), 1);
    QCOMPARE(remoteNameOf(store::FolderRole::Sent), QByteArray("Sent Messages"));
    QVERIFY(!m_store->folderForRemoteName("Sent Items"));
}

void TestFolderMapping::profileChoicesBeatSpecialUse()
{
    ScriptedServer server(test::modernLoginScenario() + kList + QStringLiteral(R"(
        S: * LIST (\\HasNoChildren \\Sent) "/" "Sent Messages"
        S: * LIST (\\HasNoChildren) "/" Gesendet
        S: * LIST (\\HasNoChildren \\Drafts) "/" "Entw&APw-rfe"
        S: * LIST (\\HasNoChildren \\Trash) "/" Trash
        S: * LIST (\\HasNoChildren) "/" Spam
        S: A3 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto pool = poolFor(server);
    store::MailAccount account;
    account.folderRoles = {{store::RemoteFolderRole::Sent, QStringLiteral("Gesendet")},
                           {store::RemoteFolderRole::Drafts, QStringLiteral("Entwürfe")},
                           {store::RemoteFolderRole::Trash, QStringLiteral("Papierkorb")},
                           {store::RemoteFolderRole::Junk, QStringLiteral("Spam")}};
    const QMap<store::FolderRole, QString> preferred = FolderMapping::preferredMailboxesOf(account);
    QCOMPARE(preferred.size(), 3); // the store has no Junk folder to point
    FolderMapping mapping(pool.get(), m_store.get());
    mapping.setPreferredMailboxes(preferred);
    QVERIFY(runMapping(*pool, mapping));
    QVERIFY2(!mapping.error(), qPrintable(mapping.error().message()));
    WHARF_TRY_VERIFY_SCENARIO(server);

    reopenStore();
    QCOMPARE(remoteNameOf(store::FolderRole::Sent), QByteArray("Gesendet"));
    QCOMPARE(remoteNameOf(store::FolderRole::Drafts), QByteArray("Entw&APw-rfe"));
    // The profile names a Trash the server does not have: its special use decides.
    QCOMPARE(remoteNameOf(store::FolderRole::Trash), QByteArray("Trash"));
    QVERIFY(!m_store->folderForRemoteName("Sent Messages"));
    QVERIFY(!m_store->folderForRemoteName("Spam"));
}

void TestFolderMapping::plainListWithoutSpecialUseCapability()
{
    // An older server: no SPECIAL-USE, no LIST-EXTENDED, but the attributes in a plain LIST
    // (as RFC 6154 allows), or Gmail's XLIST names for them.
    ScriptedServer server(test::loginScenario(QStringLiteral("IMAP4rev1 LITERAL+")) +
                          QStringLiteral(R"(
        C: A2 LIST "" "*"
        S: * LIST (\\HasNoChildren) "." INBOX
        S: * LIST (\\HasNoChildren \\Sent) "." INBOX.Gesendet
        S: * LIST (\\HasNoChildren \\Trash) "." INBOX.Papierkorb
        S: A2 OK done
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto pool = poolFor(server);
    FolderMapping mapping(pool.get(), m_store.get());
    QVERIFY(runMapping(*pool, mapping));
    QVERIFY2(!mapping.error(), qPrintable(mapping.error().message()));
    WHARF_TRY_VERIFY_SCENARIO(server);

    QCOMPARE(mapping.mapped().size(), 2);
    reopenStore();
    QCOMPARE(remoteNameOf(store::FolderRole::Sent), QByteArray("INBOX.Gesendet"));
    QCOMPARE(remoteNameOf(store::FolderRole::Trash), QByteArray("INBOX.Papierkorb"));
    QCOMPARE(remoteNameOf(store::FolderRole::Drafts), QByteArray());
}

void TestFolderMapping::refusedListMapsNothing()
{
    ScriptedServer server(test::modernLoginScenario() + kList + QStringLiteral(R"(
        S: * LIST (\\HasNoChildren \\Sent) "/" "Sent Messages"
        S: A3 NO [SERVERBUG] Internal error
    )"));
    QVERIFY2(server.listen(), qPrintable(server.failure()));
    auto pool = poolFor(server);
    FolderMapping mapping(pool.get(), m_store.get());
    QVERIFY(runMapping(*pool, mapping));
    WHARF_TRY_VERIFY_SCENARIO(server);

    QVERIFY(mapping.error());
    QCOMPARE(mapping.error().kind(), ErrorKind::ProtocolError);
    QVERIFY2(mapping.error().message().contains(QStringLiteral("Internal error")),
             qPrintable(mapping.error().message()));
    QVERIFY(mapping.mapped().isEmpty());
    reopenStore();
    QCOMPARE(remoteNameOf(store::FolderRole::Sent), QByteArray());
    QVERIFY(!m_store->folderForRemoteName("Sent Messages"));
}

QTEST_GUILESS_MAIN(TestFolderMapping)
#include "tst_folder_mapping.moc"
