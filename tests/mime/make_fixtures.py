#!/usr/bin/python3
"""Writes tests/mime/fixtures/*.eml: small hand-written hostile and tricky messages.

Usage: make_fixtures.py [OUTDIR]   (default: the fixtures/ directory next to this script)

The fixtures are committed; this script is how they were written (CRLF line endings and
bytes outside ASCII are awkward to edit by hand) and how to change them.  Every message
says what it tests in an X-Fixture-Note: header (the one without headers says it in its
body).  Texts are written with "\\n" and stored with CRLF unless the fixture is marked LF.
"""

import base64
import os
import sys

FIXTURES = {}


def fixture(name, text, lf=False):
    if isinstance(text, bytes):  # written exactly as given
        data = text
    else:
        data = text.encode('utf-8', 'surrogateescape')
    if not lf and not isinstance(text, bytes):
        data = data.replace(b'\r\n', b'\n').replace(b'\n', b'\r\n')
    assert name not in FIXTURES, name
    FIXTURES[name] = data


def simple(name, note, headers, body='Body.\n', lf=False):
    fixture(name, f'X-Fixture-Note: {note}\n{headers.rstrip(chr(10))}\n'
            'MIME-Version: 1.0\n\n' + body, lf=lf)


def attachment(name, note, part_headers, payload='SGVsbG8sIHdvcmxkIQ==\n',
               top='Subject: attachment fixture\n'):
    """A multipart/mixed with a text part and one attachment with the given headers."""
    fixture(name, f'''X-Fixture-Note: {note}
{top}From: Fixture <fixture@example.com>
To: someone@example.org
Date: Tue, 02 Jan 2024 03:04:05 +0000
Message-ID: <{name}@fixtures.wharf.invalid>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=us-ascii

See the attachment.
--b1
{part_headers.rstrip(chr(10))}

{payload}--b1--
''')


# --- RFC 2047 section 8 -----------------------------------------------------------------

RFC2047_S8 = [
    ('=?ISO-8859-1?Q?a?=', 'a'),
    ('=?ISO-8859-1?Q?a?= b', 'a b'),
    ('=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=', 'ab'),
    ('=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=', 'ab'),
    ('=?ISO-8859-1?Q?a?=\n    =?ISO-8859-1?Q?b?=', 'ab'),
    ('=?ISO-8859-1?Q?a_b?=', 'a b'),
    ('=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=', 'a b'),
]
for number, (encoded, decoded) in enumerate(RFC2047_S8, 1):
    simple(f'rfc2047-s8-example{number}',
           f'RFC 2047 section 8 example {number}: subject and display name decode to "{decoded}"',
           f'Subject: {encoded}\nFrom: {encoded} <example{number}@example.com>\n'
           f'Message-ID: <rfc2047-{number}@fixtures.wharf.invalid>\n'
           'Date: Thu, 13 Feb 1997 10:00:00 +0100\n')

simple('rfc2047-s8-parenthesised',
       'RFC 2047 section 8 examples as written, in parentheses; in unstructured text an '
       'encoded word must be delimited by white space (RFC 2047 5(1)), lenient decoders '
       'decode it anyway; in the From comment it is a comment',
       'Subject: (=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=) and (=?ISO-8859-1?Q?a?= b)\n'
       'From: Nathaniel Borenstein <nsb@thumper.bellcore.com>\n'
       '    (=?iso-8859-8?b?7eXs+SDv4SDp7Oj08A==?=)\n')

simple('rfc2047-s8-headers',
       'RFC 2047 section 8 header examples: B and Q words, two charsets in one subject, '
       'encoded word followed by a plain word in a display name',
       'From: =?US-ASCII?Q?Keith_Moore?= <moore@cs.utk.edu>\n'
       'To: =?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?= <keld@dkuug.dk>\n'
       'CC: =?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>\n'
       'Subject: =?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=\n'
       '    =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=\n')

simple('rfc2047-s8-patrik',
       'RFC 2047 section 8: Q-encoded names with 8-bit letters, plain Cc list',
       'From: =?ISO-8859-1?Q?Patrik_F=E4ltstr=F6m?= <paf@nada.kth.se>\n'
       'To: Dave Crocker <dcrocker@mordor.stanford.edu>\n'
       'Cc: ietf-822@dimacs.rutgers.edu, paf@comsol.se\n'
       'Subject: Re: RFC-HDR care and feeding\n')

