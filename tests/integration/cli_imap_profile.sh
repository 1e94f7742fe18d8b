#!/usr/bin/env bash
# wharf-cli imap with a saved account (`--profile NAME`) against the real Dovecot and the
# real gnome-keyring (run inside with-keyring.sh): the password comes from the keychain and
# beats WHARF_PASSWORD; without one saved, the user is asked; the account's store is where
# the sync writes and `store --profile` reads; offline-days keeps only recent bodies.
set -euo pipefail
cli=${1:?usage: cli_imap_profile.sh WHARF_CLI}
: "${WHARF_TEST_SERVERS:?run through ctest}" "${WHARF_TEST_PKI:?run through ctest}"
: "${XDG_CONFIG_HOME:?run inside with-keyring.sh}" "${DBUS_SESSION_BUS_ADDRESS:?no session bus}"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
python=/usr/bin/python3
# shellcheck disable=SC1090
source "$WHARF_TEST_SERVERS/dovecot.env"
folder=CliProfile$$
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=$work/out err=$work/err
failures=0

# run NAME WANT_EXIT PATTERN -- wharf-cli arguments...   (stdin passes through)
run() {
    local name=$1 want=$2 pattern=$3
    shift 4
    local got=0
    "$cli" --timeout 30 --cacert "$WHARF_TEST_PKI/ca.pem" "$@" >"$out" 2>"$err" || got=$?
    if [ "$got" -ne "$want" ] || ! grep -qE -- "$pattern" "$out" "$err"; then
        echo "FAIL $name: exit $got (wanted $want), pattern '$pattern'"
        sed 's/^/  stdout: /' "$out" | head -20
        sed 's/^/  stderr: /' "$err" | tail -20
        failures=$((failures + 1))
    else
        echo "ok   $name"
    fi
}

"$python" "$here/../servers/imap_fill.py" --env "$WHARF_TEST_SERVERS/dovecot.env" \
    --folder "$folder" --count 20 --seed 31 >/dev/null

run "add an IMAP account with its settings" 0 'Added mail account "Reader"' -- profile add \
    Reader --incoming "imaps://$DOVECOT_USER@localhost:$DOVECOT_IMAPS_PORT" \
    --address reader@example.org --connections 2 --check-every 7 --offline-days 30
run "show says what was set" 0 '2 connections at most, bodies kept offline: newest 30 days' -- \
    profile show Reader
grep -q 'every 7 minutes' "$out" || { echo "FAIL show: check interval"; failures=$((failures + 1)); }
run "out-of-range connections are refused" 2 'connections must be from 1 to 10' -- profile add \
    Other --incoming "imaps://$DOVECOT_USER@localhost:$DOVECOT_IMAPS_PORT" \
    --address other@example.org --connections 11

# No password saved yet: asked for (here on stdin), and nothing is saved by asking.
run "without a saved password it asks" 0 "^$folder" -- imap folders --profile Reader \
    < <(printf '%s\n' "$DOVECOT_PASSWORD")
run "asking saved nothing" 5 'No password is saved' -- profile password Reader --check
run "save the password" 0 'Saved' -- profile password Reader \
    < <(printf '%s\n' "$DOVECOT_PASSWORD")
# The keychain's password wins over WHARF_PASSWORD (a wrong one here), and stdin is not read.
WHARF_PASSWORD=wrong run "the keychain's password is used" 0 "^$folder" -- \
    imap folders --profile Reader </dev/null
run "an unknown profile is refused" 2 'Nobody' -- imap folders --profile Nobody </dev/null
run "add a POP3 account" 0 'Added mail account "Pop"' -- profile add Pop \
    --incoming "pop3s://$DOVECOT_USER@localhost:$DOVECOT_POP3S_PORT" --address pop@example.org
run "a POP3 account has no IMAP server" 2 '"Pop" has no IMAP server' -- \
    imap list --profile Pop INBOX </dev/null

# A message that arrives now: the only one inside the 30 offline days (the fill's mail is
# from 2024).
printf 'From: a@example.org\r\nTo: reader@example.org\r\nSubject: fresh\r\nMessage-ID: <fresh-%s@example.org>\r\n\r\nnew today\r\n' "$$" >"$work/fresh.eml"
run "append through the profile" 0 "appended to $folder" -- imap append --profile Reader \
    "$folder" "$work/fresh.eml" </dev/null
run "sync through the profile into the account's store" 0 '"added":21' -- --json imap sync \
    --profile Reader "$folder" </dev/null
grep -q '"bodies":1,' "$out" || { echo "FAIL only the fresh body is kept offline"; cat "$out"; failures=$((failures + 1)); }
run "the account's store has them" 0 '"messages": ?21' -- --json store stats --profile Reader
run "list through the profile" 0 'fresh' -- imap list --profile Reader "$folder" </dev/null

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all checks passed"
