#!/usr/bin/env bash
# wharf-cli imap against the real Dovecot: folders, the header list, a message's exact
# bytes (small and streamed in chunks), append, and the exit codes scripts rely on. Python's
# imaplib is the independent witness of what the server holds.
set -euo pipefail
cli=${1:?usage: cli_imap.sh WHARF_CLI}
: "${WHARF_TEST_SERVERS:?run through ctest}" "${WHARF_TEST_PKI:?run through ctest}"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
python=/usr/bin/python3
# shellcheck disable=SC1091
source "$WHARF_TEST_SERVERS/dovecot.env"
ca=$WHARF_TEST_PKI/ca.pem
user=$DOVECOT_USER
imaps=imaps://$user@localhost:$DOVECOT_IMAPS_PORT
starttls=imap://$user@localhost:$DOVECOT_IMAP_PORT
# A folder of its own: other tests share this Dovecot.
folder=CliImap$$
count=40

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data
export WHARF_PASSWORD=$DOVECOT_PASSWORD
out=$work/out err=$work/err
failures=0

fail() {
    echo "FAIL $1"
    [ -s "$out" ] && head -c 2000 "$out" | sed 's/^/  stdout: /'
    [ -s "$err" ] && sed 's/^/  stderr: /' "$err"
    failures=$((failures + 1))
}

# expect NAME EXIT_CODE PATTERN -- wharf-cli arguments...
expect() {
    local name=$1 want=$2 pattern=$3
    shift 4
    local got=0 trust=(--cacert "$ca")
    [ -n "${NO_CA:-}" ] && trust=()
    "$cli" --timeout 30 "${trust[@]}" "$@" >"$out" 2>"$err" || got=$?
    if [ "$got" -ne "$want" ] || { [ -n "$pattern" ] && ! grep -qE -- "$pattern" "$out" "$err"; }; then
        fail "$name: exit $got (wanted $want), pattern '$pattern'"
    else
        echo "ok   $name"
    fi
}

check() {
    local name=$1
    shift
    if "$@"; then echo "ok   $name"; else fail "$name"; fi
}

# imaplib ACTION ARGS...: the witness (plain login on the STARTTLS port is allowed here).
witness() {
    "$python" - "$@" <<'PY'
import hashlib, imaplib, json, os, sys
action, folder = sys.argv[1], sys.argv[2]
imap = imaplib.IMAP4("127.0.0.1", int(os.environ["DOVECOT_IMAP_PORT"]))
imap.login(os.environ["DOVECOT_USER"], os.environ["DOVECOT_PASSWORD"])
typ, _ = imap.select('"%s"' % folder, readonly=True)
assert typ == "OK", folder
if action == "sizes":
    typ, data = imap.uid("FETCH", "1:*", "(UID RFC822.SIZE)")
    rows = []
    for item in data:
        text = item.decode()
        uid = int(text.split("UID ")[1].split()[0].rstrip(")"))
        size = int(text.split("RFC822.SIZE ")[1].split()[0].rstrip(")"))
        rows.append((uid, size))
    print(json.dumps(sorted(rows)))
elif action == "sha":
    typ, data = imap.uid("FETCH", sys.argv[3], "(BODY.PEEK[])")
    print(hashlib.sha256(data[0][1]).hexdigest())
elif action == "last-uid":
    typ, data = imap.uid("SEARCH", None, "ALL")
    print(data[0].split()[-1].decode())
PY
}
export DOVECOT_IMAP_PORT DOVECOT_USER DOVECOT_PASSWORD

"$python" "$here/../servers/imap_fill.py" --env "$WHARF_TEST_SERVERS/dovecot.env" \
    --folder "$folder" --count "$count" --seed 5 >/dev/null

expect "folders lists the new folder with its counts" 0 "^$folder	.*$count messages" -- imap folders "$imaps/"
expect "folders shows special use" 0 "^Sent	\\\\Sent" -- imap folders "$imaps/"
expect "folders --json" 0 '"special_use": "\\\\Sent"' -- --json imap folders "$imaps/"