simple('rfc2047-split-multibyte',
       'a UTF-8 character (EURO SIGN, E2 82 AC) split across two encoded words, and an '
       'umlaut split between a B and a Q word: decoders that join adjacent words first '
       'get "Preis: 5 €, Grüße"',
       'Subject: =?utf-8?B?UHJlaXM6IDUg4oI=?= =?utf-8?B?rCwgR3LD?= =?utf-8?Q?=BC=C3=9Fe?=\n'
       'From: =?utf-8?Q?J=C3?= =?utf-8?Q?=BCrgen?= <juergen@example.de>\n')

simple('rfc2047-mixed-case-and-lang',
       'lowercase b/q, RFC 2231 language suffix in an encoded word (=?utf-8*de?q?...?=), '
       'underscore as space in Q, encoded word inside a quoted display name',
       'Subject: =?utf-8*de?q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln?= und =?UTF-8?b?w6k=?=\n'
       'From: "=?utf-8?q?M=C3=BCller=2C_Hans?=" <hans@example.de>\n'
       'To: "Doe, John" <john@example.com>, jane@example.com (Jane Roe), <bare@example.net>\n')

simple('rfc2047-invalid-words',
       'malformed encoded words: unknown charset, bad base64, missing ?= and an encoded word '
       'glued to text; all should survive as text, not crash',
       'Subject: =?x-unknown?Q?abc?= =?utf-8?B?!!!?= =?utf-8?Q?unterminated and=?utf-8?Q?glued?=x\n'
       'From: =?utf-8?B?@@@?= <bad@example.com>\n')

# --- RFC 2231 filenames -------------------------------------------------------------

attachment('rfc2231-continuations',
           'RFC 2231 section 3 continuations: filename*0, *1, *2 quoted and unquoted',
           'Content-Type: application/octet-stream\n'
           'Content-Transfer-Encoding: base64\n'
           'Content-Disposition: attachment;\n'
           ' filename*0="a-rather-long-file";\n'
           ' filename*1=name-that;\n'
           ' filename*2="-continues.txt"\n')

attachment('rfc2231-charset-language',
           'RFC 2231 section 4: charset and language, percent-encoded ISO-8859-1 and UTF-8',
           'Content-Type: application/octet-stream; name*=utf-8\'\'%E2%82%AC%20rates.txt\n'
           'Content-Transfer-Encoding: base64\n'
           'Content-Disposition: attachment; filename*=iso-8859-1\'en\'%A3%20rates.txt\n')

attachment('rfc2231-mixed',
           'RFC 2231 section 4.1: continuations mixing encoded (*0*, *1*) and plain (*2) '
           'segments; only the first segment carries charset and language',
           'Content-Type: application/x-stuff\n'
           'Content-Transfer-Encoding: base64\n'
           'Content-Disposition: attachment;\n'
           ' filename*0*=us-ascii\'en\'This%20is%20even%20more%20;\n'
           ' filename*1*=%2A%2A%2Afun%2A%2A%2A%20;\n'
           ' filename*2="isn\'t it!"\n')

attachment('rfc2231-out-of-order',
           'RFC 2231 continuations given out of order (*1 before *0) in UTF-8 with the '
           'multibyte sequence split across segments',
           'Content-Type: text/plain; charset=utf-8\n'
           'Content-Disposition: attachment;\n'
           ' filename*1*=%A4-bericht.txt;\n'
           ' filename*0*=UTF-8\'\'Gr%C3%BC%C3\n',
           payload='plain text attachment\n')

attachment('rfc2231-no-charset',
           'RFC 2231 extended value with empty charset and language (filename*=\'\'...), and '
           'a name*= on Content-Type that must lose to the disposition filename',
           'Content-Type: application/octet-stream; name*=\'\'content-type-name.bin\n'
           'Content-Transfer-Encoding: base64\n'
           'Content-Disposition: attachment; filename*=\'\'plain%20ascii.bin\n')

attachment('rfc2231-both-forms',
           'tc2231 attfnboth: filename and filename* both present; filename* wins (RFC 6266 '
           '4.3)',
           'Content-Type: application/octet-stream\n'
           'Content-Transfer-Encoding: base64\n'
           'Content-Disposition: attachment; filename="foo-ae.html";\n'
           ' filename*=UTF-8\'\'foo-%c3%a4.html\n')

