#!/usr/bin/env bash
# wharf-cli imap sync while the server is restarted: a Dovecot of this test's own (the
# shared one serves other tests at the same time) is restarted as soon as headers are
# being stored; Dovecot cuts its clients off about a second later, in the middle of the
# sync. The sync must say it lost the connection, come back by itself, and end
# with every message in the store exactly once, byte for byte. imaplib is the witness.
set -euo pipefail
cli=${1:?usage: cli_imap_resume.sh WHARF_CLI}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
python=/usr/bin/python3
servers=$here/../servers
count=${CLI_IMAP_RESUME_COUNT:-4000}
folder=Resume

# Dovecot's sockets live below the state directory, whose path must stay short.
state=$(mktemp -d /tmp/wr.XXXXXX)
work=$(mktemp -d)
cleanup() {
    bash "$servers/dovecot.sh" stop "$state" >/dev/null 2>&1 || true
    rm -rf "$state" "$work"
}
trap cleanup EXIT
bash "$servers/dovecot.sh" start "$state" >"$work/dovecot-start.log" 2>&1 ||
    { cat "$work/dovecot-start.log"; exit 1; }
env_file=$state/dovecot.env
# shellcheck disable=SC1090
source "$env_file"
export DOVECOT_IMAP_PORT DOVECOT_USER DOVECOT_PASSWORD
export XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data
export WHARF_PASSWORD=$DOVECOT_PASSWORD
store=$work/store
failures=0

check() {
    local name=$1
    shift
    if "$@"; then echo "ok   $name"; else echo "FAIL $name"; failures=$((failures + 1)); fi
}

"$python" "$servers/imap_fill.py" --env "$env_file" --folder "$folder" --count "$count" --seed 21 >/dev/null

"$cli" --timeout 30 --cacert "$state/pki/ca.pem" imap sync \
    "imaps://$DOVECOT_USER@localhost:$DOVECOT_IMAPS_PORT/$folder" --store "$store" --json \
    --retries 8 >"$work/out" 2>"$work/err" &
sync_pid=$!

# Headers are being stored once the index's write-ahead log grows.
for ((i = 0; i < 600; i++)); do
    [ "$(stat -c %s "$store/wharf-index.sqlite-wal" 2>/dev/null || echo 0)" -gt 100000 ] && break
    kill -0 "$sync_pid" 2>/dev/null || break
    sleep 0.05
done
restarted=no
if kill -0 "$sync_pid" 2>/dev/null; then
    bash "$servers/dovecot.sh" restart "$state" >"$work/dovecot-restart.log" 2>&1 && restarted=yes
fi
status=0
wait "$sync_pid" || status=$?

check "the server was restarted while the sync ran" test "$restarted" = yes
check "the sync finished after the restart (exit $status)" test "$status" -eq 0
check "it said it lost the connection and tried again" grep -q "trying again" "$work/err"
check "the report counts every message once" "$python" -c '
import json, sys
r = json.load(open(sys.argv[1]))
sys.exit(0 if r["added"] == int(sys.argv[2]) and r["bodies"] == int(sys.argv[2]) else 1)' \
    "$work/out" "$count"
check "store and server agree: every body once, with its flags" \
    "$python" "$here/imap_store_compare.py" "$store" "$folder" bodies

if [ "$failures" -ne 0 ]; then
    echo "--- sync stderr"; head -c 3000 "$work/err"
    echo "--- sync stdout"; head -c 3000 "$work/out"
    echo "$failures check(s) failed"
    exit 1
fi
echo "all checks passed"
