#!/usr/bin/env bash
# The direction of dependencies, checked on the includes (the link already checks calls):
# each layer under src/ may include only itself and the layers below it, nothing under
# src/ includes a QtWidgets header, and only src/mime includes mimetic.
set -euo pipefail
src=${1:?usage: check-layers.sh SRC_DIR}
cd "$src"

# layer -> the src/ folders its files may include from
declare -A allowed=(
    [core]="core"
    [net]="net core"
    [mime]="mime core"
    [protocols]="protocols net core"
    [store]="store mime core"
    [controllers]="controllers store mime protocols net core"
    [cli]="cli controllers store mime protocols net core"
)

status=0
for layer in "${!allowed[@]}"; do
    [ -d "$layer" ] || continue
    while IFS=: read -r file _ include; do
        target=$(sed -E 's/.*#include *"([^/"]+)\/.*/\1/' <<<"$include")
        if ! grep -qw -- "$target" <<<"${allowed[$layer]}"; then
            echo "layering: $file includes $target/ (a $layer file may use: ${allowed[$layer]})"
            status=1
        fi
    done < <(grep -rnE '^#include *"[^/"]+/' "$layer" || true)
done

# Protocols stay apart from each other too: imap never includes pop3, and so on.
for protocol in imap pop3 smtp ftp; do
    if grep -rnE '^#include *"protocols/' "protocols/$protocol" | grep -v "\"protocols/$protocol/"; then
        echo "layering: protocols/$protocol includes another protocol"
        status=1
    fi
done

# ui/ talks to controllers; from below it sees value types only, never a socket or a parser.
if [ -d ../ui ]; then
    if grep -rnE '^#include *"(net|protocols|mime|store|cli)/' ../ui |
        grep -vE '"net/CertificateDecision\.h"'; then
        echo "layering: ui/ may include controllers/ and core/ (and net/CertificateDecision.h) only"
        status=1
    fi
fi

if grep -rnE '^#include *<(Qt(Widgets|Gui)/|Q(Widget|MainWindow|Dialog|Application|PushButton|Label|MessageBox|LineEdit|Action)>)' .; then
    echo "layering: src/ must stay headless (no QtWidgets/QtGui headers)"
    status=1
fi

if grep -rnE '^#include *<mimetic/' . | grep -v '^\./mime/'; then
    echo "layering: only src/mime may include mimetic"
    status=1
fi

[ "$status" -eq 0 ] && echo "layering: all includes follow the layers"
exit "$status"
