#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace wharf::ftp {

// One entry of a remote directory, as an MLSD or LIST line described it.
struct RemoteEntry
{
    enum class Type
    {
        File,
        Directory,
        Symlink,
        Other
    }; // Other: device, fifo, socket, unknown

    // For display and local paths: UTF-8 when the bytes are valid UTF-8, else Latin-1.
    QString name;
    // The exact bytes the server sent; commands about this entry (RETR, CWD) send these back,
    // so a name in a legacy encoding still names the same file.
    QByteArray wireName;
    // MLSD without a type fact counts as File, as FileZilla does.
    Type type = Type::File;
    // Bytes; -1 when unknown (directories in most formats, device files).
    qint64 size = -1;
    // UTC; invalid when unknown. LIST dates carry no zone, so they are the server's local time
    // read as UTC; MLSD and EPLF dates are real UTC.
    QDateTime modified;
    // False for day-precision dates ("Jan 5 2019") and when the date is unknown.
    bool modifiedHasTime = true;
    // As the server showed them: "rwxr-xr-x" for Unix LIST (without the type letter and the
    // ACL marker), the MLSD "perm" fact ("adfrw"), "755" for EPLF, "RWED,RWED,RE," for VMS.
    QString permissions;
    // MLSD UNIX.mode, EPLF "up", or derived from a Unix permission string; -1 when unknown.
    int unixMode = -1;
    // Target of a symlink when the listing shows it ("name -> target", OS.unix=slink:target).
    QString linkTarget;
    // MLSD "unique" fact or EPLF "i" fact: equal for two names of the same file.
    QByteArray uniqueId;
    QString owner, group; // when shown
};

} // namespace wharf::ftp
