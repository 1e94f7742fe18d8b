#!/usr/bin/env bash
# FTP and FTPS against the real vsftpd (and pyftpdlib), Wharf and its peers in the same run
# (see README.md here):
#   1. a SIZE_MIB file (default 1 GiB) downloaded to disk and uploaded from disk, plain and
#      FTPS (TLS 1.3 and TLS 1.2): wharf-cli ftp get/put vs curl and lftp, MB/s, and
#      Wharf's peak memory (/usr/bin/time %M); pyftpdlib plain as information;
#   2. a tree of TREE_FILES files of 4 KiB in 50 folders, down and up, plain and FTPS:
#      wharf-cli ftp get -r / put -r with -j 4 (and -j 1) vs lftp mirror (-R) with
#      --parallel=1 and 4, files/s.
# Each timed command runs RUNS times (default 3), the clients taking turns in each round;
# the table shows the best run of each. Starts its own vsftpd (three instances: TLS 1.3,
# TLS 1.2, no TLS) and pyftpdlib in a private state directory, so it needs root. A command
# that fails, or leaves a file of the wrong size or a tree with files missing, is reported
# in its row and the rest still runs. It never fails on timing.
# Usage: sudo tests/bench/ftp/run.sh BUILD_DIR [SIZE_MIB] [TREE_FILES]   (defaults 1024 2000;
#        wharf-cli built in BUILD_DIR/src/cli; peers: packaging/install-deps.sh --bench)
set -euo pipefail
build=$(realpath "${1:?usage: run.sh BUILD_DIR [SIZE_MIB] [TREE_FILES]}")
size_mib=${2:-1024}
tree_files=${3:-2000}
runs=${RUNS:-3}
cli=$build/src/cli/wharf-cli
here=$(cd "$(dirname "$0")" && pwd)
servers=$(cd "$here/../../servers" && pwd)
python=/usr/bin/python3
tree_folders=50
file_size=4096

if [[ $(id -u) -ne 0 ]]; then
    echo "run.sh: must run as root (it starts a private vsftpd): sudo $0 $*" >&2
    exit 2
fi
for tool in curl lftp vsftpd /usr/bin/time "$python"; do
    command -v "$tool" >/dev/null ||
        { echo "run.sh: $tool not found: packaging/install-deps.sh --bench" >&2; exit 2; }
done
[[ -x $cli ]] || echo "run.sh: $cli is missing (cmake --build $build --target wharf-cli):" \
    "the Wharf rows will fail" >&2

# Servers' roots and the client side on the same disk (/tmp): a copy is disk to disk.
state=$(mktemp -d /tmp/wfb.XXXXXX)
work=$(mktemp -d "${TMPDIR:-/tmp}/wharf-bench-ftp.XXXXXX")
cleanup() {
    "$servers/vsftpd.sh" stop "$state" >/dev/null 2>&1 || true
    "$servers/pyftpdlib.sh" stop "$state" >/dev/null 2>&1 || true
    rm -rf "$state" "$work"
}
trap cleanup EXIT
mkdir -p "$work/out" "$work/dl"
: >"$work/results.tsv"

"$servers/vsftpd.sh" start "$state"
"$servers/pyftpdlib.sh" start "$state"
# shellcheck source=/dev/null
. "$state/vsftpd.env"
# shellcheck source=/dev/null
. "$state/pyftpdlib.env"
ca=$state/pki/ca.pem
owner=$(stat -c %u:%g "$VSFTPD_ROOT")

# The servers, by name: port, host, login, password, root, TLS (none, 1.3, 1.2).
declare -A port host user pass root
port[plain]=$VSFTPD_PLAIN_PORT host[plain]=127.0.0.1
port[tls13]=$VSFTPD_PORT host[tls13]=localhost
port[tls12]=$VSFTPD_TLS12_PORT host[tls12]=localhost
port[pyftpdlib]=$PYFTPDLIB_PORT host[pyftpdlib]=127.0.0.1
for s in plain tls13 tls12; do
    user[$s]=$VSFTPD_USER pass[$s]=$VSFTPD_PASSWORD root[$s]=$VSFTPD_ROOT
done
user[pyftpdlib]=$PYFTPDLIB_USER pass[pyftpdlib]=$PYFTPDLIB_PASSWORD
root[pyftpdlib]=$PYFTPDLIB_ROOT
tls() { [[ $1 == tls1* ]]; }

# lftp's settings for a server: FTPS with the data protected and the test CA, or no TLS.
# One line: with a newline in it, lftp -e fails ("Not connected").
lftp_settings() {
    local settings="set net:max-retries 1; set net:reconnect-interval-base 1;"
    settings+=" set xfer:clobber true;"
    if tls "$1"; then
        settings+=" set ftp:ssl-force true; set ftp:ssl-protect-data true; set ssl:ca-file $ca;"
        settings+=" set ssl:verify-certificate true; set ssl:check-hostname true;"
    else
        settings+=" set ftp:ssl-allow false;"
    fi
    echo "$settings"
}

