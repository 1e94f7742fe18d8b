#pragma once

#include "core/Error.h"
#include "core/MessageFlags.h"

#include <QList>
#include <QString>

namespace wharf::store {

// One file of a Maildir folder. The key is the unique part of the name (before ":2,"); it
// stays the same when flags change or the message moves to another folder.
struct MaildirEntry
{
    QString key;
    QString relativePath; // "new/<key>" or "cur/<key>:2,<flags>"
    MessageFlags flags;
    // Info letters Wharf does not map (Dovecot keywords a-z), kept as is, space-separated.
    QString extraFlags;
};

// A Maildir (cur/new/tmp) as the Maildir specification and Dovecot define it: messages are
// written in tmp/, made durable, then renamed into new/ or cur/, so a reader never sees a
// half-written message; flags live in the name after ":2,".
class MaildirFolder
{
public:
    explicit MaildirFolder(QString path = {})
        : m_path(std::move(path))
    {}

    const QString &path() const { return m_path; }
    QString absolutePath(const QString &relativePath) const;
    bool exists() const;
    Error create() const;

    // A fresh unique key: time, microseconds, pid, a counter and random bits, then the
    // host name with '/' and ':' escaped as the specification asks.
    static QString newKey();
    // Extra flags are a space-separated list. A one-character entry is an info letter of
    // the file name (Dovecot's keywords a-z, or what another program wrote); a longer one
    // (an IMAP keyword such as $Junk) has no letter and lives in the index alone.
    static QString infoSuffix(MessageFlags flags, const QString &extraFlags = {});
    // The extra flags of a message whose file name now carries nameLetters: the letters as
    // the name has them, the index's longer keywords kept.
    static QString extraFlagsWithLetters(const QString &indexed, const QString &nameLetters);
    // Splits a file name into key, flags and unmapped letters; nullopt for names that are
    // not messages (dot files, editor leftovers).
    static std::optional<MaildirEntry> parseFileName(const QString &subdirectory,
                                                     const QString &fileName);

    // Every message in new/ and cur/; the order is the directory's.
    Error list(QList<MaildirEntry> *entries) const;

    QString temporaryPathFor(const QString &key) const;
    // Where a message with these flags belongs: new/ while it is unseen and has no flags
    // (what other clients call "recent"), cur/ otherwise.
    static QString relativePathFor(const QString &key, MessageFlags flags,
                                   const QString &extraFlags = {});

    // Renames a finished file from tmp/ into place. With sync, the directory entry is made
    // durable before returning.
    Error publish(const QString &key, const QString &relativePath, bool sync) const;
    Error syncDirectories() const;

    // Modification times of new/ and cur/ in nanoseconds: the index compares them with
    // what it saw last to notice changes made while Wharf was not looking.
    struct Stamp
    {
        qint64 newDirectory = 0;
        qint64 curDirectory = 0;
        bool operator==(const Stamp &) const = default;
    };
    Stamp stamp() const;
    // The stamp to remember. The kernel updates directory times at its clock tick, so a
    // change made in the same tick as the remembered one would leave the times equal and
    // go unnoticed: times younger than two seconds are remembered as unknown (-1), which
    // makes the next reconciliation scan the folder.
    Stamp stampToRemember() const;

    // Removes tmp/ files older than 36 hours, as the specification asks of readers: they
    // are what a crash left behind.
    void removeStaleTemporaryFiles() const;

private:
    QString m_path;
};

} // namespace wharf::store
