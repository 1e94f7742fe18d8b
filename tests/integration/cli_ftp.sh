#!/usr/bin/env bash
# wharf-cli ftp against vsftpd (explicit FTPS, LIST listings) and pyftpdlib (plain FTP,
# MLSD): ls --json checked against the files on the server's disk (names, types, sizes,
# times, modes), mkdir/mv/chmod/rm/rmdir/rm -r, names that a server holds and a careless
# client mangles (spaces at either end, backslash, glob characters, UTF-8, a newline),
# --active (the server connects back: ls, put and get by SHA-256), and the exit codes of a
# wrong password, a missing file and an untrusted certificate. Then --ascii (TYPE A) on
# vsftpd, which converts line ends, ls of a single file (MLST) on pyftpdlib, and implicit
# FTPS (ftps://) on vsftpd's implicit instance. The server's disk is the witness: this
# script runs as root, as the fixtures do.
# shellcheck disable=SC2016,SC2034  # check NAME eval '...' expands when the check runs
set -euo pipefail
cli=${1:?usage: cli_ftp.sh WHARF_CLI}
: "${WHARF_TEST_SERVERS:?run through ctest}" "${WHARF_TEST_PKI:?run through ctest}"
for server in vsftpd pyftpdlib; do
    # shellcheck disable=SC1090
    source "$WHARF_TEST_SERVERS/$server.env"
done
python=/usr/bin/python3
ca=$WHARF_TEST_PKI/ca.pem
work=$(mktemp -d)
# Other tests use the same servers at the same time: all this one does is below a folder
# of its own in each server's root.
base=cli_ftp.$$
cleanup() {
    rm -rf "$work" "${VSFTPD_ROOT:?}/$base" "${PYFTPDLIB_ROOT:?}/$base"
}
trap cleanup EXIT
# Never the user's own profiles or trusted certificates.
export XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data
out=$work/out
err=$work/err
failures=0

check() {
    local name=$1
    shift
    if "$@"; then
        echo "ok   $server: $name"
    else
        echo "FAIL $server: $name"
        sed 's/^/  stdout: /' "$out" | head -n 20
        sed 's/^/  stderr: /' "$err" | head -n 20
        failures=$((failures + 1))
    fi
}

# use vsftpd|pyftpdlib: the server the next commands talk to.
use() {
    server=$1
    if [ "$server" = vsftpd ]; then
        site=ftp://$VSFTPD_USER@127.0.0.1:$VSFTPD_PORT
        root=$VSFTPD_ROOT
        password=$VSFTPD_PASSWORD
        tls=(--cacert "$ca")
    else
        site=ftp://$PYFTPDLIB_USER@127.0.0.1:$PYFTPDLIB_PORT
        root=$PYFTPDLIB_ROOT
        password=$PYFTPDLIB_PASSWORD
        tls=(--tls none)
    fi
    # vsftpd's sessions run as the test user: what is put on its disk here belongs to it.
    owner=$(stat -c %u:%g "$root")
}

# wftp ARGS...: wharf-cli ftp on the current server, output in $out and $err.
wftp() {
    WHARF_PASSWORD=$password "$cli" --timeout 20 "${tls[@]}" ftp "$@" >"$out" 2>"$err"
}

# expect NAME EXIT_CODE PATTERN -- ftp arguments...: the exit code, and PATTERN (ERE), if
# not empty, in stdout or stderr.
expect() {
    local name=$1 want=$2 pattern=$3 got=0
    shift 4
    wftp "$@" || got=$?
    check "$name (exit $got, wanted $want)" \
        eval '[ "$got" -eq "$want" ] && { [ -z "$pattern" ] || grep -qE -- "$pattern" "$out" "$err"; }'
}

