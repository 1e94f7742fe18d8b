#pragma once

#include "core/Error.h"

#include <QSslConfiguration>

namespace wharf::net {

struct ConnectionSettings;

// Wharf's TLS policy for every connection, in one place: TLS 1.2 or later, the peer always
// verified (a bad certificate goes to the pin or the user, never ignored), the system CAs
// plus the settings' extra CA file, and the session kept or resumed when asked for. An
// unreadable CA file sets `error` (LocalFile).
QSslConfiguration tlsConfigurationFor(const ConnectionSettings &settings, Error *error);

} // namespace wharf::net