attachment('rfc2231-both-forms-reversed',
           'tc2231 attfnboth2: filename* before filename; filename* still wins',
           'Content-Type: application/octet-stream\n'
           'Content-Transfer-Encoding: base64\n'
           'Content-Disposition: attachment; filename*=UTF-8\'\'foo-%c3%a4.html;\n'
           ' filename="foo-ae.html"\n')

# --- tc2231-style Content-Disposition ---------------------------------------------------

TC2231 = [
    ('attwithasciifilename', 'attachment; filename="foo.html"', 'plain quoted filename'),
    ('attwithasciifnescapedchar', 'attachment; filename="f\\oo.html"',
     'quoted-pair in a quoted filename: "f\\oo.html" is foo.html'),
    ('attwithasciifnescapedquote', 'attachment; filename="\\"quoting\\" tested.html"',
     'escaped quotes inside the quoted filename'),
    ('attwithquotedsemicolon', 'attachment; filename="Here\'s a semicolon;.html"',
     'semicolon inside a quoted filename'),
    ('attwithfntokensq', 'attachment; filename=\'foo.bar\'',
     'single quotes are token characters: the name is \'foo.bar\' with the quotes'),
    ('attwithtokenfilename', 'attachment; filename=foo.html', 'unquoted token filename'),
    ('attwithfilenamesp', 'attachment; filename = "foo.html"', 'white space around ='),
    ('attuppercase', 'ATTACHMENT; FILENAME="UPPER.HTML"',
     'upper-case disposition type and parameter name'),
    ('inlwithasciifilename', 'inline; filename="foo.html"', 'inline with a filename'),
    ('attwithfnrawpctenca', 'attachment; filename="foo-%41.html"',
     'percent signs in a plain filename are not decoded'),
    ('attwithfn2231utf8', 'attachment; filename*=UTF-8\'\'foo-%c3%a4-%e2%82%ac.html',
     'RFC 2231 UTF-8 with lower-case percent escapes'),
    ('attfncontenc', 'attachment; filename*0*=UTF-8\'\'foo-%c3%a4; filename*1=".html"',
     'encoded first segment, quoted second'),
    ('attonly', 'attachment', 'disposition without parameters'),
    ('attunknown', 'foobar; filename="foo.html"', 'unknown disposition type'),
    ('attwith2filenames', 'attachment; filename="foo.html"; filename="bar.html"',
     'the filename parameter twice (invalid; parsers differ)'),
    ('attfnbrokentoken', 'attachment; filename=foo[1](2).html',
     'tspecials in an unquoted filename (invalid token)'),
    ('attwithfn2231quot', 'attachment; filename*="UTF-8\'\'foo-%c3%a4.html"',
     'quoted RFC 2231 extended value (invalid; parsers differ)'),
    ('attmissingquote', 'attachment; filename="foo.html',
     'missing closing quote: runs to the end of the field'),
]
for name, disposition, note in TC2231:
    attachment(f'cd-{name}', f'tc2231 {name}: {note}',
               f'Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n'
               f'Content-Disposition: {disposition}\n')

attachment('cd-8bit-utf8-filename',
           'tc2231 attwithutf8fnplain: raw UTF-8 bytes in a quoted filename (RFC 6532 style)',
           'Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n'
           'Content-Disposition: attachment; filename="foo-\u00e4-\u20ac.html"\n')

# --- Outlook-style RFC 2047 in parameters ---------------------------------------------

outlook_name = base64.b64encode('Prüfbericht März 2024.pdf'.encode()).decode()
attachment('outlook-name-encoded-word',
           'Outlook style: name="=?utf-8?B?...?=" and filename="=?utf-8?B?...?=" '
           '(RFC 2047 inside a quoted parameter, forbidden by RFC 2047 5 but common)',
           f'Content-Type: application/pdf; name="=?utf-8?B?{outlook_name}?="\n'
           'Content-Transfer-Encoding: base64\n'
           f'Content-Disposition: attachment; filename="=?utf-8?B?{outlook_name}?="\n')

attachment('outlook-name-only',
           'filename only in Content-Type name="=?iso-8859-1?Q?...?=", no disposition '
           'filename: the name is the fallback',
           'Content-Type: application/vnd.ms-excel; name="=?iso-8859-1?Q?=DCbersicht_Q1.xls?="\n'
           'Content-Transfer-Encoding: base64\n'
           'Content-Disposition: attachment\n')

