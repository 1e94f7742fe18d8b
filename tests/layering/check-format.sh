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
# One clang-format run for all files (it starts slowly); names come from its diagnostics.
if clang-format --dry-run -Werror "${files[@]}" 2>"${TMPDIR:-/tmp}/wharf-format.$$"; then
    rm -f "${TMPDIR:-/tmp}/wharf-format.$$"
    echo "format: ${#files[@]} files clean"
    exit 0
fi
grep -oE '^[^:]+\.(cpp|h):' "${TMPDIR:-/tmp}/wharf-format.$$" | sort -u |
    sed 's/:$//; s/^/format: not clang-formatted (run clang-format -i): /'
rm -f "${TMPDIR:-/tmp}/wharf-format.$$"
exit 1
