#pragma once

#include "core/ServerEndpoint.h"
#include "net/OpeningHandshake.h"

namespace wharf::controllers {

// The opening dialogue (greeting, capabilities, STARTTLS) of the endpoint's protocol.
net::OpeningHandshake *createOpening(Protocol protocol, net::Connection *connection,
                                     QObject *parent);

} // namespace wharf::controllers