# The clients' commands against server $1, in the array `cmd`: wharf_cmd SERVER ARGS...
# (in ARGS, a URL is the path alone: the site's is put in front), curl_cmd SERVER ARGS...
# (the same), lftp_cmd SERVER COMMANDS.
wharf_cmd() {
    local s=$1 a
    shift
    cmd=("$cli")
    if tls "$s"; then cmd+=(--cacert "$ca"); else cmd+=(--tls none); fi
    cmd+=(ftp)
    for a in "$@"; do
        [[ $a == url:* ]] && a="ftp://${user[$s]}@${host[$s]}:${port[$s]}/${a#url:}"
        cmd+=("$a")
    done
}
curl_cmd() {
    local s=$1 a
    shift
    cmd=(curl -sS --fail -u "${user[$s]}:${pass[$s]}")
    if tls "$s"; then cmd+=(--ssl-reqd --cacert "$ca"); fi
    for a in "$@"; do
        [[ $a == url:* ]] && a="ftp://${host[$s]}:${port[$s]}/${a#url:}"
        cmd+=("$a")
    done
}
lftp_cmd() {
    cmd=(lftp -u "${user[$1]},${pass[$1]}" -p "${port[$1]}"
        -e "$(lftp_settings "$1") $2; quit" "${host[$1]}")
}

# measure NAME CHECK CMD...: run CMD (stdin closed, output to out/NAME.*) under
# /usr/bin/time, then CHECK (a command that prints what is wrong, if anything); append
# "NAME rc wall_s peak_kib error" to results.tsv. Returns CMD's success.
measure() {
    local name=$1 check=$2 rc=0 start end peak error=
    shift 2
    start=$(date +%s%N)
    /usr/bin/time -f %M -o "$work/out/$name.mem" "$@" </dev/null >"$work/out/$name.out" \
        2>"$work/out/$name.err" || rc=$?
    end=$(date +%s%N)
    peak=$(tail -n 1 "$work/out/$name.mem")
    if ((rc != 0)); then
        error=$(grep -m 1 -v '^[[:space:]]*$' "$work/out/$name.err" || true)
        error=${error:-exit code $rc}
    else
        error=$(eval "$check" 2>&1 || true)
        [[ -z $error ]] || rc=98
    fi
    printf '%s\t%d\t%s\t%s\t%s\n' "$name" "$rc" "$(((end - start) / 1000))" "$peak" \
        "$(tr '\t\n' '  ' <<<"$error")" >>"$work/results.tsv"
    return "$rc"
}

# Checks: a file of SIZE bytes (and, when SAME is given, the same bytes as SAME); a tree
# of tree_files files holding tree_files * file_size bytes.
file_is() {
    local path=$1 size=$2 same=${3:-} got
    got=$(stat -c %s "$path" 2>/dev/null) || { echo "$path is missing"; return; }
    [[ $got == "$size" ]] || { echo "$path has $got bytes, not $size"; return; }
    [[ -z $same ]] || cmp -s "$path" "$same" || echo "$path differs from $same"
}
tree_is() {
    local files bytes
    files=$(find "$1" -type f 2>/dev/null | wc -l)
    bytes=$(find "$1" -type f -printf '%s\n' 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
    [[ $files == "$tree_files" && $bytes == $((tree_files * file_size)) ]] ||
        echo "$1 holds $files files of $bytes bytes, not $tree_files of $((tree_files * file_size))"
}

big_bytes=$((size_mib * 1024 * 1024))
echo "writing a $size_mib MiB file and a tree of $tree_files files in $tree_folders folders..."
head -c "$big_bytes" /dev/urandom >"$work/big.bin"
# The servers serve the same file (hard links: one copy in the page cache).
for r in "$VSFTPD_ROOT" "$PYFTPDLIB_ROOT"; do ln "$work/big.bin" "$r/big.bin"; done
"$python" - "$work/tree" "$tree_files" "$tree_folders" "$file_size" <<'PY'
import os, sys
top, files, folders, size = sys.argv[1], *map(int, sys.argv[2:])
for i in range(files):
    folder = os.path.join(top, f"d{i % folders:02d}")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, f"f{i:05d}.bin"), "wb") as f:
        f.write(os.urandom(size))
PY
cp -a "$work/tree" "$VSFTPD_ROOT/tree"
chown -R "$owner" "$VSFTPD_ROOT/tree"
# Warm the page cache (both copies of the tree, the big file) and write everything out.
cat "$work/big.bin" >/dev/null
find "$work/tree" "$VSFTPD_ROOT/tree" -type f -exec cat {} + >/dev/null
sync

