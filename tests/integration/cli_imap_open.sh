#!/usr/bin/env bash
# wharf-cli imap open against the real Dovecot: after a headers-only sync, opening a
# message fetches its body into the store byte for byte without marking it read on the
# server; a 50 MB message is streamed to disk, never held in memory twice; opening again
# reads the local copy; an unknown id is refused. imaplib is the witness.
set -euo pipefail
cli=${1:?usage: cli_imap_open.sh WHARF_CLI}
: "${WHARF_TEST_SERVERS:?run through ctest}" "${WHARF_TEST_PKI:?run through ctest}"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
python=/usr/bin/python3
env_file=$WHARF_TEST_SERVERS/dovecot.env
# shellcheck disable=SC1090
source "$env_file"
export DOVECOT_IMAP_PORT DOVECOT_USER DOVECOT_PASSWORD
folder=CliOpen$$
url=imaps://$DOVECOT_USER@localhost:$DOVECOT_IMAPS_PORT

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data
export WHARF_PASSWORD=$DOVECOT_PASSWORD
store=$XDG_DATA_HOME/wharf/mail/local # the store `wharf-cli store` reads
out=$work/out err=$work/err
failures=0

fail() {
    echo "FAIL $1"
    [ -s "$out" ] && head -c 2000 "$out" | sed 's/^/  stdout: /'
    [ -s "$err" ] && head -c 2000 "$err" | sed 's/^/  stderr: /'
    failures=$((failures + 1))
}

check() {
    local name=$1
    shift
    if "$@"; then echo "ok   $name"; else fail "$name"; fi
}

# json EXPRESSION FILE: prints a Python expression of the JSON in FILE (j).
json() {
    "$python" -c 'import json,sys; j=json.load(open(sys.argv[2])); print(eval(sys.argv[1]))' "$1" "$2"
}

wharf() {
    "$cli" --timeout 60 --cacert "$WHARF_TEST_PKI/ca.pem" "$@"
}

# Five ordinary messages, then a 50 MB one (a 37 MB attachment, base64), all unread.
"$python" "$here/../servers/imap_fill.py" --env "$env_file" --folder "$folder" --count 5 \
    --seed 21 >/dev/null
"$python" - "$work/big.eml" "$folder" <<'PY'
import imaplib, os, random, sys
from email.message import EmailMessage
message = EmailMessage()
message["From"] = "Big Sender <big@example.org>"
message["To"] = "wharf@example.org"
message["Subject"] = "The 50 MB one"
message["Message-ID"] = "<big-open@example.org>"
message["Date"] = "Tue, 3 Mar 2026 10:00:00 +0000"
message.set_content("The attachment is below.\n")
message.add_attachment(random.Random(7).randbytes(37_000_000), maintype="application",
                       subtype="octet-stream", filename="archive.bin")
raw = message.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
open(sys.argv[1], "wb").write(raw)
imap = imaplib.IMAP4("127.0.0.1", int(os.environ["DOVECOT_IMAP_PORT"]))
imap.login(os.environ["DOVECOT_USER"], os.environ["DOVECOT_PASSWORD"])
imap.create(sys.argv[2])
status, _ = imap.append(sys.argv[2], None, None, raw)
sys.exit(0 if status == "OK" else 1)
PY
big_size=$(stat -c %s "$work/big.eml")

# server_flags MESSAGE-ID: the server's flags of that message, as imaplib sees them.
server_flags() {
    "$python" - "$folder" "$1" <<'PY'
import imaplib, os, re, sys
imap = imaplib.IMAP4("127.0.0.1", int(os.environ["DOVECOT_IMAP_PORT"]))
imap.login(os.environ["DOVECOT_USER"], os.environ["DOVECOT_PASSWORD"])
imap.select(sys.argv[1], readonly=True)
_, found = imap.uid("SEARCH", None, "HEADER", "Message-ID", sys.argv[2])
_, data = imap.uid("FETCH", found[0].split()[0].decode(), "(FLAGS)")
print(re.search(rb"FLAGS \(([^)]*)\)", data[0]).group(1).decode())
PY
}

