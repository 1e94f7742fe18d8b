#!/usr/bin/python3
"""Fills a folder of the test Dovecot (tests/servers/dovecot.sh) with generated mail, fast,
or changes it the way another client would.

Fill: writes Maildir files straight into the folder (created with doveadm if missing),
owned by DOVECOT_SYSTEM_USER, then lets `doveadm index` assign the UIDs. Messages are
deterministic for a seed: unique Message-IDs, varied senders, recipients and subjects
(some RFC 2047 encoded words, some raw UTF-8), dates over two years in UID order (the
INTERNALDATE is the file's mtime), a quarter of them replies with In-Reply-To and
References. Size mixes:
  realistic  85 % text/plain of 2-8 KiB, 5 % text + HTML alternatives, 9.5 % with one or
             two attachments of 4-40 KiB, 0.5 % with an attachment of about 200 KiB
  text       only the 2-8 KiB text/plain messages
  tiny       text/plain of a few hundred bytes (quick tests)

Change (--change-flags R and/or --expunge R, no --count): picks a fraction R of the
folder's messages (deterministic for seed and folder, the two sets disjoint), toggles
\\Seen on each changed one and also \\Flagged on every fourth, or expunges them, through
doveadm (so a connected IMAP client sees the changes as another client's). --json prints
what changed: {"flags_changed": [{"uid": N, "flags": [...]}], "expunged": [N...], ...}.

Run as root (files are chowned to the system user) or as DOVECOT_SYSTEM_USER.
Usage: imap_fill.py --env STATE_DIR/dovecot.env --folder NAME --count N [--seed S]
                    [--size-mix realistic|text|tiny] [--flags-ratio F] [--json]
       imap_fill.py --env ... --folder NAME [--change-flags R] [--expunge R] [--seed S] [--json]
"""

import argparse
import base64
import hashlib
import json
import os
import random
import subprocess
import sys
import time

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
               "Nov", "Dec")
ZONES = (0, 0, 60, 60, 120, -300, -300, -420, -480, 330, 540, 600)
TWO_YEARS = 2 * 365 * 86400
# The newest message is dated 2024-06-01, so a fill does not depend on today's date.
NEWEST = 1717200000

WORDS = """
the to and of a in is that for it you on be this with we have are will not as at can
your if all but our so from was or please about would by there just more also what one
they any know team let time new some get should which work like need out up project when
could think update here week thanks see next has them do their been review only make
because how other then good into still release meeting plan back today data people first
change issue call well help now send over after same last year test build version
support report customer question before order file note number find check days morning
friday monday group fix problem service working agree point something product sure since
budget server already yet each again system both few quick may price design attached
draft office access later open share early board great approve notes account sales
market feature month cost late happy item whole quarter decision schedule contract client
deadline figures table slides agenda minutes summary process forward user policy request
follow details payment invoice travel hotel flight lunch dinner room floor building
parking holiday weekend evening afternoon coffee kitchen printer laptop screen network
password backup restore database query index cache memory storage disk upload download
install upgrade patch branch merge commit pipeline deploy rollback incident outage alert
monitor dashboard metric target goal estimate risk scope priority milestone roadmap
launch campaign newsletter website article video photo conference workshop training
survey feedback comment answer reply thread message address phone street city garden
""".split()
UTF8_WORDS = ("Grüße", "naïve", "Zürich", "café", "façade", "Ærøskøbing", "smörgåsbord",
              "Łódź", "привет", "東京", "こんにちは", "München", "déjà", "señor", "€100")
FIRST = ("Amelia Oliver Isla Noah Ava Leo Mia Arthur Ivy Oscar Freya Theo Lily Finn Grace "
         "Luca Zara Hugo Nora Felix Chloe Jasper Ella Milo Ada Ezra Iris Rowan Maya Silas "
         "Priya Arjun Fatima Omar Ingrid Lars Chiara Marco Anouk Sven Camille Elena").split()
