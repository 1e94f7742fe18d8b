#!/usr/bin/env bash
# wharf-cli imap idle against the real Dovecot and Postfix: a message sent over SMTP and
# delivered by Postfix, and messages saved by doveadm, each show up once while the watcher
# idles; mail that was there before it started never does; --json over STARTTLS on a folder
# of its own; Ctrl+C ends it with exit 8; a wrong password or a missing folder end it at
# once. Reconnects are covered by tst_mailbox_watcher (the Dovecot here is shared).
set -euo pipefail
cli=${1:?usage: cli_imap_idle.sh WHARF_CLI}
: "${WHARF_TEST_SERVERS:?run through ctest}" "${WHARF_TEST_PKI:?run through ctest}"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
python=/usr/bin/python3
# shellcheck disable=SC1091
source "$WHARF_TEST_SERVERS/dovecot.env"
# shellcheck disable=SC1091
source "$WHARF_TEST_SERVERS/postfix.env"
export POSTFIX_SMTP_PORT POSTFIX_RECIPIENT
ca=$WHARF_TEST_PKI/ca.pem
user=$DOVECOT_USER
imaps=imaps://$user@localhost:$DOVECOT_IMAPS_PORT
starttls=imap://$user@localhost:$DOVECOT_IMAP_PORT
# INBOX is where Postfix delivers and other tests deliver too: only this run's subjects
# count there. The second watcher has a folder of its own.
folder=CliIdle$$
run=wharf-idle-$$-$RANDOM

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
export XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data
export WHARF_PASSWORD=$DOVECOT_PASSWORD
failures=0

fail() {
    echo "FAIL $1"
    for file in "$work"/*.out "$work"/*.err; do
        [ -s "$file" ] && sed "s|^|  $(basename "$file"): |" "$file"
    done
    failures=$((failures + 1))
}

check() {
    local name=$1
    shift
    if "$@"; then echo "ok   $name"; else fail "$name"; fi
}

# wait_for FILE PATTERN [SECONDS]: polls until a line of FILE matches (grep -E).
wait_for() {
    local file=$1 pattern=$2 deadline=$((SECONDS + ${3:-60}))
    until grep -qE -- "$pattern" "$file" 2>/dev/null; do
        [ "$SECONDS" -ge "$deadline" ] && return 1
        sleep 0.2
    done
}

# Counts the lines of FILE that contain TEXT.
count_of() { grep -cF -- "$2" "$1" || true; }

save_with_doveadm() { # FOLDER SUBJECT
    printf 'From: Doveadm Saver <saver@example.org>\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: <%s@example.org>\r\n\r\nsaved by doveadm\r\n' \
        "$user" "$2" "$2" | doveadm -c "$DOVECOT_CONF" save -u "$DOVECOT_USER" -m "$1"
}

send_over_smtp() { # SUBJECT
    "$python" - "$1" <<'PY'
import os, smtplib, ssl, sys
from email.message import EmailMessage
msg = EmailMessage()
msg["From"] = "Idle Sender <idle@example.org>"
msg["To"] = os.environ["POSTFIX_RECIPIENT"]
msg["Subject"] = sys.argv[1]
msg.set_content("delivered by Postfix while wharf-cli idles\n")
context = ssl.create_default_context(cafile=os.path.join(os.environ["WHARF_TEST_PKI"], "ca.pem"))
with smtplib.SMTP("localhost", int(os.environ["POSTFIX_SMTP_PORT"]), timeout=30) as smtp:
    smtp.starttls(context=context)
    smtp.send_message(msg)
PY
}

# Mail that is there before the watchers start: never announced.
"$python" "$here/../servers/imap_fill.py" --env "$WHARF_TEST_SERVERS/dovecot.env" \
    --folder "$folder" --count 3 --seed 9 --size-mix tiny >/dev/null
save_with_doveadm INBOX "$run-old"

"$cli" --timeout 30 --cacert "$ca" imap idle "$imaps/INBOX" >"$work/inbox.out" 2>"$work/inbox.err" &
inbox_pid=$!
pids+=("$inbox_pid")
"$cli" --timeout 30 --cacert "$ca" imap idle "$starttls/$folder" --json >"$work/folder.out" 2>"$work/folder.err" &
folder_pid=$!
pids+=("$folder_pid")

# Only mail that arrives after the folder was opened is new: wait for that first.
check "the INBOX watcher reports that it watches with IDLE" wait_for "$work/inbox.err" "watching INBOX \(IDLE\)"
check "the folder watcher reports that it watches with IDLE" wait_for "$work/folder.err" "watching $folder \(IDLE\)"

send_over_smtp "$run-smtp"
check "a message delivered by Postfix appears" wait_for "$work/inbox.out" "	$run-smtp\$"
check "its line has uid, date, sender and subject" \
    grep -qE "^[0-9]+	[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z	Idle Sender <idle@example.org>	$run-smtp\$" "$work/inbox.out"

save_with_doveadm INBOX "$run-doveadm"
check "a message saved by doveadm appears" wait_for "$work/inbox.out" "	$run-doveadm\$"

save_with_doveadm "$folder" "$run-json"
check "the folder watcher prints it as JSON over STARTTLS" wait_for "$work/folder.out" "\"subject\":\"$run-json\""
check "every JSON line parses, with uid, flags, size, date, from and subject" "$python" -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert rows and all(set(r) == {"uid", "flags", "size", "date", "from", "subject"} for r in rows), rows
' "$work/folder.out"
check "mail that was in the folder before is not announced" test "$(wc -l <"$work/folder.out")" -eq 1

check "the Postfix message is announced once" test "$(count_of "$work/inbox.out" "$run-smtp")" -eq 1
check "the doveadm message is announced once" test "$(count_of "$work/inbox.out" "$run-doveadm")" -eq 1
check "mail that was in INBOX before is not announced" test "$(count_of "$work/inbox.out" "$run-old")" -eq 0
check "no reconnect happened" bash -c "! grep -qE 'connection lost|cannot connect' '$work/inbox.err' '$work/folder.err'"

# Ctrl+C: DONE, LOGOUT, exit 8.
for name in inbox folder; do
    pid_var=${name}_pid
    kill -INT "${!pid_var}"
    code=0
    wait "${!pid_var}" || code=$?
    check "Ctrl+C ends the $name watcher with exit 8 (got $code)" test "$code" -eq 8
    check "the $name watcher says it was interrupted" grep -q "interrupted" "$work/$name.err"
done
pids=()

# Failures a retry cannot fix end the watch at once.
code=0
WHARF_PASSWORD=wrong timeout 60 "$cli" --timeout 30 --cacert "$ca" imap idle "$imaps/INBOX" \
    >"$work/wrong.out" 2>"$work/wrong.err" || code=$?
check "a wrong password ends the watch with exit 5 (got $code)" test "$code" -eq 5
code=0
timeout 60 "$cli" --timeout 30 --cacert "$ca" imap idle "$imaps/Missing$$" \
    >"$work/missing.out" 2>"$work/missing.err" || code=$?
check "a missing folder ends the watch with exit 6 (got $code)" test "$code" -eq 6
check "no password reached the output" bash -c "! grep -qF -- '$DOVECOT_PASSWORD' '$work'/*.out '$work'/*.err"

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all checks passed"
