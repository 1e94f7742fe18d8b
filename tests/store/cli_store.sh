#!/usr/bin/env bash
# wharf-cli store as a script uses it: import an mbox, list, search, export it back byte for
# byte, import a mutt Maildir with its flags and dates, statistics, a deleted or damaged
# index rebuilt from the Maildir, Ctrl-C in the middle of an import and going on from there.
set -euo pipefail
cli=${1:?usage: cli_store.sh WHARF_CLI}
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
tool="$here/mbox_tool.py"
work=$(mktemp -d)
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config"
store="$XDG_DATA_HOME/wharf/mail/local"
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
# Runs wharf-cli expecting an exit code: expect CODE ARGS...
expect() {
    local code=$1 status=0
    shift
    "$cli" "$@" >"$work/out" 2>"$work/err" || status=$?
    [ "$status" -eq "$code" ] ||
        fail "wharf-cli $* exited $status, not $code: $(cat "$work/out" "$work/err")"
}
# Asserts on JSON read from a file: json FILE PYTHON-EXPRESSION (j is the document).
json() {
    $py - "$1" "$2" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
if not eval(sys.argv[2]):
    sys.exit(f"FAIL: {sys.argv[2]} does not hold for {json.dumps(j)[:2000]}")
PY
}

echo "== import-mbox"
$py "$tool" generate "$work/in.mbox" --count 60 --seed 1
expect 0 store import-mbox "$work/in.mbox" --folder Archive/2024
grep -q "^Imported 60 messages from .* into Archive/2024 (Local Folders)" "$work/out" ||
    fail "import said: $(cat "$work/out")"
expect 0 --json store import-mbox "$work/in.mbox" --folder Twice --skip 55
cp "$work/out" "$work/skip.json"
json "$work/skip.json" 'j["imported"] == 5 and j["skipped"] == 55 and j["error"] is None'
expect 2 store import-mbox "$work/in.mbox"
expect 7 store import-mbox "$work/missing.mbox" --folder X
printf 'Subject: not an mbox\n\nhi\n' >"$work/one.eml"
expect 2 store import-mbox "$work/one.eml" --folder X
grep -q "not an mbox" "$work/err" || fail "no reason given for a non-mbox file"

echo "== list"
expect 0 --json store list --folder Archive/2024 --limit 1000
cp "$work/out" "$work/list.json"
json "$work/list.json" 'j["total"] == 60 and j["unread"] == 48 and len(j["messages"]) == 60'
json "$work/list.json" '[m["subject"] for m in j["messages"]] == [f"Message {i} subjecttoken{i}" for i in reversed(range(60))]'
json "$work/list.json" 'all(("seen" in m["flags"]) == (int(m["subject"].split()[1]) % 5 == 0) for m in j["messages"])'
json "$work/list.json" 'all(("flagged" in m["flags"]) == (int(m["subject"].split()[1]) % 7 == 0) for m in j["messages"])'
json "$work/list.json" 'all(m["local_copy"] and m["path"].startswith("/") for m in j["messages"])'
json "$work/list.json" 'j["messages"][0]["date"] == "2024-01-01T00:00:59Z" and j["messages"][-1]["date"] == "2024-01-01T00:00:00Z"'
expect 0 --json store list --folder Archive/2024 --offset 10 --limit 5
$py - "$work/list.json" "$work/out" <<'PY'
import json, sys
full = [m["id"] for m in json.load(open(sys.argv[1]))["messages"]]
page = [m["id"] for m in json.load(open(sys.argv[2]))["messages"]]
assert page == full[10:15], (page, full[10:15])
PY
expect 0 store list --folder Archive/2024 --limit 3
grep -q "Message 59 subjecttoken59" "$work/out" && grep -q "57 more: --offset 3" "$work/out" ||
    fail "text list: $(cat "$work/out")"
expect 2 store list --folder "No such folder"
grep -q "Archive/2024" "$work/err" || fail "the folders were not named: $(cat "$work/err")"

echo "== search"
expect 0 --json store search subjecttoken17
json "$work/out" '[m["subject"] for m in j["messages"]] == ["Message 17 subjecttoken17"]'
expect 0 --json store search sender23@example.org
json "$work/out" '[m["subject"] for m in j["messages"]] == ["Message 23 subjecttoken23"]'
expect 0 --json store search bodyword42 --folder Archive/2024
json "$work/out" '[m["subject"] for m in j["messages"]] == ["Message 42 subjecttoken42"]'
expect 0 --json store search bodyword42 --folder INBOX
json "$work/out" 'j["messages"] == []'
expect 0 --json store search team@example.net --folder Archive/2024 --limit 1000
json "$work/out" 'sorted(int(m["subject"].split()[1]) for m in j["messages"]) == list(range(0, 60, 4))'
expect 0 --json store search team@example.net --limit 3
json "$work/out" 'len(j["messages"]) == 3'
expect 0 store search 'Message' '"quoted' 'OR' '*'
expect 2 store search

