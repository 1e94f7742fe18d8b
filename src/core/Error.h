#pragma once

#include <QMetaType>
#include <QString>

namespace wharf {

// What went wrong, as a caller needs to react to it (retry, ask for a password, show a
// certificate, give up). The CLI maps each kind to an exit code.
enum class ErrorKind
{
    None,
    HostNotFound,
    ConnectionRefused,
    Timeout,
    NetworkError,
    TlsHandshakeFailed,
    CertificateUntrusted,
    SecurityViolation, // the peer broke a TLS rule: STARTTLS missing, injected bytes, PREAUTH
    AuthenticationFailed,
    ClosedByPeer,
    ProtocolError,
    LimitExceeded,
    Cancelled,
    LocalFile,
    Usage,
};

// A failure with a one-line message a person can act on.
class Error
{
public:
    Error() = default;
    Error(ErrorKind kind, const QString &message);

    ErrorKind kind() const { return m_kind; }
    QString message() const { return m_message; }
    bool isError() const { return m_kind != ErrorKind::None; }
    explicit operator bool() const { return isError(); }

    // Stable lower-case name for logs and JSON, e.g. "certificate-untrusted".
    static QString kindName(ErrorKind kind);

private:
    ErrorKind m_kind = ErrorKind::None;
    QString m_message;
};

// Server replies are quoted in messages; keep them printable and on one line.
QString quoteForMessage(QByteArrayView reply, qsizetype maxLength = 200);

} // namespace wharf

Q_DECLARE_METATYPE(wharf::Error)
