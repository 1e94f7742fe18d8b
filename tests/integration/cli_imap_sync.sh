#!/usr/bin/env bash
# wharf-cli imap sync against the real Dovecot: a folder synchronised into the local store
# with every body byte for byte, then synchronised again after another client changed flags
# and expunged messages, after new mail arrived, after an interrupted sync, and after a
# UIDVALIDITY change. Python's imaplib and the Maildir files are the witnesses.
set -euo pipefail
cli=${1:?usage: cli_imap_sync.sh WHARF_CLI}
: "${WHARF_TEST_SERVERS:?run through ctest}" "${WHARF_TEST_PKI:?run through ctest}"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
python=/usr/bin/python3
fill=$here/../servers/imap_fill.py
env_file=$WHARF_TEST_SERVERS/dovecot.env
# shellcheck disable=SC1090
source "$env_file"
export DOVECOT_IMAP_PORT DOVECOT_USER DOVECOT_PASSWORD
folder=CliSync$$
count=${CLI_IMAP_SYNC_COUNT:-1500}
url=imaps://$DOVECOT_USER@localhost:$DOVECOT_IMAPS_PORT/$folder

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data
export WHARF_PASSWORD=$DOVECOT_PASSWORD
# The store `wharf-cli store` calls Local Folders, so its commands can read the result.
store=$XDG_DATA_HOME/wharf/mail/local
out=$work/out err=$work/err
failures=0

fail() {
    echo "FAIL $1"
    [ -s "$out" ] && head -c 3000 "$out" | sed 's/^/  stdout: /'
    [ -s "$err" ] && head -c 3000 "$err" | sed 's/^/  stderr: /'
    failures=$((failures + 1))
}

check() {
    local name=$1
    shift
    if "$@"; then echo "ok   $name"; else fail "$name"; fi
}

# sync NAME [ARGS...]: runs imap sync with --json; the report is in $out.
sync() {
    local name=$1 got=0
    shift
    "$cli" --timeout 60 --cacert "$WHARF_TEST_PKI/ca.pem" imap sync "$url" --store "$store" \
        --json "$@" >"$out" 2>"$err" || got=$?
    if [ "$got" -ne 0 ]; then fail "$name: exit $got"; else echo "ok   $name"; fi
}

# report EXPRESSION: a Python condition on the last sync's JSON report (r).
report() {
    "$python" -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' "$out" "$1"
}

# The server and the store must agree on every message: same Message-IDs, same flags, and,
# for local copies, the same bytes.
compare() {
    "$python" "$here/imap_store_compare.py" "$store" "$folder" "${1:-bodies}"
}

stats_messages() {
    "$cli" --json store stats >"$work/stats" 2>/dev/null &&
        "$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["messages"])' "$work/stats"
}

"$python" "$fill" --env "$env_file" --folder "$folder" --count "$count" --seed 11 >/dev/null

sync "first sync with bodies"
check "report: every message added with its body" report "r['added'] == $count and r['bodies'] == $count and r['method'] == 'first sync'"
check "every body is byte for byte the server's, with its flags" compare
check "store stats count them once" test "$(stats_messages)" = "$count"
# The sync leaves the bodies' words for later; the first search indexes them all.
text_backlog() {
    "$cli" --json store stats >"$work/stats" 2>/dev/null &&
        "$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["text_backlog"])' "$work/stats"
}
check "the words of the sync wait for a search" test "$(text_backlog)" = "$count"
"$cli" --json store search "Ærøskøbing" --limit 100000 >"$work/search" 2>"$err" || fail "store search"
check "a search indexes every body first" test "$(text_backlog)" = 0
# A hit whose subject lacks the word, and whose file (8bit UTF-8 text) has it.
check "and finds the word in bodies" "$python" -c '
import json, sys
word = "Ærøskøbing"
hits = json.load(open(sys.argv[1]))["messages"]
body_only = [m for m in hits if word not in m["subject"]]
sys.exit(0 if body_only and all(word.encode() in open(m["path"], "rb").read() for m in body_only[:50]) else 1)
' "$work/search"

sync "sync again with nothing changed"
check "nothing changed is reported as nothing" report "r['added'] == 0 and r['flags_changed'] == 0 and r['removed'] == 0 and r['method'] == 'QRESYNC'"

"$python" "$fill" --env "$env_file" --folder "$folder" --change-flags 0.05 --expunge 0.02 --seed 12 --json >"$work/changes"
changed=$("$python" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["flags_changed"]))' "$work/changes")
expunged=$("$python" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["expunged"]))' "$work/changes")
sync "re-sync after another client changed flags and expunged"
check "report: $changed flag changes, $expunged removed" report "r['flags_changed'] == $changed and r['removed'] == $expunged and r['added'] == 0"
check "store and server agree again" compare
check "no duplicates" test "$(stats_messages)" = "$((count - expunged))"

"$python" "$fill" --env "$env_file" --folder "$folder" --count 40 --seed 13 >/dev/null
sync "re-sync after new mail"
check "report: 40 new with bodies" report "r['added'] == 40 and r['bodies'] == 40"
check "store and server agree with the new mail" compare

# An interrupted sync leaves the state unsaved; the next one finishes without duplicates.
# Killed again and again at different moments, one kill is likely to land between a batch
# of bodies renamed into place and the index saying so.
"$python" "$fill" --env "$env_file" --folder "$folder" --count 300 --seed 14 >/dev/null
for delay in 0.15 0.3 0.2 0.45 0.25 0.6; do
    timeout -s KILL "$delay" "$cli" --cacert "$WHARF_TEST_PKI/ca.pem" imap sync "$url" --store "$store" >/dev/null 2>&1 || true
done
sync "sync after a killed sync"
check "store and server agree after the interruption" compare
check "still no duplicates" test "$(stats_messages)" = "$((count - expunged + 340))"

# A new UIDVALIDITY: the server's numbering starts over, so does the cache.
doveadm -c "$DOVECOT_CONF" mailbox update -u "$DOVECOT_USER" --uid-validity $((RANDOM + 1000)) "$folder"
sync "sync after UIDVALIDITY changed"
check "report says the UIDVALIDITY changed" report "r['uidvalidity_changed'] is True and r['added'] == $((count - expunged + 340))"
check "store and server agree after starting over" compare
check "no duplicates after starting over" test "$(stats_messages)" = "$((count - expunged + 340))"

store=$work/headers-only
sync "headers-only sync into a new store" --headers-only
check "report: headers only" report "r['added'] == $((count - expunged + 340)) and r['bodies'] == 0"
check "no message files were written" test -z "$(find "$store/.$folder" -type f -path '*/cur/*' -o -type f -path '*/new/*')"

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all checks passed"
