#!/usr/bin/python3
"""Deterministic generator of a varied mbox corpus for the MIME differential test.

Usage: generate_corpus.py OUTDIR [--count N] [--seed S] [--size-mb M]

Writes OUTDIR/corpus.mbox (mboxrd, CRLF line endings): N messages (default 500), or, with
--size-mb, as many as it takes for the file to reach M megabytes.  The same seed gives the
same bytes.  Messages are built with Python's email package (email.message.Message,
EmailMessage and the email.mime classes) and serialized with email.policy.SMTP; every
multipart gets an explicit boundary from the seeded generator (Python would otherwise
draw one from the global random module).

mbox layout: "From <sender> <asctime>" line, the message (ending in CRLF), one empty line;
body lines matching ^>*From get one more '>' (mboxrd).
"""

import argparse
import base64
import datetime
import email.charset
import email.header
import email.policy
import email.utils
import os
import quopri
import random
import re
import sys
import time
from email.message import EmailMessage, Message
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart

POLICY = email.policy.SMTP

# Texts per charset: what each can encode, to build bodies, subjects and names.
SAMPLES = {
    'us-ascii': ['The quick brown fox jumps over the lazy dog.', 'Meeting moved to 3pm',
                 'From the archive: quarterly numbers', 'Re: Re: lunch?'],
    'utf-8': ['Grüße aus Köln — Straße', 'Привет, как дела?', '日本語のテキストです',
              'Ελληνικά γράμματα', 'emoji 😀 and ☃ snow', 'naïve café résumé', '中文测试邮件'],
    'iso-8859-1': ['Grüße aus Köln', 'Café crème brûlée', 'Señor Muñoz, ¿qué tal?',
                   'Ærø Øresund Ålborg'],
    'iso-8859-15': ['Prix: 20 € TTC', 'Œuvre complète', 'Grüße für 5 €'],
    'windows-1252': ['“Smart quotes” – and dashes…', 'Price: €20 • bullet', 'Grüße ‰'],
    'koi8-r': ['Привет, мир', 'Съешь же ещё этих мягких французских булок', 'Отчёт за май'],
    'shift_jis': ['こんにちは世界', '会議の議事録', 'カタカナとひらがな'],
    'iso-2022-jp': ['日本語のメール', 'お疲れ様です', '添付ファイルをご確認ください'],
    'gb18030': ['你好，世界', '会议纪要', '附件请查收'],
    'big5': ['你好，世界', '會議記錄', '附件請查收'],
    'euc-kr': ['안녕하세요 세계', '회의록', '첨부 파일을 확인하세요'],
}
CHARSETS = list(SAMPLES)
WORDS = ('lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor '
         'incididunt ut labore et dolore magna aliqua ut enim ad minim veniam quis nostrud '
         'exercitation ullamco laboris nisi aliquip ex ea commodo consequat From').split()
NAMES = ['Alice Example', 'Bob Müller', 'Chloé Dubois', 'Дмитрий Иванов', '山田太郎',
         'O\'Brien, Pat', 'Zoë "Z" Smith', 'José Ñúñez', '김철수', '王小明']
ATTACHMENT_TYPES = [
    ('application', 'pdf', 'pdf'), ('application', 'octet-stream', 'bin'),
    ('application', 'zip', 'zip'), ('image', 'png', 'png'), ('image', 'jpeg', 'jpg'),
    ('image', 'gif', 'gif'), ('audio', 'mpeg', 'mp3'), ('video', 'mp4', 'mp4'),
    # (no longer types: a header line over 78 characters makes Python refold the field, and
    # its folder splits a long subtype into encoded words)
    ('application', 'msword', 'doc'), ('application', 'vnd.oasis.opendocument.text', 'odt'),
    ('application', 'vnd.ms-excel', 'xls'), ('text', 'csv', 'csv'),
    ('application', 'json', 'json'), ('text', 'calendar', 'ics'), ('application', 'x-tar', 'tar'),
]
FILE_STEMS = ['report', 'Prüfbericht', 'отчёт', '報告書', 'photo 2024-01-02', 'invoice #42',
              'résumé', 'very long file name that goes on and on and on for quite a while',
              'данные_продаж', '会議資料', 'a;b=c "quoted"', 'naïve']


