#pragma once

#include "core/Error.h"

#include <QHash>
#include <QObject>
#include <QString>

namespace QKeychain {
class Job;
}

namespace wharf::store {

// Which of a profile's passwords: a mail account has one per server, an FTP site one.
enum class PasswordRole
{
    Site,     // key: the profile id
    Incoming, // key: "<id>:incoming"
    Outgoing, // key: "<id>:outgoing"
};

QString passwordRoleName(PasswordRole role); // "site", "incoming", "outgoing"
QString keychainKey(const QString &profileId, PasswordRole role);

inline constexpr char16_t kKeychainService[] = u"Wharf";

// Passwords in the system keychain (QtKeychain: Secret Service, KWallet, ...), service
// "Wharf", keyed by profile id and role. Every request ends with exactly one signal: its
// result, passwordNotFound, or errorOccurred.
//
// When there is no usable keychain, the request that found out fails with a clear error and
// the store switches to a memory-only session cache for the rest of its life: what the
// user types is kept in this object only, and asked again next session. There is never a
// file fallback. One PasswordStore per application keeps the cache in one place.
class PasswordStore : public QObject
{
    Q_OBJECT
public:
    explicit PasswordStore(QObject *parent = nullptr);
    ~PasswordStore() override;

    void readPassword(const QString &profileId, wharf::store::PasswordRole role);
    void writePassword(const QString &profileId, wharf::store::PasswordRole role,
                       const QString &password);
    void removePassword(const QString &profileId, wharf::store::PasswordRole role);

    // True once the keychain was found unusable; then passwords live in memory only.
    bool isMemoryOnly() const { return m_memoryOnly; }

    // The message given when the keychain is unusable, for reason (the keychain's words).
    static QString noKeychainMessage(const QString &reason);

Q_SIGNALS:
    void passwordRead(const QString &profileId, wharf::store::PasswordRole role,
                      const QString &password);
    void passwordNotFound(const QString &profileId, wharf::store::PasswordRole role);
    void passwordWritten(const QString &profileId, wharf::store::PasswordRole role);
    void passwordRemoved(const QString &profileId, wharf::store::PasswordRole role);
    void errorOccurred(const QString &profileId, wharf::store::PasswordRole role,
                       const wharf::Error &error);

private:
    enum class Operation
    {
        Read,
        Write,
        Remove
    };

    void start(QKeychain::Job *job, const QString &profileId, PasswordRole role,
               Operation operation, const QString &password);
    void finish(QKeychain::Job *job, const QString &profileId, PasswordRole role,
                Operation operation, const QString &password);
    void serveFromMemory(const QString &profileId, PasswordRole role, Operation operation,
                         const QString &password);

    bool m_memoryOnly = false;
    QHash<QString, QString> m_sessionCache; // keychain key -> password, memory-only mode
};

} // namespace wharf::store

Q_DECLARE_METATYPE(wharf::store::PasswordRole)
