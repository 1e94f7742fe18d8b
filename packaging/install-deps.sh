#!/usr/bin/env bash
# Install Wharf's build dependencies on Debian 12 (bookworm); with --test also the real
# servers and tools the integration tests run (tests/servers/); with --bench also what the
# benchmarks (tests/bench/, run by hand, never by CI) compare against, which implies --test
# because they run the same servers.
# Idempotent: when everything is installed it does not touch apt at all.
# Usage: packaging/install-deps.sh [--test] [--bench]
set -euo pipefail

BUILD_PACKAGES=(
    build-essential cmake ninja-build
    qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
    libmimetic-dev qtkeychain-qt6-dev libqt6sql6-sqlite libsqlite3-dev libqt6svg6 libgl-dev
)
# Servers started by tests/servers/*.sh, the clients the smoke tests use, and what
# the Qt tests need at run time (TLS plugin, offscreen platform, fonts, keyring).
SERVER_PACKAGES=(dovecot-imapd dovecot-pop3d dovecot-lmtpd postfix vsftpd)
TEST_PACKAGES=(
    "${SERVER_PACKAGES[@]}"
    python3 python3-pyftpdlib openssl curl
    clang libclang-rt-14-dev clang-format
    passwd libpam-modules libpam-runtime util-linux procps
    dbus dbus-bin dbus-daemon gnome-keyring libsecret-tools
    xvfb xauth
    libqt6network6 libqt6gui6 qt6-qpa-plugins fonts-dejavu-core
)
# Peers the benchmarks run besides those above: mbsync (tests/bench/imap), lftp (tests/bench/ftp).
BENCH_PACKAGES=(isync lftp)
# package:service for the system services those packages ship; the tests run private
# instances instead.
SERVICES=(dovecot-core:dovecot postfix:postfix vsftpd:vsftpd)

usage() {
    echo "usage: $0 [--test] [--bench]" >&2
    exit 2
}

WITH_TEST=no
WITH_BENCH=no
for arg in "$@"; do
    case $arg in
        --test) WITH_TEST=yes ;;
        --bench) WITH_TEST=yes WITH_BENCH=yes ;;
        -h | --help) usage ;;
        *) usage ;;
    esac
done

packages=("${BUILD_PACKAGES[@]}")
[[ $WITH_TEST == yes ]] && packages+=("${TEST_PACKAGES[@]}")
[[ $WITH_BENCH == yes ]] && packages+=("${BENCH_PACKAGES[@]}")

is_installed() {
    [[ $(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null) == ii* ]]
}

# missing_packages PKG...: print those not fully installed (one dpkg-query call: fast).
missing_packages() {
    local -A ok=()
    local name status p
    while read -r name status; do
        [[ $status == ii ]] && ok[$name]=1
    done < <(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "$@" 2>/dev/null || true)
    for p in "$@"; do
        [[ -n ${ok[$p]:-} ]] || echo "$p"
    done
}

mapfile -t missing < <(missing_packages "${packages[@]}")
if [[ ${#missing[@]} -eq 0 ]]; then
    echo "install-deps: all ${#packages[@]} packages already installed"
    exit 0
fi
echo "install-deps: installing: ${missing[*]}"

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo" >&2; exit 1; }
    SUDO=(sudo)
fi

# Services whose package is not installed yet: only those get disabled below, never a
# service the machine already used.
new_services=()
if [[ $WITH_TEST == yes ]]; then
    for entry in "${SERVICES[@]}"; do
        is_installed "${entry%%:*}" || new_services+=("${entry#*:}")
    done
fi

# Without a policy-rc.d, installing dovecot/postfix/vsftpd would start them on the standard
# ports.  Use a temporary one that denies every start (exit 101) and remove it afterwards.
POLICY=/usr/sbin/policy-rc.d
own_policy=no
cleanup() {
    if [[ $own_policy == yes ]]; then
        "${SUDO[@]}" rm -f "$POLICY"
    fi
}
trap cleanup EXIT
if [[ ! -e $POLICY ]]; then
    printf '#!/bin/sh\n# Temporary, from Wharf packaging/install-deps.sh\nexit 101\n' |
        "${SUDO[@]}" tee "$POLICY" >/dev/null
    "${SUDO[@]}" chmod 0755 "$POLICY"
    own_policy=yes
fi

# Postfix asks which configuration to install: none, the tests bring their own.
echo "postfix postfix/main_mailer_type select No configuration" |
    "${SUDO[@]}" debconf-set-selections

"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"

# Belt and braces for freshly installed servers: make sure their system services are
# neither running nor started at boot (the tests bind their own ports).
if [[ ${#new_services[@]} -gt 0 ]]; then
    for s in "${new_services[@]}"; do
        if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null; then
            "${SUDO[@]}" systemctl disable --now "$s" >/dev/null 2>&1 || true
        elif command -v update-rc.d >/dev/null && [[ -e /etc/init.d/$s ]]; then
            "${SUDO[@]}" update-rc.d "$s" disable >/dev/null 2>&1 || true
            "${SUDO[@]}" /etc/init.d/"$s" stop >/dev/null 2>&1 || true
        fi
    done
fi

mapfile -t still_missing < <(missing_packages "${packages[@]}")
if [[ ${#still_missing[@]} -gt 0 ]]; then
    echo "install-deps: still not installed: ${still_missing[*]}" >&2
    exit 1
fi
echo "install-deps: done"
