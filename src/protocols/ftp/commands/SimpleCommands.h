#pragma once

#include "protocols/ftp/FtpCommand.h"
#include "protocols/ftp/FtpSession.h"
#include "protocols/ftp/ListingParser.h"

#include <QDateTime>

namespace wharf::ftp {

// A command of one line whose final reply says everything: 2yz succeeds, anything else
// fails with the server's words. The commands below name what they do.
class SingleLineCommand : public FtpCommand
{
    Q_OBJECT
public:
    SingleLineCommand(const QByteArray &verb, const QByteArray &argument = {},
                      QObject *parent = nullptr);

protected:
    QByteArray name() const override { return m_verb; }
    void start() override;
    void handleReply(const net::NumericReply &reply) override;
    // The final 2yz reply, for subclasses that read something from it.
    virtual void onCompleted(const net::NumericReply &reply) { succeed(reply); }

    const QByteArray &argument() const { return m_argument; }

private:
    QByteArray m_verb;
    QByteArray m_argument;
};

// USER, then PASS when the server asks for it (331). A server that wants ACCT (332) is
// refused: nobody has used it in decades and it would need another secret.
class LoginCommand : public FtpCommand
{
    Q_OBJECT
public:
    LoginCommand(const QString &user, const QString &password, QObject *parent = nullptr);

protected:
    QByteArray name() const override { return m_sentPassword ? "PASS" : "USER"; }
    void start() override;
    void handleReply(const net::NumericReply &reply) override;

private:
    QByteArray m_user;
    QByteArray m_password;
    bool m_sentPassword = false;
};

class ChangeDirectoryCommand : public SingleLineCommand
{
    Q_OBJECT
public:
    explicit ChangeDirectoryCommand(const QByteArray &path, QObject *parent = nullptr)
        : SingleLineCommand("CWD", path, parent)
    {}
};

class ParentDirectoryCommand : public SingleLineCommand
{
    Q_OBJECT
public:
    explicit ParentDirectoryCommand(QObject *parent = nullptr)
        : SingleLineCommand("CDUP", {}, parent)
    {}
};

class DeleteFileCommand : public SingleLineCommand
{
    Q_OBJECT
public:
    explicit DeleteFileCommand(const QByteArray &path, QObject *parent = nullptr)
        : SingleLineCommand("DELE", path, parent)
    {}
};

class RemoveDirectoryCommand : public SingleLineCommand
{
    Q_OBJECT
public:
    explicit RemoveDirectoryCommand(const QByteArray &path, QObject *parent = nullptr)
        : SingleLineCommand("RMD", path, parent)
    {}
};

class NoopCommand : public SingleLineCommand
{
    Q_OBJECT
public:
    explicit NoopCommand(QObject *parent = nullptr)
        : SingleLineCommand("NOOP", {}, parent)
    {}
};

// SITE CHMOD 644 path (a Unix server's extension; others say 500 or 502).
class ChmodCommand : public SingleLineCommand
{
    Q_OBJECT
public:
    ChmodCommand(int mode, const QByteArray &path, QObject *parent = nullptr);

protected:
    QByteArray name() const override { return "SITE CHMOD"; }
};

// MFMT YYYYMMDDHHMMSS path: sets the modification time (draft-somers-ftp-mfxx).
class SetModificationTimeCommand : public SingleLineCommand
{
    Q_OBJECT
public:
    SetModificationTimeCommand(const QDateTime &time, const QByteArray &path,
                               QObject *parent = nullptr);
};

// MKD; the 257 reply names the created directory.
class MakeDirectoryCommand : public SingleLineCommand
{
    Q_OBJECT
public:
    explicit MakeDirectoryCommand(const QByteArray &path, QObject *parent = nullptr)
        : SingleLineCommand("MKD", path, parent)
    {}
};

// PWD: the current directory from the 257 reply.
class PrintDirectoryCommand : public SingleLineCommand
{
    Q_OBJECT
public:
    explicit PrintDirectoryCommand(QObject *parent = nullptr)
        : SingleLineCommand("PWD", {}, parent)
    {}
    const QByteArray &path() const { return m_path; }

protected:
    void onCompleted(const net::NumericReply &reply) override;

private:
    QByteArray m_path;
};

// SIZE (RFC 3659): the size in bytes, as transferred in TYPE I.
class SizeCommand : public SingleLineCommand
{
    Q_OBJECT
public:
    explicit SizeCommand(const QByteArray &path, QObject *parent = nullptr)
        : SingleLineCommand("SIZE", path, parent)
    {}
    qint64 size() const { return m_size; }

protected:
    void onCompleted(const net::NumericReply &reply) override;

private:
    qint64 m_size = -1;
};

// MDTM (RFC 3659): the modification time, UTC.
class ModificationTimeCommand : public SingleLineCommand
{
    Q_OBJECT
public:
    explicit ModificationTimeCommand(const QByteArray &path, QObject *parent = nullptr)
        : SingleLineCommand("MDTM", path, parent)
    {}
    const QDateTime &time() const { return m_time; }

protected:
    void onCompleted(const net::NumericReply &reply) override;

private:
    QDateTime m_time;
};

// TYPE I or TYPE A; once the server agreed, the session remembers it.
class TypeCommand : public SingleLineCommand
{
    Q_OBJECT
public:
    explicit TypeCommand(TransferType type, QObject *parent = nullptr);

protected:
    void onCompleted(const net::NumericReply &reply) override;

private:
    TransferType m_type;
};

// MLST (RFC 3659 7.2): the facts of one path on the control connection, for a file that
// MLSD (directories only) refuses. The listing holds that one entry, named by the path's
// last component, or says why not.
class MlstCommand : public SingleLineCommand
{
    Q_OBJECT
public:
    explicit MlstCommand(const QByteArray &path, QObject *parent = nullptr)
        : SingleLineCommand("MLST", path, parent)
    {}
    const Listing &listing() const { return m_listing; }

protected:
    void onCompleted(const net::NumericReply &reply) override;

private:
    Listing m_listing;
};

// RNFR, then RNTO once the server said 350.
class RenameCommand : public FtpCommand
{
    Q_OBJECT
public:
    RenameCommand(const QByteArray &from, const QByteArray &to, QObject *parent = nullptr);

protected:
    QByteArray name() const override { return m_sentTo ? "RNTO" : "RNFR"; }
    void start() override;
    void handleReply(const net::NumericReply &reply) override;

private:
    QByteArray m_from;
    QByteArray m_to;
    bool m_sentTo = false;
};

} // namespace wharf::ftp
