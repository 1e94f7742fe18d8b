#include "store/PasswordStore.h"

#include "core/Logging.h"

#include <QTimer>
#include <qt6keychain/keychain.h>

namespace wharf::store {

namespace {

QString errorDescription(const QKeychain::Job &job)
{
    if (!job.errorString().isEmpty())
        return job.errorString();
    switch (job.error()) {
    case QKeychain::NoBackendAvailable:
        return QStringLiteral("no keychain service is running");
    case QKeychain::NotImplemented:
        return QStringLiteral("not supported on this system");
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return QStringLiteral("access denied");
    default:
        return QStringLiteral("keychain error %1").arg(int(job.error()));
    }
}

// The errors after which asking the keychain again this session would only fail again.
bool meansNoKeychain(QKeychain::Error error)
{
    switch (error) {
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
    case QKeychain::OtherError: // e.g. D-Bus cannot autolaunch a session bus
        return true;
    default:
        return false;
    }
}

} // namespace

QString passwordRoleName(PasswordRole role)
{
    switch (role) {
    case PasswordRole::Site:
        return QStringLiteral("site");
    case PasswordRole::Incoming:
        return QStringLiteral("incoming");
    case PasswordRole::Outgoing:
        return QStringLiteral("outgoing");
    }
    return {};
}

QString keychainKey(const QString &profileId, PasswordRole role)
{
    if (role == PasswordRole::Site)
        return profileId;
    return profileId + u':' + passwordRoleName(role);
}

PasswordStore::PasswordStore(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<PasswordRole>();
}

PasswordStore::~PasswordStore() = default;

QString PasswordStore::noKeychainMessage(const QString &reason)
{
    return QStringLiteral("No system keychain is available (%1); Wharf will ask for the "
                          "password each session and keep it in memory only.")
        .arg(reason);
}

void PasswordStore::readPassword(const QString &profileId, PasswordRole role)
{
    if (m_memoryOnly)
        return serveFromMemory(profileId, role, Operation::Read, {});
    start(new QKeychain::ReadPasswordJob(QString::fromUtf16(kKeychainService), this), profileId,
          role, Operation::Read, {});
}

void PasswordStore::writePassword(const QString &profileId, PasswordRole role,
                                  const QString &password)
{
    if (m_memoryOnly)
        return serveFromMemory(profileId, role, Operation::Write, password);
    auto *job = new QKeychain::WritePasswordJob(QString::fromUtf16(kKeychainService), this);
    job->setTextData(password);
    start(job, profileId, role, Operation::Write, password);
}

void PasswordStore::removePassword(const QString &profileId, PasswordRole role)
{
    if (m_memoryOnly)
        return serveFromMemory(profileId, role, Operation::Remove, {});
    start(new QKeychain::DeletePasswordJob(QString::fromUtf16(kKeychainService), this), profileId,
          role, Operation::Remove, {});
}

void PasswordStore::start(QKeychain::Job *job, const QString &profileId, PasswordRole role,
                          Operation operation, const QString &password)
{
    job->setKey(keychainKey(profileId, role));
    job->setInsecureFallback(false); // a password in a plain file is never an option
    job->setAutoDelete(true);
    connect(job, &QKeychain::Job::finished, this,
            [this, profileId, role, operation, password](QKeychain::Job *finished) {
                finish(finished, profileId, role, operation, password);
            });
    job->start();
}

void PasswordStore::finish(QKeychain::Job *job, const QString &profileId, PasswordRole role,
                           Operation operation, const QString &password)
{
    const QKeychain::Error error = job->error();
    if (error == QKeychain::NoError) {
        switch (operation) {
        case Operation::Read:
            Q_EMIT passwordRead(profileId, role,
                                static_cast<QKeychain::ReadPasswordJob *>(job)->textData());
            return;
        case Operation::Write:
            Q_EMIT passwordWritten(profileId, role);
            return;
        case Operation::Remove:
            Q_EMIT passwordRemoved(profileId, role);
            return;
        }
    }
    if (error == QKeychain::EntryNotFound && operation != Operation::Write) {
        if (operation == Operation::Read)
            Q_EMIT passwordNotFound(profileId, role);
        else
            Q_EMIT passwordRemoved(profileId, role); // gone is gone
        return;
    }
    const QString reason = errorDescription(*job);
    qCInfo(lcStore, "keychain request for %s (%s) failed: %s", qUtf8Printable(profileId),
           qUtf8Printable(passwordRoleName(role)), qUtf8Printable(reason));
    if (meansNoKeychain(error)) {
        m_memoryOnly = true;
        if (operation == Operation::Write)
            m_sessionCache.insert(keychainKey(profileId, role), password);
        Q_EMIT errorOccurred(profileId, role,
                             Error(ErrorKind::LocalFile, noKeychainMessage(reason)));
        return;
    }
    const QString what = operation == Operation::Remove
                             ? QStringLiteral("Cannot remove the password from the keychain: %1")
                             : QStringLiteral("The keychain failed: %1");
    Q_EMIT errorOccurred(profileId, role, Error(ErrorKind::LocalFile, what.arg(reason)));
}

void PasswordStore::serveFromMemory(const QString &profileId, PasswordRole role,
                                    Operation operation, const QString &password)
{
    const QString key = keychainKey(profileId, role);
    // Answer from the event loop, as the keychain would: callers connect after asking.
    QTimer::singleShot(0, this, [this, key, profileId, role, operation, password] {
        switch (operation) {
        case Operation::Read:
            if (const auto it = m_sessionCache.constFind(key); it != m_sessionCache.cend())
                Q_EMIT passwordRead(profileId, role, *it);
            else
                Q_EMIT passwordNotFound(profileId, role);
            return;
        case Operation::Write:
            m_sessionCache.insert(key, password);
            Q_EMIT passwordWritten(profileId, role);
            return;
        case Operation::Remove:
            m_sessionCache.remove(key);
            Q_EMIT passwordRemoved(profileId, role);
            return;
        }
    });
}

} // namespace wharf::store
