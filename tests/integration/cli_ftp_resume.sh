#!/usr/bin/env bash
# wharf-cli ftp get/put while the server goes away in the middle of the file: a pyftpdlib of
# this test's own is killed and started again on the same port (the shared one serves other
# tests); with vsftpd (explicit FTPS, TLS 1.3) the session process moving the file is
# killed. wharf-cli must come back by itself, resume with REST from the bytes the target
# really has, and end with the same SHA-256. The client is frozen (SIGSTOP) while the
# server goes, so the moment is in the middle of the transfer whatever the machine's speed.
# Size: CLI_FTP_RESUME_MIB (128).
set -euo pipefail
cli=${1:?usage: cli_ftp_resume.sh WHARF_CLI}
: "${WHARF_TEST_SERVERS:?run through ctest}" "${WHARF_TEST_PKI:?run through ctest}"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
servers=$here/../servers
python=/usr/bin/python3
size_mib=${CLI_FTP_RESUME_MIB:-128}
size=$((size_mib * 1024 * 1024))
# shellcheck source=/dev/null
source "$WHARF_TEST_SERVERS/vsftpd.env"
vsftpd_master=$(cat "$WHARF_TEST_SERVERS/vsftpd/default.pid")

# The private pyftpdlib's state directory must stay short, as for every fixture.
state=$(mktemp -d /tmp/wfr.XXXXXX)
work=$(mktemp -d)
base=cli_ftp_resume.$$
cli_pid=
cleanup() {
    if [ -n "$cli_pid" ]; then
        kill -CONT "$cli_pid" 2>/dev/null || true
        kill "$cli_pid" 2>/dev/null || true
    fi
    bash "$servers/pyftpdlib.sh" stop "$state" >/dev/null 2>&1 || true
    rm -rf "$state" "$work" "${VSFTPD_ROOT:?}/$base"
}
trap cleanup EXIT
bash "$servers/pyftpdlib.sh" start "$state" >"$work/pyftpdlib-start.log" 2>&1 ||
    { cat "$work/pyftpdlib-start.log"; exit 1; }
# shellcheck source=/dev/null
source "$state/pyftpdlib.env"
export XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data
failures=0

check() {
    local name=$1
    shift
    if "$@"; then
        echo "ok   $scenario: $name"
    else
        echo "FAIL $scenario: $name"
        sed 's/^/  stderr: /' "$work/err" | tail -n 40
        failures=$((failures + 1))
    fi
}

# stop_at PID FILE BYTES: once FILE has BYTES, freeze PID (SIGSTOP) and print FILE's size.
# Fails if PID ends first.
stop_at() {
    "$python" - "$@" <<'PY'
import os, signal, sys, time
pid, path, at = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
deadline = time.monotonic() + 120
def alive():
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
while True:
    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        size = 0
    if size >= at:
        break
    if not alive() or time.monotonic() > deadline:
        sys.exit(f"the transfer ended (or stalled) before {path} had {at} bytes")
    time.sleep(0.002)
os.kill(pid, signal.SIGSTOP)
print(os.stat(path).st_size)
PY
}

# kill_vsftpd_session FILE: SIGKILL the vsftpd process that has FILE open, the one serving
# the transfer. vsftpd forks a session (its own process group) per connection, and the
# session a process for the logged-in user: only those below the fixture's master count.
kill_vsftpd_session() {
    local file=$1 session pid fd
    for session in $(pgrep -P "$vsftpd_master"); do
        for pid in "$session" $(pgrep -P "$session"); do
            for fd in /proc/"$pid"/fd/*; do
                if [ "$(readlink "$fd" 2>/dev/null)" = "$file" ]; then
                    kill -KILL "$pid"
                    return 0
                fi
            done
        done
    done
    echo "no vsftpd process has $file open" >&2
    return 1
}

restart_pyftpdlib() {
    # A crash: SIGKILL, no goodbye to the clients. Then the same server on the same port.
    kill -KILL "$(cat "$state/pyftpdlib/pyftpdlib.pid")"
    bash "$servers/pyftpdlib.sh" restart "$state" >>"$work/pyftpdlib-restart.log" 2>&1
}

# interrupted SERVER get|put: a transfer of the big file, cut off by SERVER's end once a
# quarter of it has arrived.
interrupted() {
    local server=$1 direction=$2 site root tls password remote_dir local_file disk_file
    scenario="$server $direction"
    if [ "$server" = vsftpd ]; then
        site=ftp://$VSFTPD_USER@127.0.0.1:$VSFTPD_PORT
        root=$VSFTPD_ROOT
        password=$VSFTPD_PASSWORD
        tls=(--cacert "$WHARF_TEST_PKI/ca.pem")
    else
        site=ftp://$PYFTPDLIB_USER@127.0.0.1:$PYFTPDLIB_PORT
        root=$PYFTPDLIB_ROOT
        password=$PYFTPDLIB_PASSWORD
        tls=(--tls none)
    fi
    remote_dir=$base/$direction
    mkdir -p "$root/$remote_dir"
    chown "$(stat -c %u:%g "$root")" "$root/$base" "$root/$remote_dir"
    disk_file=$root/$remote_dir/big.bin
    local_file=$work/$server-$direction.bin
    rm -f "$disk_file" "$local_file"
    if [ "$direction" = get ]; then
        cp "$work/big.bin" "$disk_file"
        args=(get "$site/$remote_dir/big.bin" "$local_file")
        growing=$local_file
    else
        args=(put "$work/big.bin" "$site/$remote_dir/")
        growing=$disk_file
    fi
    WHARF_PASSWORD=$password "$cli" --timeout 20 "${tls[@]}" --verbose ftp "${args[@]}" \
        >"$work/out" 2>"$work/err" &
    cli_pid=$!
    local cut=no stopped_at status=0
    if stopped_at=$(stop_at "$cli_pid" "$growing" $((size / 4))); then
        if [ "$server" = vsftpd ]; then
            kill_vsftpd_session "$disk_file" && cut=yes
        else
            restart_pyftpdlib && cut=yes
        fi
        kill -CONT "$cli_pid"
    fi
    wait "$cli_pid" || status=$?
    cli_pid=
    check "the server went away in the middle of the file (at ${stopped_at:-?} bytes)" \
        test "$cut" = yes
    check "wharf-cli finished by itself (exit $status)" test "$status" -eq 0
    check "it took more than one attempt" grep -qE "^wharf-cli: done after [2-9][0-9]* attempts" \
        "$work/err"
    check "it resumed with REST from a byte past the start" grep -qE '^> REST [1-9][0-9]*$' \
        "$work/err"
    if [ "$direction" = get ]; then
        check "the download is the same file (SHA-256)" \
            test "$(sha256sum <"$local_file")" = "$big_sha"
    else
        check "the server has the same file (SHA-256)" \
            test "$(sha256sum <"$disk_file")" = "$big_sha"
    fi
    rm -f "$local_file" "$disk_file"
}

head -c "$size" /dev/urandom >"$work/big.bin"
big_sha=$(sha256sum <"$work/big.bin")
interrupted pyftpdlib get
interrupted pyftpdlib put
interrupted vsftpd get
interrupted vsftpd put

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all checks passed"
