#!/usr/bin/env bash
# wharf-cli ftp get/put of a big file and of a tree of small ones against vsftpd (explicit
# FTPS; TLS 1.3 and TLS 1.2 instances; data connections must resume the control
# connection's TLS session) and pyftpdlib (plain FTP, MLSD). SHA-256 on the server's disk
# and of every copy is the witness. Also: --resume of a partial copy, either way (REST with
# the partial size), and Ctrl+C in the middle of a download, which exits 8 and leaves a
# partial file that --resume completes. Sizes come from CLI_FTP_BIG_MIB (256) and
# CLI_FTP_TREE_FILES (1000); the sanitizer build uses smaller ones.
# shellcheck disable=SC2016  # check NAME eval '...' expands when the check runs
set -euo pipefail
cli=${1:?usage: cli_ftp_transfer.sh WHARF_CLI}
: "${WHARF_TEST_SERVERS:?run through ctest}" "${WHARF_TEST_PKI:?run through ctest}"
for server in vsftpd pyftpdlib; do
    # shellcheck disable=SC1090
    source "$WHARF_TEST_SERVERS/$server.env"
done
big_mib=${CLI_FTP_BIG_MIB:-256}
tree_files=${CLI_FTP_TREE_FILES:-1000}
python=/usr/bin/python3
ca=$WHARF_TEST_PKI/ca.pem
work=$(mktemp -d)
# Other tests use the same servers at the same time: all this one does is below a folder
# of its own in each server's root.
base=cli_ftp_transfer.$$
cli_pid=
cleanup() {
    if [ -n "$cli_pid" ]; then
        kill -CONT "$cli_pid" 2>/dev/null || true
        kill "$cli_pid" 2>/dev/null || true
    fi
    rm -rf "$work" "${VSFTPD_ROOT:?}/$base" "${PYFTPDLIB_ROOT:?}/$base"
}
trap cleanup EXIT
export XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data
out=$work/out
err=$work/err
failures=0

check() {
    local name=$1
    shift
    if "$@"; then
        echo "ok   $server: $name"
    else
        echo "FAIL $server: $name"
        sed 's/^/  stdout: /' "$out" | head -n 20
        grep -v '^[<>] ' "$err" | sed 's/^/  stderr: /' | head -n 20
        failures=$((failures + 1))
    fi
}

# use vsftpd|vsftpd-tls12|pyftpdlib: the server the next commands talk to; `remote` is
# this run's folder on it, `disk` the same folder in the server's root.
use() {
    server=$1
    case $server in
    vsftpd | vsftpd-tls12)
        local port=$VSFTPD_PORT
        [ "$server" = vsftpd ] || port=$VSFTPD_TLS12_PORT
        site=ftp://$VSFTPD_USER@127.0.0.1:$port
        root=$VSFTPD_ROOT
        password=$VSFTPD_PASSWORD
        tls=(--cacert "$ca")
        ;;
    pyftpdlib)
        site=ftp://$PYFTPDLIB_USER@127.0.0.1:$PYFTPDLIB_PORT
        root=$PYFTPDLIB_ROOT
        password=$PYFTPDLIB_PASSWORD
        tls=(--tls none)
        ;;
    esac
    remote=$base/$server
    disk=$root/$remote
    mkdir -p "$disk"
    # vsftpd's sessions run as the test user and need to write there.
    chown "$(stat -c %u:%g "$root")" "$root/$base" "$disk"
}

# wftp ARGS...: wharf-cli ftp on the current server, output in $out and $err.
wftp() {
    WHARF_PASSWORD=$password "$cli" --timeout 30 "${tls[@]}" "${verbose[@]}" ftp "$@" \
        >"$out" 2>"$err"
}
verbose=()

# expect NAME EXIT_CODE -- ftp arguments...
expect() {
    local name=$1 want=$2 got=0
    shift 3
    wftp "$@" || got=$?
    check "$name (exit $got, wanted $want)" test "$got" -eq "$want"
}

# is_big FILE: FILE has the big file's SHA-256.
is_big() { [ "$(sha256sum <"$1")" = "$big_sha" ]; }
same_mtime() { [ "$(stat -c %Y "$1")" = "$(stat -c %Y "$2")" ]; }