attachment('outlook-name-folded-words',
           'long Outlook name split into two encoded words inside the quotes, folded',
           'Content-Type: application/octet-stream;\n'
           '\tname="=?utf-8?B?0J7RgtGH0ZHRgiDQviDQv9GA0L7QtNCw0LbQsNGFLmRvY3g=?=\n'
           ' =?utf-8?B?Xw==?="\n'
           'Content-Transfer-Encoding: base64\n'
           'Content-Disposition: attachment\n')

# --- Charset labels that lie -------------------------------------------------------------

simple('latin1-with-cp1252-bytes',
       'text/plain labelled iso-8859-1 whose body has 0x80-0x9F bytes (it is windows-1252: '
       'euro sign, curly quotes, en dash); the bytes must come through unchanged',
       'Subject: Smart quotes\nContent-Type: text/plain; charset=ISO-8859-1\n'
       'Content-Transfer-Encoding: 8bit\n',
       body=b'Price: \x80 5 \x96 \x93quoted\x94 \x85\n'.decode('ascii', 'surrogateescape'))

simple('usascii-with-8bit',
       'text/plain labelled us-ascii, 7bit, but with 8-bit windows-1252 bytes in the body and a '
       'raw 8-bit byte in the subject',
       'Subject: Caf\udce9 menu\nContent-Type: text/plain; charset="us-ascii"\n'
       'Content-Transfer-Encoding: 7bit\n',
       body=b'Caf\xe9 cr\xe8me br\xfbl\xe9e \x80 3\n'.decode('ascii', 'surrogateescape'))

simple('utf8-raw-headers',
       'RFC 6532 raw UTF-8 in Subject and display name',
       'Subject: Grüße aus Köln — ☃\nFrom: Jürgen Müller <juergen@example.de>\n'
       'Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n',
       body='Grüße ☃\n')

# --- Broken multiparts -------------------------------------------------------------------

fixture('multipart-missing-end-boundary', '''X-Fixture-Note: multipart whose closing boundary is missing: the last part runs to the end
Subject: no closing boundary
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="xyz"

--xyz
Content-Type: text/plain

first part
--xyz
Content-Type: text/plain

second part, never closed
''')

fixture('multipart-junk-after-close', '''X-Fixture-Note: junk after the closing boundary (epilogue) including a fake boundary line, which is not a part
Subject: epilogue junk
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="xyz"

--xyz
Content-Type: text/plain

only part
--xyz--
junk after the end
--xyz
Content-Type: text/plain

this is epilogue, not a part
''')

fixture('multipart-preamble-epilogue', '''X-Fixture-Note: preamble and epilogue text around the parts are not parts
Subject: preamble and epilogue
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="simple boundary"

This is the preamble.  It is to be ignored, though it
is a handy place for composition agents to include an
explanatory note to non-MIME conformant readers.

--simple boundary

This is implicitly typed plain US-ASCII text.
It does NOT end with a linebreak.
--simple boundary
Content-type: text/plain; charset=us-ascii

This is explicitly typed plain US-ASCII text.
It DOES end with a linebreak.

--simple boundary--

This is the epilogue.  It is also to be ignored.
''')

fixture('multipart-boundary-trailing-whitespace', '''X-Fixture-Note: boundary lines followed by spaces and tabs (transport padding, RFC 2046 5.1.1)
Subject: padded boundaries
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=pad

--pad   \t
Content-Type: text/plain

one
--pad\t
Content-Type: text/plain

two
--pad--  \t
''')

fixture('multipart-nested-prefix-of-outer', '''X-Fixture-Note: nested multipart whose boundary is a prefix of the outer one ("outer" vs "outer-boundary"); a line must equal the delimiter, not merely start with it
Subject: nested boundary prefix
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer-boundary"

--outer-boundary
Content-Type: multipart/alternative; boundary="outer"

--outer
Content-Type: text/plain

inner plain
--outer
Content-Type: text/html

<p>inner html</p>
--outer--
--outer-boundary
Content-Type: text/plain

outer second
--outer-boundary--
''')

