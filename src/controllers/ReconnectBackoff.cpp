#include "controllers/ReconnectBackoff.h"

#include <QRandomGenerator>

#include <algorithm>

namespace wharf::controllers {

bool ReconnectBackoff::isPermanent(const Error &error)
{
    switch (error.kind()) {
    case ErrorKind::AuthenticationFailed:
    case ErrorKind::CertificateUntrusted:
    case ErrorKind::TlsHandshakeFailed:
    case ErrorKind::SecurityViolation:
    case ErrorKind::Usage:
    case ErrorKind::LocalFile:
    case ErrorKind::Cancelled:
        return true;
    default:
        return false;
    }
}

void ReconnectBackoff::connected()
{
    m_connectedSince.start();
}

int ReconnectBackoff::delayAfterLoss()
{
    if (m_connectedSince.isValid() && m_connectedSince.elapsed() >= m_settings.stableAfterMs)
        m_failures = 0;
    m_connectedSince.invalidate();
    const qint64 first = std::max(1, m_settings.initialMs);
    const qint64 cap = std::max<qint64>(first, m_settings.maxMs);
    const qint64 base = std::min(cap, first << std::min(m_failures, 30));
    ++m_failures;
    const double jitter = std::clamp(m_settings.jitter, 0.0, 1.0);
    const double shortened = double(base) * jitter * QRandomGenerator::global()->generateDouble();
    return int(std::max<qint64>(1, base - qint64(shortened)));
}

void ReconnectBackoff::reset()
{
    m_failures = 0;
    m_connectedSince.invalidate();
}

} // namespace wharf::controllers