LAST = ("Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Wright Walker Green "
        "Hughes Edwards Hall Wood Clarke Lewis Harris Martin Jackson Moore Berg Rossi Dubois "
        "Novak Kowalski Jansen Larsen Silva Tanaka Kim Chen Singh Haddad Okafor").split()
UTF8_NAMES = ("José Núñez", "Zoë Müller", "Søren Kierkegård", "Anaïs Lefèvre",
              "Łukasz Żółw", "Dvořák Antonín", "山田 太郎", "Ольга Иванова", "Björk Guðmundsdóttir")
DOMAINS = ("example.com", "example.org", "example.net", "mail.example.com",
           "lists.example.org", "corp.example", "università.example")
LISTS = ("[dev]", "[announce]", "[ops]", "[board]")
ATTACHMENTS = (("application/pdf", "report.pdf"), ("image/png", "screenshot.png"),
               ("image/jpeg", "photo.jpg"), ("application/zip", "logs.zip"),
               ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "minutes.docx"), ("application/octet-stream", "Übersicht März.bin"))


def q_word(text, charset="UTF-8"):
    """RFC 2047 "Q" encoded word."""
    out = []
    for b in text.encode("utf-8" if charset == "UTF-8" else "latin-1"):
        c = chr(b)
        if c.isalnum() and b < 128:
            out.append(c)
        elif c == " ":
            out.append("_")
        else:
            out.append(f"={b:02X}")
    return f"=?{charset}?Q?{''.join(out)}?="


def b_word(text):
    return f"=?UTF-8?B?{base64.b64encode(text.encode()).decode()}?="


