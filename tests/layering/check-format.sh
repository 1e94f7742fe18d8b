#!/usr/bin/env bash
# Every C++ file of the project is as clang-format (config at the top) writes it.
set -euo pipefail
top=${1:?usage: check-format.sh SOURCE_DIR}
cd "$top"
command -v clang-format >/dev/null ||
    { echo "format: clang-format not found (packaging/install-deps.sh --test installs it)" >&2; exit 1; }
mapfile -t files < <(git ls-files -- '*.cpp' '*.h' 2>/dev/null ||
    find src ui tests -name '*.cpp' -o -name '*.h')
[ "${#files[@]}" -gt 0 ] || { echo "format: no C++ files found" >&2; exit 1; }
bad=0
for f in "${files[@]}"; do
    if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
        echo "format: $f is not clang-formatted (run clang-format -i $f)"
        bad=1
    fi
done
[ "$bad" -eq 0 ] && echo "format: ${#files[@]} files clean"
exit "$bad"
