#!/usr/bin/env bash
# Generate the throw-away PKI for one test run:
#   ca.pem/ca.key                 test CA that signs server.pem
#   server.pem/server.key         leaf for localhost / 127.0.0.1 (used by every test server)
#   other-ca.pem/other-ca.key     unrelated second CA
#   other-server.pem/.key         same names, different key, signed by other-ca (for
#                                 "wrong CA" / "certificate changed" tests)
#   server.spki-sha256, other-server.spki-sha256   hex SHA-256 of the DER SubjectPublicKeyInfo
#   server.cert-sha256                             hex SHA-256 of the leaf certificate DER
#   wrong-host.pem/.key           signed by ca.pem for wrong-host.invalid only (host name check)
# Idempotent: an existing, still valid set is kept.  Usage: make-test-pki.sh OUTDIR
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
OUT=$1
DAYS=30
SUBJ_PREFIX="/O=Wharf test fixtures"

command -v openssl >/dev/null || { echo "$0: openssl not found" >&2; exit 1; }
mkdir -p "$OUT"

FILES=(ca.pem ca.key server.pem server.key other-ca.pem other-ca.key
    other-server.pem other-server.key server.spki-sha256 other-server.spki-sha256
    server.cert-sha256 wrong-host.pem wrong-host.key)

# True when every file exists, both leaves chain to their CA and nothing expires within a day.
pki_valid() {
    local f
    for f in "${FILES[@]}"; do
        [[ -s $OUT/$f ]] || return 1
    done
    # Verifying "one day from now" also checks that neither CA nor leaf expires before.
    local tomorrow=$(($(date +%s) + 86400))
    openssl verify -attime "$tomorrow" -CAfile "$OUT/ca.pem" "$OUT/server.pem" >/dev/null 2>&1 &&
        openssl verify -attime "$tomorrow" -CAfile "$OUT/other-ca.pem" "$OUT/other-server.pem" >/dev/null 2>&1
}

new_ca() {  # new_ca NAME CN
    openssl req -x509 -new -newkey rsa:2048 -nodes -sha256 -days "$DAYS" \
        -keyout "$TMP/$1.key" -out "$TMP/$1.pem" -subj "$SUBJ_PREFIX/CN=$2" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -addext "subjectKeyIdentifier=hash" 2>/dev/null
}

new_leaf() {  # new_leaf NAME CA_NAME [HOST]: HOST defaults to localhost (and 127.0.0.1)
    local host=${3:-localhost} san="DNS:localhost, IP:127.0.0.1"
    [[ $host == localhost ]] || san="DNS:$host"
    openssl req -new -newkey rsa:2048 -nodes -sha256 \
        -keyout "$TMP/$1.key" -out "$TMP/$1.csr" -subj "$SUBJ_PREFIX/CN=$host" 2>/dev/null
    cat >"$TMP/$1.ext" <<EOF
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = $san
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
    openssl x509 -req -sha256 -days "$DAYS" -in "$TMP/$1.csr" \
        -CA "$TMP/$2.pem" -CAkey "$TMP/$2.key" -CAcreateserial -CAserial "$TMP/$2.srl" \
        -extfile "$TMP/$1.ext" -out "$TMP/$1.pem" 2>/dev/null
    openssl x509 -in "$TMP/$1.pem" -pubkey -noout | openssl pkey -pubin -outform der |
        sha256sum | cut -d' ' -f1 >"$TMP/$1.spki-sha256"
}

# Several start scripts may call us at once: serialise, and build in a temp dir so that a
# reader never sees a half-written set.
exec 9>"$OUT/.lock"
flock 9
if pki_valid; then
    exit 0
fi

TMP=$(mktemp -d "$OUT/.tmp.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

new_ca ca "Wharf Test CA"
new_ca other-ca "Wharf Other Test CA"
new_leaf server ca
new_leaf other-server other-ca
# Signed by the trusted CA for another name: the host name check must still refuse it.
new_leaf wrong-host ca wrong-host.invalid
openssl x509 -in "$TMP/server.pem" -outform der | sha256sum | cut -d' ' -f1 >"$TMP/server.cert-sha256"

# These keys protect nothing; keep them readable so that tests running as another user
# than the one that created the PKI can load them (e.g. for in-process TLS test servers).
chmod 0644 "$TMP"/*.key "$TMP"/*.pem "$TMP"/*-sha256
for f in "${FILES[@]}"; do
    mv -f "$TMP/$f" "$OUT/$f"
done
pki_valid || { echo "$0: generated PKI does not verify" >&2; exit 1; }
echo "$0: test PKI written to $OUT"
