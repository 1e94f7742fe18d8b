#!/usr/bin/python3
"""Reference for `wharf-cli mail parse --json`: the same JSON, made with Python's email package.

Usage: reference_parse.py FILE...

Prints one JSON array with one object per message (see README in this directory for the
schema).  Python 3.11 standard library only; run it with Debian's /usr/bin/python3.

Rules implemented here (the contract that wharf-cli is compared against):

* A file whose first line starts with "From " is an mbox (mboxrd): every line that starts
  with "From " separates messages (the line itself is dropped), ">From ", ">>From ", ...
  lose one '>'.  A message that ends with an empty line loses that one line: it is the
  separator blank line that mbox writers put before the next "From " line (Python's
  mailbox module reads mbox files the same way).  Other files are one message.
* Messages are parsed with email.message_from_bytes(data, policy=email.policy.default).
* parts: the LEAF parts in tree order, numbered as IMAP BODYSTRUCTURE does (RFC 3501
  6.4.5): a non-multipart body is "1"; children of a multipart are 1, 2, ...; nested
  multiparts extend the number; a message/rfc822 part N is descended into: its inner
  message's parts are N.1, N.2, ... if it is multipart, else its body is N.1.
* size/sha256: the body after Content-Transfer-Encoding decoding (base64 and
  quoted-printable; every other encoding as is).
* Strings that Python leaves with surrogate escapes (undecodable bytes) are output with
  U+FFFD per undecodable byte, so that the output is always valid UTF-8 JSON.
"""

import datetime
import email
import email.header
import email.policy
import email.utils
import hashlib
import json
import re
import sys

POLICY = email.policy.default

_QUOTED_FROM = re.compile(rb'^>+From ')


def _clean(text):
    """str without lone surrogates (Python keeps undecodable bytes as surrogate escapes)."""
    if text is None:
        return None
    text = str(text)
    try:
        text.encode('utf-8')
        return text
    except UnicodeEncodeError:
        try:
            return text.encode('utf-8', 'surrogateescape').decode('utf-8', 'replace')
        except UnicodeEncodeError:
            return text.encode('utf-8', 'replace').decode('utf-8')


def split_messages(data):
    """The messages of a file: [data] unless it is an mbox (first line starts with "From ")."""
    if not data.startswith(b'From '):
        return [data]
    messages = []
    current = None
    # Lines end at LF only (bytes.splitlines would also split at a lone CR).
    lines = re.split(rb'(?<=\n)', data)
    for line in lines:
        if not line:
            continue
        if line.startswith(b'From '):
            if current is not None:
                messages.append(_finish_mbox_message(current))
            current = []
        elif current is not None:
            if _QUOTED_FROM.match(line):
                line = line[1:]
            current.append(line)
    if current is not None:
        messages.append(_finish_mbox_message(current))
    return messages


def _finish_mbox_message(lines):
    # The blank line before the next separator belongs to the mbox, not to the message.
    if lines and lines[-1] in (b'\n', b'\r\n') and len(lines) >= 2:
        lines = lines[:-1]
    return b''.join(lines)


def _addresses(msg, name):
    try:
        header = msg[name]
    except Exception:  # a header Python cannot even parse
        header = None
        raw = _raw_header(msg, name)
        if raw is None:
            return []
        return [{'name': _clean(n) or None, 'address': _clean(a)}
                for n, a in email.utils.getaddresses([raw]) if a]
    if header is None:
        return []
    result = []
    try:
        addresses = header.addresses
    except Exception:
        return [{'name': _clean(n) or None, 'address': _clean(a)}
                for n, a in email.utils.getaddresses([str(header)]) if a]
    for address in addresses:
        result.append({'name': _clean(address.display_name) or None,
                       'address': _clean(address.addr_spec)})
    return result


def _raw_header(msg, name):
    for key, value in msg._headers:  # noqa: SLF001 (raw value, before the policy parses it)
        if key.lower() == name.lower():
            return value if isinstance(value, str) else str(value)
    return None


def _subject(msg):
    try:
        value = msg['subject']
    except Exception:
        raw = _raw_header(msg, 'subject')
        if raw is None:
            return None
        return _clean(str(email.header.make_header(email.header.decode_header(raw))))
    return None if value is None else _clean(str(value))


def _date(msg):
    try:
        header = msg['date']
        if header is None:
            return None
        when = header.datetime
    except Exception:
        return None
    if when is None:
        return None
    try:
        if when.tzinfo is None:  # "-0000" and unknown zones: UTC (RFC 5322 4.3)
            when = when.replace(tzinfo=datetime.timezone.utc)
        return when.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
    except (ValueError, OverflowError):
        return None


