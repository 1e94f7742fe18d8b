#!/usr/bin/env bash
# vsftpd fixture: explicit FTPS with curl (curl resumes the control connection's TLS
# session on data connections, which require_ssl_reuse=YES demands).
set -euo pipefail
: "${WHARF_TEST_SERVERS:?run through ctest}"
# shellcheck disable=SC1091
source "$WHARF_TEST_SERVERS/vsftpd.env"
PKI=${WHARF_TEST_PKI:-$WHARF_TEST_SERVERS/pki}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
ok() { echo "ok: $*"; }
fail() { echo "FAILED: $*" >&2; exit 1; }
ftps() {  # ftps PORT CURL_ARGS... : verified explicit FTPS as the test user
    local port=$1
    shift
    curl -sS --fail --ssl-reqd --cacert "$PKI/ca.pem" --max-time 30 \
        -u "$VSFTPD_USER:$VSFTPD_PASSWORD" "$@" "ftp://localhost:$port/${PATH_IN_URL:-}"
}

name=smoke-$$-$RANDOM.bin
head -c 3000000 /dev/urandom >"$TMP/up.bin"

# Upload on the TLS 1.2 instance: vsftpd 3.0.3 can truncate TLS 1.3 uploads (see vsftpd.sh).
PATH_IN_URL=$name ftps "$VSFTPD_TLS12_PORT" -T "$TMP/up.bin" || fail "upload over FTPS (TLS 1.2)"
cmp -s "$TMP/up.bin" "$VSFTPD_ROOT/$name" || fail "uploaded file in VSFTPD_ROOT differs"
ok "upload over FTPS (TLS 1.2) arrived intact in VSFTPD_ROOT"

for port in "$VSFTPD_PORT" "$VSFTPD_TLS12_PORT"; do
    ftps "$port" --list-only >"$TMP/list" || fail "listing on port $port"
    grep -qxF "$name" "$TMP/list" || fail "listing on port $port lacks $name"
    PATH_IN_URL=$name ftps "$port" -o "$TMP/down.bin" || fail "download on port $port"
    cmp -s "$TMP/up.bin" "$TMP/down.bin" || fail "download on port $port differs"
    ok "list and download over FTPS on port $port"
done

version=$(ftps "$VSFTPD_PORT" --list-only -v 2>&1 >/dev/null | sed -n 's/.*SSL connection using \(TLSv[0-9.]*\).*/\1/p' | head -1)
version12=$(ftps "$VSFTPD_TLS12_PORT" --list-only -v 2>&1 >/dev/null | sed -n 's/.*SSL connection using \(TLSv[0-9.]*\).*/\1/p' | head -1)
[[ $version12 == TLSv1.2 ]] || fail "VSFTPD_TLS12_PORT negotiated '$version12', expected TLSv1.2"
ok "VSFTPD_PORT negotiates $version, VSFTPD_TLS12_PORT negotiates $version12"

# Logins without TLS are refused (force_local_logins_ssl).
if curl -sS --max-time 30 -u "$VSFTPD_USER:$VSFTPD_PASSWORD" "ftp://127.0.0.1:$VSFTPD_PORT/" >/dev/null 2>&1; then
    fail "plaintext login was accepted"
fi
ok "plaintext login refused"

# The certificate is verified: another CA fails.
if curl -sS --ssl-reqd --cacert "$PKI/other-ca.pem" --max-time 30 \
    -u "$VSFTPD_USER:$VSFTPD_PASSWORD" "ftp://localhost:$VSFTPD_PORT/" >/dev/null 2>&1; then
    fail "FTPS accepted with the wrong CA"
fi
ok "FTPS rejected with the wrong CA"

PATH_IN_URL='' ftps "$VSFTPD_PORT" -Q "DELE $name" >/dev/null || fail "delete"
echo "vsftpd FTPS test passed"
