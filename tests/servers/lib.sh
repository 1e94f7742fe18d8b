# shellcheck shell=bash disable=SC2034  # variables here are used by the sourcing scripts
# Shared helpers for the tests/servers/*.sh fixture scripts.  Source it, do not run it.
#
# Conventions: every server lives in STATE_DIR/<name>/ (wiped at each start), runs in its
# own session (setsid) with stdin/stdout/stderr detached so that ctest does not wait on
# its pipes, keeps its pid in a *.pid file there, binds 127.0.0.1 only on ports chosen at
# start, and publishes STATE_DIR/<name>.env (KEY=VALUE, no quotes) once it is ready.

SERVERS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Debian's interpreter: pyftpdlib is installed for it, and it starts faster than shims
# (pyenv and the like) that may come first in PATH.
if [[ -x /usr/bin/python3 ]]; then PYTHON3=/usr/bin/python3; else PYTHON3=python3; fi

# System user that owns the Dovecot mailbox and logs into vsftpd through PAM.
TEST_SYSTEM_USER=wharftest
TEST_SYSTEM_PASSWORD=wharf-test-password

die() {
    echo "${SCRIPT_NAME:-$0}: error: $*" >&2
    exit 1
}

log() {
    echo "${SCRIPT_NAME:-$0}: $*" >&2
}

