#!/usr/bin/env bash
# IMAP against the real Dovecot, Wharf and its peers in the same run (see README.md here):
#   a. header list (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE) of a COUNT-message folder,
#      IMAPS and plain: wharf-cli imap list vs Python's imaplib, median of 5 runs each;
#   b. full offline sync (headers and bodies) of that folder: wharf-cli imap sync vs
#      mbsync (its default fsync per message, and without), time and peak memory;
#   c. header sync of a BIG-message folder into a fresh store, then a re-sync after another
#      client changed 1% of the flags: time and peak memory per message; the peer is
#      imaplib fetching the same items (References included) in one command.
# Starts its own Dovecot (tests/servers/dovecot.sh) in a private state directory, so it
# needs root; fills the folders with tests/servers/imap_fill.py and warms Dovecot with one
# fetch of each with the header sync's items. A Wharf command that fails is reported in its row and the rest
# still runs. Prints a table with the issue's targets; it never fails on timing.
# Usage: sudo tests/bench/imap/run.sh BUILD_DIR [COUNT] [BIG]   (defaults 20000 100000;
#        wharf-cli built in BUILD_DIR/src/cli; peers: packaging/install-deps.sh --bench)
set -euo pipefail
build=$(realpath "${1:?usage: run.sh BUILD_DIR [COUNT] [BIG]}")
count=${2:-20000}
big=${3:-100000}
cli=$build/src/cli/wharf-cli
here=$(cd "$(dirname "$0")" && pwd)
servers=$(cd "$here/../../servers" && pwd)
python=/usr/bin/python3
list_runs=5

if [[ $(id -u) -ne 0 ]]; then
    echo "run.sh: must run as root (it starts a private Dovecot): sudo $0 $*" >&2
    exit 2
fi
for tool in mbsync dovecot doveadm "$python"; do
    command -v "$tool" >/dev/null ||
        { echo "run.sh: $tool not found: packaging/install-deps.sh --bench" >&2; exit 2; }
done
[[ -x $cli ]] || echo "run.sh: $cli is missing (cmake --build $build --target wharf-cli):" \
    "the Wharf rows will fail" >&2

# Dovecot's sockets live below the state directory: keep it short (lib.sh allows 40).
state=$(mktemp -d /tmp/wib.XXXXXX)
work=$(mktemp -d "${TMPDIR:-/tmp}/wharf-bench-imap.XXXXXX")
cleanup() {
    "$servers/dovecot.sh" stop "$state" >/dev/null 2>&1 || true
    rm -rf "$state" "$work"
}
trap cleanup EXIT
mkdir -p "$work/out"

"$servers/dovecot.sh" start "$state"
# shellcheck source=/dev/null
. "$state/dovecot.env"
ca=$state/pki/ca.pem
export WHARF_PASSWORD=$DOVECOT_PASSWORD
folder=Bench$count
big_folder=Bench$big
imaps_url=imaps://$DOVECOT_USER@localhost:$DOVECOT_IMAPS_PORT
imap_url=imap://$DOVECOT_USER@localhost:$DOVECOT_IMAP_PORT

# measure NAME CMD...: run CMD with stdout to out/NAME, append one JSON line to
# results.jsonl: exit code, wall seconds, peak resident KiB (the child's VmHWM), the first
# line of stderr and stdout's line count (and stdout itself when short).
measure() {
    local name=$1
    shift
    "$python" - "$work/out/$name" "$name" "$@" >>"$work/results.jsonl" <<'PY'
import json, resource, subprocess, sys, time
out, name, command = sys.argv[1], sys.argv[2], sys.argv[3:]
start = time.monotonic()
with open(out, "wb") as stdout:
    try:
        done = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=stdout,
                              stderr=subprocess.PIPE)
        rc, stderr = done.returncode, done.stderr.decode(errors="replace")
    except OSError as e:
        rc, stderr = 127, f"{command[0]}: {e.strerror}"
wall = time.monotonic() - start
text = open(out, "rb").read()
lines = [l for l in stderr.splitlines() if l.strip()]
print(json.dumps({"name": name, "rc": rc, "wall_s": wall,
                  "peak_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                  "error": lines[0] if lines else f"exit code {rc}",
                  "stdout_lines": text.count(b"\n"),
                  "stdout": text.decode(errors="replace") if len(text) < 4096 else None}))
PY
    # The caller may want to stop repeating a command that fails.
    "$python" -c 'import json,sys; sys.exit(json.loads(sys.argv[1])["rc"] != 0)' \
        "$(tail -n 1 "$work/results.jsonl")"
}

# The peer of the header list; add the folder.
imaplib_imaps=("$python" "$here/imaplib_list.py" --cafile "$ca" imaps localhost
    "$DOVECOT_IMAPS_PORT" "$DOVECOT_USER")
imaplib_imap=("$python" "$here/imaplib_list.py" imap localhost "$DOVECOT_IMAP_PORT"
    "$DOVECOT_USER")

echo "filling $folder with $count messages and $big_folder with $big (if not the same)..."
"$python" "$servers/imap_fill.py" --env "$state/dovecot.env" --folder "$folder" \
    --count "$count" --seed 1 --json >"$work/fill-count.json"