fixture('multipart-nested-outer-prefix', '''X-Fixture-Note: nested multipart whose boundary extends the outer one ("b" vs "b-inner"); inner delimiter lines start with the outer delimiter
Subject: outer boundary is a prefix of the inner
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: multipart/alternative; boundary="b-inner"

--b-inner
Content-Type: text/plain

inner plain
--b-inner
Content-Type: text/html

<p>inner html</p>
--b-inner--
--b
Content-Type: text/plain

outer second
--b--
''')

fixture('multipart-no-boundary-param', '''X-Fixture-Note: multipart/mixed without a boundary parameter: treated as one opaque leaf
Subject: no boundary
MIME-Version: 1.0
Content-Type: multipart/mixed

--whatever
Content-Type: text/plain

text
--whatever--
''')

fixture('multipart-empty-parts', '''X-Fixture-Note: a part with no headers and an empty body, and a part with headers but an empty body
Subject: empty parts
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=e

--e

--e
Content-Type: application/octet-stream
Content-Disposition: attachment; filename=empty.bin

--e--
''')

fixture('multipart-quoted-boundary-specials', '''X-Fixture-Note: boundary with RFC 2046 specials that need quoting ('()+_,-./:=? and a space)
Subject: special boundary
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="'()+_,-./:=? x"

--'()+_,-./:=? x
Content-Type: text/plain

one
--'()+_,-./:=? x
Content-Type: text/plain

two
--'()+_,-./:=? x--
''')

# --- Transfer encodings ----------------------------------------------------------------------

attachment('base64-illegal-chars',
           'base64 with characters outside the alphabet (!, *, spaces) that decoders skip',
           'Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n'
           'Content-Disposition: attachment; filename=illegal.bin\n',
           payload='SGVs!bG8s*IHdv cmxk\nIQ==\n')

attachment('base64-missing-padding',
           'base64 without the final = padding',
           'Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n'
           'Content-Disposition: attachment; filename=nopad.bin\n',
           payload='SGVsbG8sIHdvcmxkIQ\n')

attachment('base64-data-after-padding',
           'base64 with more data after the = padding, and odd line lengths',
           'Content-Type: application/octet-stream\nContent-Transfer-Encoding: BASE64\n'
           'Content-Disposition: attachment; filename=afterpad.bin\n',
           payload='SGVsbG8=\nIHdvcmxkIQ==\nQUJD\n')

attachment('base64-truncated-quantum',
           'base64 whose length is 1 more than a multiple of 4 (undecodable last quantum)',
           'Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n'
           'Content-Disposition: attachment; filename=truncated.bin\n',
           payload='SGVsbG8sIHdvcmxkIQ==A\n')

simple('qp-soft-breaks-lowercase',
       'quoted-printable: soft line breaks, lower-case =xx escapes, =3D, trailing white '
       'space and a lone = that is not an escape',
       'Subject: QP\nContent-Type: text/plain; charset=utf-8\n'
       'Content-Transfer-Encoding: Quoted-Printable\n',
       body='Gr=c3=bc=C3=9Fe, this line is soft=\n-broken and =3d ends with spaces  \n'
            'bad escape =ZZ and =4 and a lone = here\nlast line=\n')

simple('qp-crlf-in-escapes',
       'quoted-printable encoding CR and LF as =0D=0A inside a line, and soft break at EOF',
       'Subject: QP CRLF\nContent-Type: text/plain; charset=us-ascii\n'
       'Content-Transfer-Encoding: quoted-printable\n',
       body='line one=0D=0Aline two=0A=\n')

simple('cte-unknown',
       'unknown Content-Transfer-Encoding (x-uuencode): the body is taken as is',
       'Subject: uuencode\nContent-Type: application/octet-stream; name=a.txt\n'
       'Content-Transfer-Encoding: x-uuencode\n',
       body='begin 644 a.txt\n#86)C\n`\nend\n')

# --- Nested messages and digests -------------------------------------------------------------

fixture('rfc822-with-multipart', '''X-Fixture-Note: a forwarded message/rfc822 attachment that is itself multipart (parts 2.1, 2.2.1, 2.2.2)
Subject: Fwd: report
From: Forwarder <fwd@example.com>
Date: Wed, 03 Jan 2024 10:00:00 +0100
Message-ID: <outer@fixtures.wharf.invalid>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: text/plain

See below.
--outer
Content-Type: message/rfc822
Content-Disposition: attachment; filename="report.eml"

Subject: report
From: Reporter <rep@example.com>
Message-ID: <inner@fixtures.wharf.invalid>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="inner"

--inner
Content-Type: text/plain

inner text
--inner
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain

alt plain
--alt
Content-Type: text/html

<b>alt html</b>
--alt--
--inner--
--outer--
''')