usage_and_parse() {  # usage_and_parse "$@"  -> sets ACTION, STATE_DIR
    # A script with more actions than start and stop lists them in SCRIPT_ACTIONS.
    local actions=${SCRIPT_ACTIONS:-start|stop}
    if [[ $# -ne 2 || "|$actions|" != *"|$1|"* ]]; then
        echo "usage: $0 $actions STATE_DIR" >&2
        exit 2
    fi
    ACTION=$1
    STATE_DIR=$2
    INVOCATION="$0 $*"
    [[ $STATE_DIR == /* ]] || die "STATE_DIR must be an absolute path: $STATE_DIR"
    # Dovecot's unix sockets live below STATE_DIR and sun_path holds only 107 bytes.
    (( ${#STATE_DIR} <= 40 )) || die "STATE_DIR is too long (${#STATE_DIR} > 40 chars): $STATE_DIR"
}

require_root() {
    [[ $(id -u) -eq 0 ]] || die "must run as root (it starts a system daemon and needs a PAM/system user); try: sudo $INVOCATION"
}

require_cmd() {
    local c
    for c in "$@"; do
        command -v "$c" >/dev/null 2>&1 || [[ -x $c ]] ||
            die "'$c' not found; install the test dependencies: packaging/install-deps.sh --test"
    done
}

# Prepare STATE_DIR and its PKI; world-traversable because server processes drop to
# unprivileged users that must reach their files below it.
ensure_state_dir() {
    mkdir -p "$STATE_DIR"
    if [[ -O $STATE_DIR ]]; then
        chmod 0755 "$STATE_DIR"
    fi
    "$SERVERS_DIR/make-test-pki.sh" "$STATE_DIR/pki" >/dev/null
    PKI_DIR=$STATE_DIR/pki
}

# free_ports N: print N distinct free TCP ports on 127.0.0.1, chosen by the kernel.
free_ports() {
    "$PYTHON3" - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

# free_port_range N: print "MIN MAX" of N consecutive free ports for passive FTP data
# connections.  Chosen below the kernel's ephemeral range so that client sockets do not
# steal them, at a random offset so that concurrent runs rarely collide.
free_port_range() {
    "$PYTHON3" - "$1" <<'EOF'
import random, socket, sys
n = int(sys.argv[1])
for _ in range(200):
    base = random.randrange(20000, 32000 - n)
    socks = []
    try:
        for p in range(base, base + n):
            s = socket.socket()
            socks.append(s)
            s.bind(("127.0.0.1", p))
    except OSError:
        continue
    finally:
        for s in socks:
            s.close()
    print(base, base + n - 1)
    sys.exit(0)
sys.exit("no free port range found")
EOF
}

# start_daemon PIDFILE LOGFILE CMD...: run CMD in the background, in its own session,
# detached from our stdio (ctest waits until every holder of its pipes has exited).
start_daemon() {
    local pidfile=$1 logfile=$2
    shift 2
    setsid "$@" </dev/null >>"$logfile" 2>&1 &
    echo $! >"$pidfile"
}

# running PID: true while PID exists and is not a zombie.  Our daemons are reparented to
# pid 1 once the start script exits, and pid 1 (e.g. in containers) may reap them late.
running() {
    local stat
    kill -0 "$1" 2>/dev/null || return 1
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [[ ${stat:0:1} != Z ]]
}

# pid_alive PIDFILE: true when the pid file names a running process.
pid_alive() {
    [[ -s $1 ]] && running "$(<"$1")"
}

# stop_pidfile PIDFILE [WAIT_SECONDS]: SIGTERM, wait, then SIGKILL.  Tolerates a missing
# pid file or a process that is already gone.
stop_pidfile() {
    local pidfile=$1 wait_s=${2:-10} pid i cmdline
    if [[ ! -s $pidfile ]]; then
        return 0
    fi
    pid=$(<"$pidfile")
    # Never signal a recycled pid: our daemons all name a path below STATE_DIR on their
    # command line.
    cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || cmdline=
    if running "$pid" && [[ $cmdline != *"$STATE_DIR/"* ]]; then
        log "stale pid file $pidfile (pid $pid is something else); not killing it"
        rm -f "$pidfile"
        return 0
    fi
    if running "$pid"; then
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < wait_s * 20; i++)); do
            running "$pid" || break
            sleep 0.05
        done
        if running "$pid"; then
            log "pid $pid did not exit after ${wait_s}s, sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
            sleep 0.1
        fi
    fi
    # start_daemon made the server a process group leader; leftovers of that group (e.g.
    # vsftpd sessions still serving a client) go too.
    if pgrep -g "$pid" -r R,S,D,T,t,I >/dev/null 2>&1; then
        kill -TERM -- "-$pid" 2>/dev/null || true
        sleep 0.2
        kill -KILL -- "-$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
}

# wait_for_ports PIDFILE LOGFILE TIMEOUT PORT...: wait until every port accepts a TCP
# connection; fail with the log tail if the server dies or the timeout passes.
wait_for_ports() {
    local pidfile=$1 logfile=$2 timeout=$3 port deadline
    shift 3
    deadline=$((SECONDS + timeout))
    for port in "$@"; do
        until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
            if ! pid_alive "$pidfile"; then
                fail_with_log "$logfile" "server exited during startup (port $port never opened)"
            fi
            if ((SECONDS >= deadline)); then
                fail_with_log "$logfile" "port $port not accepting connections after ${timeout}s"
            fi
            sleep 0.05
        done
    done
}

fail_with_log() {
    local logfile=$1
    shift
    echo "${SCRIPT_NAME:-$0}: error: $*" >&2
    if [[ -f $logfile ]]; then
        echo "---- last lines of $logfile ----" >&2
        tail -n 30 "$logfile" >&2
        echo "----" >&2
    fi
    exit 1
}

# stop_on_failure: call first in start(); if start exits non-zero, run the script's
# stop() so that no half-started server is left behind.
stop_on_failure() {
    trap _stop_if_failed EXIT
}
_stop_if_failed() {
    local rc=$?
    if ((rc != 0)); then
        stop >/dev/null 2>&1 || true
    fi
    exit "$rc"
}

# write_env FILE KEY=VALUE...: atomically write the env file the tests read.
write_env() {
    local file=$1
    shift
    printf '%s\n' "$@" >"$file.tmp"
    mv -f "$file.tmp" "$file"
}

# ensure_test_user: create the system user for PAM logins (vsftpd) and mailbox ownership
# (Dovecot) if needed, and (re)set its password.  The only thing these fixtures create
# outside STATE_DIR.  Serialised with a lock because several servers start in parallel.
ensure_test_user() {
    require_cmd useradd chpasswd flock
    (
        flock 9
        if ! id -u "$TEST_SYSTEM_USER" >/dev/null 2>&1; then
            # Home "/" and a shell from /etc/shells: PAM's pam_shells and the FTP chdir need both.
            useradd --no-create-home --home-dir / --shell /bin/sh \
                --comment "Wharf test fixtures" "$TEST_SYSTEM_USER" ||
                id -u "$TEST_SYSTEM_USER" >/dev/null 2>&1 || die "cannot create user $TEST_SYSTEM_USER"
        fi
        # A cheap hash: the default (yescrypt) costs ~0.3 s per FTP login.
        echo "$TEST_SYSTEM_USER:$TEST_SYSTEM_PASSWORD" | chpasswd -c SHA512 -s 1000
    ) 9>"$STATE_DIR/.user.lock"
    TEST_UID=$(id -u "$TEST_SYSTEM_USER")
    TEST_GID=$(id -g "$TEST_SYSTEM_USER")
}
