#!/usr/bin/python3
"""Test helper for the store tests: writes mbox files whose messages are known, and checks
what wharf-cli made of them. Standard library only.

  generate OUT --count N [--seed S] [--attachment BYTES]
      mboxrd file of N messages, dates ascending. Message i: subject "Message i
      subjecttoken<i>", From sender<i>@example.org, Cc team@example.net when i % 4 == 0,
      body word bodyword<i>, body lines starting "From " and ">From " (quoted on disk),
      "Status: RO" when i % 5 == 0, "X-Status: F" when i % 7 == 0, and a base64 attachment
      of BYTES random bytes when given.
  compare A B
      the two mbox files hold the same messages, byte for byte, in the same order.
  check-maildir MBOX DIR
      every file in DIR's new/ and cur/ (and in its Maildir++ subfolders) is one message of
      MBOX, whole; prints how many files there are.
"""
import base64
import os
import random
import sys


def read_mboxrd(path):
    """The messages of an mbox file as mboxrd readers give them back."""
    messages, current = [], None
    with open(path, "rb") as f:
        for line in f:
            if line.startswith(b"From "):
                if current is not None:
                    messages.append(current)
                current = []
                continue
            if current is None:
                continue
            stripped = line.lstrip(b">")
            if line.startswith(b">") and stripped.startswith(b"From "):
                line = line[1:]
            current.append(line)
    if current is not None:
        messages.append(current)
    result = []
    for lines in messages:
        if lines and lines[-1] in (b"\n", b"\r\n"):
            lines = lines[:-1]
        result.append(b"".join(lines))
    return result


WORDS = ("harbour quay crane cargo tide vessel ledger manifest berth pilot anchor "
         "rope winch pallet shipment container").split()


def message(i, rnd, attachment, text_bytes=0):
    minute, second = divmod(i, 60)
    hour, minute = divmod(minute, 60)
    headers = [
        f"From: Sender {i} <sender{i}@example.org>",
        "To: Reader <reader@example.org>",
    ]
    if i % 4 == 0:
        headers.append("Cc: Team <team@example.net>")
    headers += [
        f"Subject: Message {i} subjecttoken{i}",
        f"Date: Mon, 1 Jan 2024 {hour % 24:02d}:{minute:02d}:{second:02d} +0000",
        f"Message-ID: <m{i}.{rnd.getrandbits(32):08x}@store-test.wharf.invalid>",
    ]
    if i % 5 == 0:
        headers.append("Status: RO")
    if i % 7 == 0:
        headers.append("X-Status: F")
    text = (f"Hello, this is bodyword{i}.\n"
            "From the start of a line, a word mbox writers quote.\n"
            ">From an already quoted line.\n"
            ">>From one quoted twice.\n"
            "\n"
            "Regards\n")
    if text_bytes:
        # Many distinct words: what makes the full-text index grow with the mail.
        words = []
        size = 0
        while size < text_bytes:
            word = rnd.choice(WORDS) + str(rnd.getrandbits(20))
            words.append(word)
            size += len(word) + 1
        text += "\n".join(" ".join(words[k:k + 10]) for k in range(0, len(words), 10)) + "\n"
    if not attachment:
        return ("\n".join(headers) + "\n\n" + text).encode()
    data = base64.encodebytes(rnd.randbytes(attachment)).decode()
    headers += ["MIME-Version: 1.0", "Content-Type: multipart/mixed; boundary=part"]
    body = ("--part\nContent-Type: text/plain; charset=utf-8\n\n" + text +
            f"--part\nContent-Type: application/octet-stream; name=data{i}.bin\n"
            "Content-Transfer-Encoding: base64\n\n" + data + "--part--\n")
    return ("\n".join(headers) + "\n\n" + body).encode()


def generate(out, count, seed, attachment, text_bytes=0):
    rnd = random.Random(seed)
    with open(out, "wb") as f:
        for i in range(count):
            f.write(b"From sender%d@example.org Mon Jan  1 00:00:00 2024\n" % i)
            for line in message(i, rnd, attachment, text_bytes).splitlines(keepends=True):
                if line.lstrip(b">").startswith(b"From "):
                    line = b">" + line
                f.write(line)
            f.write(b"\n")


def maildir_files(root):
    for directory, subdirectories, files in os.walk(root):
        if os.path.basename(directory) in ("new", "cur"):
            for name in files:
                if not name.startswith("."):
                    yield os.path.join(directory, name)


def main(argv):
    command = argv[1]
    if command == "generate":
        args = argv[2:]
        out = args[0]
        options = dict(zip(args[1::2], args[2::2]))
        generate(out, int(options["--count"]), int(options.get("--seed", "1")),
                 int(options.get("--attachment", "0")), int(options.get("--text", "0")))
        return 0
    if command == "compare":
        a, b = read_mboxrd(argv[2]), read_mboxrd(argv[3])
        if len(a) != len(b):
            print(f"{argv[2]} has {len(a)} messages, {argv[3]} has {len(b)}")
            return 1
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                print(f"message {i} differs: {len(x)} and {len(y)} bytes")
                return 1
        print(f"{len(a)} messages, {sum(map(len, a))} bytes, identical")
        return 0
    if command == "check-maildir":
        known = set(read_mboxrd(argv[2]))
        count = 0
        for path in maildir_files(argv[3]):
            with open(path, "rb") as f:
                if f.read() not in known:
                    print(f"{path} is not a whole message of {argv[2]}")
                    return 1
            count += 1
        print(count)
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
