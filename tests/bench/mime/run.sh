#!/usr/bin/env bash
# MIME parse-and-decode throughput: wharf-cli mail parse against Python's email package
# (tests/mime/reference_parse.py, the same work: parse, decode every leaf, hash it, print
# JSON) on one generated corpus, in one run. Prints messages/s, MB/s, peak memory and the
# ratio. Usage: tests/bench/mime/run.sh WHARF_CLI [SIZE_MB]   (default 200 MB)
set -euo pipefail
cli=$(realpath "${1:?usage: run.sh WHARF_CLI [SIZE_MB]}")
size_mb=${2:-200}
here=$(cd "$(dirname "$0")" && pwd)
mime=$here/../../mime
python=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "generating a ${size_mb} MB corpus..."
"$python" "$mime/generate_corpus.py" "$work" --size-mb "$size_mb" --seed 7 >/dev/null
corpus=$work/corpus.mbox
bytes=$(stat -c %s "$corpus")
messages=$(grep -c '^From ' "$corpus")
largest=$("$python" - "$corpus" <<'PY'
import sys
largest = current = 0
with open(sys.argv[1], 'rb') as f:
    for line in f:
        if line.startswith(b'From '):
            largest, current = max(largest, current), 0
        else:
            current += len(line)
print(max(largest, current))
PY
)

# run NAME COMMAND...: wall seconds and peak resident KiB of the command, output discarded.
run() {
    local name=$1
    shift
    "$python" - "$name" "$@" <<'PY'
import resource, subprocess, sys, time
start = time.monotonic()
subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, check=True)
wall = time.monotonic() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"{sys.argv[1]} {wall:.3f} {peak}")
PY
}

# What each process needs before it reads any mail (runtime, libraries): measured on one
# tiny message, and taken off the peak to get what the mail itself costs.
printf 'Subject: x\r\n\r\nx\r\n' >"$work/tiny.eml"
read -r _ _ wharf_base < <(run wharf "$cli" --json mail parse "$work/tiny.eml")
read -r _ _ python_base < <(run python "$python" "$mime/reference_parse.py" "$work/tiny.eml")
read -r _ wharf_s wharf_kib < <(run wharf "$cli" --json mail parse "$corpus")
read -r _ python_s python_kib < <(run python "$python" "$mime/reference_parse.py" "$corpus")

"$python" - "$bytes" "$messages" "$largest" "$wharf_s" "$wharf_kib" "$wharf_base" \
    "$python_s" "$python_kib" "$python_base" <<'PY'
import sys
size, count, largest = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
rows = [("wharf-cli", float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])),
        ("python email", float(sys.argv[7]), int(sys.argv[8]), int(sys.argv[9]))]
print(f"corpus: {size / 1e6:.1f} MB, {count} messages, largest message {largest / 1e6:.2f} MB")
print(f"{'':14}{'seconds':>9}{'messages/s':>12}{'MB/s':>8}{'peak MB':>9}{'base MB':>9}"
      f"{'(peak-base)/largest':>21}")
for name, seconds, kib, base in rows:
    peak, base = kib * 1024, base * 1024
    print(f"{name:14}{seconds:9.2f}{count / seconds:12.0f}{size / 1e6 / seconds:8.1f}"
          f"{peak / 1e6:9.1f}{base / 1e6:9.1f}{(peak - base) / largest:21.1f}")
print(f"throughput ratio (wharf / python): {rows[1][1] / rows[0][1]:.1f}x")
PY