class Builder:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.seed = seed
        self.counter = 0

    # --- small pieces ---------------------------------------------------------------

    def text(self, charset, lines):
        rng = self.rng
        out = []
        for _ in range(lines):
            if rng.random() < 0.3:
                out.append(rng.choice(SAMPLES[charset]))
            else:
                out.append(' '.join(rng.choice(WORDS) for _ in range(rng.randint(1, 14))))
            if rng.random() < 0.05:
                out.append('From here on, a line that mbox must quote')
            if rng.random() < 0.03:
                out.append('>From an already quoted line')
        return '\n'.join(out) + '\n'

    def boundary(self):
        self.counter += 1
        return f'=_wharf_{self.rng.getrandbits(48):012x}_{self.counter}'

    def encoded_words(self, text, charset, header_name):
        if all(ord(c) < 128 for c in text):
            return text
        return email.header.Header(text, charset, header_name=header_name).encode(
            linesep='\r\n')

    def address(self, domain_index=None):
        rng = self.rng
        name = rng.choice(NAMES)
        local = rng.choice(['alice', 'bob', 'chloe', 'dmitri', 'taro', 'pat', 'zoe', 'jose',
                            'kim', 'wang', 'first.last', 'x+tag'])
        domain = rng.choice(['example.com', 'example.org', 'mail.example.net', 'example.de'])
        addr = f'{local}@{domain}'
        style = rng.random()
        if style < 0.15:
            return addr
        if style < 0.5 and all(ord(c) < 128 for c in name):
            return email.utils.formataddr((name, addr))
        charset = rng.choice(['utf-8', 'utf-8', 'iso-8859-1', 'koi8-r', 'iso-2022-jp'])
        try:
            name.encode(charset)
        except UnicodeEncodeError:
            charset = 'utf-8'
        return email.utils.formataddr((name, addr), charset=charset)

    def date(self):
        rng = self.rng
        when = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(
            seconds=rng.randrange(26 * 365 * 86400))
        offset = datetime.timedelta(minutes=rng.choice([0, 60, 120, -300, -480, 330, 545, -210]))
        return email.utils.format_datetime(when.astimezone(datetime.timezone(offset)))

    def filename(self, extension):
        return f'{self.rng.choice(FILE_STEMS)}.{extension}'

    # --- leaves ------------------------------------------------------------------------

    def text_leaf(self, subtype='plain', charset=None, lines=None, cte=None):
        rng = self.rng
        charset = charset or rng.choice(CHARSETS)
        lines = lines if lines is not None else rng.randint(1, 40)
        body = self.text(charset, lines)
        if subtype == 'html':
            body = '<html><body>\n' + ''.join(
                f'<p>{line}</p>\n' for line in body.splitlines()) + '</body></html>\n'
        raw = body.replace('\n', '\r\n').encode(charset)
        if cte is None:
            cte = rng.choice(['7bit', 'quoted-printable', 'base64', '8bit'])
            if cte == '7bit' and any(b > 127 for b in raw):
                cte = '8bit'
        part = Message()
        part['Content-Type'] = f'text/{subtype}; charset="{charset}"'
        part['Content-Transfer-Encoding'] = cte
        self._set_body(part, raw, cte)
        return part

    def _set_body(self, part, raw, cte):
        if cte == 'base64':
            part.set_payload(base64.encodebytes(raw).decode('ascii'))
        elif cte == 'quoted-printable':
            part.set_payload(quopri.encodestring(raw).decode('ascii'))
        else:  # 7bit, 8bit: as is (surrogate-escaped bytes are written back unchanged)
            part.set_payload(raw.decode('ascii', 'surrogateescape'))

    def attachment(self, large=False):
        rng = self.rng
        maintype, subtype, extension = rng.choice(ATTACHMENT_TYPES)
        if large:
            size = rng.randint(256 * 1024, 2 * 1024 * 1024)
        else:
            size = rng.choice([0, 1, 2, 3, 57, 76, 1000, rng.randint(1, 50000),
                               rng.randint(1, 200000)])
        part = Message()
        name = self.filename(extension)
        params = f'{maintype}/{subtype}'
        style = rng.random()
        if maintype == 'text':
            raw = self.text('utf-8', max(1, size // 200)).replace('\n', '\r\n').encode()
            params += '; charset=utf-8'
            cte = rng.choice(['quoted-printable', 'base64', '8bit'])
        else:
            raw = rng.randbytes(size)
            cte = 'base64'
        ascii_name = all(ord(c) < 128 for c in name)
        if ascii_name or style < 0.35:
            # RFC 2231 via Python (filename*=utf-8''...), or plain quoted
            part['Content-Type'] = params
            part['Content-Transfer-Encoding'] = cte
            if ascii_name:
                part.add_header('Content-Disposition', 'attachment', filename=name)
            else:
                part.add_header('Content-Disposition', 'attachment',
                                filename=('utf-8', '', name))
        elif style < 0.7:
            # Outlook style: RFC 2047 words inside quoted name= and filename=
            # (folded by hand as Outlook does, so that Python does not refold the field)
            encoded = email.header.Header(name, 'utf-8').encode(linesep='\r\n', maxlinelen=60)
            part['Content-Type'] = f'{params};\r\n name="{encoded}"'
            part['Content-Transfer-Encoding'] = cte
            part['Content-Disposition'] = f'attachment;\r\n filename="{encoded}"'
        else:
            # RFC 2231 continuations written by hand: filename*0*=utf-8''...; filename*1*=...
            quoted = ''.join(f'%{b:02X}' if not (chr(b).isalnum() and b < 128) and b not in
                             b'.-_' else chr(b) for b in name.encode('utf-8'))
            pieces = [quoted[i:i + 30] for i in range(0, len(quoted), 30)]
            # never split a %XX escape
            fixed, carry = [], ''
            for piece in pieces:
                piece = carry + piece
                carry = ''
                cut = piece.rfind('%', max(0, len(piece) - 2))
                if cut >= 0 and len(piece) - cut < 3:
                    piece, carry = piece[:cut], piece[cut:]
                fixed.append(piece)
            if carry:
                fixed.append(carry)
            disposition = 'attachment'
            for index, piece in enumerate(fixed):
                prefix = "utf-8''" if index == 0 else ''
                disposition += f';\r\n filename*{index}*={prefix}{piece}'
            part['Content-Type'] = f'{params};\r\n name="{extension}-file.{extension}"'
            part['Content-Transfer-Encoding'] = cte
            part['Content-Disposition'] = disposition
        self._set_body(part, raw, cte)
        return part

    def inline_image(self, cid):
        rng = self.rng
        part = Message()
        subtype = rng.choice(['png', 'jpeg', 'gif'])
        part['Content-Type'] = f'image/{subtype}; name="image-{cid}.{subtype}"'
        part['Content-Transfer-Encoding'] = 'base64'
        part['Content-ID'] = f'<{cid}@corpus.wharf.invalid>'
        part['Content-Disposition'] = f'inline; filename="image-{cid}.{subtype}"'
        self._set_body(part, rng.randbytes(rng.randint(100, 30000)), 'base64')
        return part

    # --- bodies -------------------------------------------------------------------------

    def multipart(self, subtype, parts):
        container = MIMEMultipart(subtype, boundary=self.boundary())
        del container['MIME-Version']
        for part in parts:
            container.attach(part)
        return container

    def alternative(self):
        charset = self.rng.choice(CHARSETS)
        return self.multipart('alternative', [self.text_leaf('plain', charset),
                                              self.text_leaf('html', charset)])

    def related(self):
        rng = self.rng
        cids = [f'img{rng.getrandbits(32):08x}' for _ in range(rng.randint(1, 3))]
        charset = rng.choice(CHARSETS)
        html = self.text_leaf('html', charset)
        html_text = ''.join(f'<img src="cid:{cid}@corpus.wharf.invalid">' for cid in cids)
        raw = (f'<html><body>{html_text}</body></html>\r\n').encode('ascii')
        cte = html['Content-Transfer-Encoding']
        self._set_body(html, raw, cte)
        parts = [html] + [self.inline_image(cid) for cid in cids]
        related = self.multipart('related', parts)
        if rng.random() < 0.5:
            return self.multipart('alternative', [self.text_leaf('plain', charset), related])
        return related

    def email_message_api(self, depth):
        """A body built with EmailMessage's own API: set_content/add_alternative/
        add_related/add_attachment, headers and parameters folded by the policy."""
        rng = self.rng
        msg = EmailMessage(policy=email.policy.default)
        msg.set_content(self.text('utf-8', rng.randint(1, 10)))
        if rng.random() < 0.6:
            msg.add_alternative('<p>' + self.text('utf-8', 3) + '</p>', subtype='html')
        if rng.random() < 0.4:
            cid = f'api{rng.getrandbits(32):08x}@corpus.wharf.invalid'
            if msg.get_content_type() == 'multipart/alternative':
                html = msg.get_payload()[1]
            else:
                msg.add_alternative(f'<img src="cid:{cid}">', subtype='html')
                html = msg.get_payload()[1]
            html.add_related(rng.randbytes(rng.randint(10, 5000)), 'image', 'png', cid=f'<{cid}>')
        for _ in range(rng.randint(0, 3)):
            maintype, subtype, extension = rng.choice(ATTACHMENT_TYPES)
            name = self.filename(extension)
            if maintype == 'text':
                msg.add_attachment(self.text('utf-8', 3), subtype=subtype, filename=name)
            else:
                msg.add_attachment(rng.randbytes(rng.randint(0, 20000)), maintype, subtype,
                                   filename=name)
        if depth < 2 and rng.random() < 0.2:
            msg.add_attachment(self.message(depth + 1))
        return msg

    def body(self, depth=0):
        rng = self.rng
        kind = rng.random()
        if depth >= 3:
            kind = kind * 0.3
        if kind < 0.25:
            return self.text_leaf()
        if kind < 0.4:
            return self.alternative()
        if kind < 0.5:
            return self.related()
        if kind < 0.7:
            first = rng.choice([self.text_leaf, self.alternative, self.related])()
            parts = [first] + [self.attachment(large=rng.random() < 0.03)
                               for _ in range(rng.randint(1, 4))]
            return self.multipart('mixed', parts)
        if kind < 0.8:
            inner = self.multipart('mixed', [self.text_leaf(), self.body(depth + 1)])
            return self.multipart(rng.choice(['mixed', 'alternative', 'related']),
                                  [self.text_leaf(), inner, self.attachment()])
        if kind < 0.88:
            forwarded = MIMEMessage(self.message(depth + 1))
            del forwarded['MIME-Version']
            if rng.random() < 0.5:
                forwarded['Content-Disposition'] = 'attachment; filename="forwarded.eml"'
            return self.multipart('mixed', [self.text_leaf(), forwarded])
        if kind < 0.92:
            digest = self.multipart('digest', [])
            for _ in range(rng.randint(1, 3)):
                entry = MIMEMessage(self.message(depth + 1))
                del entry['MIME-Version']
                del entry['Content-Type']  # the digest default: message/rfc822
                digest.attach(entry)
            return digest
        return self.email_message_api(depth)

    def message(self, depth=0):
        rng = self.rng
        body = self.body(depth)
        if isinstance(body, EmailMessage):
            msg = body
            charset = 'utf-8'
        else:
            msg = body
            charset = rng.choice(CHARSETS)
        subject = rng.choice(SAMPLES[charset])
        if rng.random() < 0.3:
            subject = 'Re: ' + subject + ' ' + ' '.join(rng.choice(WORDS) for _ in range(
                rng.randint(0, 12)))
        headers = [
            ('From', self.address()),
            ('To', ',\r\n '.join(self.address() for _ in range(rng.randint(1, 4)))),
            ('Subject', self.encoded_words(subject, charset, 'Subject')),
            ('Date', self.date()),
            ('Message-ID', f'<{self.seed}.{self.counter}.{rng.getrandbits(40):010x}'
                           f'@corpus.wharf.invalid>'),
        ]
        if rng.random() < 0.3:
            headers.append(('Cc', ',\r\n '.join(self.address()
                                                 for _ in range(rng.randint(1, 3)))))
        if rng.random() < 0.05:
            del headers[3]  # no Date
        for name, value in headers:
            if isinstance(msg, EmailMessage):
                value = value.replace('\r\n ', ' ')
                msg[name] = str(email.header.make_header(email.header.decode_header(value))) \
                    if '=?' in value else value
            else:
                msg[name] = value
        if 'MIME-Version' not in msg:
            msg['MIME-Version'] = '1.0'
        self.counter += 1
        return msg

    def finish(self, msg):
        """Explicit, seeded boundaries everywhere, then the SMTP serialization."""
        for part in msg.walk():
            if part.get_content_maintype() == 'multipart' and part.get_boundary() is None:
                part.set_boundary(self.boundary())
        return msg.as_bytes(policy=POLICY)


FROM_LINE = re.compile(rb'^(>*From )', re.M)


def mbox_entry(builder, data, index):
    when = time.asctime(time.gmtime(946684800 + index * 3607))
    escaped = FROM_LINE.sub(rb'>\1', data)
    if not escaped.endswith(b'\r\n'):
        escaped += b'\r\n'
    return f'From corpus-{index}@corpus.wharf.invalid {when}\r\n'.encode() + escaped + b'\r\n'


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument('outdir')
    parser.add_argument('--count', type=int, default=500)
    parser.add_argument('--seed', type=int, default=2024)
    parser.add_argument('--size-mb', type=float, default=None,
                        help='generate until corpus.mbox reaches this size (count ignored)')
    args = parser.parse_args(argv[1:])
    sys.setrecursionlimit(10000)

    os.makedirs(args.outdir, exist_ok=True)
    path = os.path.join(args.outdir, 'corpus.mbox')
    builder = Builder(args.seed)
    limit = None if args.size_mb is None else int(args.size_mb * 1024 * 1024)
    written = 0
    count = 0
    started = time.monotonic()
    with open(path + '.tmp', 'wb') as out:
        while (written < limit) if limit is not None else (count < args.count):
            data = mbox_entry(builder, builder.finish(builder.message()), count)
            out.write(data)
            written += len(data)
            count += 1
    os.replace(path + '.tmp', path)
    print(f'{path}: {count} messages, {written / 1048576:.1f} MB, '
          f'{time.monotonic() - started:.1f} s')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
