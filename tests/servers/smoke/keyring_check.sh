#!/usr/bin/env bash
# Runs inside with-keyring.sh: the Secret Service is reachable, stores and returns a
# secret, and HOME is a private temporary directory.
set -euo pipefail
[[ -n ${DBUS_SESSION_BUS_ADDRESS:-} ]] || { echo "FAILED: no session bus" >&2; exit 1; }
[[ $HOME == */wharf-keyring.*/home ]] || { echo "FAILED: HOME is not private: $HOME" >&2; exit 1; }
secret=wharf-smoke-$$-$RANDOM
printf %s "$secret" | secret-tool store --label="Wharf smoke test" service wharf-smoke account test
got=$(secret-tool lookup service wharf-smoke account test)
[[ $got == "$secret" ]] || { echo "FAILED: looked up '$got', stored '$secret'" >&2; exit 1; }
secret-tool clear service wharf-smoke account test
if secret-tool lookup service wharf-smoke account test >/dev/null 2>&1; then
    echo "FAILED: secret still there after clear" >&2
    exit 1
fi
echo "keyring test passed (HOME=$HOME)"
