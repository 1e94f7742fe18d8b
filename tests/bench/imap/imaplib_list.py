#!/usr/bin/python3
"""The header-list peer of tests/bench/imap: Python's imaplib logs in, EXAMINEs the folder
and fetches UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE of every message in one
UID FETCH 1:* command, as `wharf-cli imap list` does. imaplib only splits the response
into lines and literals; it does not parse the ENVELOPEs.

Prints one JSON line: the messages listed, the seconds from before the connection to the
end of the fetch (login and fetch), and those of the fetch alone. The password is read from
WHARF_PASSWORD.
--items fetches other items: the header sync's, for the peer of the header sync.
Usage: imaplib_list.py imaps|imap HOST PORT USER FOLDER [--cafile CA.pem] [--items ITEMS]
"""

import argparse
import imaplib
import json
import os
import ssl
import sys
import time

ITEMS = "(UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE)"


def quoted(name):
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scheme", choices=("imaps", "imap"))
    parser.add_argument("host")
    parser.add_argument("port", type=int)
    parser.add_argument("user")
    parser.add_argument("folder", help="ASCII folder name")
    parser.add_argument("--cafile", help="trust this CA (IMAPS)")
    parser.add_argument("--items", default=ITEMS,
                        help="the FETCH items (default: those of `wharf-cli imap list`)")
    args = parser.parse_args()
    password = os.environ.get("WHARF_PASSWORD")
    if password is None:
        sys.exit("imaplib_list: set WHARF_PASSWORD")

    start = time.monotonic()
    if args.scheme == "imaps":
        context = ssl.create_default_context(cafile=args.cafile)
        imap = imaplib.IMAP4_SSL(args.host, args.port, ssl_context=context)
    else:
        imap = imaplib.IMAP4(args.host, args.port)
    imap.login(args.user, password)
    status, data = imap.select(quoted(args.folder), readonly=True)
    if status != "OK":
        sys.exit(f"imaplib_list: EXAMINE {args.folder}: {data}")
    fetch_start = time.monotonic()
    status, data = imap.uid("FETCH", "1:*", args.items)
    end = time.monotonic()
    if status != "OK":
        sys.exit(f"imaplib_list: UID FETCH: {data}")
    # Each literal of a response arrives as a (text before, literal) tuple; every response
    # ends with one bytes item (the whole response when it has no literal).
    messages = sum(1 for item in data if isinstance(item, bytes))
    imap.logout()
    print(json.dumps({"messages": messages, "login_fetch_s": end - start,
                      "fetch_s": end - fetch_start}))


if __name__ == "__main__":
    main()