if [[ $big_folder != "$folder" ]]; then
    "$python" "$servers/imap_fill.py" --env "$state/dovecot.env" --folder "$big_folder" \
        --count "$big" --seed 2 --json >"$work/fill-big.json"
else
    cp "$work/fill-count.json" "$work/fill-big.json"
fi
# What `wharf-cli imap sync` fetches of each message's header (kHeaderSyncItems): the
# list's items and the References header, which Dovecot reads from the message file the
# first time anyone asks and from its cache after that.
sync_items="(UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODY.PEEK[HEADER.FIELDS (REFERENCES)])"
echo "warming Dovecot (one fetch of each folder with the header sync's items)..."
"${imaplib_imap[@]}" "$folder" --items "$sync_items" >/dev/null
"${imaplib_imap[@]}" "$big_folder" --items "$sync_items" >/dev/null

echo "a. header list of $folder, $list_runs runs of each..."
wharf_list_imaps=yes wharf_list_imap=yes
for i in $(seq "$list_runs"); do
    measure "list-imaps-imaplib-$i" "${imaplib_imaps[@]}" "$folder" || true
    [[ $wharf_list_imaps == yes ]] &&
        { measure "list-imaps-wharf-$i" "$cli" --cacert "$ca" imap list "$imaps_url/$folder" ||
            wharf_list_imaps=no; }
    measure "list-imap-imaplib-$i" "${imaplib_imap[@]}" "$folder" || true
    [[ $wharf_list_imap == yes ]] &&
        { measure "list-imap-wharf-$i" "$cli" --tls none imap list "$imap_url/$folder" ||
            wharf_list_imap=no; }
done

# mbsync_sync NAME yes|no: mbsync pulls the folder into a fresh Maildir, fsyncing each
# message (its default) or not; writes the number of messages stored to NAME.count.
mbsync_sync() {
    local name=$1 fsync=$2
    mkdir -p "$work/$name"
    cat >"$work/$name.rc" <<EOF
FSync $fsync

IMAPAccount bench
Host localhost
Port $DOVECOT_IMAPS_PORT
User $DOVECOT_USER
Pass $DOVECOT_PASSWORD
SSLType IMAPS
CertificateFile $ca

IMAPStore far
Account bench

MaildirStore near
Path $work/$name/
Inbox $work/$name/INBOX
SubFolders Verbatim

Channel bench
Far :far:$folder
Near :near:$folder
Create Near
Sync Pull
SyncState *
EOF
    chmod 0600 "$work/$name.rc"
    measure "$name" mbsync -c "$work/$name.rc" bench || true
    find "$work/$name" -type f \( -path '*/cur/*' -o -path '*/new/*' \) | wc -l >"$work/$name.count"
}

echo "b. full sync of $folder: mbsync (fsync on, then off), then wharf-cli..."
mbsync_sync sync-mbsync yes
mbsync_sync sync-mbsync-nofsync no
measure sync-wharf "$cli" --cacert "$ca" imap sync "$imaps_url/$folder" \
    --store "$work/store-full" || true

echo "c. header sync of $big_folder, 1% of its flags changed, re-sync..."
measure list-big-imaplib "${imaplib_imaps[@]}" "$big_folder" --items "$sync_items" || true
measure headers-wharf "$cli" --cacert "$ca" imap sync "$imaps_url/$big_folder" \
    --store "$work/store-headers" --headers-only || true
"$python" "$servers/imap_fill.py" --env "$state/dovecot.env" --folder "$big_folder" \
    --change-flags 0.01 --seed 3 --json >"$work/change.json"
measure resync-wharf "$cli" --cacert "$ca" imap sync "$imaps_url/$big_folder" \
    --store "$work/store-headers" --headers-only || true

"$python" - "$work" "$count" "$big" "$(dovecot --version)" "$(mbsync --version)" <<'PY'
import json, statistics, sys
work, count, big = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
dovecot_version, mbsync_version = sys.argv[4], sys.argv[5]
results = [json.loads(line) for line in open(f"{work}/results.jsonl")]
fill = json.load(open(f"{work}/fill-count.json"))
fill_big = json.load(open(f"{work}/fill-big.json"))
changed = json.load(open(f"{work}/change.json"))
by_name = {r["name"]: r for r in results}
series = lambda prefix: [r for r in results if r["name"].startswith(prefix)]
rows = []  # what, wharf, peer, peer/wharf, target, result or error


def seconds(s):
    return f"{s:.3f} s" if s < 10 else f"{s:.1f} s"


def row(what, wharf, peer, shown, target="", passed=None, error=""):
    """wharf/peer: numbers where lower is better, or None; shown: formats a value."""
    ratio = f"{peer / wharf:.2f}x" if wharf and peer else ""
    result = error or ("" if passed is None else ("PASS" if passed else "MISS"))
    rows.append((what, "-" if wharf is None else shown(wharf),
                 "" if peer is None else shown(peer), ratio, target, result))


def ok(runs):
    return [r for r in runs if r["rc"] == 0]