expect "list over IMAPS" 0 "^1	" -- imap list "$imaps/$folder"
check "list has one line per message" test "$(wc -l <"$out")" -eq "$count"
cut -f1,3 "$out" | "$python" -c 'import json,sys; print(json.dumps(sorted([int(a), int(b)] for a, b in (l.split() for l in sys.stdin))))' >"$work/listed"
witness sizes "$folder" | "$python" -c 'import json,sys; print(json.dumps([list(r) for r in json.load(sys.stdin)]))' >"$work/witnessed"
check "listed UIDs and sizes are the server's" cmp -s "$work/listed" "$work/witnessed"
expect "list over STARTTLS, JSON lines" 0 '^\{"date":' -- imap list "$starttls/$folder" --json
check "every JSON line parses" "$python" -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$out"

expect "get UID 7 to a file" 0 "" -- imap get "$imaps/$folder/;UID=7" -o "$work/seven.eml"
check "the file has the server's exact bytes" test "$(sha256sum <"$work/seven.eml" | cut -d' ' -f1)" = "$(witness sha "$folder" 7)"
expect "get to stdout" 0 "" -- imap get "$imaps/$folder/;UID=7"
check "stdout has the same bytes" cmp -s "$out" "$work/seven.eml"
expect "get a UID that does not exist: exit 6" 6 "no message with UID 999999" -- imap get "$imaps/$folder/;UID=999999" -o "$work/none.eml"
check "a failed get leaves no file" test ! -e "$work/none.eml"

# A 3 MiB message: appended as a literal, read back in chunks, byte for byte.
"$python" - "$work/big.eml" <<'PY'
import base64, os, sys
body = base64.encodebytes(os.urandom(2_300_000)).replace(b"\n", b"\r\n")
head = (b"From: Big <big@example.org>\r\nTo: wharf@localhost\r\nSubject: big one\r\n"
        b"Message-ID: <big-%d@example.org>\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n" % os.getpid())
open(sys.argv[1], "wb").write(head + body)
PY
expect "append a 3 MiB message" 0 "appended to $folder as UID [0-9]+" -- imap append "$imaps/$folder" "$work/big.eml"
big_uid=$(witness last-uid "$folder")
check "the server holds the appended bytes" test "$(sha256sum <"$work/big.eml" | cut -d' ' -f1)" = "$(witness sha "$folder" "$big_uid")"
expect "get the big message back" 0 "" -- imap get "$imaps/$folder/;UID=$big_uid" -o "$work/big-back.eml"
check "it comes back byte for byte" cmp -s "$work/big.eml" "$work/big-back.eml"

printf 'From: a@example.org\nSubject: lf only\n\nbody\n' >"$work/lf.eml"
expect "append converts LF to CRLF" 0 "appended" -- imap append "$imaps/Sent" "$work/lf.eml"
expect "append to a missing folder: exit 6 with the server's reason" 6 "TRYCREATE" -- imap append "$imaps/NoSuchFolder$$" "$work/lf.eml"

NO_CA=1 expect "untrusted certificate: exit 4" 4 "Untrusted certificate" -- imap folders "$imaps/"
WHARF_PASSWORD=wrong expect "wrong password: exit 5" 5 "AUTHENTICATIONFAILED|Authentication failed" -- imap folders "$imaps/"
expect "a folder that does not exist: exit 6" 6 "NONEXISTENT|doesn't exist|not exist" -- imap list "$imaps/Missing$$"
expect "usage error: exit 2" 2 "needs URL/FOLDER/;UID=N" -- imap get "$imaps/$folder"
check "no password reached the output" bash -c "! grep -q '$DOVECOT_PASSWORD' '$out' '$err'"
expect "verbose log redacts the password" 0 "AUTHENTICATE PLAIN <redacted>|LOGIN <redacted>" -- --verbose imap folders "$imaps/"
check "the verbose log holds no password" bash -c "! grep -q '$DOVECOT_PASSWORD' '$out' '$err'"

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all checks passed"
