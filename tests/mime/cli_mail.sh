#!/usr/bin/env bash
# wharf-cli mail compose, then mail parse --json on what it wrote: what a script sees.
set -euo pipefail
cli=${1:?usage: cli_mail.sh WHARF_CLI}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'Hello J\xc3\xbcrgen,\nsee attached.\n' >"$work/body.txt"
printf '<p>Hello <b>J\xc3\xbcrgen</b></p>\n' >"$work/body.html"
head -c 5000 /dev/urandom >"$work/résumé (final).pdf"

"$cli" mail compose --from 'Änne Ä <anne@example.org>' --to 'b@example.org, "Bee, B" <bee@example.org>' \
    --cc c@example.org --bcc secret@example.org --subject 'Grüße 日本 report' \
    --body-file "$work/body.txt" --html-file "$work/body.html" --attach "$work/résumé (final).pdf" \
    -o "$work/out.eml"
if grep -qi 'secret@example.org' "$work/out.eml"; then
    echo "FAIL: Bcc written into the message"; exit 1
fi
"$cli" --json mail parse "$work/out.eml" >"$work/out.json"
/usr/bin/python3 - "$work/out.json" "$work/résumé (final).pdf" <<'PY'
import hashlib, json, sys
message = json.load(open(sys.argv[1]))[0]
assert message["subject"] == "Grüße 日本 report", message["subject"]
assert message["from"] == [{"name": "Änne Ä", "address": "anne@example.org"}], message["from"]
assert [a["address"] for a in message["to"]] == ["b@example.org", "bee@example.org"], message["to"]
assert message["to"][1]["name"] == "Bee, B", message["to"]
assert [a["address"] for a in message["cc"]] == ["c@example.org"], message["cc"]
assert message["date"] and message["message_id"].startswith("<"), message
types = [p["content_type"] for p in message["parts"]]
assert types == ["text/plain", "text/html", "application/pdf"], types
pdf = message["parts"][2]
assert pdf["filename"] == "résumé (final).pdf", pdf
assert pdf["sha256"] == hashlib.sha256(open(sys.argv[2], "rb").read()).hexdigest(), pdf
PY
# Header injection through the subject is refused with a usage error.
if "$cli" mail compose --from a@example.org --to b@example.org --subject $'x\r\nBcc: evil@example.org' \
    -o "$work/bad.eml" 2>"$work/err"; then
    echo "FAIL: a subject with CRLF was accepted"; exit 1
fi
grep -q "Subject" "$work/err" && [ ! -e "$work/bad.eml" ]
echo "cli_mail: compose and parse agree"
