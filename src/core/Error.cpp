#include "core/Error.h"

namespace wharf {

Error::Error(ErrorKind kind, const QString &message)
    : m_kind(kind)
    , m_message(message.simplified())
{}

QString Error::kindName(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::None:
        return QStringLiteral("none");
    case ErrorKind::HostNotFound:
        return QStringLiteral("host-not-found");
    case ErrorKind::ConnectionRefused:
        return QStringLiteral("connection-refused");
    case ErrorKind::Timeout:
        return QStringLiteral("timeout");
    case ErrorKind::NetworkError:
        return QStringLiteral("network-error");
    case ErrorKind::TlsHandshakeFailed:
        return QStringLiteral("tls-handshake-failed");
    case ErrorKind::CertificateUntrusted:
        return QStringLiteral("certificate-untrusted");
    case ErrorKind::SecurityViolation:
        return QStringLiteral("security-violation");
    case ErrorKind::AuthenticationFailed:
        return QStringLiteral("authentication-failed");
    case ErrorKind::ClosedByPeer:
        return QStringLiteral("closed-by-peer");
    case ErrorKind::ProtocolError:
        return QStringLiteral("protocol-error");
    case ErrorKind::LimitExceeded:
        return QStringLiteral("limit-exceeded");
    case ErrorKind::Cancelled:
        return QStringLiteral("cancelled");
    case ErrorKind::LocalFile:
        return QStringLiteral("local-file");
    case ErrorKind::Usage:
        return QStringLiteral("usage");
    }
    return QStringLiteral("unknown");
}

QString quoteForMessage(QByteArrayView reply, qsizetype maxLength)
{
    QString text;
    const QByteArrayView shown = reply.first(std::min(reply.size(), maxLength));
    for (const char c : shown) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x20 && byte < 0x7f)
            text += QChar::fromLatin1(c);
        else
            text += QStringLiteral("\\x%1").arg(byte, 2, 16, QLatin1Char('0'));
    }
    if (reply.size() > maxLength)
        text += QStringLiteral("...");
    return u'"' + text + u'"';
}

} // namespace wharf