def _message_id(msg):
    try:
        value = msg['message-id']
    except Exception:
        value = _raw_header(msg, 'message-id')
    if value is None:
        return None
    value = _clean(str(value)).strip()
    return value or None


def _param(part, header_name, param):
    try:
        header = part[header_name]
    except Exception:
        header = None
    if header is None:
        return None
    params = getattr(header, 'params', None)
    if params is None:
        return None
    value = params.get(param)
    return value


def _decode_words(value):
    """RFC 2047 inside a parameter value (Outlook's name="=?utf-8?B?...?="), which Python's
    parameter parser leaves as is unless the encoded word is the whole quoted string."""
    if value is None or '=?' not in value:
        return value
    try:
        return str(email.header.make_header(email.header.decode_header(value)))
    except Exception:
        return value


def _filename(part):
    name = _param(part, 'content-disposition', 'filename')
    if name is None:
        name = _param(part, 'content-type', 'name')
    if name is None:
        return None
    return _clean(_decode_words(str(name)))


def _body_bytes(part):
    payload = part.get_payload()
    if isinstance(payload, list):  # message/* other than rfc822 that Python parsed
        return b''.join(p.as_bytes(policy=POLICY) for p in payload)
    if payload is None:
        return b''
    cte = part.get('content-transfer-encoding', '')
    cte = str(cte).strip().lower() if cte is not None else ''
    if cte in ('base64', 'quoted-printable', '7bit', '8bit', 'binary', ''):
        # decode=True also gives the original bytes of 8bit bodies, which the payload
        # string does not always keep (Python may have decoded it with the charset).
        decoded = part.get_payload(decode=True)
        return decoded if decoded is not None else b''
    if isinstance(payload, bytes):
        return payload
    try:
        return payload.encode('ascii', 'surrogateescape')
    except UnicodeEncodeError:
        return payload.encode('utf-8', 'surrogateescape')


def _leaf(part, number):
    body = _body_bytes(part)
    try:
        charset = part.get_content_charset()
    except Exception:
        charset = None
    return {
        'part': number,
        'content_type': part.get_content_type(),
        'charset': _clean(charset),
        'disposition': _clean(part.get_content_disposition()),
        'filename': _filename(part),
        'size': len(body),
        'sha256': hashlib.sha256(body).hexdigest(),
    }


def _join(prefix, index):
    return f'{prefix}.{index}' if prefix else str(index)


def _message_body(msg, prefix, out):
    """The parts of a message (top level, or inside message/rfc822 part `prefix`)."""
    if msg.is_multipart() and msg.get_content_maintype() == 'multipart':
        for index, child in enumerate(msg.get_payload(), 1):
            _walk_part(child, _join(prefix, index), out)
    else:
        _walk_part(msg, _join(prefix, 1), out)


def _walk_part(part, number, out):
    if part.is_multipart() and part.get_content_maintype() == 'multipart':
        for index, child in enumerate(part.get_payload(), 1):
            _walk_part(child, f'{number}.{index}', out)
    elif part.get_content_type() == 'message/rfc822' and part.is_multipart():
        inner = part.get_payload()
        if inner:
            _message_body(inner[0], number, out)
        else:
            out.append(_leaf(part, number))
    else:
        out.append(_leaf(part, number))


def parse_message(data):
    msg = email.message_from_bytes(data, policy=POLICY)
    parts = []
    _message_body(msg, '', parts)
    return {
        'subject': _subject(msg),
        'from': _addresses(msg, 'from'),
        'to': _addresses(msg, 'to'),
        'cc': _addresses(msg, 'cc'),
        'date': _date(msg),
        'message_id': _message_id(msg),
        'parts': parts,
    }


def parse_file(path):
    """The JSON objects of one file, `file` as given."""
    with open(path, 'rb') as handle:
        data = handle.read()
    result = []
    for index, message in enumerate(split_messages(data)):
        entry = {'file': path, 'index': index}
        entry.update(parse_message(message))
        result.append(entry)
    return result


def main(argv):
    if len(argv) < 2 or argv[1] in ('-h', '--help'):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    output = []
    status = 0
    for path in argv[1:]:
        if path == '--json':
            continue
        try:
            output.extend(parse_file(path))
        except OSError as error:
            print(f'reference_parse.py: {path}: {error.strerror}', file=sys.stderr)
            status = 7
    sys.stdout.write(json.dumps(output, ensure_ascii=False, indent=1))
    sys.stdout.write('\n')
    return status


if __name__ == '__main__':
    sys.setrecursionlimit(10000)
    sys.exit(main(sys.argv))
