#pragma once

#include "core/Error.h"

#include <QString>
#include <optional>

namespace wharf {

enum class Protocol
{
    Imap,
    Pop3,
    Smtp,
    Ftp
};

// How a connection is secured. Implicit TLS is the default; StartTls means the upgrade is
// required (never a fallback to plaintext); None only when the user chose it explicitly.
enum class TlsMode
{
    Implicit,
    StartTls,
    None
};

QString protocolName(Protocol protocol);
QString tlsModeName(TlsMode mode);
std::optional<TlsMode> tlsModeFromName(const QString &name);

// Where a session goes: the parts of a curl-style URL such as imaps://user@host:993/INBOX.
struct ServerEndpoint
{
    Protocol protocol = Protocol::Imap;
    QString host;
    quint16 port = 0;
    TlsMode tlsMode = TlsMode::Implicit;
    QString user;
    QString path; // mailbox or remote folder, without the leading slash

    // imaps:// and imap:// (STARTTLS required), pop3s/pop3, smtps/smtp, ftps/ftp. The TLS
    // override replaces what the scheme implies; the port stays the scheme's unless given.
    // A password in the URL is refused: secrets never travel on a command line.
    static std::optional<ServerEndpoint> fromUrl(const QString &url, Error *error,
                                                 std::optional<TlsMode> tlsOverride = {});
    QString toUrl() const;
};

quint16 defaultPort(Protocol protocol, TlsMode mode);

} // namespace wharf
