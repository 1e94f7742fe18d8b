#!/usr/bin/env bash
# Each broken tree must make check-layers.sh fail; a clean one must pass.
set -euo pipefail
check=${1:?usage: check-layers-selftest.sh CHECK_SCRIPT}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

make_tree() {
    rm -rf "$tmp/src" "$tmp/ui" && mkdir -p "$tmp/src/core" "$tmp/src/net" "$tmp/src/protocols/imap" \
        "$tmp/src/protocols/pop3" "$tmp/src/mime"
    echo '#include "core/Error.h"' >"$tmp/src/net/Connection.cpp"
}

expect() {
    local want=$1 name=$2
    if bash "$check" "$tmp/src" >/dev/null; then got=pass; else got=fail; fi
    [ "$got" = "$want" ] || { echo "selftest '$name': expected $want, got $got"; exit 1; }
}

make_tree; expect pass clean
make_tree; echo '#include "net/Connection.h"' >"$tmp/src/core/Error.cpp"; expect fail "core uses net"
make_tree; echo '#include <QWidget>' >"$tmp/src/net/X.cpp"; expect fail "widgets in src"
make_tree; echo '#include <mimetic/mimetic.h>' >"$tmp/src/net/Y.cpp"; expect fail "mimetic outside mime"
make_tree; echo '#include "protocols/pop3/P.h"' >"$tmp/src/protocols/imap/I.cpp"; expect fail "imap uses pop3"
make_tree; echo '#include "mime/HeaderFields.h"' >"$tmp/src/protocols/imap/I.cpp"; expect fail "protocol uses mime"
make_tree; mkdir -p "$tmp/ui"; echo '#include "net/Connection.h"' >"$tmp/ui/W.cpp"; expect fail "ui uses the transport"
rm -rf "$tmp/ui"
echo "layering selftest: every violation detected"
