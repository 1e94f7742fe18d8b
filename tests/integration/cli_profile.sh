#!/usr/bin/env bash
# wharf-cli profile against the real gnome-keyring (run inside with-keyring.sh), and
# probe --profile against the real servers. The point: passwords land in the keychain under
# the profile id, and nowhere else -- not in profiles.json, not in an export, not in any
# output or log of any run, however verbose; without a keychain nothing is stored at all.
set -euo pipefail
cli=${1:?usage: cli_profile.sh WHARF_CLI}
: "${WHARF_TEST_SERVERS:?run through ctest}" "${WHARF_TEST_PKI:?run through ctest}"
: "${XDG_CONFIG_HOME:?run inside with-keyring.sh}" "${DBUS_SESSION_BUS_ADDRESS:?no session bus}"
for server in dovecot postfix vsftpd; do
    # shellcheck disable=SC1090
    source "$WHARF_TEST_SERVERS/$server.env"
done
ca=$WHARF_TEST_PKI/ca.pem
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=$work/out err=$work/err log=$work/everything-printed.log
profiles=$XDG_CONFIG_HOME/wharf/profiles.json
failures=0

# Unique, with spaces and non-ASCII, so that a match can only be a leak.
incoming_secret="in $RANDOM-$RANDOM pässwörd"
outgoing_secret="out $RANDOM-$RANDOM sëcret"
site_secret="ftp $RANDOM-$RANDOM tökén"

ok() { echo "ok   $1"; }
bad() {
    echo "FAIL $1"
    failures=$((failures + 1))
}

# run NAME WANT_EXIT PATTERN -- wharf-cli arguments...   (stdin passes through; an empty
# PATTERN matches anything). Every byte printed is also kept in $log for the leak check.
# Everything logs: all Qt categories, QtKeychain's included.
run() {
    local name=$1 want=$2 pattern=$3
    shift 4
    local got=0
    QT_LOGGING_RULES='*=true' "${prefix[@]}" "$cli" --timeout 20 "$@" >"$out" 2>"$err" || got=$?
    cat "$out" "$err" >>"$log"
    if [ "$got" -ne "$want" ] || ! grep -qE -- "$pattern" "$out" "$err"; then
        bad "$name: exit $got (wanted $want), pattern '$pattern'"
        sed 's/^/  stdout: /' "$out"
        sed 's/^/  stderr: /' "$err" | tail -20
    else
        ok "$name"
    fi
}
prefix=()

