#!/usr/bin/python3
"""Writes a realistic mailbox as one mbox file for the store benchmark.

Messages of 1 to 20 KB (log-uniform), from a few hundred people with a few very chatty
ones, a third of them replies in threads (Re: subjects, In-Reply-To, References), plain
text, quoted-printable, text + HTML alternatives and about one in ten with a base64
attachment; dates over five years, oldest first, as a mailbox grows. Body words follow a
Zipf law over a common-English vocabulary, so a search meets common and rare words as it
would in real mail. The same seed gives the same bytes.

Prints one JSON line: the count, the size and the search terms the benchmark uses with how
many messages hold each (a rare word, a common word, an address, a two-word query).

Usage: generate_mbox.py OUT.mbox [--count N] [--seed S]
"""

import argparse
import base64
import email.utils
import json
import math
import quopri
import random
import re
from datetime import datetime, timedelta, timezone

VOCABULARY = """
the to and of a in is that for it you on be this with we have are will not as at
can your if all but our so from was or please about would by there just more also
what one they any know team let time new some get should which work like need out up
project when me could think update here week thanks see next has them do their been
review only make because how other then good into still release meeting other plan back
today data people first change issue call well help now send over after same last year
test build version support report customer question before order file note number find
check days morning friday monday group fix problem service working agree point
something product sure since those around tomorrow looks list while where point thing
budget server already yet went each again system both few quick may price design
attached draft office access later open change share early board great approve notes
account sales market feature month cost plan late happy item whole quarter review
decision schedule contract client deadline figures table slides agenda minutes summary
process team support forward user support policy request follow details payment invoice
travel hotel flight lunch dinner room floor building parking holiday leave sick weekend
evening afternoon coffee kitchen printer laptop screen network password backup restore
database query index cache memory storage disk upload download install upgrade patch
branch merge commit pipeline deploy rollback incident outage alert monitor dashboard
metric target goal estimate risk scope priority milestone roadmap launch campaign
newsletter website article blog video photo picture camera conference keynote speaker
workshop training course exam result score ranking survey feedback comment answer reply
thread message mail address phone mobile number street city country region office
garden kitchen bicycle train station airport taxi ticket museum concert theatre festival
""".split()

FIRST_NAMES = """
Amelia Oliver Isla Noah Ava Leo Mia Arthur Ivy Oscar Freya Theo Lily Finn Grace Luca
Zara Hugo Nora Felix Chloe Jasper Ella Milo Ada Ezra Iris Rowan Maya Silas Leah Jude
Sofia Mateo Yuki Kenji Priya Arjun Fatima Omar Ingrid Lars Chiara Marco Anouk Sven
Camille Louis Elena Pablo Aiko Hiro Nadia Tariq Grete Jonas Ines Tomas Malik Wren
""".split()
LAST_NAMES = """
Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Wright Walker Green
Hughes Edwards Okafor Nguyen Garcia Martin Rossi Muller Novak Kowalski Jensen Larsen
Dubois Moreau Silva Santos Tanaka Sato Kim Park Chen Wang Ivanova Petrov Haddad Khan
Fischer Weber Bakker Visser Nilsson Berg Costa Ferreira Russo Bianchi Lopez Ortega
""".split()
DOMAINS = """
northwind.example contoso.example fabrikam.example initech.example globex.example
umbrella.example hooli.example acme.example example.org example.net mail.example
tailspin.example wingtip.example adventure-works.example litware.example proseware.example
""".split()
SUBJECT_TEMPLATES = [
    "{t} for {m}", "Question about the {n}", "{t} {n} draft", "Minutes: {t} {n}",
    "Re-scheduling the {n} {t}", "{n} {t} ({m})", "Quick question", "Notes from the {n} call",
    "Invoice {num} for {m}", "[{tag}] {t} {n} update", "Your {n} request #{num}",
    "Reminder: {t} on {d}", "Agenda for {d}", "{t} {n} figures", "FYI: {n} {t}",
    "Lunch {d}?", "Travel plans for {m}", "Welcome to the {n} team", "{tag} weekly digest",
]
TOPICS = ["Budget review", "Release plan", "Quarterly report", "Design review",
          "Team offsite", "Customer feedback", "Hiring plan", "Security audit",
          "Roadmap", "Migration", "Contract renewal", "Launch checklist", "Incident review"]
NOUNS = ["server", "website", "invoice", "contract", "database", "dashboard", "campaign",
         "budget", "workshop", "newsletter", "pipeline", "backup", "conference", "survey"]
TAGS = ["dev", "ops", "sales", "hr", "board", "infra", "support", "news"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
ACCENTED = ["café", "Zürich", "naïve", "résumé", "Müller", "São Paulo", "Kraków", "fiancée"]
ATTACHMENTS = [("application/pdf", "report-{num}.pdf"), ("image/png", "photo_{num}.png"),
               ("application/zip", "archive-{num}.zip"),
               ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "figures {m}.xlsx"), ("image/jpeg", "IMG_{num}.jpg")]

