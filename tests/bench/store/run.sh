#!/usr/bin/env bash
# The local store on a big mailbox: import a generated mbox of 100,000 messages into a fresh
# store (messages/s), open the folder's first page through MessageListModel (each open a new
# process, the file cache warm: the first one and the median), scroll through every row
# (ms, peak memory per listed message) and full-text search it (median ms per query). Peers
# on the same data, in the same run: Python's mailbox.Maildir for the import (files only, no
# parsing, no index; it fsyncs each message where Wharf fsyncs each batch) and grep -rlF over
# that Maildir for the searches (no index). Prints a table with the issue's targets; it never
# fails on timing.
# Usage: tests/bench/store/run.sh BUILD_DIR [COUNT]   (default 100000; bench_store built)
set -euo pipefail
build=$(realpath "${1:?usage: run.sh BUILD_DIR [COUNT]}")
count=${2:-100000}
bench=$build/tests/bench/store/bench_store
if [ ! -x "$bench" ]; then
    echo "run.sh: $bench is missing: cmake --build $build --target bench_store" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
python=/usr/bin/python3
opens=7
search_repeats=5
grep_repeats=3
work=$(mktemp -d "${TMPDIR:-/tmp}/wharf-bench-store.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "generating $count messages..."
"$python" "$here/generate_mbox.py" "$work/mail.mbox" --count "$count" --seed 4 >"$work/corpus.json"

echo "importing them into a fresh store..."
"$bench" import "$work/store" "$work/mail.mbox" Bench >"$work/wharf.jsonl"

echo "importing them into a Maildir with Python's mailbox..."
"$python" - "$work/mail.mbox" "$work/maildir" >"$work/python.json" <<'PY'
import json, mailbox, resource, sys, time
start = time.monotonic()
source = mailbox.mbox(sys.argv[1], create=False)
target = mailbox.Maildir(sys.argv[2], create=True)
messages = 0
for key in source.iterkeys():
    target.add(source.get_bytes(key))
    messages += 1
source.close()
print(json.dumps({"messages": messages, "seconds": time.monotonic() - start,
                  "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
PY

# Warm cache, cold process: the index is read once, then every open is a new process.
cat "$work/store"/wharf-index.sqlite* >/dev/null
echo "opening the folder $opens times, scrolling through it, searching it..."
for _ in $(seq "$opens"); do
    "$bench" open "$work/store" Bench >>"$work/wharf.jsonl"
done
"$bench" scroll "$work/store" Bench >>"$work/wharf.jsonl"
mapfile -t queries < <("$python" -c 'import json,sys
for q in json.load(open(sys.argv[1]))["queries"]: print(q["query"])' "$work/corpus.json")
"$bench" search "$work/store" Bench "$search_repeats" "${queries[@]}" >>"$work/wharf.jsonl"

echo "searching the Maildir with grep..."
"$python" - "$work/maildir" "$grep_repeats" "${queries[@]}" >"$work/grep.jsonl" <<'PY'
import json, statistics, subprocess, sys, time
maildir, repeats = sys.argv[1], int(sys.argv[2])
for query in sys.argv[3:]:
    words = query.split()
    # Every word must match, as in the store's search: the files holding the first word,
    # narrowed by each next one.
    command = "grep -rlF -e " + subprocess.list2cmdline([words[0]]) + " " + maildir
    for word in words[1:]:
        command += " | xargs -r -d '\\n' grep -lF -e " + subprocess.list2cmdline([word])
    times, hits = [], 0
    for _ in range(repeats):
        start = time.monotonic()
        out = subprocess.run(["bash", "-c", command + " || true"], capture_output=True,
                             check=True).stdout
        times.append((time.monotonic() - start) * 1000)
        hits = len(out.splitlines())
    print(json.dumps({"query": query, "hits": hits, "median_ms": statistics.median(times)}))
PY

store_bytes=$(du -sb "$work/store" | cut -f1)
index_bytes=$(cat "$work/store"/wharf-index.sqlite* | wc -c)
"$python" - "$work" "$store_bytes" "$index_bytes" <<'PY'
import json, statistics, sys
work, store_bytes, index_bytes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
corpus = json.load(open(f"{work}/corpus.json"))
wharf = [json.loads(line) for line in open(f"{work}/wharf.jsonl")]
python = json.load(open(f"{work}/python.json"))
grep = {g["query"]: g for g in (json.loads(line) for line in open(f"{work}/grep.jsonl"))}
step = lambda name: [w for w in wharf if w["step"] == name]
imported, opens, scroll = step("import")[0], step("open"), step("scroll")[0]
count = corpus["messages"]

print(f"\ncorpus: {count} messages, {corpus['bytes'] / 1e6:.0f} MB mbox, "
      f"average {corpus['bytes'] / count / 1024:.1f} KiB; store {store_bytes / 1e6:.0f} MB "
      f"on disk, of which index {index_bytes / 1e6:.0f} MB")
rows = []  # what, wharf, peer, speed-up, target, result
times = lambda r: f"{r:.2f}x" if r < 10 else f"{r:.0f}x"

def row(what, value, unit, peer=None, ratio="", target=None, limit=None):
    shown = f"{value:,.1f} {unit}" if value < 100 else f"{value:,.0f} {unit}"
    peer_shown = "" if peer is None else (f"{peer:,.1f} {unit}" if peer < 100
                                          else f"{peer:,.0f} {unit}")
    result = "" if limit is None else ("PASS" if value < limit else "MISS")
    rows.append((what, shown, peer_shown, ratio, target or "", result))

wharf_rate = imported["messages"] / imported["seconds"]
python_rate = python["messages"] / python["seconds"]
row("import (fsync, MIME parse, FTS index)", wharf_rate, "msg/s", python_rate,
    times(wharf_rate / python_rate))
open_ms = [o["store_open_ms"] for o in opens]
page_ms = [o["first_page_ms"] for o in opens]
row("store open, first process after the import", open_ms[0], "ms")
row(f"store open, median of {len(opens)}", statistics.median(open_ms), "ms")
row("first page, first process", page_ms[0], "ms", target="< 100 ms", limit=100)
row(f"first page, median of {len(opens)}", statistics.median(page_ms), "ms",
    target="< 100 ms", limit=100)
row("scroll every row", scroll["scroll_ms"], "ms")
per_message = (scroll["peak_kib"] - scroll["baseline_kib"]) * 1024 / scroll["rows"]
row("peak memory per listed message", per_message, "B", target="< 300 B", limit=300)
# The first process after the import also finds the folder's directories just changed.
first_open = (opens[0]["peak_kib"] - opens[0]["baseline_kib"]) * 1024 / opens[0]["rows"]
row("  the same, first open after the import", first_open, "B")
for query in step("search"):
    peer = grep[query["query"]]
    ratio = times(peer["median_ms"] / query["median_ms"])
    row(f"search \"{query['query']}\" ({query['hits']}/{peer['hits']} hits)",
        query["median_ms"], "ms", peer["median_ms"], ratio, "< 200 ms", 200)

headers = ("", "wharf", "peer", "wharf speed-up", "target", "")
widths = [max(len(str(r[i])) for r in rows + [headers]) for i in range(6)]
for r in [headers] + rows:
    print("  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                    for i, (c, w) in enumerate(zip(r, widths))))
print(f"peers: import = Python mailbox.Maildir.add of each mbox message (files only, "
      f"fsync each); "
      f"search = grep -rlF over that Maildir, every word (hits: wharf's list, at most "
      f"{step('search')[0]['limit']} / grep's files)")
print(f"memory: VmHWM {scroll['peak_kib'] / 1024:.1f} MiB after scrolling all "
      f"{scroll['rows']} rows, {scroll['baseline_kib'] / 1024:.1f} MiB before opening "
      f"the store; {scroll['cached_pages']} pages cached at the end")
print(f"import peak memory: wharf {imported['peak_kib'] / 1024:.0f} MiB, "
      f"python {python['peak_kib'] / 1024:.0f} MiB")
PY