fixture('rfc822-single-part', '''X-Fixture-Note: a message/rfc822 part whose inner message is not multipart: its body is 2.1
Subject: Fwd: plain
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="o"

--o
Content-Type: text/plain

outer
--o
Content-Type: message/rfc822

Subject: inner plain
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

inner =E9t=E9
--o--
''')

fixture('rfc822-top-level', '''X-Fixture-Note: a whole message of type message/rfc822 (part 1 descended: 1.1, 1.2)
Subject: wrapper
MIME-Version: 1.0
Content-Type: message/rfc822

Subject: wrapped
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=w

--w
Content-Type: text/plain

wrapped one
--w
Content-Type: application/octet-stream
Content-Transfer-Encoding: base64

AAEC
--w--
''')

fixture('rfc822-doubly-nested', '''X-Fixture-Note: message/rfc822 inside message/rfc822 inside a multipart (2.1 is rfc822 again: 2.1.1)
Subject: Fwd: Fwd: deep
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=d

--d
Content-Type: text/plain

top
--d
Content-Type: message/rfc822

Subject: Fwd: deep
MIME-Version: 1.0
Content-Type: message/rfc822

Subject: deep
Content-Type: text/plain

the deepest text
--d--
''')

fixture('multipart-digest', '''X-Fixture-Note: multipart/digest: parts without Content-Type default to message/rfc822; an explicit text/plain part stays text/plain
Subject: digest
MIME-Version: 1.0
Content-Type: multipart/digest; boundary="dig"

--dig

Subject: first digested
From: a@example.com

first body
--dig

Subject: second digested
Content-Type: multipart/alternative; boundary=alt2

--alt2
Content-Type: text/plain

second plain
--alt2
Content-Type: text/html

<i>second</i>
--alt2--
--dig
Content-Type: text/plain

not a message, explicitly typed
--dig--
''')

fixture('multipart-digest-nested-mixed', '''X-Fixture-Note: the digest default applies to direct children of multipart/digest only: a multipart/mixed inside a digest part defaults back to text/plain
Subject: digest with mixed
MIME-Version: 1.0
Content-Type: multipart/digest; boundary="dg"

--dg
Content-Type: multipart/mixed; boundary="mx"

--mx

untyped part inside mixed inside digest
--mx--
--dg--
''')

# --- Size and depth --------------------------------------------------------------------------

fixture('header-1mb-line',
        'X-Fixture-Note: a single 1 MB header line (X-Padding) before ordinary headers, which '
        'must still be found\n'
        'X-Padding: ' + 'abcdefghij' * 104858 + '\n'
        'Subject: after the long header\n'
        'From: Long <long@example.com>\n'
        'Message-ID: <long@fixtures.wharf.invalid>\n'
        'Content-Type: text/plain; charset=us-ascii\n\nshort body\n')


def nested(depth):
    lines = ['X-Fixture-Note: 70 levels of nested multipart/mixed, one text leaf at the '
             'bottom and a sibling text leaf at every level',
             'Subject: deep nesting', 'MIME-Version: 1.0',
             'Content-Type: multipart/mixed; boundary="n0"', '']
    for level in range(1, depth):
        lines += [f'--n{level - 1}', f'Content-Type: multipart/mixed; boundary="n{level}"', '']
    lines += [f'--n{depth - 1}', 'Content-Type: text/plain', '', 'bottom']
    for level in range(depth - 1, -1, -1):
        lines += [f'--n{level}', 'Content-Type: text/plain', '', f'sibling {level}',
                  f'--n{level}--']
    return '\n'.join(lines) + '\n'


fixture('multipart-nested-70', nested(70))

# --- Line endings and degenerate messages ---------------------------------------------------

fixture('bare-lf-multipart', '''X-Fixture-Note: bare LF line endings throughout (headers, boundaries, base64, text)
Subject: LF only
From: Unix <unix@example.com>
Date: Fri, 5 Jan 2024 06:07:08 -0500
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=lf

--lf
Content-Type: text/plain

line one
line two
--lf
Content-Type: application/octet-stream
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename=lf.bin

SGVsbG8s
IHdvcmxk
--lf--
''', lf=True)