def failure(runs, command):
    bad = [r for r in runs if r["rc"] != 0]
    return f"{command} failed: {bad[0]['error']}" if bad else ""


def peer_field(runs, field):
    values = [json.loads(r["stdout"])[field] for r in ok(runs)]
    return statistics.median(values) if values else None


for scheme in ("imaps", "imap"):
    label = "IMAPS" if scheme == "imaps" else "plain"
    wharf_runs = series(f"list-{scheme}-wharf-")
    peer_runs = series(f"list-{scheme}-imaplib-")
    wharf = statistics.median(r["wall_s"] for r in ok(wharf_runs)) if ok(wharf_runs) else None
    peer_process = (statistics.median(r["wall_s"] for r in ok(peer_runs))
                    if ok(peer_runs) else None)
    peer_fetch = peer_field(peer_runs, "login_fetch_s")
    error = failure(wharf_runs, "wharf-cli imap list") or failure(peer_runs, "imaplib_list.py")
    if wharf is not None and wharf_runs[0]["stdout_lines"] < count:
        error = f"wharf-cli imap list printed {wharf_runs[0]['stdout_lines']} lines, not {count}"
    # Command against command: each row's time includes its own start (Qt's libraries and
    # TLS backend, Python's interpreter and ssl module). The second row leaves Python's
    # start out but not Wharf's; the fetch itself is Dovecot's work for both.
    row(f"a. list {count} headers, {label}: both whole processes",
        wharf, peer_process, seconds, "peer/wharf >= 1",
        None if wharf is None or peer_process is None else wharf <= peer_process, error)
    row("   the same, imaplib's login+fetch only", wharf, peer_fetch, seconds)

sync = by_name["sync-wharf"]
sync_ok = sync["rc"] == 0
for name, fsync in (("sync-mbsync", True), ("sync-mbsync-nofsync", False)):
    mbsync = by_name[name]
    stored = int(open(f"{work}/{name}.count").read())
    mbsync_ok = mbsync["rc"] == 0 and stored == count
    error = failure([sync], "wharf-cli imap sync") or (
        "" if mbsync_ok else failure([mbsync], "mbsync") or
        f"mbsync stored {stored} messages, not {count}")
    both = sync_ok and mbsync_ok
    row(f"b. full sync of {count} messages" if fsync else "   the same, mbsync with FSync no",
        sync["wall_s"] if sync_ok else None, mbsync["wall_s"] if mbsync_ok else None, seconds,
        "peer/wharf >= 2" if fsync else "",
        sync["wall_s"] * 2 <= mbsync["wall_s"] if both and fsync else None, error)
    row("   peak memory", sync["peak_kib"] if sync_ok else None,
        mbsync["peak_kib"] if mbsync_ok else None, lambda k: f"{k / 1024:.1f} MiB")

headers, resync = by_name["headers-wharf"], by_name["resync-wharf"]
list_big = by_name["list-big-imaplib"]
headers_ok, resync_ok = headers["rc"] == 0, resync["rc"] == 0
big_peer = peer_field([list_big], "login_fetch_s")
row(f"c. header sync of {big} messages into a fresh store",
    headers["wall_s"] if headers_ok else None, big_peer, seconds, "< 5 s",
    headers["wall_s"] < 5 if headers_ok else None, failure([headers], "wharf-cli imap sync"))
row(f"   re-sync, flags of {len(changed['flags_changed'])} changed by another client",
    resync["wall_s"] if resync_ok else None, None, seconds, "< 1 s",
    resync["wall_s"] < 1 if resync_ok else None, failure([resync], "wharf-cli imap sync"))
per_message = lambda r: r["peak_kib"] * 1024 / big
row("   peak memory per message, header sync", per_message(headers) if headers_ok else None,
    None, lambda b: f"{b:.0f} B", "< 400 B", per_message(headers) < 400 if headers_ok else None)
row("   peak memory per message, re-sync", per_message(resync) if resync_ok else None,
    None, lambda b: f"{b:.0f} B", "< 400 B", per_message(resync) < 400 if resync_ok else None)

print(f"\n{count} messages ({fill['bytes'] / 1e6:.0f} MB, {fill['kinds']}) and {big} "
      f"({fill_big['bytes'] / 1e6:.0f} MB) on {dovecot_version.split()[0]}; "
      f"filled in {fill['total_seconds']:.1f} s and {fill_big['total_seconds']:.1f} s")
headers_row = ("", "wharf", "peer", "peer/wharf", "target", "")
widths = [max(len(str(r[i])) for r in rows + [headers_row]) for i in range(5)]
for r in [headers_row] + rows:
    print("  ".join([str(c).ljust(w) if i == 0 else str(c).rjust(w)
                     for i, (c, w) in enumerate(zip(r, widths))] + [r[5]]).rstrip())
print(f"peers: a = Python imaplib, one UID FETCH 1:* of the same items (median of "
      f"{len(series('list-imaps-imaplib-'))}); b = {mbsync_version} (Sync Pull into a "
      f"Maildir; by default it fsyncs each message); c = imaplib fetching the header "
      f"sync's items (References too) of the big folder in one command (no store). "
      f"peer/wharf above 1: Wharf is faster or smaller.")
PY