# big_round SERVER RUN: download then upload the big file with each client.
big_round() {
    local s=$1 i=$2 local_file=$work/dl/big.bin remote_file=${root[$1]}/up.bin same='' tool
    # The content is compared on the first run of each client; the size on every run.
    [[ $i == 1 ]] && same=$work/big.bin
    for tool in wharf curl lftp; do
        rm -f "$local_file"
        sync
        local check="file_is $local_file $big_bytes $same"
        case $tool in
        wharf) wharf_cmd "$s" get url:big.bin "$local_file" ;;
        curl) curl_cmd "$s" -o "$local_file" url:big.bin ;;
        lftp) lftp_cmd "$s" "get big.bin -o $local_file" ;;
        esac
        measure "big-down-$s-$tool-$i" "$check" "${cmd[@]}" || true
    done
    rm -f "$local_file"
    for tool in wharf curl lftp; do
        rm -f "$remote_file"
        sync
        local check="file_is $remote_file $big_bytes $same"
        case $tool in
        wharf) wharf_cmd "$s" put "$work/big.bin" url:up.bin ;;
        curl) curl_cmd "$s" -T "$work/big.bin" url:up.bin ;;
        lftp) lftp_cmd "$s" "put $work/big.bin -o up.bin" ;;
        esac
        measure "big-up-$s-$tool-$i" "$check" "${cmd[@]}" || true
    done
    rm -f "$remote_file"
}

# tree_round SERVER RUN: download then upload the tree with each client, each into a
# folder of its own: nothing is deleted until the end (see README.md: ext4 without a
# journal makes new files slow next to freshly deleted ones).
tree_round() {
    local s=$1 i=$2 tool name
    for tool in wharf-j4 wharf-j1 lftp-P1 lftp-P4; do
        name=tree-down-$s-$tool-$i
        sync
        case $tool in
        wharf-j*) wharf_cmd "$s" get -r -j "${tool#wharf-j}" url:tree "$work/dl/$name" ;;
        lftp-P*) lftp_cmd "$s" "mirror --parallel=${tool#lftp-P} tree $work/dl/$name" ;;
        esac
        measure "$name" "tree_is $work/dl/$name" "${cmd[@]}" || true
    done
    for tool in wharf-j4 wharf-j1 lftp-P1 lftp-P4; do
        name=tree-up-$s-$tool-$i
        sync
        case $tool in
        wharf-j*) wharf_cmd "$s" put -r -j "${tool#wharf-j}" "$work/tree" "url:$name" ;;
        lftp-P*) lftp_cmd "$s" "mirror -R --parallel=${tool#lftp-P} $work/tree $name" ;;
        esac
        measure "$name" "tree_is ${root[$s]}/$name" "${cmd[@]}" || true
    done
}

export WHARF_PASSWORD
for s in plain tls13 tls12 pyftpdlib; do
    WHARF_PASSWORD=${pass[$s]}
    echo "1. $size_mib MiB down and up, $s: $runs rounds of wharf-cli, curl, lftp..."
    for i in $(seq "$runs"); do big_round "$s" "$i"; done
done
for s in plain tls13 tls12; do
    WHARF_PASSWORD=${pass[$s]}
    echo "2. $tree_files files down and up, $s: $runs rounds of wharf-cli -j 4/1, lftp -P 1/4..."
    for i in $(seq "$runs"); do tree_round "$s" "$i"; done
done

"$python" - "$work/results.tsv" "$size_mib" "$tree_files" "$tree_folders" "$runs" \
    "vsftpd $(dpkg-query -W -f '${Version}' vsftpd)" \
    "pyftpdlib $("$python" -c 'import pyftpdlib; print(pyftpdlib.__ver__)')" \
    "$(curl --version | head -n 1 | cut -d ' ' -f 1-2)" \
    "$(lftp --version | head -n 1 | sed 's/.*Version \([^ ]*\).*/lftp \1/')" <<'PY'
import sys
from collections import defaultdict
path, size_mib, tree_files, folders, runs = sys.argv[1], *map(int, sys.argv[2:6])
versions = ", ".join(sys.argv[6:])
runs_of = defaultdict(list)  # "big-down-plain-wharf" -> [(rc, wall_s, peak_kib, error)]
for line in open(path):
    name, rc, wall_us, peak, error = line.rstrip("\n").split("\t")
    key = name.rsplit("-", 1)[0]
    runs_of[key].append((int(rc), int(wall_us) / 1e6, int(peak) if peak.isdigit() else 0,
                         error.strip()))
