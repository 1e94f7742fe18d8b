#!/usr/bin/env python3
"""Does a Wharf store agree with Dovecot on one folder? Every server message (by its bytes'
SHA-256) has exactly one local file with the same system flags, and no local file is missing
from the server. Prints the server's message count; exits 1 and says what differs otherwise.

usage: imap_store_compare.py STORE_DIR FOLDER bodies|count
(env: DOVECOT_IMAP_PORT DOVECOT_USER DOVECOT_PASSWORD)
"""
import hashlib, imaplib, os, re, sys
store, folder, mode = sys.argv[1:4]
imap = imaplib.IMAP4("127.0.0.1", int(os.environ["DOVECOT_IMAP_PORT"]))
imap.login(os.environ["DOVECOT_USER"], os.environ["DOVECOT_PASSWORD"])
imap.select(folder, readonly=True)
typ, data = imap.uid("FETCH", "1:*", "(UID FLAGS BODY.PEEK[])")
server = {}
for item in data:
    if not isinstance(item, tuple):
        continue
    meta, body = item
    flags = set(re.search(rb"FLAGS \(([^)]*)\)", meta).group(1).split())
    server[hashlib.sha256(body).hexdigest()] = {f for f in flags if f in (b"\\Seen", b"\\Flagged", b"\\Answered", b"\\Draft")}
letters = {"S": b"\\Seen", "F": b"\\Flagged", "R": b"\\Answered", "D": b"\\Draft"}
local = {}
files = 0
directory = os.path.join(store, "." + folder)
for sub in ("cur", "new"):
    for name in os.listdir(os.path.join(directory, sub)):
        raw = open(os.path.join(directory, sub, name), "rb").read()
        files += 1
        info = name.split(":2,")[1] if ":2," in name else ""
        local[hashlib.sha256(raw).hexdigest()] = {letters[c] for c in info if c in letters}
problems = []
if mode == "bodies":
    if files != len(local):
        problems.append(f"{files - len(local)} local files are copies of another")
    if set(server) != set(local):
        problems.append(f"{len(set(server) - set(local))} server messages missing locally, "
                        f"{len(set(local) - set(server))} local files not on the server")
    for digest in set(server) & set(local):
        if server[digest] != local[digest]:
            problems.append(f"flags differ: server {server[digest]} local {local[digest]}")
            break
print(len(server))
if problems:
    print("; ".join(problems), file=sys.stderr)
    sys.exit(1)