echo "== export-mbox"
expect 0 store export-mbox "$work/out.mbox" --folder Archive/2024
grep -q "^Exported 60 messages" "$work/out" || fail "export said: $(cat "$work/out")"
$py "$tool" compare "$work/in.mbox" "$work/out.mbox"
# Byte for byte apart from the separator lines (sender and date are Wharf's own).
cmp <(grep -v '^From ' "$work/in.mbox") <(grep -v '^From ' "$work/out.mbox") ||
    fail "the exported mbox differs from the imported one"
[ "$(grep -c '^From ' "$work/out.mbox")" -eq 60 ] || fail "not 60 separators"
grep -q '^>From the start' "$work/out.mbox" && grep -q '^>>>From one quoted twice' "$work/out.mbox" ||
    fail "From lines were not quoted"
cp "$work/out.mbox" "$work/first.mbox"
expect 2 store export-mbox "$work/out.mbox" --folder Archive/2024
grep -q -- "--force" "$work/err" || fail "no hint at --force: $(cat "$work/err")"
cmp "$work/out.mbox" "$work/first.mbox"
expect 0 --json store export-mbox "$work/out.mbox" --folder Archive/2024 --force
json "$work/out" 'j["exported"] == 60'
cmp "$work/out.mbox" "$work/first.mbox"
[ -z "$(find "$work" -maxdepth 1 -name 'out.mbox?*')" ] || fail "a temporary file was left beside the export"
expect 7 store export-mbox "$work/no/such/dir/out.mbox" --folder Archive/2024
expect 2 store export-mbox "$work/other.mbox" --folder Nowhere
[ ! -e "$work/other.mbox" ] || fail "an export of a missing folder wrote a file"

echo "== import-maildir"
$py - "$work/mutt" <<'PY'
import os, sys
root = sys.argv[1]
for sub in ("cur", "new", "tmp"):
    os.makedirs(os.path.join(root, sub))
files = {
    "cur/1700000001.M1P1.host:2,S": 1700000001,
    "cur/1700000002.M2P1.host:2,FRS": 1700000002,
    "cur/1700000003.M3P1.host:2,DTa": 1700000003,
    "cur/1700000004.M4P1.host:2,": 1700000004,
    "new/1700000005.M5P1.host": 1700000005,
}
for i, (name, mtime) in enumerate(files.items()):
    path = os.path.join(root, name)
    with open(path, "wb") as f:
        f.write(b"From: mutt%d@example.org\nSubject: Mutt %d muttword%d\n\nfrom mutt\n" % (i, i, i))
    os.utime(path, (mtime, mtime))
with open(os.path.join(root, "tmp", "1700000006.half"), "wb") as f:
    f.write(b"Subject: half written\n")
PY
expect 0 store import-maildir "$work/mutt" --folder Mutt
grep -q "^Imported 5 messages" "$work/out" || fail "maildir import said: $(cat "$work/out")"
[ "$(find "$work/mutt" -type f | wc -l)" -eq 6 ] || fail "the source Maildir was changed"
expect 0 --json store list --folder Mutt
$py - "$work/out" <<'PY'
import json, sys
messages = {m["subject"]: m for m in json.load(open(sys.argv[1]))["messages"]}
want = {
    "Mutt 0 muttword0": (["seen"], "2023-11-14T22:13:21Z"),
    "Mutt 1 muttword1": (["flagged", "answered", "seen"], "2023-11-14T22:13:22Z"),
    "Mutt 2 muttword2": (["draft", "deleted"], "2023-11-14T22:13:23Z"),
    "Mutt 3 muttword3": ([], "2023-11-14T22:13:24Z"),
    "Mutt 4 muttword4": ([], "2023-11-14T22:13:25Z"),
}
got = {s: (m["flags"], m["date"]) for s, m in messages.items()}
assert got == want, got
PY
expect 2 store import-maildir "$work/in.mbox" --folder Mutt
expect 2 store import-maildir "$store/.Mutt" --folder Again

