// QtKeychain against the real gnome-keyring that tests/servers/with-keyring.sh starts: the
// keychain Wharf's store will use works here, and its failures are reported, not hidden.

#include <qt6keychain/keychain.h>

#include <QSignalSpy>
#include <QTest>
#include <QUuid>

namespace {

const QString kService = QStringLiteral("org.wharf.Wharf.test");

// Runs a job to its end and returns its error (QKeychain::NoError on success).
QKeychain::Error run(QKeychain::Job &job)
{
    job.setAutoDelete(false);
    QSignalSpy finished(&job, &QKeychain::Job::finished);
    job.start();
    if (!finished.wait(20'000))
        return QKeychain::OtherError;
    return job.error();
}

} // namespace

class TestKeychainFixture : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void writeReadDelete();
};

void TestKeychainFixture::writeReadDelete()
{
    const QString key = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString secret = QStringLiteral("pässword with spaces and ünïcode");

    QKeychain::WritePasswordJob write(kService);
    write.setKey(key);
    write.setTextData(secret);
    QCOMPARE(run(write), QKeychain::NoError);

    QKeychain::ReadPasswordJob read(kService);
    read.setKey(key);
    QCOMPARE(run(read), QKeychain::NoError);
    QCOMPARE(read.textData(), secret);

    QKeychain::DeletePasswordJob remove(kService);
    remove.setKey(key);
    QCOMPARE(run(remove), QKeychain::NoError);

    QKeychain::ReadPasswordJob gone(kService);
    gone.setKey(key);
    QCOMPARE(run(gone), QKeychain::EntryNotFound);
}

QTEST_GUILESS_MAIN(TestKeychainFixture)
#include "tst_keychain_fixture.moc"
