#!/usr/bin/env bash
# wharf-cli trust against the real Dovecot: a pinned exception is the only way past a
# certificate the system does not trust, it holds for exactly one key, and a changed key on
# a pinned server is a hard failure even when a CA would vouch for it.
set -euo pipefail
cli=${1:?usage: cli_trust.sh WHARF_CLI}
: "${WHARF_TEST_SERVERS:?run through ctest}" "${WHARF_TEST_PKI:?run through ctest}"
# shellcheck disable=SC1091
source "$WHARF_TEST_SERVERS/dovecot.env"
ca=$WHARF_TEST_PKI/ca.pem
key=$(cat "$WHARF_TEST_PKI/server.spki-sha256")
other_key=$(cat "$WHARF_TEST_PKI/other-server.spki-sha256")
imaps=imaps://localhost:$DOVECOT_IMAPS_PORT
imap=imap://localhost:$DOVECOT_IMAP_PORT

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A private config home: the user's own trusted certificates are never read or changed.
export XDG_CONFIG_HOME=$work/config
store=$XDG_CONFIG_HOME/wharf/trusted-certificates.json
out=$work/out err=$work/err
failures=0

fail() {
    echo "FAIL $1"
    [ -s "$out" ] && sed 's/^/  stdout: /' "$out"
    [ -s "$err" ] && sed 's/^/  stderr: /' "$err"
    failures=$((failures + 1))
}

# expect NAME EXIT_CODE PATTERN_IN_STDOUT_OR_STDERR -- wharf-cli arguments...
expect() {
    local name=$1 want=$2 pattern=$3
    shift 4
    local got=0
    "$cli" --timeout 20 "$@" >"$out" 2>"$err" || got=$?
    if [ "$got" -ne "$want" ] || ! grep -qE -- "$pattern" "$out" "$err"; then
        fail "$name: exit $got (wanted $want), pattern '$pattern'"
    else
        echo "ok   $name"
    fi
}

# check NAME COMMAND...: a shell condition about the store.
check() {
    local name=$1
    shift
    if "$@"; then echo "ok   $name"; else fail "$name"; fi
}

stored_count() {
    "$cli" --json trust list >"$out" 2>"$err" &&
        /usr/bin/python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["certificates"]))' "$out"
}

expect "no pin, no CA: exit 4" 4 "Untrusted certificate for localhost:$DOVECOT_IMAPS_PORT" -- probe "$imaps"
expect "empty list" 0 "^No trusted certificates" -- trust list

expect "trust add with a wrong key exits 4" 4 "presented the key SHA-256 $key, not the one given with --key \($other_key\); nothing was stored" -- trust add "$imaps" --key "$other_key"
check "a wrong key stores nothing" test "$(stored_count)" = 0
expect "--key must be a SHA-256" 2 "64 hex digits" -- trust add "$imaps" --key 1234
expect "trust add needs --key" 2 "usage: wharf-cli trust" -- trust add "$imaps"

upper_key=$(tr 'a-f' 'A-F' <<<"$key")
expect "trust add with the right key" 0 "Trusted from now on: localhost:$DOVECOT_IMAPS_PORT, key SHA-256 $key" -- trust add "$imaps" --key "$upper_key" --reason "checked with the test PKI"
check "store is private (0600)" test "$(stat -c %a "$store")" = 600
expect "pinned: probe succeeds without --cacert" 0 "Key SHA-256: +$key" -- probe "$imaps"
expect "the pin is per port: STARTTLS port still untrusted" 4 "Untrusted certificate" -- probe "$imap"
expect "trust list shows the pin" 0 "Reason: +checked with the test PKI" -- trust list

"$cli" trust list --json >"$out" 2>"$err"
if /usr/bin/python3 - "$out" "$key" "$DOVECOT_IMAPS_PORT" <<'PY'
import json, sys
listing = json.load(open(sys.argv[1]))
[entry] = listing["certificates"]
assert entry["host"] == "localhost" and entry["port"] == int(sys.argv[3]), entry
assert entry["public_key_sha256"] == sys.argv[2], entry
assert len(entry["certificate_sha256"]) == 64, entry
assert "Wharf Test CA" in entry["issuer"], entry
assert entry["accepted_at"].endswith("Z") and entry["expires"].endswith("Z"), entry
assert entry["reason"] == "checked with the test PKI", entry
assert listing["file"].endswith("/wharf/trusted-certificates.json"), listing
PY
then echo "ok   trust list --json"; else fail "trust list --json"; fi

# STARTTLS: the question comes after the upgrade; the pin answers it the same way.
expect "trust add over STARTTLS" 0 "Trusted from now on: localhost:$DOVECOT_IMAP_PORT" -- trust add "$imap" --key "$key"
expect "pinned STARTTLS probe" 0 "Capabilities:.*IMAP4rev1" -- probe "$imap"
expect "trust remove by URL" 0 "Removed the trusted certificate for localhost:$DOVECOT_IMAP_PORT" -- trust remove "$imap"

# Another key pinned for the server (as if it had been trusted before the key changed):
# the CA's signature must not hide the change.
/usr/bin/python3 - "$store" "$other_key" <<'PY'
import json, sys
path, other = sys.argv[1], sys.argv[2]
data = json.load(open(path))
data["certificates"][0]["public_key_sha256"] = other
data["certificates"][0]["accepted_at"] = "2024-02-03T04:05:06Z"
json.dump(data, open(path, "w"))
PY
expect "changed key fails even with the CA" 4 "key of localhost:$DOVECOT_IMAPS_PORT CHANGED since you trusted it on 2024-02-03 04:05 UTC: someone may be intercepting.*Trusted key SHA-256 $other_key, presented key SHA-256 $key" -- --cacert "$ca" probe "$imaps"
expect "changed key, JSON mode too" 4 "CHANGED" -- --json --cacert "$ca" probe "$imaps"

expect "trust remove" 0 "Removed the trusted certificate for localhost:$DOVECOT_IMAPS_PORT" -- trust remove "localhost:$DOVECOT_IMAPS_PORT"
check "removed from the file" test "$(stored_count)" = 0
expect "after remove: the CA decides again" 0 "Key SHA-256: +$key" -- --cacert "$ca" probe "$imaps"
expect "after remove: untrusted without the CA" 4 "Untrusted certificate" -- probe "$imaps"
expect "remove of nothing exits 2" 2 "no trusted certificate for localhost:$DOVECOT_IMAPS_PORT" -- trust remove "LOCALHOST:$DOVECOT_IMAPS_PORT"
expect "remove needs HOST:PORT" 2 "is not HOST:PORT" -- trust remove localhost

# A damaged store stops every command that depends on it, and is never overwritten.
printf '{"format": "wharf-trusted-certificates", "version": 1, "certificates": [' >"$store"
cp "$store" "$work/damaged"
expect "damaged store: probe exits 7" 7 "is damaged" -- --cacert "$ca" probe "$imaps"
expect "damaged store: trust add exits 7" 7 "is damaged" -- trust add "$imaps" --key "$key"
expect "damaged store: trust list exits 7" 7 "is damaged" -- trust list
check "damaged store left as it was" cmp -s "$store" "$work/damaged"

[ "$failures" -eq 0 ] && echo "cli_trust: all checks passed" || { echo "cli_trust: $failures failed"; exit 1; }