echo "== stats and folders"
expect 0 --json store stats
cp "$work/out" "$work/stats.json"
json "$work/stats.json" 'j["messages"] == 70 and j["local_copies"] == 70 and j["folders"] == 8'
expect 0 --json store folders
json "$work/out" '{f["name"]: f["total"] for f in j["folders"]} == {"INBOX": 0, "Drafts": 0, "Sent": 0, "Trash": 0, "Outbox": 0, "Archive/2024": 60, "Twice": 5, "Mutt": 5}'
json "$work/out" '{f["name"]: f["role"] for f in j["folders"]}["Trash"] == "trash"'
[ -d "$store/.Archive.2024/cur" ] || fail "Archive/2024 is not the Maildir++ folder .Archive.2024"
bytes=$(find "$store" -path '*/new/*' -type f -o -path '*/cur/*' -type f | xargs cat | wc -c)
json "$work/stats.json" "j['bytes'] == $bytes"

echo "== rebuild after the index was deleted"
rm -f "$store"/wharf-index.sqlite*
expect 0 --json store list --folder Mutt
grep -q "missing" "$work/err" || fail "no note about the rebuilt index: $(cat "$work/err")"
json "$work/out" 'sorted((m["subject"], m["flags"], m["date"]) for m in j["messages"])[1] == ("Mutt 1 muttword1", ["flagged", "answered", "seen"], "2023-11-14T22:13:22Z")'
expect 0 --json store list --folder Archive/2024 --limit 1000
json "$work/out" 'j["total"] == 60 and j["unread"] == 48'
expect 0 store rebuild
grep -q "70 messages" "$work/out" && grep -q "next sync" "$work/out" ||
    fail "rebuild said: $(cat "$work/out")"
expect 0 --json store search muttword3
json "$work/out" 'len(j["messages"]) == 1'

echo "== a damaged index is rebuilt, not fatal"
rm -f "$store"/wharf-index.sqlite-wal "$store"/wharf-index.sqlite-shm
head -c 65536 /dev/urandom >"$store/wharf-index.sqlite"
expect 0 --json store stats
grep -q "damaged" "$work/err" || fail "no note about the damaged index: $(cat "$work/err")"
json "$work/out" 'j["messages"] == 70'
ls "$store"/wharf-index.sqlite.damaged-* >/dev/null || fail "the damaged index was not kept aside"

echo "== --profile"
expect 2 store stats --profile "No such profile"
if "$cli" profile add Work --incoming imaps://me@imap.example.org --address me@example.org \
    >/dev/null 2>&1; then
    expect 0 store import-mbox "$work/in.mbox" --folder INBOX --profile Work
    grep -q 'profile "Work"' "$work/out" || fail "profile import said: $(cat "$work/out")"
    [ "$(ls "$XDG_DATA_HOME/wharf/mail" | wc -l)" -eq 2 ] || fail "the profile's mail is not apart"
    expect 0 --json store stats
    json "$work/out" 'j["messages"] == 70'
else
    fail "wharf-cli profile add failed; --profile cannot be tested"
fi

echo "== Ctrl-C during an import, then going on"
$py "$tool" generate "$work/big.mbox" --count 4000 --seed 2 --attachment 2000
"$cli" store import-mbox "$work/big.mbox" --folder Big >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 3000); do
    [ -n "$(ls -A "$store/.Big/new" 2>/dev/null)" ] && break
    sleep 0.01
done
kill -INT "$pid"
status=0
wait "$pid" || status=$?
pid=
[ "$status" -eq 8 ] || fail "interrupted import exited $status: $(cat "$work/out" "$work/err")"
imported=$(sed -n 's/^Imported \([0-9]*\) messages.*/\1/p' "$work/out")
[ -n "$imported" ] && [ "$imported" -gt 0 ] && [ "$imported" -lt 4000 ] ||
    fail "interrupted import said: $(cat "$work/out")"
grep -q -- "--skip $imported" "$work/err" || fail "no way to go on: $(cat "$work/err")"
expect 0 --json store list --folder Big --limit 1
json "$work/out" "j['total'] == $imported"
expect 0 store import-mbox "$work/big.mbox" --folder Big --skip "$imported"
expect 0 --json store list --folder Big --limit 5000
json "$work/out" 'j["total"] == 4000 and len({m["message_id"] for m in j["messages"]}) == 4000'
$py "$tool" check-maildir "$work/big.mbox" "$store/.Big" >"$work/count"
[ "$(cat "$work/count")" -eq 4000 ] || fail "$(cat "$work/count") files in .Big"

echo "cli_store: all checks passed"