json_field() { /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
keychain() { secret-tool lookup server Wharf user "$1"; }
snapshot() {
    find "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" -exec ls -ld --time-style=+%s.%N {} + 2>/dev/null | sort
    find "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" -type f -exec sha256sum {} + 2>/dev/null | sort
}

# --- profiles --------------------------------------------------------------------------
run "add a mail account" 0 'Added mail account "Mail"' -- --verbose profile add Mail \
    --incoming "imap://$DOVECOT_USER@localhost:$DOVECOT_IMAP_PORT" --address "$POSTFIX_RECIPIENT" \
    --display-name "Wharf Test" --outgoing "smtp://localhost:$POSTFIX_SUBMISSION_PORT" \
    --folder sent=Sent
run "add an FTP site" 0 'Added FTP site "Site"' -- profile add Site \
    --ftp "ftp://$VSFTPD_USER@localhost:$VSFTPD_PORT/pub" --parallel 3
run "a name is unique" 2 'already exists' -- profile add mail --ftp ftp://localhost
run "a password in the URL is refused" 2 'Refusing a password' -- profile add Other \
    --ftp ftp://u:secret@localhost
run "list" 0 "^Site +ftp-site +ftp://$VSFTPD_USER@localhost:$VSFTPD_PORT/pub" -- profile list
run "show" 0 "^Outgoing: +smtp://$DOVECOT_USER@localhost:$POSTFIX_SUBMISSION_PORT +\(SMTP, STARTTLS" \
    -- profile show Mail
[ "$(stat -c %a "$profiles")" = 600 ] && ok "profiles.json is 0600" || bad "profiles.json mode $(stat -c %a "$profiles")"
[ "$(stat -c %a "$(dirname "$profiles")")" = 700 ] && ok "its folder is 0700" || bad "folder mode"

"$cli" --json profile show Mail >"$work/mail.json"
mail_id=$(json_field id <"$work/mail.json")
site_id=$("$cli" --json profile show Site | json_field id)
if /usr/bin/python3 - "$work/mail.json" "$DOVECOT_USER" <<'PY'; then ok "show --json"; else bad "show --json"; fi
import json, sys
p = json.load(open(sys.argv[1]))
assert p["kind"] == "mail" and p["incoming"]["tls"] == "starttls", p
assert p["outgoing"]["user"] == sys.argv[2] and p["folder_roles"] == {"sent": "Sent"}, p
PY

# --- passwords in the keychain ---------------------------------------------------------
run "check before any password" 5 'No password is saved' -- profile password Mail --check
# (Input through < <(...), not a pipe: run must not be in a subshell, or failures are lost.)
run "incoming password from stdin" 0 'Saved the password for "Mail" \(incoming' -- \
    --verbose profile password Mail < <(printf '%s\nthe second line is not read\n' "$incoming_secret")
run "outgoing password (CRLF)" 0 'Saved.*\(outgoing' -- --verbose profile password Mail \
    --role outgoing < <(printf '%s\r\n' "$outgoing_secret")
run "site password (no newline)" 0 'Saved' -- profile password Site < <(printf '%s' "$site_secret")
run "an empty password is refused" 2 'No password on standard input' -- profile password Site \
    < <(printf '\n')
run "a site has no roles" 2 'one password' -- profile password Site --role outgoing

# From a terminal: a prompt, no echo, and Ctrl+C leaves with nothing stored.
run "a profile for the terminal" 0 'Added' -- profile add Tty --ftp "ftp://localhost:$VSFTPD_PORT"
tty_id=$("$cli" --json profile show Tty | json_field id)
tty_secret="tty $RANDOM-$RANDOM"
if /usr/bin/python3 - "$cli" "$tty_secret" >>"$log" <<'PY'; then
import os, pty, sys, termios
cli, secret = sys.argv[1], sys.argv[2].encode()
def session(answer):
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(cli, [cli, "profile", "password", "Tty"])
    out = b""
    while b"Password for" not in out:
        out += os.read(fd, 1024)
    assert not termios.tcgetattr(fd)[3] & termios.ECHO, "echo is on during the prompt"
    os.write(fd, answer)
    try:
        while chunk := os.read(fd, 1024):
            out += chunk
    except OSError:
        pass  # EIO: the child closed the terminal
    status = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    print(out.decode())
    return status, out
status, out = session(b"\x03")
assert status == 8 and b"interrupted; nothing was stored" in out, (status, out)
status, out = session(secret + b"\n")
assert status == 0 and b"Saved the password" in out and secret not in out, (status, out)
PY
    ok "terminal prompt without echo; Ctrl+C stores nothing"
else bad "terminal prompt"; fi
[ "$(keychain "$tty_id")" = "$tty_secret" ] && ok "  the typed password is in the keychain" ||
    bad "typed password not in the keychain"
run "remove the terminal profile" 0 'Removed' -- profile remove Tty
run "check" 0 'A password is saved for "Mail" \(incoming' -- --verbose profile password Mail --check

[ "$(keychain "$mail_id:incoming")" = "$incoming_secret" ] && ok "keychain holds the incoming password" ||
    bad "keychain incoming"
[ "$(keychain "$mail_id:outgoing")" = "$outgoing_secret" ] && ok "keychain holds the outgoing password" ||
    bad "keychain outgoing"
[ "$(keychain "$site_id")" = "$site_secret" ] && ok "keychain holds the site password" ||
    bad "keychain site"

# --- probe --profile -------------------------------------------------------------------
run "probe a mail profile: IMAP" 0 '^Greeting:.*Dovecot' -- --verbose --cacert "$ca" probe --profile Mail
grep -qE '^Capabilities:.*AUTH PLAIN' "$out" && ok "probe a mail profile: SMTP too" || bad "probe SMTP"
[ "$(grep -c '^URL:' "$out")" = 2 ] && ok "two servers probed" || bad "two servers probed"
run "probe an FTP site" 0 '^TLS: +TLSv1' -- --cacert "$ca" probe --profile site
run "probe --profile checks certificates" 4 'Untrusted certificate' -- probe --profile Mail
run "probe an unknown profile" 2 'No profile named "Nobody"' -- probe --profile Nobody
"$cli" --json --cacert "$ca" probe --profile Mail >"$out"
cat "$out" >>"$log"
if /usr/bin/python3 - "$out" "$DOVECOT_IMAP_PORT" "$POSTFIX_SUBMISSION_PORT" <<'PY'; then
import json, sys
imap, smtp = json.load(open(sys.argv[1]))
assert imap["url"].endswith(":" + sys.argv[2]) and "IMAP4rev1" in imap["capabilities"], imap
assert smtp["url"].endswith(":" + sys.argv[3]) and smtp["encrypted"], smtp
PY
    ok "probe --profile --json: an array, one report per server"
else bad "probe --profile --json"; fi

# --- export and import -----------------------------------------------------------------
run "export" 0 'Exported 2 profile' -- --verbose profile export "$work/export.json"
run "export one" 0 'Exported 1 profile' -- profile export "$work/one.json" site
[ "$(stat -c %a "$work/export.json")" = 600 ] && ok "export is 0600" || bad "export mode"
if /usr/bin/python3 - "$work/export.json" "$mail_id" "$site_id" <<'PY'; then
import json, sys
text = open(sys.argv[1]).read()
assert sys.argv[2] not in text and sys.argv[3] not in text, "ids travel"
doc = json.loads(text)
assert [p["name"] for p in doc["profiles"]] == ["Mail", "Site"], doc
def keys(v):
    if isinstance(v, dict):
        for k, x in v.items():
            yield k
            yield from keys(x)
    elif isinstance(v, list):
        for x in v:
            yield from keys(x)
words = ("password", "passwd", "secret", "token")
assert not [k for k in keys(doc) if k.lower() == "pass" or any(w in k.lower() for w in words)]
PY
    ok "export: the profiles, without ids or secret fields"
else bad "export content"; fi

before=$(md5sum "$profiles")
run "import refuses a name clash" 2 '"Mail" already exists; nothing was imported' -- \
    profile import "$work/export.json"
[ "$(md5sum "$profiles")" = "$before" ] && ok "  and changes nothing" || bad "clash changed profiles.json"
/usr/bin/python3 - "$work/export.json" "$work/with-password.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
doc["profiles"][1]["server"]["password"] = "hunter2"
json.dump(doc, open(sys.argv[2], "w"))
PY
run "import refuses a password field" 2 'Refusing profile "Site" with a "server.password" field.*keychain' \
    -- profile import "$work/with-password.json"
[ "$(md5sum "$profiles")" = "$before" ] && ok "  and changes nothing" || bad "password import changed profiles.json"
run "import with renaming" 0 'Imported "Mail \(2\)", "Site \(2\)"' -- profile import \
    "$work/export.json" --rename-on-clash
run "imported profiles have no password here" 5 'No password is saved' -- \
    profile password "Mail (2)" --check
XDG_CONFIG_HOME=$work/new-machine run "import on a new machine" 0 'Imported "Mail", "Site"' -- \
    profile import "$work/export.json"

# --- without a keychain ----------------------------------------------------------------
mkdir -m 0700 "$work/no-bus"
prefix=(env -u DBUS_SESSION_BUS_ADDRESS -u WAYLAND_DISPLAY DISPLAY= "XDG_RUNTIME_DIR=$work/no-bus")
state=$(snapshot)
run "no keychain: a clear message, exit 7" 7 \
    '^wharf-cli: No system keychain is available \(.+\); Wharf will ask for the password each session and keep it in memory only\.$' \
    -- --verbose profile password Mail < <(printf 'typed without a keychain\n')
grep -q 'Saved' "$out" && bad "no keychain: claims to have saved" || ok "no keychain: claims nothing"
run "no keychain: check fails the same way" 7 'No system keychain is available' -- profile password Site --check
[ "$(snapshot)" = "$state" ] && ok "no keychain: nothing written" || bad "no keychain: files changed"
grep -rqF 'typed without a keychain' "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$work/no-bus" &&
    bad "no keychain: the password reached a file" || ok "no keychain: the password is in no file"
prefix=()
[ "$(keychain "$mail_id:incoming")" = "$incoming_secret" ] && ok "the keychain entry is untouched" ||
    bad "keychain entry changed"

# --- removal takes the passwords along -------------------------------------------------
run "remove" 0 'Removed "Site" and its saved passwords' -- profile remove Site
keychain "$site_id" >/dev/null && bad "the site password outlived its profile" ||
    ok "the site password went with its profile"
run "forget one password" 0 'Removed the password' -- profile password Mail --role outgoing --forget
keychain "$mail_id:outgoing" >/dev/null && bad "forget" || ok "  it is gone from the keychain"

# --- the passwords never left the keychain ---------------------------------------------
echo "$incoming_secret" >"$work/control"
grep -qF "$incoming_secret" "$work/control" || bad "the leak check cannot see a leak"
leaks=0
for secret in "$incoming_secret" "$outgoing_secret" "$site_secret" "$tty_secret"; do
    for place in "$XDG_CONFIG_HOME/wharf" "$XDG_DATA_HOME/wharf" "$HOME/.config/wharf" \
        "$HOME/.local/share/wharf" "$work/new-machine" "$work/export.json" "$work/one.json" "$log"; do
        [ -e "$place" ] || continue
        if grep -rqF -- "$secret" "$place"; then
            bad "a password leaked into $place"
            leaks=$((leaks + 1))
        fi
    done
done
[ "$leaks" -eq 0 ] && ok "no password in profiles, exports, output or logs ($(wc -l <"$log") lines)"

[ "$failures" -eq 0 ] && echo "cli_profile: all checks passed" || { echo "cli_profile: $failures failed"; exit 1; }
