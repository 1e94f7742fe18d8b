#pragma once

#include "protocols/imap/ImapCommand.h"

#include <QByteArrayList>
#include <QList>
#include <QPair>

namespace wharf::imap {

// CAPABILITY (RFC 3501 6.1.1).
class CapabilityCommand : public ImapCommand
{
    Q_OBJECT
public:
    using ImapCommand::ImapCommand;
    // Upper-cased words.
    const QByteArrayList &capabilities() const { return m_capabilities; }

protected:
    CommandText command() const override { return CommandBuilder("CAPABILITY").build(); }
    QByteArray name() const override { return "CAPABILITY"; }
    bool handleUntagged(const Response &response) override;

private:
    QByteArrayList m_capabilities;
};

// ENABLE (RFC 5161): CONDSTORE, QRESYNC, UTF8=ACCEPT.
class EnableCommand : public ImapCommand
{
    Q_OBJECT
public:
    explicit EnableCommand(const QByteArrayList &extensions, QObject *parent = nullptr);
    Scheduling scheduling() const override { return Scheduling::Exclusive; }
    const QByteArrayList &enabled() const { return m_enabled; }

protected:
    CommandText command() const override;
    QByteArray name() const override { return "ENABLE"; }
    bool handleUntagged(const Response &response) override;

private:
    QByteArrayList m_extensions;
    QByteArrayList m_enabled;
};

// NOOP: a liveness check that also collects pending untagged updates.
class NoopCommand : public ImapCommand
{
    Q_OBJECT
public:
    using ImapCommand::ImapCommand;

protected:
    CommandText command() const override { return CommandBuilder("NOOP").build(); }
    QByteArray name() const override { return "NOOP"; }
};

// LOGOUT: the server's BYE is expected, not an error.
class LogoutCommand : public ImapCommand
{
    Q_OBJECT
public:
    using ImapCommand::ImapCommand;
    Scheduling scheduling() const override { return Scheduling::Exclusive; }

protected:
    CommandText command() const override { return CommandBuilder("LOGOUT").build(); }
    QByteArray name() const override { return "LOGOUT"; }
    bool handleUntagged(const Response &response) override;
    void handleAbort(const Error &error) override;
};

// ID (RFC 2971): tells the server who we are and learns who it is.
class IdCommand : public ImapCommand
{
    Q_OBJECT
public:
    using Field = QPair<QByteArray, QByteArray>;
    explicit IdCommand(const QList<Field> &ours, QObject *parent = nullptr);
    const QList<Field> &serverId() const { return m_server; }

protected:
    CommandText command() const override;
    QByteArray name() const override { return "ID"; }
    bool handleUntagged(const Response &response) override;

private:
    QList<Field> m_ours;
    QList<Field> m_server;
};

// NAMESPACE (RFC 2342): where the user's own folders live and their separator.
class NamespaceCommand : public ImapCommand
{
    Q_OBJECT
public:
    using ImapCommand::ImapCommand;
    const QByteArray &personalPrefix() const { return m_prefix; }
    QChar delimiter() const { return m_delimiter; }

protected:
    CommandText command() const override { return CommandBuilder("NAMESPACE").build(); }
    QByteArray name() const override { return "NAMESPACE"; }
    bool handleUntagged(const Response &response) override;

private:
    QByteArray m_prefix;
    QChar m_delimiter;
};

} // namespace wharf::imap
