// PasswordStore without a keychain: the first request fails with the clear message, and from
// then on passwords live in memory for the session only. (The real keychain is tested by
// tests/integration/cli_profile.sh against gnome-keyring.)

#include "store/PasswordStore.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace wharf;
using namespace wharf::store;

class TestPasswordStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void keys();
    void memoryOnlyWithoutKeychain();

private:
    QTemporaryDir m_runtime;
};

void TestPasswordStore::initTestCase()
{
    // No session bus anywhere: not in the environment, not at $XDG_RUNTIME_DIR/bus, and no
    // X display to autolaunch one for.
    QVERIFY(m_runtime.isValid());
    qunsetenv("DBUS_SESSION_BUS_ADDRESS");
    qunsetenv("DISPLAY");
    qunsetenv("WAYLAND_DISPLAY");
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(m_runtime.path()));
}

void TestPasswordStore::keys()
{
    const QString id = QStringLiteral("5f0c2e57-5b1a-4b7e-9d7c-0d3c1c8b8f11");
    QCOMPARE(keychainKey(id, PasswordRole::Site), id);
    QCOMPARE(keychainKey(id, PasswordRole::Incoming), id + QStringLiteral(":incoming"));
    QCOMPARE(keychainKey(id, PasswordRole::Outgoing), id + QStringLiteral(":outgoing"));
}

void TestPasswordStore::memoryOnlyWithoutKeychain()
{
    PasswordStore store;
    QSignalSpy errors(&store, &PasswordStore::errorOccurred);
    QSignalSpy written(&store, &PasswordStore::passwordWritten);
    QSignalSpy read(&store, &PasswordStore::passwordRead);
    QSignalSpy notFound(&store, &PasswordStore::passwordNotFound);
    QSignalSpy removed(&store, &PasswordStore::passwordRemoved);
    const QString id = QStringLiteral("5f0c2e57-5b1a-4b7e-9d7c-0d3c1c8b8f11");
    const QString typed = QStringLiteral("typed this session");

    QVERIFY(!store.isMemoryOnly());
    store.writePassword(id, PasswordRole::Incoming, typed);
    QVERIFY(errors.wait(30'000));
    QCOMPARE(errors.size(), 1);
    QCOMPARE(written.size(), 0); // the keychain did not take it: the request failed
    QCOMPARE(errors.first().at(0).toString(), id);
    QCOMPARE(errors.first().at(1).value<PasswordRole>(), PasswordRole::Incoming);
    const Error error = errors.first().at(2).value<Error>();
    QCOMPARE(error.kind(), ErrorKind::LocalFile);
    QVERIFY2(error.message().startsWith(QStringLiteral("No system keychain is available (")),
             qPrintable(error.message()));
    QVERIFY2(error.message().endsWith(QStringLiteral(
                 "); Wharf will ask for the password each session and keep it in memory only.")),
             qPrintable(error.message()));
    QVERIFY(!error.message().contains(typed));
    QVERIFY(store.isMemoryOnly());

    // What the user typed is still there for this session...
    store.readPassword(id, PasswordRole::Incoming);
    QVERIFY(read.wait(5'000));
    QCOMPARE(read.first().at(2).toString(), typed);
    // ...for that role only.
    store.readPassword(id, PasswordRole::Outgoing);
    QVERIFY(notFound.wait(5'000));
    QCOMPARE(notFound.first().at(1).value<PasswordRole>(), PasswordRole::Outgoing);

    store.writePassword(id, PasswordRole::Outgoing, QStringLiteral("second"));
    QVERIFY(written.wait(5'000));
    store.removePassword(id, PasswordRole::Incoming);
    QVERIFY(removed.wait(5'000));
    store.readPassword(id, PasswordRole::Incoming);
    QVERIFY(notFound.wait(5'000));
    QCOMPARE(notFound.size(), 2);
    store.readPassword(id, PasswordRole::Outgoing);
    QVERIFY(read.wait(5'000));
    QCOMPARE(read.last().at(2).toString(), QStringLiteral("second"));
    QCOMPARE(errors.size(), 1); // said once, when the store found out

    // A new session starts with nothing.
    PasswordStore next;
    QSignalSpy nextErrors(&next, &PasswordStore::errorOccurred);
    next.readPassword(id, PasswordRole::Outgoing);
    QVERIFY(nextErrors.wait(30'000));
    QVERIFY(next.isMemoryOnly());
    QSignalSpy nextNotFound(&next, &PasswordStore::passwordNotFound);
    next.readPassword(id, PasswordRole::Outgoing);
    QVERIFY(nextNotFound.wait(5'000));
}

QTEST_GUILESS_MAIN(TestPasswordStore)
#include "tst_password_store.moc"