# stop_at PID FILE BYTES: once FILE has BYTES, freeze PID (SIGSTOP) and print FILE's size.
# Fails if PID ends first. A frozen client makes the moment of what follows certain.
stop_at() {
    "$python" - "$@" <<'PY'
import os, signal, sys, time
pid, path, at = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
deadline = time.monotonic() + 120
def alive():
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
while True:
    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        size = 0
    if size >= at:
        break
    if not alive() or time.monotonic() > deadline:
        sys.exit(f"the transfer ended (or stalled) before {path} had {at} bytes")
    time.sleep(0.002)
os.kill(pid, signal.SIGSTOP)
print(os.stat(path).st_size)
PY
}

# A tree of small files in nested folders, a few bigger ones and empty ones among them,
# odd names in places; times in the past, to see them kept.
make_tree() {
    "$python" - "$1" "$tree_files" <<'PY'
import os, random, sys
root, count = sys.argv[1], int(sys.argv[2])
rng = random.Random(6)
folders = [""]
for top in range(10):
    name = f"d{top:02}" if top % 3 else f"dossier {top} ü"
    folders.append(name)
    for sub in range(4):
        folders.append(f"{name}/s{sub}")
    folders.append(f"{name}/s0/deep/deeper")
for folder in folders:
    os.makedirs(os.path.join(root, folder), exist_ok=True)
os.makedirs(os.path.join(root, "empty folder"))
for i in range(count):
    folder = folders[i % len(folders)]
    name = f"f{i:04}.txt" if i % 7 else f"file {i} é.bin"
    size = 0 if i % 50 == 0 else (rng.randrange(200_000, 1_500_000) if i % 97 == 0
                                  else rng.randrange(1, 16_384))
    path = os.path.join(root, folder, name)
    with open(path, "wb") as f:
        f.write(rng.randbytes(size))
    os.utime(path, (1_600_000_000 + i * 61, 1_600_000_000 + i * 61))
PY
}

# same_tree A B [mtimes]: the same folders and files, byte for byte (and the same
# modification times).
same_tree() {
    "$python" - "$@" <<'PY'
import hashlib, os, sys
def walk(root):
    folders, files = set(), {}
    for here, dirs, names in os.walk(root):
        rel = os.path.relpath(here, root)
        folders.update(os.path.normpath(os.path.join(rel, d)) for d in dirs)
        for name in names:
            path = os.path.join(here, name)
            with open(path, "rb") as f:
                digest = hashlib.file_digest(f, "sha256").hexdigest()
            files[os.path.normpath(os.path.join(rel, name))] = (digest, int(os.stat(path).st_mtime))
    return folders, files
(folders_a, files_a), (folders_b, files_b) = walk(sys.argv[1]), walk(sys.argv[2])
times = len(sys.argv) > 3
problems = []
if folders_a != folders_b:
    problems.append(f"folders only in the source: {sorted(folders_a - folders_b)[:5]}, "
                    f"only in the copy: {sorted(folders_b - folders_a)[:5]}")
if files_a.keys() != files_b.keys():
    problems.append(f"files only in the source: {sorted(files_a.keys() - files_b.keys())[:5]}, "
                    f"only in the copy: {sorted(files_b.keys() - files_a.keys())[:5]}")
for name in sorted(files_a.keys() & files_b.keys()):
    if files_a[name][0] != files_b[name][0]:
        problems.append(f"{name}: different content")
    elif times and files_a[name][1] != files_b[name][1]:
        problems.append(f"{name}: modified {files_b[name][1]}, the source {files_a[name][1]}")
print(f"  {len(files_a)} files in {len(folders_a)} folders compared")
for problem in problems[:10]:
    print("  " + problem)
sys.exit(1 if problems else 0)
PY
}

big=$work/big.bin
head -c $((big_mib * 1024 * 1024)) /dev/urandom >"$big"
touch -d "2020-02-03 04:05:06 UTC" "$big"
big_sha=$(sha256sum <"$big")
tree=$work/tree
make_tree "$tree"

