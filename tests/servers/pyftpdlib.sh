#!/usr/bin/env bash
# Plain FTP server with MLSD/MLST (pyftpdlib from Debian), one user with a writable root,
# passive mode.  Runs as the invoking user; root is not needed.
# Usage: pyftpdlib.sh start|stop|restart STATE_DIR
# restart stops the running server (its clients lose their connections, mid-transfer too)
# and starts it again on the same ports and root, as a crash and a supervisor's restart do.
#
# Writes STATE_DIR/pyftpdlib.env:
#   PYFTPDLIB_HOST PYFTPDLIB_PORT PYFTPDLIB_USER PYFTPDLIB_PASSWORD PYFTPDLIB_ROOT PYFTPDLIB_LOG
set -euo pipefail
SCRIPT_NAME=pyftpdlib.sh
SCRIPT_ACTIONS='start|stop|restart'
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage_and_parse "$@"
DIR=$STATE_DIR/pyftpdlib
ROOT=$DIR/root
PIDFILE=$DIR/pyftpdlib.pid
LOGFILE=$DIR/pyftpdlib.log
ENVFILE=$STATE_DIR/pyftpdlib.env
RANGEFILE=$DIR/passive-range
FTP_USER=wharf
FTP_PASSWORD=wharf-ftp-password

stop() {
    rm -f "$ENVFILE"
    stop_pidfile "$PIDFILE" 10
}

# run_server PORT: the server on PORT with the passive range of RANGEFILE, until it listens.
run_server() {
    # -u/-P disable anonymous logins; -w grants the user full write permissions.
    start_daemon "$PIDFILE" "$LOGFILE" "$PYTHON3" -m pyftpdlib \
        --interface=127.0.0.1 --port="$1" --directory="$ROOT" --write \
        --range="$(<"$RANGEFILE")" --username="$FTP_USER" --password="$FTP_PASSWORD"
    wait_for_ports "$PIDFILE" "$LOGFILE" 20 "$1"
}

start() {
    stop_on_failure
    require_cmd "$PYTHON3"
    "$PYTHON3" -c 'import pyftpdlib' 2>/dev/null ||
        die "python module pyftpdlib missing for $PYTHON3; install the test dependencies: packaging/install-deps.sh --test"
    ensure_state_dir
    stop
    rm -rf "$DIR"
    mkdir -p "$ROOT"

    local port pasv
    port=$(free_ports 1)
    read -r -a pasv <<<"$(free_port_range 20)"

    echo "${pasv[0]}-${pasv[1]}" >"$RANGEFILE"
    run_server "$port"

    write_env "$ENVFILE" \
        PYFTPDLIB_HOST=127.0.0.1 \
        PYFTPDLIB_PORT="$port" \
        PYFTPDLIB_USER="$FTP_USER" \
        PYFTPDLIB_PASSWORD="$FTP_PASSWORD" \
        PYFTPDLIB_ROOT="$ROOT" \
        PYFTPDLIB_LOG="$LOGFILE"
    log "started (pid $(<"$PIDFILE")): port $port, passive ${pasv[0]}-${pasv[1]}"
}

restart() {
    [[ -f $ENVFILE && -f $RANGEFILE ]] || die "no pyftpdlib was started in $STATE_DIR"
    # shellcheck disable=SC1090
    source "$ENVFILE"
    stop_pidfile "$PIDFILE" 10
    # pyftpdlib listens with SO_REUSEADDR: the port is free again at once.
    run_server "$PYFTPDLIB_PORT"
    log "restarted (pid $(<"$PIDFILE")): port $PYFTPDLIB_PORT"
}

"$ACTION"