big_mb = size_mib * 1024 * 1024 / 1e6
labels = {"plain": "plain (vsftpd)", "tls13": "FTPS TLS 1.3", "tls12": "FTPS TLS 1.2",
          "pyftpdlib": "plain (pyftpdlib)"}


def best(key):
    """(best wall time of the good runs or None, what went wrong in the others)."""
    results = runs_of.get(key, [])
    good = [r[1] for r in results if r[0] == 0]
    bad = [r[3] for r in results if r[0] != 0]
    note = f"{len(bad)} of {len(results)} runs failed: {bad[0]}" if bad else ""
    if not results:
        note = "not run"
    return (min(good) if good else None), note


def peak(key):
    good = [r[2] for r in runs_of.get(key, []) if r[0] == 0]
    return max(good) if good else None


def table(title, columns, rows):
    header = ("",) + columns + ("wharf/best", "target", "")
    cells = [header] + rows
    widths = [max(len(str(r[i])) for r in cells) for i in range(len(header) - 1)]
    print(f"\n{title}")
    for r in cells:
        print("  ".join([str(c).ljust(w) if i == 0 else str(c).rjust(w)
                         for i, (c, w) in enumerate(zip(r, widths))] + [r[-1]]).rstrip())


def row(what, wharf_key, peer_keys, amount, unit, target_ratio, target_text):
    """A throughput row: amount / best wall time; ratio against the best peer."""
    wharf, wharf_note = best(wharf_key)
    peers = [best(k) for k in peer_keys]
    last = lambda key: key.rsplit("-", 1)[-1]
    tool = lambda key: "wharf" if "-wharf" in key else (
        f"lftp -{last(key)}" if "-lftp-" in key else last(key))
    rate = lambda t: amount / t if t else None
    shown = lambda v: "-" if v is None else f"{v:.0f} {unit}"
    best_peer = max((rate(t) for t, _ in peers if t), default=None)
    ratio = rate(wharf) / best_peer if wharf and best_peer else None
    notes = [f"{tool(k)}: {n}" for k, (_, n) in zip([wharf_key] + peer_keys,
                                                     [(wharf, wharf_note)] + peers) if n]
    verdict = ""
    if target_ratio is not None and ratio is not None:
        verdict = "PASS" if ratio >= target_ratio else "MISS"
    return (what, shown(rate(wharf)), *[shown(rate(t)) for t, _ in peers],
            "-" if ratio is None else f"{ratio:.2f}x", target_text,
            " ".join([verdict] + notes).strip())


mib = lambda k: "-" if k is None else f"{k / 1024:.1f} MiB"
big_rows = []
for s in ("plain", "tls13", "tls12", "pyftpdlib"):
    info = s == "pyftpdlib"
    for direction, verb in (("down", "download"), ("up", "upload")):
        key = f"big-{direction}-{s}"
        big_rows.append(row(f"{verb}, {labels[s]}", f"{key}-wharf",
                            [f"{key}-curl", f"{key}-lftp"], big_mb, "MB/s",
                            None if info else 1.0, "" if info else ">= 1"))
        wharf_peak = peak(f"{key}-wharf")
        verdict = "" if info or wharf_peak is None else (
            "PASS" if wharf_peak < 64 * 1024 else "MISS")
        big_rows.append(("   peak memory", mib(wharf_peak), mib(peak(f"{key}-curl")),
                         mib(peak(f"{key}-lftp")), "", "" if info else "< 64 MiB", verdict))
table(f"1. one {size_mib} MiB file, to and from disk (MB/s = 10^6 bytes/s, best of {runs})",
      ("wharf", "curl", "lftp"), big_rows)

tree_rows = []
for s in ("plain", "tls13", "tls12"):
    for direction, verb in (("down", "download"), ("up", "upload")):
        key = f"tree-{direction}-{s}"
        peers = [f"{key}-lftp-P1", f"{key}-lftp-P4"]
        tree_rows.append(row(f"{verb}, {labels[s]}, wharf -j 4", f"{key}-wharf-j4", peers,
                             tree_files, "files/s", 1.2, ">= 1.2"))
        tree_rows.append(row("   wharf -j 1", f"{key}-wharf-j1", peers, tree_files,
                             "files/s", None, ""))
table(f"2. a tree of {tree_files} files of 4 KiB in {folders} folders (files/s, best of {runs})",
      ("wharf", "lftp -P1", "lftp -P4"), tree_rows)

print(f"\n{versions}. Every figure is the whole command's wall time (start, login, "
      f"listing, transfer, QUIT), the best of {runs} runs taken in turns; peak memory is "
      f"/usr/bin/time's %M (max RSS) over the good runs. wharf/best above 1: Wharf is "
      f"faster than the fastest peer of its row. pyftpdlib rows are information only.")
PY