class Generator:
    """Deterministic messages for one seed and folder; message(i) must be called in order."""

    def __init__(self, seed, folder, size_mix):
        self.rng = random.Random(f"imap_fill:{seed}:{folder}")
        self.size_mix = size_mix
        self.tag = hashlib.sha1(f"{seed}:{folder}".encode()).hexdigest()[:10]
        self.message_ids, self.subjects, self.references = [], [], []
        self.people = self._people()
        # Bodies are slices of pools made once, so a message costs a few string operations.
        self.ascii_pool = self._text_pool(False)
        self.utf8_pool = self._text_pool(True)
        raw = self.rng.randbytes(240 * 1024)
        self.b64_pool = base64.encodebytes(raw).decode()  # lines of 76 + "\n"

    def _people(self):
        rng, people = self.rng, []
        for n in range(300):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            domain = rng.choice(DOMAINS)
            local = f"{first}.{last}{n}".lower()
            style = rng.random()
            if style < 0.08:
                name = rng.choice(UTF8_NAMES)
                shown = f"{q_word(name) if rng.random() < 0.5 else b_word(name)} <{local}@{domain}>"
            elif style < 0.11:
                shown = f"{rng.choice(UTF8_NAMES)} <{local}@{domain}>"  # raw UTF-8 header
            elif style < 0.25:
                shown = f'"{last}, {first}" <{local}@{domain}>'
            elif style < 0.32:
                shown = f"{local}@{domain}"
            else:
                shown = f"{first} {last} <{local}@{domain}>"
            people.append((shown, domain))
        return people

    def _text_pool(self, utf8):
        rng, lines, size = self.rng, [], 0
        while size < 256 * 1024:
            words, length = [], 0
            target = rng.randrange(40, 76)
            while length < target:
                w = rng.choice(UTF8_WORDS) if utf8 and rng.random() < 0.08 else rng.choice(WORDS)
                words.append(w)
                length += len(w) + 1
            line = " ".join(words)
            if rng.random() < 0.1:
                line = "> " + line
            lines.append(line[0].upper() + line[1:] + ("." if rng.random() < 0.3 else ""))
            if rng.random() < 0.15:
                lines.append("")
            size += length
        return "\n".join(lines) + "\n"

    def _slice(self, pool, length):
        start = pool.find("\n", self.rng.randrange(0, len(pool) - length - 200)) + 1
        end = pool.find("\n", start + length)
        return pool[start:end + 1]

    def _base64(self, length):
        lines = max(1, length // 77)
        start = self.rng.randrange(0, len(self.b64_pool) // 77 - lines) * 77
        return self.b64_pool[start:start + lines * 77]

    def _subject(self):
        rng = self.rng
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(2, 7)))
        text = words[0].upper() + words[1:]
        kind = rng.random()
        if kind < 0.06:
            return b_word(f"{text} {rng.choice(UTF8_WORDS)}")
        if kind < 0.10:
            return q_word(f"{text} {rng.choice(UTF8_WORDS)}")
        if kind < 0.12:
            return q_word(f"{text} für Müller", "ISO-8859-1")
        if kind < 0.16:
            return f"{text} {rng.choice(UTF8_WORDS)}"  # raw UTF-8
        if kind < 0.24:
            return f"{rng.choice(LISTS)} {text}"
        if kind < 0.28:
            return f"Invoice #{rng.randrange(10000, 99999)} for {rng.choice(WORDS)}"
        return text

    def _date(self, when):
        zone = self.rng.choice(ZONES)
        t = time.gmtime(when + zone * 60)
        sign = "-" if zone < 0 else "+"
        return (f"{DAY_NAMES[t.tm_wday]}, {t.tm_mday} {MONTH_NAMES[t.tm_mon - 1]} {t.tm_year} "
                f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} "
                f"{sign}{abs(zone) // 60:02d}{abs(zone) % 60:02d}")

    def _kind(self):
        if self.size_mix != "realistic":
            return self.size_mix
        r = self.rng.random()
        if r < 0.005:
            return "large"
        if r < 0.10:
            return "attachments"
        if r < 0.15:
            return "alternative"
        return "text"

    def message(self, i, when):
        """(bytes, kind) of message i, dated `when` (Unix time)."""
        rng = self.rng
        sender, domain = rng.choice(self.people)
        recipients = [p[0] for p in rng.sample(self.people, rng.randrange(1, 4))]
        mid = f"<{i}.{self.tag}@{domain}>"
        headers = [f"Return-Path: <{sender.rpartition('<')[2].rstrip('>')}>",
                   f"Message-ID: {mid}", f"Date: {self._date(when)}", f"From: {sender}",
                   "To: " + ",\n\t".join(recipients)]
        if rng.random() < 0.2:
            headers.append("Cc: " + rng.choice(self.people)[0])
        refs = ""
        if i > 0 and rng.random() < 0.25:
            parent = max(0, i - rng.randrange(1, 300))
            subject = self.subjects[parent]
            if not subject.startswith("Re: "):
                subject = "Re: " + subject
            refs = (self.references[parent] + " " + self.message_ids[parent]).strip()
            refs = " ".join(refs.split()[-8:])
            headers.append(f"In-Reply-To: {self.message_ids[parent]}")
            headers.append("References: " + refs.replace(" ", "\n "))
        else:
            subject = self._subject()
        headers.append(f"Subject: {subject}")
        headers.append("MIME-Version: 1.0")
        self.message_ids.append(mid)
        self.subjects.append(subject)
        self.references.append(refs)

        kind = self._kind()
        utf8 = rng.random() < 0.3
        pool = self.utf8_pool if utf8 else self.ascii_pool
        plain_headers = ("Content-Type: text/plain; charset=" + ("utf-8" if utf8 else "us-ascii")
                         + "\nContent-Transfer-Encoding: " + ("8bit" if utf8 else "7bit"))
        if kind == "tiny":
            body = plain_headers + "\n\n" + self._slice(pool, rng.randrange(100, 400))
        elif kind == "text":
            body = plain_headers + "\n\n" + self._slice(pool, rng.randrange(1400, 7400))
        else:
            boundary = f"=_wharf_{self.tag}_{i}"
            text = self._slice(pool, rng.randrange(600, 3000))
            parts = [plain_headers + "\n\n" + text]
            if kind == "alternative":
                subtype = "alternative"
                paragraphs = text.replace("\n\n", "</p>\n<p>")
                html = f"<html><body>\n<p>{paragraphs}</p>\n</body></html>\n"
                parts.append("Content-Type: text/html; charset=" + ("utf-8" if utf8 else "us-ascii")
                             + "\nContent-Transfer-Encoding: " + ("8bit" if utf8 else "7bit")
                             + "\n\n" + html)
            else:
                subtype = "mixed"
                count = 1 if kind == "large" or rng.random() < 0.7 else 2
                for _ in range(count):
                    ctype, name = rng.choice(ATTACHMENTS)
                    size = (rng.randrange(195000, 210000) if kind == "large"
                            else rng.randrange(4096, 40960))
                    if name.isascii():
                        disposition = f'attachment; filename="{name}"'
                    else:  # RFC 2231
                        encoded = "".join(c if c.isascii() and c.isalnum() or c in ".-_" else
                                          "".join(f"%{b:02X}" for b in c.encode()) for c in name)
                        disposition = f"attachment; filename*=utf-8''{encoded}"
                    parts.append(f"Content-Type: {ctype}\nContent-Transfer-Encoding: base64\n"
                                 f"Content-Disposition: {disposition}\n\n" + self._base64(size))
            body = (f'Content-Type: multipart/{subtype}; boundary="{boundary}"\n\n'
                    "This is a multi-part message in MIME format.\n\n"
                    + "".join(f"--{boundary}\n{p}\n" for p in parts) + f"--{boundary}--\n")
        return ("\n".join(headers) + "\n" + body).encode(), kind


