#!/usr/bin/env bash
# Run a command with a private, unlocked Secret Service (gnome-keyring) on a private
# D-Bus session bus, in a throw-away HOME, so that QtKeychain works headless and never
# touches the real user's keyring.  Returns the command's exit code.
# Usage: with-keyring.sh CMD [ARGS...]
set -euo pipefail

if [[ $# -lt 1 ]]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi
for c in dbus-run-session gnome-keyring-daemon; do
    command -v "$c" >/dev/null ||
        { echo "$0: '$c' not found; install the test dependencies: packaging/install-deps.sh --test" >&2; exit 1; }
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/wharf-keyring.XXXXXX")
# gnome-keyring-daemon does not reliably exit with the bus (it lingers when CMD is quick):
# stop the daemons whose environment names our private XDG_RUNTIME_DIR.
# shellcheck disable=SC2317  # invoked through the trap
cleanup() {
    local pid environ
    for pid in $(pgrep -u "$(id -u)" -x gnome-keyring-d || true); do
        environ=$(tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null) || continue
        if [[ $'\n'$environ$'\n' == *$'\n'"XDG_RUNTIME_DIR=$TMP/run"$'\n'* ]]; then
            kill "$pid" 2>/dev/null || true
        fi
    done
    rm -rf "$TMP"
}
trap cleanup EXIT

mkdir -p "$TMP"/{home,config,data,cache,run}
chmod 0700 "$TMP/run"
export HOME=$TMP/home
export XDG_CONFIG_HOME=$TMP/config XDG_DATA_HOME=$TMP/data XDG_CACHE_HOME=$TMP/cache
export XDG_RUNTIME_DIR=$TMP/run
# Never pick up the caller's session bus or keyring.
unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL SSH_AUTH_SOCK

# dbus-run-session ends the bus when CMD exits.
rc=0
dbus-run-session -- bash -c '
    set -euo pipefail
    # --unlock reads the password on stdin and creates the "login" keyring (the default
    # collection) with it; --components=secrets: only the Secret Service, no ssh agent.
    # It prints GNOME_KEYRING_CONTROL=... which libsecret/QtKeychain do not need.
    printf %s wharf-keyring-password |
        gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null
    exec "$@"
' with-keyring "$@" || rc=$?
exit "$rc"
