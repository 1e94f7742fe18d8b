#!/usr/bin/env bash
# A full disk during `wharf-cli store import-mbox`: a 2 MB tmpfs holds the store and an mbox
# twice its size is imported. The import must stop with exit 7 and the file system's reason,
# every message it reports as imported must be listed and whole, no partial message may be
# visible, and once space is freed importing works again. An export onto the full disk
# fails the same way and leaves no file behind.
#
# The tmpfs is mounted in a private mount namespace (unshare --user --map-root-user
# --mount), or, where user namespaces are not permitted, by root directly.
set -euo pipefail
cli=${1:?usage: store_disk_full.sh WHARF_CLI}
here=$(cd "$(dirname "$0")" && pwd)
fail() {
    echo "FAIL: $*" >&2
    exit 1
}

if [ "${WHARF_DISK_FULL_INSIDE:-}" != 1 ]; then
    export WHARF_DISK_FULL_INSIDE=1
    if unshare --user --map-root-user --mount true 2>/dev/null; then
        exec unshare --user --map-root-user --mount bash "$0" "$@"
    fi
    if [ "$(id -u)" -ne 0 ]; then
        fail "cannot mount a small tmpfs: 'unshare --user --map-root-user --mount' is not" \
            "permitted here (kernel.unprivileged_userns_clone or a container policy) and this" \
            "is not root. Run as root, or allow unprivileged user namespaces."
    fi
fi

py=/usr/bin/python3
tool="$here/mbox_tool.py"
work=$(mktemp -d)
disk="$work/disk"
mkdir "$disk"
cleanup() {
    umount "$disk" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
mount -t tmpfs -o size=2m,mode=0700 tmpfs "$disk" || fail "mount -t tmpfs failed"
export XDG_DATA_HOME="$disk/data" XDG_CONFIG_HOME="$work/config"
store="$XDG_DATA_HOME/wharf/mail/local"

# 300 messages with 8 KB attachments: about 3.3 MB, outside the tmpfs.
$py "$tool" generate "$work/big.mbox" --count 300 --seed 3 --attachment 8000
head -c 400000 /dev/zero >"$disk/filler"

echo "== import until the disk is full"
status=0
"$cli" store import-mbox "$work/big.mbox" --folder Full >"$work/out" 2>"$work/err" || status=$?
cat "$work/out" "$work/err"
[ "$status" -eq 7 ] || fail "import onto a full disk exited $status, not 7"
grep -q "No space left on device" "$work/err" || fail "the error does not say the disk is full"
[ "$(wc -l <"$work/err")" -eq 1 ] || fail "more than one line on stderr"
imported=$(sed -n 's/^Imported \([0-9]*\) messages.*/\1/p' "$work/out")
[ -n "$imported" ] && [ "$imported" -gt 0 ] && [ "$imported" -lt 300 ] ||
    fail "expected some but not all messages imported: $(cat "$work/out")"

echo "== what was reported imported is listed and whole, nothing partial is visible"
"$cli" --json store list --folder Full --limit 1000 >"$work/list.json" ||
    fail "listing on the full disk failed"
$py - "$work/list.json" "$imported" <<'PY'
import json, sys
listing = json.load(open(sys.argv[1]))
imported = int(sys.argv[2])
assert listing["total"] == imported, (listing["total"], imported)
subjects = sorted(m["subject"] for m in listing["messages"])
assert subjects == sorted(f"Message {i} subjecttoken{i}" for i in range(imported)), subjects
PY
files=$($py "$tool" check-maildir "$work/big.mbox" "$store") || fail "$files"
[ "$files" -eq "$imported" ] || fail "$files message files for $imported imported messages"

echo "== an export onto the full disk fails and leaves nothing"
status=0
"$cli" store export-mbox "$disk/export.mbox" --folder Full >"$work/out" 2>"$work/err" || status=$?
cat "$work/err"
[ "$status" -eq 7 ] || fail "export onto a full disk exited $status, not 7"
grep -q "No space left on device" "$work/err" || fail "the export error does not say the disk is full"
[ -z "$(find "$disk" -maxdepth 1 -name 'export.mbox*')" ] || fail "the failed export left a file"

echo "== space freed: importing works again"
rm "$disk/filler"
$py "$tool" generate "$work/small.mbox" --count 10 --seed 4 --attachment 1000
"$cli" store import-mbox "$work/small.mbox" --folder Again >"$work/out" 2>"$work/err" ||
    fail "import after freeing space: $(cat "$work/out" "$work/err")"
grep -q "^Imported 10 messages" "$work/out" || fail "import said: $(cat "$work/out")"
"$cli" --json store stats >"$work/stats.json"
$py - "$work/stats.json" "$imported" <<'PY'
import json, sys
stats = json.load(open(sys.argv[1]))
assert stats["messages"] == int(sys.argv[2]) + 10, stats
PY
echo "== text-heavy mail: the index fills the disk, and nothing is imported twice"
# Distinct words make the full-text index grow faster than the files, so the failure can
# come from the index after the files were renamed into place; those must be taken back.
rm -rf "$store"
mount -o remount,size=6m "$disk" || fail "cannot grow the tmpfs to 6 MB"
$py "$tool" generate "$work/text.mbox" --count 2500 --seed 5 --text 2000
status=0
"$cli" store import-mbox "$work/text.mbox" --folder Text >"$work/out" 2>"$work/err" || status=$?
cat "$work/out" "$work/err"
[ "$status" -eq 7 ] || fail "text import onto a full disk exited $status, not 7"
grep -q "No space left on device" "$work/err" || fail "the error does not say the disk is full"
text_imported=$(sed -n 's/^Imported \([0-9]*\) messages.*/\1/p' "$work/out")
"$cli" --json store list --folder Text --limit 1000 >"$work/list.json" 2>"$work/err" ||
    fail "listing after the text import failed: $(cat "$work/err")"
text_files=$(find "$store/.Text/new" "$store/.Text/cur" -type f | wc -l)
$py - "$work/list.json" "$text_imported" "$text_files" <<'PY'
import json, sys
listing = json.load(open(sys.argv[1]))
imported, files = int(sys.argv[2]), int(sys.argv[3])
assert listing["total"] == imported == files, (listing["total"], imported, files)
print(f"{imported} messages imported and listed, {files} files")
PY
mount -o remount,size=40m "$disk" || fail "cannot grow the tmpfs to 40 MB"
"$cli" store import-mbox "$work/text.mbox" --folder Text --skip "$text_imported" \
    >"$work/out" 2>"$work/err" || fail "resuming the import failed: $(cat "$work/out" "$work/err")"
cat "$work/out"
"$cli" --json store list --folder Text --limit 5000 >"$work/list.json" ||
    fail "listing after resuming failed"
$py - "$work/list.json" <<'PY'
import json, sys, collections
listing = json.load(open(sys.argv[1]))
subjects = collections.Counter(m["subject"] for m in listing["messages"])
twice = [s for s, n in subjects.items() if n > 1]
assert not twice, f"imported twice: {twice[:5]}"
assert len(subjects) == 2500, len(subjects)
PY

echo "store_disk_full: a full disk is a clear error and loses nothing"
