#!/usr/bin/env bash
# wharf-cli imap sync of special-use folders the server names differently from the store:
# Dovecot's \Sent called SentMail and its \Trash called Deleted must fill the store's Sent
# and Trash, not new folders of those names. The fixture's own user keeps Dovecot's usual
# names, so this script adds a Dovecot user of its own (removed at the end) whose userdb
# entry renames the fixture's special-use mailboxes for that user only.
set -euo pipefail
cli=${1:?usage: cli_imap_special_use.sh WHARF_CLI}
: "${WHARF_TEST_SERVERS:?run through ctest}" "${WHARF_TEST_PKI:?run through ctest}"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
python=/usr/bin/python3
fill=$here/../servers/imap_fill.py
env_file=$WHARF_TEST_SERVERS/dovecot.env
# shellcheck disable=SC1090
source "$env_file"

user=wharfsu$$
password=special-use-$$
users=$(dirname "$DOVECOT_CONF")/users
home=$(dirname "$(dirname "$DOVECOT_MAILDIR")")/$user
work=$(mktemp -d)
export XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data
export WHARF_PASSWORD=$password
store=$XDG_DATA_HOME/wharf/mail/local
url=imaps://$user@localhost:$DOVECOT_IMAPS_PORT
out=$work/out err=$work/err
failures=0

# The users file is replaced whole (rename), so Dovecot never reads half of it.
rewrite_users() {
    local next
    next=$(mktemp "$users.XXXXXX")
    "$@" <"$users" >"$next" || true
    chmod 0644 "$next"
    mv -f "$next" "$users"
}
cleanup() {
    rewrite_users grep -v "^$user:"
    rm -rf "$work" "$home"
}
trap cleanup EXIT

mkdir -m 0700 "$home"
chown "$DOVECOT_SYSTEM_USER:" "$home"
overrides="userdb_namespace/inbox/mailbox/Sent/name=SentMail"
overrides+=" userdb_namespace/inbox/mailbox/Trash/name=Deleted"
entry="$user:{PLAIN}$password:$(id -u "$DOVECOT_SYSTEM_USER"):$(id -g "$DOVECOT_SYSTEM_USER")::$home::$overrides"
append_entry() {
    cat
    printf '%s\n' "$entry"
}
rewrite_users append_entry
# Dovecot looks at the users file at most once a second: wait until it knows the user.
for ((i = 0; i < 100; i++)); do
    doveadm -c "$DOVECOT_CONF" user "$user" >/dev/null 2>&1 && break
    sleep 0.05
done
# imap_fill.py works on the user its env file names.
sed -e "s|^DOVECOT_USER=.*|DOVECOT_USER=$user|" "$env_file" >"$work/dovecot.env"

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

# run NAME ARGS...: wharf-cli with the test CA; stdout in $out.
run() {
    local name=$1 got=0
    shift
    "$cli" --timeout 60 --cacert "$WHARF_TEST_PKI/ca.pem" "$@" >"$out" 2>"$err" || got=$?
    if [ "$got" -ne 0 ]; then fail "$name: exit $got"; else echo "ok   $name"; fi
}

# json EXPRESSION: a Python condition on the last command's JSON output (r).
json() {
    "$python" -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' "$out" "$1"
}

# folder_total ROLE: the message count of the store's folder with that role.
folder_total() {
    "$cli" --json store folders >"$work/folders" 2>/dev/null &&
        "$python" -c 'import json,sys; print(sum(f["total"] for f in json.load(open(sys.argv[1]))["folders"] if f["role"] == sys.argv[2]))' "$work/folders" "$1"
}

store_has_folder() {
    "$cli" --json store folders >"$work/folders" 2>/dev/null &&
        "$python" -c 'import json,sys; sys.exit(0 if any(f["name"] == sys.argv[2] for f in json.load(open(sys.argv[1]))["folders"]) else 1)' "$work/folders" "$1"
}

"$python" "$fill" --env "$work/dovecot.env" --folder SentMail --count 30 --size-mix tiny --seed 21 >/dev/null
"$python" "$fill" --env "$work/dovecot.env" --folder Deleted --count 7 --size-mix tiny --seed 22 >/dev/null

run "imap folders" --json imap folders "$url/"
check "the server calls its Sent SentMail and its Trash Deleted" json "{f['name']: f['special_use'] for f in r}.get('SentMail') == '\\\\Sent' and {f['name']: f['special_use'] for f in r}.get('Deleted') == '\\\\Trash'"

run "sync the server's SentMail" imap sync "$url/SentMail" --store "$store" --json
check "report: 30 new with bodies" json "r['added'] == 30 and r['bodies'] == 30"
check "the store's Sent holds them" test "$(folder_total sent)" = 30
check "no folder SentMail in the store" eval '! store_has_folder SentMail'
check "the Maildir files are in .Sent" test "$(find "$store/.Sent/cur" "$store/.Sent/new" -type f | wc -l)" = 30
check "no .SentMail directory" test ! -e "$store/.SentMail"

run "sync the server's Deleted" imap sync "$url/Deleted" --store "$store" --json
check "report: 7 new" json "r['added'] == 7"
check "the store's Trash holds them" test "$(folder_total trash)" = 7
check "no folder Deleted in the store" eval '! store_has_folder Deleted'

"$python" "$fill" --env "$work/dovecot.env" --folder SentMail --count 3 --size-mix tiny --seed 23 >/dev/null
run "sync SentMail again" imap sync "$url/SentMail" --store "$store" --json
check "report: only the 3 new ones, as a resync" json "r['added'] == 3 and r['method'] == 'QRESYNC'"
check "the store's Sent holds 33" test "$(folder_total sent)" = 33
check "still no folder SentMail" eval '! store_has_folder SentMail'

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all checks passed"