class Dovecot:
    def __init__(self, env_path):
        self.env = {}
        try:
            with open(env_path, encoding="utf-8") as f:
                for line in f:
                    key, sep, value = line.rstrip("\n").partition("=")
                    if sep and not key.startswith("#"):
                        self.env[key] = value
        except OSError as e:
            sys.exit(f"imap_fill: cannot read {env_path}: {e.strerror} "
                     "(start the server first: tests/servers/dovecot.sh start STATE_DIR)")
        for key in ("DOVECOT_CONF", "DOVECOT_USER", "DOVECOT_SYSTEM_USER"):
            if key not in self.env:
                sys.exit(f"imap_fill: {env_path} has no {key}")
        self.user = self.env["DOVECOT_USER"]

    def run(self, *args, check=True):
        result = subprocess.run(["doveadm", "-c", self.env["DOVECOT_CONF"], *args],
                                capture_output=True, text=True)
        if check and result.returncode != 0:
            sys.exit(f"imap_fill: doveadm {' '.join(args[:2])} failed (exit {result.returncode}): "
                     f"{(result.stderr or result.stdout).strip()}")
        return result

    def ensure_folder(self, folder):
        """The folder's Maildir directory, creating the folder if needed."""
        if self.run("mailbox", "status", "-u", self.user, "messages", folder,
                    check=False).returncode != 0:
            self.run("mailbox", "create", "-u", self.user, folder)
        path = self.run("mailbox", "path", "-u", self.user, folder).stdout.strip()
        if not os.path.isdir(os.path.join(path, "cur")):
            sys.exit(f"imap_fill: {path}/cur missing: is the mailbox format Maildir?")
        return path

    def status(self, folder):
        head, values = self.run("-f", "tab", "mailbox", "status", "-u", self.user,
                                "messages uidnext uidvalidity highestmodseq",
                                folder).stdout.splitlines()[:2]
        return {k: int(v) for k, v in zip(head.split("\t"), values.split("\t")) if k != "mailbox"}

    def uid_flags(self, folder):
        out = self.run("-f", "tab", "fetch", "-u", self.user, "uid flags", "mailbox", folder,
                       "all").stdout.splitlines()
        result = {}
        for line in out[1:]:  # a header line first
            uid, _, flags = line.partition("\t")
            result[int(uid)] = [f for f in flags.split() if f != "\\Recent"]
        return result