wharf imap sync "$url/$folder" --store "$store" --headers-only >"$out" 2>"$err" ||
    fail "headers-only sync"
"$cli" --json store list --folder "$folder" >"$work/list" 2>"$err" || fail "store list"
check "six messages, none with a body here" \
    test "$(json 'sum(1 for m in j["messages"] if not m["local_copy"])' "$work/list")" = 6
big_id=$(json '[m["id"] for m in j["messages"] if m["subject"] == "The 50 MB one"][0]' "$work/list")
# One imaplib can find by its Message-ID (some of the fill's are not ASCII).
small_id=$(json '[m["id"] for m in j["messages"] if m["subject"] != "The 50 MB one" and m["message_id"].isascii()][0]' "$work/list")
small_mid=$(json "[m['message_id'] for m in j['messages'] if m['id'] == $small_id][0]" "$work/list")
small_flags_before=$(server_flags "<$small_mid>")

wharf --json imap open "$url" --store "$store" "$small_id" >"$out" 2>"$err" || fail "open a message"
small_path=$(json 'j["path"]' "$out" 2>/dev/null || true)
check "the body was fetched" test "$(json 'j["downloaded"]' "$out" 2>/dev/null)" = True
check "the local copy is the server's message, byte for byte" \
    "$python" - "$folder" "$small_mid" "$small_path" <<'PY'
import imaplib, os, sys
imap = imaplib.IMAP4("127.0.0.1", int(os.environ["DOVECOT_IMAP_PORT"]))
imap.login(os.environ["DOVECOT_USER"], os.environ["DOVECOT_PASSWORD"])
imap.select(sys.argv[1], readonly=True)
_, found = imap.uid("SEARCH", None, "HEADER", "Message-ID", f"<{sys.argv[2]}>")
_, data = imap.uid("FETCH", found[0].split()[0].decode(), "(BODY.PEEK[])")
sys.exit(0 if data[0][1] == open(sys.argv[3], "rb").read() else 1)
PY
check "opening did not change its flags on the server" \
    test "$(server_flags "<$small_mid>")" = "$small_flags_before"

wharf --json imap open "$url" --store "$store" "$small_id" >"$out" 2>"$err" ||
    fail "open it again"
check "opened again, the local copy is used" test "$(json 'j["downloaded"]' "$out")" = False
check "at the same path" test "$(json 'j["path"]' "$out")" = "$small_path"

# The 50 MB message, written out with -o: the same bytes, read once into memory at most.
/usr/bin/time -f %M -o "$work/peak" "$cli" --timeout 120 --cacert "$WHARF_TEST_PKI/ca.pem" \
    imap open "$url" --store "$store" "$big_id" -o "$work/big.out" >"$out" 2>"$err" ||
    fail "open the 50 MB message"
check "the 50 MB message arrives whole" cmp -s "$work/big.eml" "$work/big.out"
check "and is not marked read on the server" test -z "$(server_flags '<big-open@example.org>')"
if [ "${CLI_IMAP_OPEN_MEMORY_CHECK:-0}" = 1 ]; then
    peak_kib=$(cat "$work/peak")
    check "peak memory ${peak_kib} KiB is less than twice the message (${big_size} bytes)" \
        test "$((peak_kib * 1024))" -lt "$((2 * big_size))"
fi
"$cli" --json store stats >"$work/stats" 2>"$err" || fail "store stats"
check "the store has two local copies now" test "$(json 'j["local_copies"]' "$work/stats")" = 2

got=0
wharf imap open "$url" --store "$store" 999999 >"$out" 2>"$err" || got=$?
check "an unknown id is refused (exit $got)" test "$got" -ne 0
check "saying which" grep -q "No message with id 999999" "$err"

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all checks passed"