# url PATH: the site's URL of PATH (relative to the login folder), percent-encoded.
url() {
    local LC_ALL=C path=$1 encoded='' c i
    for ((i = 0; i < ${#path}; i++)); do
        c=${path:i:1}
        case $c in
        [a-zA-Z0-9/._~-]) encoded+=$c ;;
        *)
            printf -v c '%%%02X' "'$c"
            encoded+=$c
            ;;
        esac
    done
    echo "$site/$encoded"
}

same_content() { cmp -s "$1" "$2"; }
same_sha256() { [ "$(sha256sum <"$1")" = "$(sha256sum <"$2")" ]; }
# active_mode_used: the protocol log (--verbose) in $err has EPRT or PORT answered by 200,
# and no EPSV or PASV.
active_mode_used() {
    awk '/^> (EPRT|PORT) / { getline; if (/^< 200 /) used = 1 } /^> (EPSV|PASV)/ { used = 0; exit }
        END { exit !used }' "$err"
}
absent() { [ ! -e "$1" ] && [ ! -L "$1" ]; }

# listing_matches JSON FOLDER SERVER: wharf-cli ftp ls --json said what is on the disk.
# vsftpd lists with LIST (ls -l: links as links, times to the minute, or the day for files
# older than six months); pyftpdlib with MLSD (links followed, times to the second, UTC).
listing_matches() {
    "$python" - "$@" <<'PY'
import datetime, json, os, stat, sys, time

listing, folder, server = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
got = {entry["name"]: entry for entry in listing}
want = sorted(os.listdir(folder))
problems = []
if sorted(got) != want:
    problems.append(f"names {sorted(got)!r}, on disk {want!r}")
now = time.time()
for name in want:
    entry = got.get(name)
    if entry is None:
        continue
    path = os.path.join(folder, name)
    st = os.lstat(path) if server == "vsftpd" else os.stat(path)
    kind = ("link" if stat.S_ISLNK(st.st_mode) else
            "dir" if stat.S_ISDIR(st.st_mode) else "file")
    when = datetime.datetime.fromtimestamp(int(st.st_mtime), datetime.timezone.utc)
    if server == "pyftpdlib":
        mtime = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    elif st.st_mtime > now or now - st.st_mtime > 182 * 86400:
        mtime = when.strftime("%Y-%m-%d")
    else:
        mtime = when.strftime("%Y-%m-%dT%H:%M:00Z")
    expected = {"type": kind, "size": st.st_size, "mtime": mtime}
    if server == "vsftpd":
        expected["mode"] = "%04o" % stat.S_IMODE(st.st_mode)
        if kind == "link":
            expected["target"] = os.readlink(path)
    for key, value in expected.items():
        if entry.get(key) != value:
            problems.append(f"{name!r}: {key} {entry.get(key)!r}, on disk {value!r}")
for problem in problems:
    print("  " + problem)
sys.exit(1 if problems else 0)
PY
}

# Names a server holds; each file's content is its name, so a mix-up shows.
odd_names=(" lead" "trail " "two  spaces" 'back\slash' "ünï cödé.txt" "-dash" 'star*?[x]'
    "semi;colon=1" "percent%41" "#hash")

prepare_disk() {
    local d=$root/$base
    mkdir -p "$d/list/sub" "$d/odd" "$d/control" "$d/newline" "$d/ops/tree/a/b"
    head -c 1234 /dev/urandom >"$d/list/plain.txt"
    chmod 0640 "$d/list/plain.txt"
    : >"$d/list/empty"
    chmod 0600 "$d/list/empty"
    # Over 4 GiB, sparse: a size that needs 64 bits.
    truncate -s 5000000000 "$d/list/huge.iso"
    echo "spaced" >"$d/list/spaced name.txt"
    ln -s plain.txt "$d/list/link"
    # A recent time (vsftpd shows the hour) and an old one (vsftpd shows the year).
    touch -d "@$(($(date +%s) - 2 * 86400))" "$d/list/plain.txt" "$d/list/huge.iso"
    touch -d "2021-03-04 05:06:07 UTC" "$d/list/empty" "$d/list/spaced name.txt" "$d/list/sub"
    touch -h -d "2022-07-08 09:10:11 UTC" "$d/list/link"
    local name
    for name in "${odd_names[@]}"; do
        printf '%s' "$name" >"$d/odd/$name"
    done
    echo ok >"$d/control/ok"
    echo tab >"$d/control/tab"$'\t'"here"
    echo ok >"$d/newline/ok"
    echo nl >"$d/newline/new"$'\n'"line"
    echo a >"$d/ops/tree/a/one"
    echo b >"$d/ops/tree/a/b/two"
    chown -R -h "$owner" "$d"
}

for server in vsftpd pyftpdlib; do
    use "$server"
    prepare_disk
    disk=$root/$base

    # ls --json against the disk.
    wftp ls --json "$(url "$base/list")" || true
    cp "$out" "$work/listing.json"
    check "ls --json: names, types, sizes, times, modes as on the disk" \
        listing_matches "$work/listing.json" "$disk/list" "$server"
    wftp ls "$(url "$base/list")" || true
    check "ls: one line per entry, with the size over 4 GiB" \
        eval '[ "$(wc -l <"$out")" -eq 6 ] && grep -qP "^file\t5000000000\t.*\thuge\.iso$" "$out"'

    # mkdir, put, mv, chmod, rmdir, rm, rm -r.
    expect "mkdir" 0 "" -- mkdir "$(url "$base/ops/new dir")"
    check "mkdir made the folder" test -d "$disk/ops/new dir"
    expect "mkdir of an existing folder fails with the server's reply" 6 "MKD.*550" -- \
        mkdir "$(url "$base/ops/new dir")"
    head -c 10000 /dev/urandom >"$work/upload.bin"
    expect "put into a folder" 0 "" -- put "$work/upload.bin" "$(url "$base/ops/new dir")/"
    check "put wrote the file" same_content "$work/upload.bin" "$disk/ops/new dir/upload.bin"
    expect "mv" 0 "" -- mv "$(url "$base/ops/new dir/upload.bin")" "$base/ops/moved.bin"
    check "mv renamed the file" eval \
        'absent "$disk/ops/new dir/upload.bin" && same_content "$work/upload.bin" "$disk/ops/moved.bin"'
    expect "chmod" 0 "" -- chmod 640 "$(url "$base/ops/moved.bin")"
    check "chmod set the mode" test "$(stat -c %a "$disk/ops/moved.bin")" = 640
    expect "mv of a folder" 0 "" -- mv "$(url "$base/ops/new dir")" "/$base/ops/other dir"
    check "mv moved the folder" eval 'absent "$disk/ops/new dir" && test -d "$disk/ops/other dir"'
    cp "$work/upload.bin" "$disk/ops/other dir/x" && chown "$owner" "$disk/ops/other dir/x"
    expect "rmdir of a folder with a file in it fails" 6 "RMD.*550" -- \
        rmdir "$(url "$base/ops/other dir")"
    check "rmdir left the folder" test -f "$disk/ops/other dir/x"
    expect "rm" 0 "" -- rm "$(url "$base/ops/other dir/x")"
    check "rm removed the file" absent "$disk/ops/other dir/x"
    expect "rmdir" 0 "" -- rmdir "$(url "$base/ops/other dir")"
    check "rmdir removed the folder" absent "$disk/ops/other dir"
    expect "rm -r" 0 "2 files and 3 folders removed" -- rm -r "$(url "$base/ops/tree")"
    check "rm -r removed the tree" absent "$disk/ops/tree"

    # Active mode: the server connects back (vsftpd: over TLS 1.3, resuming the session as
    # its require_ssl_reuse demands). ls, and put and get of 1 MiB compared by SHA-256.
    head -c 1048576 /dev/urandom >"$work/active.bin"
    tls+=(--verbose)
    expect "ls --active" 0 "plain\.txt" -- ls --active "$(url "$base/list")"
    check "ls --active: EPRT or PORT answered by 200, no EPSV or PASV" active_mode_used
    expect "put --active" 0 "" -- put --active "$work/active.bin" "$(url "$base/ops")/"
    check "put --active was active" active_mode_used
    expect "get --active" 0 "" -- get --active "$(url "$base/ops/active.bin")" "$work/active.copy"
    check "get --active was active" active_mode_used
    check "put and get --active kept every byte (SHA-256)" eval \
        'same_sha256 "$work/active.bin" "$disk/ops/active.bin" && same_sha256 "$work/active.bin" "$work/active.copy"'
    unset 'tls[-1]'

    # Odd names: listed as they are, fetched by their URL, copied as a tree, renamed,
    # removed, uploaded.
    wftp ls --json "$(url "$base/odd")" || true
    cp "$out" "$work/odd.json"
    check "ls --json: odd names exactly as on the disk" \
        listing_matches "$work/odd.json" "$disk/odd" "$server"
    wrong=
    for name in "${odd_names[@]}"; do
        rm -f "$work/one"
        if ! wftp get "$(url "$base/odd/$name")" "$work/one" ||
            [ "$(cat "$work/one")" != "$name" ]; then
            wrong+=" ${name@Q}"
        fi
    done
    check "get of each odd name by its URL${wrong:+ (wrong:$wrong)}" test -z "$wrong"
    rm -rf "$work/tree"
    mkdir "$work/tree"
    expect "get -r of the odd names" 0 "${#odd_names[@]} of ${#odd_names[@]} files" -- \
        get -r "$(url "$base/odd")" "$work/tree"
    check "get -r copied every odd name, byte for byte" diff -r "$disk/odd" "$work/tree/odd"
    expect "mv to an odd name" 0 "" -- mv "$(url "$base/odd/ lead")" "$base/odd/ lead moved "
    check "mv kept both names' spaces" eval \
        'absent "$disk/odd/ lead" && [ "$(cat "$disk/odd/ lead moved ")" = " lead" ]'
    expect "rm of a name with a backslash" 0 "" -- rm "$(url "$base/odd/back\\slash")"
    check "rm removed that one file" eval \
        'absent "$disk/odd/back\\slash" && [ "$(find "$disk/odd" -type f | wc -l)" -eq $((${#odd_names[@]} - 1)) ]'
    up=" up\\load *.txt "
    printf 'uploaded' >"$work/$up"
    expect "put of a local odd name" 0 "" -- put "$work/$up" "$(url "$base/odd")/"
    check "put kept the name" same_content "$work/$up" "$disk/odd/$up"

    # Control characters: a tab makes a name Wharf refuses to use, a newline splits the
    # listing line (its first half reads as a name of its own). Both are reported, never
    # dropped in silence, and nothing with a control character is written.
    expect "ls refuses a name with a tab" 0 'name "tab\\x09here" refused' -- \
        ls "$(url "$base/control")"
    check "ls still lists the readable entry" grep -qP "\tok$" "$out"
    expect "ls says a line split by a newline in a name is unreadable" 0 \
        "unreadable listing line" -- ls "$(url "$base/newline")"
    check "ls still lists the readable entry" grep -qP "\tok$" "$out"
    rm -rf "$work/tree"
    mkdir "$work/tree"
    expect "get -r reports the refused name and exits 9 (incomplete)" 9 'tab\\x09here" refused' -- \
        get -r "$(url "$base/control")" "$work/tree"
    check "get -r copied the readable file and nothing with a control character" eval \
        '[ "$(cat "$work/tree/control/ok")" = ok ] && [ -z "$(find "$work/tree" -name "*[[:cntrl:]]*")" ]'

    # Errors: exit codes and what they say.
    expect "get of a missing file exits 6 with the server's reply" 6 \
        "^wharf-cli: RETR: .*\"550 " -- get "$(url "$base/list/missing.txt")" "$work/missing"
    check "it left no local file" absent "$work/missing"
    echo precious >"$work/kept"
    expect "get of a missing file onto a local one exits 6" 6 "550" -- \
        get "$(url "$base/list/missing.txt")" "$work/kept"
    check "the local file is untouched" test "$(cat "$work/kept")" = precious
    expect "rm of a missing file exits 6" 6 "DELE: .*550" -- rm "$(url "$base/list/missing.txt")"
    expect "put into a missing folder exits 6" 6 "STOR: .*55[03]" -- \
        put "$work/upload.bin" "$(url "$base/no such folder")/"
    expect "mkdir below a missing folder exits 6" 6 "MKD: .*550" -- \
        mkdir "$(url "$base/no/such")"
    expect "get into a missing local folder exits 7" 7 "[Cc]annot open" -- \
        get "$(url "$base/list/plain.txt")" "$work/no/such/file"
    password=wrong-password expect "wrong password exits 5" 5 "Login refused: .*530" -- \
        ls "$(url "$base")"
done

# --ascii: TYPE A for the transfer, CRLF on the wire, LF on both disks (vsftpd converts
# too); then TYPE I again for a byte-exact copy. A download without Wharf's conversion
# would keep vsftpd's CRs; an upload without TYPE A would keep the local file's.
use vsftpd
disk=$root/$base
mkdir -p "$disk/text" && chown "$owner" "$disk/text"
printf 'alpha\nbeta\n\ngamma\n' >"$work/lf.txt"
printf 'one\r\ntwo\r\n\r\nthree\r\n' >"$work/crlf.txt"
printf 'one\ntwo\n\nthree\n' >"$work/crlf-as-lf.txt"
WHARF_PASSWORD=$password "$cli" --timeout 20 "${tls[@]}" --verbose ftp put --ascii \
    "$work/lf.txt" "$(url "$base/text")/" >"$out" 2>"$err" || true
check "put --ascii switched to TYPE A and back" eval \
    'grep -q "TYPE A" "$err" && same_content "$work/lf.txt" "$disk/text/lf.txt"'
expect "put --ascii of a CRLF file" 0 "" -- put --ascii "$work/crlf.txt" "$(url "$base/text")/"
check "the server stored it with LF line ends" same_content "$work/crlf-as-lf.txt" "$disk/text/crlf.txt"
rm -f "$work/back.txt"
expect "get --ascii" 0 "" -- get --ascii "$(url "$base/text/lf.txt")" "$work/back.txt"
check "get --ascii turned the server's CRLF back into LF" same_content "$work/lf.txt" "$work/back.txt"
printf 'keep\r\nme\r\n' >"$disk/text/dos.txt"
expect "get without --ascii" 0 "" -- get "$(url "$base/text/dos.txt")" "$work/dos.txt"
check "a TYPE I copy is byte for byte" same_content "$disk/text/dos.txt" "$work/dos.txt"
expect "--ascii with --resume is refused" 2 "--ascii cannot be combined with --resume" -- \
    get --ascii --resume "$(url "$base/text/lf.txt")" "$work/back.txt"
WHARF_PASSWORD=$password "$cli" --timeout 20 "${tls[@]}" --verbose ftp ls \
    "$(url "$base/text")" >"$out" 2>"$err" || true
check "ls --verbose names the server's system (SYST)" \
    grep -q "server system (SYST): UNIX Type: L8" "$err"

# Implicit FTPS: ftps:// speaks TLS from the first byte (vsftpd implicit_ssl=YES).
use vsftpd
server=vsftpd-implicit
site=ftps://$VSFTPD_USER@127.0.0.1:$VSFTPD_IMPLICIT_PORT
mkdir -p "$disk/implicit" && chown "$owner" "$disk/implicit"
head -c 100000 /dev/urandom >"$work/implicit.bin"
expect "put over implicit FTPS" 0 "" -- put "$work/implicit.bin" "$(url "$base/implicit")/"
expect "ls over implicit FTPS" 0 $'^file\t100000\t.*\timplicit\.bin$' -- ls "$(url "$base/implicit")"
rm -f "$work/implicit.copy"
expect "get over implicit FTPS" 0 "" -- get "$(url "$base/implicit/implicit.bin")" "$work/implicit.copy"
check "the copy has the original's SHA-256" eval \
    '[ "$(sha256sum <"$work/implicit.bin")" = "$(sha256sum <"$work/implicit.copy" 2>/dev/null)" ]'
site=ftps://$VSFTPD_USER@127.0.0.1:$VSFTPD_PLAIN_PORT
expect "ftps:// to a plain FTP server fails closed, exit 4" 4 "TLS" -- ls "$(url "$base")"

use pyftpdlib
# MLSD lists folders only: ls of a file shows its facts through MLST.
expect "ls of a single file (MLST)" 0 $'^file\t1234\t.*\tplain\.txt$' -- \
    ls "$(url "$base/list/plain.txt")"
check "ls of a file prints that one line" test "$(wc -l <"$out")" -eq 1
# pyftpdlib refuses MLSD of a missing folder (vsftpd's empty LIST: at the end).
expect "ls of a missing folder exits 6" 6 "MLSD: .*501 No such directory" -- \
    ls "$(url "$base/missing")"
tls=()
expect "plain FTP without --tls none fails closed, exit 4" 4 "without TLS" -- ls "$(url "$base")"
use vsftpd
tls=()
expect "untrusted certificate exits 4" 4 "^wharf-cli: Untrusted certificate for 127\.0\.0\.1:$VSFTPD_PORT" -- \
    ls "$(url "$base")"
tls=(--cacert "$WHARF_TEST_PKI/other-ca.pem")
expect "certificate of another CA exits 4 (TLS 1.2 instance)" 4 "Untrusted certificate" -- \
    ls "ftp://$VSFTPD_USER@127.0.0.1:$VSFTPD_TLS12_PORT/$base"
use vsftpd
expect "ls of a missing folder on vsftpd (an empty LIST, then CWD) exits 6" 6 \
    "listed nothing for .*missing and cannot enter it: .*550" -- ls "$(url "$base/missing")"
expect "ls of an empty folder on vsftpd exits 0" 0 "" -- ls "$(url "$base/list/sub")"
check "ls of an empty folder prints nothing" test ! -s "$out"
# A tree walk lists the empty folder first: the next listing's relative path must still
# start from the login folder.
mkdir -p "$root/$base/walk/a-empty" "$root/$base/walk/b-full"
echo full >"$root/$base/walk/b-full/f"
chown -R "$owner" "$root/$base/walk"
rm -rf "$work/walk"
expect "get -r of a tree with an empty folder on vsftpd" 0 "" -- \
    get -r "$(url "$base/walk")" "$work/walk"
check "the empty folder and the next folder's file arrived" eval \
    '[ -d "$work/walk/a-empty" ] && [ "$(cat "$work/walk/b-full/f" 2>/dev/null)" = full ]'

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all checks passed"
