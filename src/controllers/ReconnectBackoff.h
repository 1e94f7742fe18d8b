#pragma once

#include "core/Error.h"

#include <QElapsedTimer>

namespace wharf::controllers {

struct ReconnectSettings
{
    // The first delay, doubled after each failure up to the cap, each shortened by a random
    // fraction of at most `jitter` so that clients cut off together do not all come back in
    // the same second.
    int initialMs = 1'000;
    int maxMs = 5 * 60'000;
    double jitter = 0.25;
    // A connection that worked this long starts the delays from the first one again.
    int stableAfterMs = 60'000;
};

// The retry rule for a lost server connection, shared by every controller that comes back
// on its own (a watched mailbox, a sync cut off by a server restart): which failures are
// worth another attempt, and how long to wait before it.
class ReconnectBackoff
{
public:
    explicit ReconnectBackoff(const ReconnectSettings &settings = {})
        : m_settings(settings)
    {}

    // Failures a new connection would only repeat: the user must change something first
    // (a password, a certificate decision, a setting, the local disk).
    static bool isPermanent(const Error &error);

    // The connection works (again); it counts as stable after stableAfterMs.
    void connected();
    // Counts a lost connection and says how long to wait before the next attempt.
    int delayAfterLoss();
    // Losses since the last stable connection.
    int failures() const { return m_failures; }
    void reset();

private:
    ReconnectSettings m_settings;
    int m_failures = 0;
    QElapsedTimer m_connectedSince;
};

} // namespace wharf::controllers
