#include "cli/ExitCode.h"

namespace wharf::cli {

ExitCode exitCodeFor(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::None:
        return ExitOk;
    case ErrorKind::Usage:
        return ExitUsage;
    case ErrorKind::HostNotFound:
    case ErrorKind::ConnectionRefused:
    case ErrorKind::Timeout:
    case ErrorKind::NetworkError:
    case ErrorKind::ClosedByPeer:
        return ExitNetwork;
    case ErrorKind::TlsHandshakeFailed:
    case ErrorKind::CertificateUntrusted:
    case ErrorKind::SecurityViolation:
        return ExitTls;
    case ErrorKind::AuthenticationFailed:
        return ExitAuthentication;
    case ErrorKind::ProtocolError:
    case ErrorKind::LimitExceeded:
        return ExitServer;
    case ErrorKind::LocalFile:
        return ExitLocalFile;
    case ErrorKind::Cancelled:
        return ExitInterrupted;
    }
    return ExitServer;
}

} // namespace wharf::cli