fixture('mixed-line-endings', b'X-Fixture-Note: CRLF headers, a body mixing CRLF, LF and a '
        b'lone CR\r\nSubject: mixed endings\r\nContent-Type: text/plain\r\n\r\n'
        b'crlf\r\nlf\nlone cr\rend\r\n')

fixture('no-body', 'X-Fixture-Note: headers only, no blank line and no body\n'
        'Subject: no body\nFrom: nobody@example.com\nMIME-Version: 1.0\n'
        'Content-Type: text/plain')

fixture('no-body-blank-line', 'X-Fixture-Note: headers and the blank line, empty body\n'
        'Subject: empty body\nFrom: nobody@example.com\n\n')

fixture('no-headers', '\nThis message has no headers at all: it starts with the blank line. '
        'X-Fixture-Note: a message with no headers (default text/plain, every field null)\n')

fixture('no-headers-no-blank', 'This line is not a header; without a blank line it starts '
        'the body (X-Fixture-Note: a message with no header block at all)\nsecond line\n')

fixture('empty-file', b'')

# --- Dates and addresses -------------------------------------------------------------------------

DATES = [
    ('date-obsolete-two-digit-year', 'Mon, 1 Jan 99 10:00:00 +0100',
     'two-digit year 99 is 1999 (RFC 5322 4.3)'),
    ('date-obsolete-named-zone', 'Tue, 2 Jan 2024 03:04 EST',
     'named zone EST and no seconds'),
    ('date-no-weekday-gmt', '2 Jan 2024 03:04:05 GMT', 'no day of week, GMT'),
    ('date-minus-zero', 'Tue, 02 Jan 2024 03:04:05 -0000', '-0000: UTC, local time unknown'),
    ('date-folded-comment', 'Tue,\n 02 Jan 2024 03:04:05 +0530 (IST)',
     'folded date with a trailing comment and a half-hour offset'),
    ('date-unparseable', 'yesterday afternoon', 'unparseable date is null'),
    ('date-invalid-day', 'Tue, 31 Feb 2024 03:04:05 +0000', 'February 31st is null'),
]
for name, date, note in DATES:
    simple(name, note, f'Subject: {name}\nFrom: dates@example.com\nDate: {date}\n')

simple('address-groups-and-comments',
       'group syntax, empty group, comments, quoted local part, route-less angle address',
       'From: "Sender, The" <sender@example.com> (the sender)\n'
       'To: Friends: alice@example.com, Bob <bob@example.com>;, undisclosed-recipients:;\n'
       'Cc: "quoted local"@example.org, <angle@example.net>\n'
       'Message-ID:   <  spaced@fixtures.wharf.invalid >\n')

simple('headers-duplicate-and-case',
       'header names in odd case, Subject given twice (the first counts), folded Subject '
       'with tabs',
       'SUBJECT: first\n\tsubject folded\nsubject: second\nfrom: lower@example.com\n'
       'message-id: <lower@fixtures.wharf.invalid>\n')

# --- mbox ----------------------------------------------------------------------------------------

fixture('mboxrd-quoting.mbox', '''From sender@example.com Tue Jan  2 03:04:05 2024
X-Fixture-Note: mboxrd: first of three messages; body lines ">From " and ">>From " lose one '>'
Subject: mbox one
Message-ID: <mbox1@fixtures.wharf.invalid>

>From the start
>>From quoted twice
> From is not quoted (space after >)

From other@example.com Tue Jan  2 03:04:06 2024
X-Fixture-Note: mboxrd: second message, no blank line at its end
Subject: mbox two
Message-ID: <mbox2@fixtures.wharf.invalid>

no trailing blank line
From third@example.com Tue Jan  2 03:04:07 2024
X-Fixture-Note: mboxrd: third message, multipart, ends the file
Subject: mbox three
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=m

--m
Content-Type: text/plain

>From inside a part
--m--
''', lf=True)


def main(argv):
    outdir = argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(
        os.path.abspath(__file__)), 'fixtures')
    os.makedirs(outdir, exist_ok=True)
    for name, data in sorted(FIXTURES.items()):
        filename = name if name.endswith('.mbox') else name + '.eml'
        with open(os.path.join(outdir, filename), 'wb') as handle:
            handle.write(data)
    print(f'{len(FIXTURES)} fixtures written to {outdir}')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