RARE_WORD = "quillwort"
RARE_COUNT = 17
COMMON_WORD = "project"
TWO_WORDS = ("budget", "approve")
OWNER = ("Robin Fairweather", "robin.fairweather@northwind.example")


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        rng = self.rng
        weights = [1.0 / (rank + 1) for rank in range(len(VOCABULARY))]
        self.cumulative = list(_accumulate(weights))
        self.lines = [self._line() for _ in range(40000)]
        self.people = []
        seen = set()
        while len(self.people) < 600:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            domain = rng.choice(DOMAINS)
            address = f"{first}.{last}@{domain}".lower()
            if address in seen:
                continue
            seen.add(address)
            self.people.append((f"{first} {last}", address))
        # A few people write most of the mail, as in any mailbox.
        self.sender_weights = list(_accumulate(
            [1.0 / (rank + 1) ** 0.9 for rank in range(len(self.people))]))
        # The address query: someone in the middle of the ranking.
        self.searched_person = self.people[40]

    def _line(self):
        rng = self.rng
        words = rng.choices(VOCABULARY, cum_weights=self.cumulative, k=rng.randint(9, 14))
        if rng.random() < 0.01:
            words[rng.randrange(len(words))] = rng.choice(ACCENTED)
        words[0] = words[0].capitalize()
        text = " ".join(words)
        return text + rng.choice([".", ".", ".", ",", "?", "!", ";"])

    def _person(self):
        return self.rng.choices(self.people, cum_weights=self.sender_weights)[0]

    def _subject(self):
        rng = self.rng
        subject = rng.choice(SUBJECT_TEMPLATES).format(
            t=rng.choice(TOPICS), n=rng.choice(NOUNS), m=rng.choice(MONTHS),
            d=rng.choice(DAYS), tag=rng.choice(TAGS), num=rng.randint(1000, 99999))
        if rng.random() < 0.03:
            subject += " " + rng.choice(ACCENTED)
        return subject

    def _text(self, size, rare):
        """About `size` bytes of paragraphs; the rare word once when asked."""
        rng = self.rng
        lines = rng.choices(self.lines, k=max(2, size // 68))
        if rare:
            at = rng.randrange(len(lines))
            words = lines[at].split(" ")
            words[rng.randrange(1, len(words))] = RARE_WORD
            lines[at] = " ".join(words)
        out = []
        i = 0
        while i < len(lines):
            n = rng.randint(2, 7)
            out.append("\n".join(lines[i:i + n]))
            i += n
        return "\n\n".join(out)


def _accumulate(weights):
    total = 0.0
    for w in weights:
        total += w
        yield total


def _header(value):
    """An RFC 2047 encoded word when the value is not ASCII."""
    try:
        value.encode("ascii")
        return value
    except UnicodeEncodeError:
        return "=?utf-8?b?" + base64.b64encode(value.encode("utf-8")).decode() + "?="


def _address(person):
    name, address = person
    return email.utils.formataddr((_header(name), address))


FROM_LINE = re.compile(r"^(>*From )", re.M)


def generate(out_path, count, seed):
    gen = Generator(seed)
    rng = gen.rng
    clock = datetime(2021, 1, 4, 8, 0, tzinfo=timezone.utc)
    step = (5 * 365 * 86400) / count
    rare_at = set(rng.sample(range(count), RARE_COUNT))
    recent = []  # (message-id, references, subject) of messages one may reply to
    counts = {"rare": 0, "common": 0, "address": 0, "two_words": 0}
    total = 0
    common_re = re.compile(r"\b%s\b" % COMMON_WORD, re.I)
    two_re = [re.compile(r"\b%s\b" % w, re.I) for w in TWO_WORDS]
    with open(out_path, "w", encoding="utf-8", newline="\n") as out:
        for i in range(count):
            clock += timedelta(seconds=rng.expovariate(1.0 / step))
            sender = gen._person()
            if rng.random() < 0.15:
                sender = OWNER  # the owner's own sent mail, filed in the same folder
            recipients = [OWNER if sender != OWNER else gen._person()]
            recipients += [gen._person() for _ in range(rng.choice([0, 0, 0, 1, 2]))]
            cc = [gen._person() for _ in range(rng.choice([0, 0, 0, 0, 1, 3]))]
            message_id = f"{i:06d}.{rng.getrandbits(40):010x}@{sender[1].split('@')[1]}"
            headers = [("From", _address(sender)),
                       ("To", ", ".join(_address(p) for p in recipients))]
            if cc:
                headers.append(("Cc", ", ".join(_address(p) for p in cc)))
            reply_to = rng.choice(recent) if recent and rng.random() < 0.33 else None
            if reply_to:
                parent_id, parent_refs, parent_subject = reply_to
                subject = parent_subject if parent_subject.startswith("Re: ") \
                    else "Re: " + parent_subject
                references = (parent_refs + [parent_id])[-10:]
            else:
                subject, references = gen._subject(), []
            offset = timezone(timedelta(hours=rng.choice([-8, -5, 0, 0, 1, 1, 2, 9])))
            headers += [("Subject", _header(subject)),
                        ("Date", email.utils.format_datetime(clock.astimezone(offset))),
                        ("Message-ID", f"<{message_id}>")]
            if reply_to:
                headers += [("In-Reply-To", f"<{references[-1]}>"),
                            ("References", " ".join(f"<{r}>" for r in references))]
            headers.append(("MIME-Version", "1.0"))
            recent.append((message_id, references, subject))
            if len(recent) > 400:
                recent.pop(rng.randrange(200))

            size = int(math.exp(rng.uniform(math.log(1000), math.log(20000))))
            kind = rng.random()
            attachment = kind < 0.10 and size > 3000
            text_size = size // 3 if attachment else size - 600
            text = gen._text(max(200, text_size), i in rare_at)
            if reply_to:
                text += "\n\nOn an earlier day, someone wrote:\n> " + \
                    "\n> ".join(rng.choices(gen.lines, k=rng.randint(2, 6)))
            body_text = text
            if attachment:
                mime, name = rng.choice(ATTACHMENTS)
                name = name.format(num=rng.randint(1, 9999), m=rng.choice(MONTHS))
                blob = base64.encodebytes(rng.randbytes(max(500, (size - len(text)) * 3 // 4)))
                boundary = f"=_mixed_{rng.getrandbits(48):012x}"
                headers.append(("Content-Type", f'multipart/mixed; boundary="{boundary}"'))
                body = (f"This is a multi-part message in MIME format.\n\n--{boundary}\n"
                        "Content-Type: text/plain; charset=utf-8\n"
                        "Content-Transfer-Encoding: 8bit\n\n"
                        f"{text}\n\n--{boundary}\n"
                        f'Content-Type: {mime}; name="{name}"\n'
                        f'Content-Disposition: attachment; filename="{name}"\n'
                        "Content-Transfer-Encoding: base64\n\n"
                        f"{blob.decode()}\n--{boundary}--\n")
            elif kind < 0.22:
                boundary = f"=_alt_{rng.getrandbits(48):012x}"
                html = "".join(f"<p>{p.replace(chr(10), ' ')}</p>\n" for p in text.split("\n\n"))
                headers.append(("Content-Type", f'multipart/alternative; boundary="{boundary}"'))
                body = (f"--{boundary}\nContent-Type: text/plain; charset=utf-8\n"
                        "Content-Transfer-Encoding: 8bit\n\n"
                        f"{text}\n\n--{boundary}\nContent-Type: text/html; charset=utf-8\n"
                        "Content-Transfer-Encoding: 8bit\n\n"
                        f"<html><body>\n{html}</body></html>\n--{boundary}--\n")
            elif kind < 0.32:
                headers += [("Content-Type", "text/plain; charset=utf-8"),
                            ("Content-Transfer-Encoding", "quoted-printable")]
                body = quopri.encodestring(text.encode("utf-8")).decode("ascii") + "\n"
            else:
                headers += [("Content-Type", "text/plain; charset=utf-8; format=flowed"),
                            ("Content-Transfer-Encoding", "8bit")]
                body = text + "\n"

            searchable = subject + " " + body_text
            everyone = [sender] + recipients + cc
            counts["rare"] += RARE_WORD in body_text
            counts["common"] += bool(common_re.search(searchable))
            counts["address"] += gen.searched_person in everyone
            counts["two_words"] += all(r.search(searchable) for r in two_re)

            envelope = clock.strftime("%a %b %d %H:%M:%S %Y")
            message = "".join(f"{k}: {v}\n" for k, v in headers) + "\n" + body
            message = FROM_LINE.sub(r">\1", message)
            chunk = f"From {sender[1]} {envelope}\n{message}\n"
            total += len(chunk.encode("utf-8"))
            out.write(chunk)

    print(json.dumps({
        "messages": count, "bytes": total,
        "queries": [
            {"name": "rare word", "query": RARE_WORD, "expected": counts["rare"]},
            {"name": "common word", "query": COMMON_WORD, "expected": counts["common"]},
            {"name": "address", "query": gen.searched_person[1],
             "expected": counts["address"]},
            {"name": "two words", "query": " ".join(TWO_WORDS),
             "expected": counts["two_words"]},
        ]}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--count", type=int, default=100000)
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()
    generate(args.out, args.count, args.seed)


if __name__ == "__main__":
    main()
