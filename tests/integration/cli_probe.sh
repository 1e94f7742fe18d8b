#!/usr/bin/env bash
# wharf-cli probe against the real servers: what it prints, its JSON, and its exit codes.
set -euo pipefail
cli=${1:?usage: cli_probe.sh WHARF_CLI}
: "${WHARF_TEST_SERVERS:?run through ctest}" "${WHARF_TEST_PKI:?run through ctest}"
for server in dovecot postfix vsftpd pyftpdlib; do
    # shellcheck disable=SC1090
    source "$WHARF_TEST_SERVERS/$server.env"
done
ca=$WHARF_TEST_PKI/ca.pem
key=$(cat "$WHARF_TEST_PKI/server.spki-sha256")
cert=$(cat "$WHARF_TEST_PKI/server.cert-sha256")
out=$(mktemp) err=$(mktemp) home=$(mktemp -d)
trap 'rm -rf "$out" "$err" "$home"' EXIT
# Never the user's own profiles or trusted certificates.
export XDG_CONFIG_HOME=$home/config XDG_DATA_HOME=$home/data
failures=0

# expect NAME EXIT_CODE PATTERN_IN_STDOUT_OR_STDERR -- wharf-cli arguments...
expect() {
    local name=$1 want=$2 pattern=$3
    shift 4
    local got=0
    "$cli" --timeout 20 "$@" >"$out" 2>"$err" || got=$?
    if [ "$got" -ne "$want" ] || ! grep -qE -- "$pattern" "$out" "$err"; then
        echo "FAIL $name: exit $got (wanted $want), pattern '$pattern'"
        sed 's/^/  stdout: /' "$out"
        sed 's/^/  stderr: /' "$err"
        failures=$((failures + 1))
    else
        echo "ok   $name"
    fi
}

imaps=imaps://localhost:$DOVECOT_IMAPS_PORT
expect "imaps with the test CA" 0 "Dovecot" -- --cacert "$ca" probe "$imaps"
expect "imaps shows the certificate" 0 "Key SHA-256: +$key" -- --cacert "$ca" probe "$imaps"
expect "imaps shows the fingerprint" 0 "SHA-256: +$cert" -- --cacert "$ca" probe "$imaps"
expect "imaps shows TLS" 0 "TLS: +TLSv1\.[23], " -- --cacert "$ca" probe "$imaps"
expect "imap STARTTLS" 0 "Capabilities:.*IMAP4rev1" -- --cacert "$ca" probe "imap://localhost:$DOVECOT_IMAP_PORT"
expect "imap --tls implicit on the IMAPS port" 0 "IMAP4rev1" -- --cacert "$ca" --tls implicit probe "imap://localhost:$DOVECOT_IMAPS_PORT"
expect "untrusted CA exits 4" 4 "^wharf-cli: Untrusted certificate for localhost:$DOVECOT_IMAPS_PORT .*$key" -- probe "$imaps"
expect "other CA exits 4" 4 "Untrusted certificate" -- --cacert "$WHARF_TEST_PKI/other-ca.pem" probe "imap://localhost:$DOVECOT_IMAP_PORT"
expect "pop3s" 0 "Capabilities:.*UIDL" -- --cacert "$ca" probe "pop3s://localhost:$DOVECOT_POP3S_PORT"
expect "pop3 STLS" 0 "Greeting: +\+OK.*before STARTTLS" -- --cacert "$ca" probe "pop3://localhost:$DOVECOT_POP3_PORT"
expect "smtp submission STARTTLS" 0 "Capabilities:.*AUTH PLAIN" -- --cacert "$ca" probe "smtp://localhost:$POSTFIX_SUBMISSION_PORT"
expect "smtps" 0 "Greeting: +220 " -- --cacert "$ca" probe "smtps://localhost:$POSTFIX_SMTPS_PORT"
expect "ftp explicit FTPS on vsftpd" 0 "TLS: +TLSv1" -- --cacert "$ca" probe "ftp://localhost:$VSFTPD_PORT"
expect "ftp plaintext when chosen" 0 "Capabilities:.*MLST" -- --tls none probe "ftp://localhost:$PYFTPDLIB_PORT"
expect "ftp without TLS support fails closed" 4 "refusing to continue without TLS" -- probe "ftp://localhost:$PYFTPDLIB_PORT"
expect "password in URL is refused" 2 "Refusing a password" -- probe "imaps://u:secret@localhost:$DOVECOT_IMAPS_PORT"
expect "unknown command" 2 "unknown command" -- fetch "$imaps"
expect "unreadable CA file exits 7" 7 "Cannot read a PEM certificate" -- --cacert /nonexistent.pem probe "$imaps"
closed_port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
expect "refused connection exits 3" 3 "refused" -- probe "imaps://127.0.0.1:$closed_port"
# .invalid never resolves (RFC 6761); without a resolver the lookup times out instead.
expect "unknown host exits 3" 3 "Host nonexistent\.invalid not found|timed out" -- probe "imaps://nonexistent.invalid"

# SIGINT while waiting for a silent server: cancelled cleanly, exit 8.
if /usr/bin/python3 - "$cli" <<'PY'
import signal, socket, subprocess, sys
listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen()
port = listener.getsockname()[1]
proc = subprocess.Popen([sys.argv[1], "--tls", "none", "probe", f"imap://127.0.0.1:{port}"],
                        stderr=subprocess.PIPE)
conn, _ = listener.accept()  # the handler is installed before the connection starts
proc.send_signal(signal.SIGINT)
_, err = proc.communicate(timeout=20)
assert proc.returncode == 8 and b"interrupted" in err, (proc.returncode, err)
PY
then echo "ok   SIGINT exits 8"; else echo "FAIL SIGINT exits 8"; failures=$((failures + 1)); fi

# JSON for scripts.
"$cli" --json --cacert "$ca" probe "$imaps" >"$out"
if /usr/bin/python3 - "$out" "$key" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
assert report["encrypted"] is True, report
assert "IMAP4rev1" in report["capabilities"], report
assert report["certificate"]["public_key_sha256"] == sys.argv[2], report
assert report["tls_version"].startswith("TLSv1."), report
assert report["certificate"]["not_after"].endswith("Z"), report
PY
then echo "ok   json report"; else echo "FAIL json report"; cat "$out"; failures=$((failures + 1)); fi

# --verbose logs the dialogue, never a secret (the probe sends none; the log still shows it).
expect "verbose protocol log" 0 "^> W1 STARTTLS" -- --verbose --cacert "$ca" probe "imap://localhost:$DOVECOT_IMAP_PORT"

[ "$failures" -eq 0 ] && echo "cli_probe: all checks passed" || { echo "cli_probe: $failures failed"; exit 1; }