# The big file up and down through each server.
for server in vsftpd vsftpd-tls12 pyftpdlib; do
    use "$server"
    expect "put of $big_mib MiB" 0 -- put "$big" "$site/$remote/"
    check "the server has the same $big_mib MiB (SHA-256)" is_big "$disk/big.bin"
    if [ "$server" = pyftpdlib ]; then
        check "the upload kept the modification time (MFMT)" same_mtime "$big" "$disk/big.bin"
    fi
    expect "get of $big_mib MiB" 0 -- get "$site/$remote/big.bin" "$work/down.bin"
    check "the download is the same $big_mib MiB (SHA-256)" is_big "$work/down.bin"
    check "the download has the server's modification time" same_mtime "$disk/big.bin" \
        "$work/down.bin"
    rm -f "$work/down.bin"
    if [ "$server" = vsftpd-tls12 ]; then rm -f "$disk/big.bin"; fi
done

# --resume of partial copies: REST at the partial size, then the rest of the file (an
# eighth, to keep the time down).
part=$((big_mib * 1024 * 1024 / 8 * 7 + 12345))
verbose=(--verbose)
for server in vsftpd pyftpdlib; do
    use "$server"
    head -c "$part" "$big" >"$work/partial.bin"
    expect "get --resume of a partial download" 0 -- \
        get --resume "$site/$remote/big.bin" "$work/partial.bin"
    check "it asked for the rest (REST $part)" grep -qx "> REST $part" "$err"
    check "the resumed download is the same file" is_big "$work/partial.bin"
    rm -f "$work/partial.bin"
    truncate -s "$part" "$disk/big.bin"
    expect "put --resume of a partial upload" 0 -- put --resume "$big" "$site/$remote/"
    check "it sent the rest (REST $part)" grep -qx "> REST $part" "$err"
    check "the resumed upload is the same file" is_big "$disk/big.bin"
done
verbose=()

# Ctrl+C in the middle of a download: exit 8, the partial file stays, --resume ends it.
use vsftpd
rm -f "$work/cancel.bin"
WHARF_PASSWORD=$password "$cli" --timeout 30 "${tls[@]}" ftp get "$site/$remote/big.bin" \
    "$work/cancel.bin" >"$out" 2>"$err" &
cli_pid=$!
status=0
if stopped_at=$(stop_at "$cli_pid" "$work/cancel.bin" $((big_mib * 1024 * 1024 / 2))); then
    kill -INT "$cli_pid"
    kill -CONT "$cli_pid"
else
    stopped_at=-1
fi
wait "$cli_pid" || status=$?
cli_pid=
check "the download was interrupted while it ran" test "$stopped_at" -gt 0
check "Ctrl+C exits 8 (exit $status)" test "$status" -eq 8
check "it said so" grep -q "interrupted" "$err"
partial=$(stat -c %s "$work/cancel.bin" 2>/dev/null || echo 0)
check "a partial file stays ($partial bytes, $stopped_at when stopped)" \
    eval '[ "$partial" -ge "$stopped_at" ] && [ "$partial" -lt $((big_mib * 1024 * 1024)) ]'
check "the partial file is the start of the file" \
    eval 'cmp -s -n "$partial" "$big" "$work/cancel.bin"'
verbose=(--verbose)
expect "get --resume after Ctrl+C" 0 -- get --resume "$site/$remote/big.bin" "$work/cancel.bin"
verbose=()
check "it resumed at the partial size (REST $partial)" grep -qx "> REST $partial" "$err"
check "the resumed download is the same file" is_big "$work/cancel.bin"
rm -f "$work/cancel.bin" "$disk/big.bin"

# The tree, $tree_files files, up then down, 4 at a time.
for server in vsftpd pyftpdlib; do
    use "$server"
    verbose=(--verbose)
    expect "put -r -j 4 of $tree_files files" 0 -- put -r -j 4 "$tree" "$site/$remote/"
    verbose=()
    check "four connections or more moved them" \
        test "$(grep -c '^> USER' "$err")" -ge 4
    check "the server has every file and folder, byte for byte" same_tree "$tree" "$disk/tree"
    mkdir "$work/back"
    expect "get -r -j 4 of $tree_files files" 0 -- get -r -j 4 "$site/$remote/tree" "$work/back"
    check "the copy has every file and folder, byte for byte" same_tree "$tree" "$work/back/tree"
    if [ "$server" = pyftpdlib ]; then
        # MFMT up, MLSD times down: the source's times survive the round trip.
        check "the copy has the source's modification times" same_tree "$tree" \
            "$work/back/tree" mtimes
    fi
    rm -rf "$work/back" "$disk/tree"
done

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all checks passed"