def uid_sets(uids, limit=60000):
    """Compact UID sets ("1:5,9") for doveadm's `uid` search key, each under `limit` chars
    (one argv string may not exceed 128 KiB)."""
    ranges, sets, current = [], [], ""
    for uid in sorted(uids):
        if ranges and ranges[-1][1] == uid - 1:
            ranges[-1][1] = uid
        else:
            ranges.append([uid, uid])
    for lo, hi in ranges:
        item = str(lo) if lo == hi else f"{lo}:{hi}"
        if current and len(current) + len(item) + 1 > limit:
            sets.append(current)
            current = ""
        current = f"{current},{item}" if current else item
    if current:
        sets.append(current)
    return sets


def fill(dovecot, args):
    path = dovecot.ensure_folder(args.folder)
    cur = os.path.join(path, "cur")
    chown = os.geteuid() == 0
    if chown:
        import pwd
        account = pwd.getpwnam(dovecot.env["DOVECOT_SYSTEM_USER"])
        uid, gid = account.pw_uid, account.pw_gid
    gen = Generator(args.seed, args.folder, args.size_mix)
    flag_rng = random.Random(f"imap_fill:flags:{args.seed}:{args.folder}")
    started = time.monotonic()
    # Strictly increasing dates, one slot per message over two years: Dovecot gives new
    # files their UIDs in the order of the time their names start with.
    slot = TWO_YEARS / args.count
    oldest = NEWEST - TWO_YEARS
    kinds, total, seen = {}, 0, 0
    for i in range(args.count):
        when = int(oldest + i * slot + gen.rng.random() * (slot - 1))
        data, kind = gen.message(i, when)
        flags = ""
        r = flag_rng.random()
        if r < args.flags_ratio:
            seen += 1
            flags = "S"
            if flag_rng.random() < 0.06:
                flags = "RS"
        if flag_rng.random() < 0.03:
            flags = "F" + flags
        virtual = len(data) + data.count(b"\n")  # the size with CRLF line ends
        name = f"{when}.M{i}P{gen.tag}.wharf-fill,S={len(data)},W={virtual}:2,{flags}"
        try:
            fd = os.open(os.path.join(cur, name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            sys.exit(f"imap_fill: {args.folder} already holds message {i} of seed {args.seed} "
                     "(filled before?): add more with another --seed")
        try:
            os.write(fd, data)
            if chown:
                os.fchown(fd, uid, gid)
            os.utime(fd, (when, when))  # the INTERNALDATE
        finally:
            os.close(fd)
        kinds[kind] = kinds.get(kind, 0) + 1
        total += len(data)
    written = time.monotonic() - started
    dovecot.run("index", "-u", dovecot.user, args.folder)
    status = dovecot.status(args.folder)
    report = {"folder": args.folder, "created": args.count, "bytes": total, "kinds": kinds,
              "seen": seen, "seed": args.seed, "size_mix": args.size_mix,
              "write_seconds": round(written, 3),
              "total_seconds": round(time.monotonic() - started, 3), **status}
    if args.json:
        print(json.dumps(report))
    else:
        mix = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
        print(f"imap_fill: {args.folder}: created {args.count} messages "
              f"({total / 1048576:.1f} MiB: {mix}; {seen} seen) in {report['total_seconds']:.1f} s "
              f"(files {written:.1f} s); folder now has {status['messages']} messages, "
              f"uidvalidity {status['uidvalidity']}, uidnext {status['uidnext']}")


def change(dovecot, args):
    before = dovecot.status(args.folder)
    flags = dovecot.uid_flags(args.folder)
    uids = sorted(flags)
    rng = random.Random(f"imap_fill:change:{args.seed}:{args.folder}:{before['uidvalidity']}")
    order = rng.sample(uids, len(uids))

    def how_many(ratio):
        return 0 if ratio <= 0 else min(len(uids), max(1, round(ratio * len(uids))))

    n_expunge = how_many(args.expunge)
    n_change = min(how_many(args.change_flags), len(uids) - n_expunge)
    expunged = sorted(order[:n_expunge])
    changed = sorted(order[n_expunge:n_expunge + n_change])

    edits = {("add", "\\Seen"): [], ("remove", "\\Seen"): [], ("add", "\\Flagged"): [],
             ("remove", "\\Flagged"): []}
    for n, uid in enumerate(changed):
        toggled = ["\\Seen"] + (["\\Flagged"] if n % 4 == 0 else [])
        for flag in toggled:
            if flag in flags[uid]:
                edits[("remove", flag)].append(uid)
                flags[uid].remove(flag)
            else:
                edits[("add", flag)].append(uid)
                flags[uid].append(flag)
    for (verb, flag), targets in edits.items():
        for uid_set in uid_sets(targets):
            dovecot.run("flags", verb, "-u", dovecot.user, flag, "mailbox", args.folder,
                        "uid", uid_set)
    for uid_set in uid_sets(expunged):
        dovecot.run("expunge", "-u", dovecot.user, "mailbox", args.folder, "uid", uid_set)
    after = dovecot.status(args.folder)
    if args.json:
        print(json.dumps({
            "folder": args.folder, "uidvalidity": after["uidvalidity"],
            "messages_before": before["messages"], "messages_after": after["messages"],
            "highestmodseq_before": before["highestmodseq"],
            "highestmodseq_after": after["highestmodseq"],
            "flags_changed": [{"uid": uid, "flags": sorted(flags[uid])} for uid in changed],
            "expunged": expunged}))
    else:
        counts = ", ".join(f"{verb} {flag} {len(t)}" for (verb, flag), t in edits.items())
        print(f"imap_fill: {args.folder}: changed flags of {len(changed)} messages ({counts}), "
              f"expunged {len(expunged)}; {after['messages']} messages left, highestmodseq "
              f"{before['highestmodseq']} -> {after['highestmodseq']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\nUsage:")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--env", required=True, help="STATE_DIR/dovecot.env")
    parser.add_argument("--folder", required=True, help="IMAP name, e.g. INBOX or Bench/Big")
    parser.add_argument("--count", type=int, help="messages to add")
    parser.add_argument("--seed", type=int, default=1,
                        help="the same seed and folder give the same mail (default 1)")
    parser.add_argument("--size-mix", choices=("realistic", "text", "tiny"), default="realistic",
                        help="see above (default realistic)")
    parser.add_argument("--flags-ratio", type=float, default=0.7,
                        help="fraction of new messages marked \\Seen (default 0.7)")
    parser.add_argument("--change-flags", type=float, default=0, metavar="RATIO",
                        help="toggle \\Seen (and on every fourth \\Flagged) on this fraction")
    parser.add_argument("--expunge", type=float, default=0, metavar="RATIO",
                        help="expunge this fraction of the folder's messages")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args()
    changing = args.change_flags > 0 or args.expunge > 0
    if changing == (args.count is not None):
        parser.error("give either --count N (fill) or --change-flags/--expunge (change)")
    if args.count is not None and args.count < 1:
        parser.error("--count must be at least 1")
    for name in ("flags_ratio", "change_flags", "expunge"):
        if not 0 <= getattr(args, name) <= 1:
            parser.error(f"--{name.replace('_', '-')} must be between 0 and 1")
    dovecot = Dovecot(args.env)
    (change if changing else fill)(dovecot, args)


if __name__ == "__main__":
    main()
