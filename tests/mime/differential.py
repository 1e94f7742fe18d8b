#!/usr/bin/python3
"""Differential test: `wharf-cli mail parse --json` against Python's email package.

Usage: differential.py WHARF_CLI FILE_OR_DIR...
       differential.py --self-test FILE_OR_DIR...   (the reference against itself)

Directories are searched recursively for *.eml and *.mbox files.  For every message (file,
index) it compares subject, from/to/cc (address exactly, display names after white-space
normalisation), date, message_id and the leaf parts (part, content_type, charset,
disposition, filename, size, sha256).  It prints a diff for every mismatch and exits 1 on
any mismatch that ACCEPTED below does not cover.  Last line:
"N messages compared, M identical, K accepted differences".
"""

import fnmatch
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_parse  # noqa: E402

# Differences that are known and accepted.  Each entry:
#   'file':   fnmatch pattern matched against the file's basename (e.g. 'cd-attwith2filenames.eml',
#             'corpus.mbox')
#   'index':  (optional) message index in the file; default: every message
#   'field':  fnmatch pattern of the mismatch key: 'subject', 'from', 'to', 'cc', 'date',
#             'message_id', 'parts' (the list of part numbers differs),
#             'parts[1.2].filename' (one field of one part), 'parts[*].sha256', 'messages'
#             (message count of the file), 'cli' (wharf-cli failed on the file)
#   'reason': why this is accepted: only where Python is arguably wrong or the standards allow
#             both answers.  Required.
# Add entries only after looking at the diff; an entry that matches nothing is reported as
# stale (a warning, not a failure).
_ADJACENT_WORDS = ("Python keeps the space between adjacent encoded words in a display name "
                   "and decodes each word on its own; RFC 2047 6.2 drops that space and a "
                   "character split across the words must come out whole")
ACCEPTED = [
    {'file': 'rfc2047-s8-example[345].eml', 'field': 'from', 'reason': _ADJACENT_WORDS},
    {'file': 'rfc2047-split-multibyte.eml', 'field': 'from', 'reason': _ADJACENT_WORDS},
    # Which corpus messages have such names depends on the generator's seed (fixed).
    {'file': 'corpus.mbox', 'index': 121, 'field': 'to', 'reason': _ADJACENT_WORDS},
    {'file': 'corpus.mbox', 'index': 192, 'field': 'to', 'reason': _ADJACENT_WORDS},
    {'file': 'corpus.mbox', 'index': 412, 'field': 'to', 'reason': _ADJACENT_WORDS},
    {'file': 'corpus.mbox', 'index': 458, 'field': 'to', 'reason': _ADJACENT_WORDS},
    {'file': 'rfc2047-invalid-words.eml', 'field': 'subject',
     'reason': 'invalid encoded words (unknown charset, bad base64) are shown as written, as '
               'the MIME issue requires; Python drops some of them silently'},
    {'file': 'rfc2047-invalid-words.eml', 'field': 'from',
     'reason': 'an invalid encoded word in a display name is shown as written; Python drops '
               'the name'},
    {'file': 'rfc2047-mixed-case-and-lang.eml', 'field': 'to',
     'reason': 'the old "addr (Real Name)" form: Wharf shows the comment as the name, as '
               'Thunderbird does; Python ignores comments'},
    {'file': 'usascii-with-8bit.eml', 'field': 'subject',
     'reason': 'raw 8-bit header bytes that are not UTF-8 (RFC 6532) are read as windows-1252 '
               '("Caf\u00e9"); Python shows U+FFFD'},
    {'file': 'rfc2231-both-forms.eml', 'field': 'parts*.filename',
     'reason': 'RFC 6266 4.3: filename* wins over filename whatever their order; Python takes '
               'the first'},
    {'file': 'cd-attwithfntokensq.eml', 'field': 'parts*.filename',
     'reason': "tc2231 attwithfntokensq: filename='foo.bar' is a token with quotes in it, the "
               "name is 'foo.bar' with the quotes; Python gives no name"},
    {'file': 'cd-attfnbrokentoken.eml', 'field': 'parts*.filename',
     'reason': 'tc2231 attfnbrokentoken: an unquoted name with brackets is invalid; Wharf '
               'keeps the whole name, as browsers do, Python cuts it at the bracket'},
    {'file': 'base64-data-after-padding.eml', 'field': 'parts*.s[ih][za]*',
     'reason': 'base64 after "=" padding is read on as a new run (concatenated encodings); '
               'Python stops at the first padding and loses the rest'},
    {'file': 'multipart-missing-end-boundary.eml', 'field': 'parts*.s[ih][za]*',
     'reason': 'without a closing delimiter the last part runs to the end of the data, its '
               'final line break included (nothing is lost); Python drops that line break'},
    {'file': 'multipart-nested-70.eml', 'field': 'parts',
     'reason': 'nesting is capped at 64 levels (MessageParser::kMaxDepth), below which the '
               'rest is one opaque part; Python follows all 70'},
    {'file': 'address-groups-and-comments.eml', 'field': 'message_id',
     'reason': 'a Message-ID with spaces inside the angle brackets is not an id; Wharf '
               'keeps the header as written, Python trims inside the brackets'},
]

PART_FIELDS = ('content_type', 'charset', 'disposition', 'filename', 'size', 'sha256')
SHOW = 300  # characters of a value shown in a diff


def collect(paths):
    files = []
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, names in os.walk(path):
                dirs.sort()
                for name in sorted(names):
                    if name.endswith(('.eml', '.mbox')):
                        files.append(os.path.join(root, name))
        else:
            files.append(path)
    return files


def run_cli(cli, files, batch=64, timeout=600):
    """{file: [objects]} from wharf-cli; {file: error text} for files it failed on."""
    results, errors = {}, {}
    for start in range(0, len(files), batch):
        chunk = files[start:start + batch]
        ok, output, error = _run(cli, chunk, timeout)
        if ok:
            for entry in output:
                results.setdefault(entry.get('file'), []).append(entry)
            continue
        for path in chunk:  # find out which file it was
            ok, output, error = _run(cli, [path], timeout)
            if ok:
                results[path] = list(output)
            else:
                errors[path] = error
    return results, errors


def _run(cli, files, timeout):
    try:
        proc = subprocess.run([cli, 'mail', 'parse', '--json', *files], capture_output=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return False, None, f'timed out after {timeout} s'
    except OSError as error:
        return False, None, f'cannot run {cli}: {error}'
    stderr = proc.stderr.decode('utf-8', 'replace').strip()
    if proc.returncode != 0:
        return False, None, f'exit code {proc.returncode}: {stderr[:SHOW]}'
    try:
        output = json.loads(proc.stdout)
    except ValueError as error:
        return False, None, f'invalid JSON ({error}): {proc.stdout[:SHOW]!r}'
    if not isinstance(output, list):
        return False, None, 'JSON output is not an array'
    return True, output, stderr


def run_reference(files):
    results, errors = {}, {}
    for path in files:
        try:
            results[path] = reference_parse.parse_file(path)
        except Exception as error:  # noqa: BLE001 (a reference failure is reported, not raised)
            errors[path] = f'reference_parse failed: {type(error).__name__}: {error}'
    return results, errors


def _norm_name(name):
    return ' '.join((name or '').split())


def _addresses(value):
    return [(a.get('address'), _norm_name(a.get('name'))) for a in (value or [])]


def compare_message(ours, theirs):
    """[(key, reference value, wharf value)] for one message."""
    diffs = []
    for key in ('subject', 'date', 'message_id'):
        if ours.get(key) != theirs.get(key):
            diffs.append((key, ours.get(key), theirs.get(key)))
    for key in ('from', 'to', 'cc'):
        if _addresses(ours.get(key)) != _addresses(theirs.get(key)):
            diffs.append((key, ours.get(key), theirs.get(key)))
    ref_parts = {p['part']: p for p in ours.get('parts') or []}
    cli_parts = {p.get('part'): p for p in theirs.get('parts') or []}
    ref_numbers = [p['part'] for p in ours.get('parts') or []]
    cli_numbers = [p.get('part') for p in theirs.get('parts') or []]
    if ref_numbers != cli_numbers:
        diffs.append(('parts', ref_numbers, cli_numbers))
    for number in ref_numbers:
        if number not in cli_parts:
            continue
        for field in PART_FIELDS:
            a, b = ref_parts[number].get(field), cli_parts[number].get(field)
            if a != b:
                diffs.append((f'parts[{number}].{field}', a, b))
    return diffs


def accepted_entry(path, index, key):
    base = os.path.basename(path)
    for entry in ACCEPTED:
        if not fnmatch.fnmatchcase(base, entry['file']):
            continue
        if 'index' in entry and entry['index'] != index:
            continue
        if fnmatch.fnmatchcase(key, entry['field']):
            return entry
    return None


def show(value):
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= SHOW else text[:SHOW] + f'... ({len(text)} characters)'


def main(argv):
    if len(argv) < 3 or argv[1] in ('-h', '--help'):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    for entry in ACCEPTED:
        if not entry.get('reason'):
            print(f'ACCEPTED entry without a reason: {entry}', file=sys.stderr)
            return 2
    cli = argv[1]
    files = collect(argv[2:])
    if not files:
        print('no input files', file=sys.stderr)
        return 2

    reference, ref_errors = run_reference(files)
    if cli == '--self-test':
        wharf, cli_errors = run_reference(files)
        wharf = json.loads(json.dumps(wharf))  # through JSON, as wharf-cli's output is
    else:
        wharf, cli_errors = run_cli(cli, files)

    compared = identical = accepted = failures = 0
    used = set()

    def report(path, index, key, ours, theirs):
        nonlocal accepted, failures
        entry = accepted_entry(path, index, key)
        where = f'{path} #{index}' if index is not None else path
        if entry is not None:
            used.add(id(entry))
            accepted += 1
            print(f'ACCEPTED {where}: {key}: {entry["reason"]}')
            return True
        failures += 1
        print(f'MISMATCH {where}: {key}\n  python: {show(ours)}\n  wharf:  {show(theirs)}')
        return False

    for path in files:
        if path in ref_errors:
            failures += 1
            print(f'ERROR {path}: {ref_errors[path]}')
            continue
        if path in cli_errors:
            compared += len(reference[path])
            report(path, None, 'cli', 'parsed', cli_errors[path])
            continue
        ours = reference[path]
        theirs = wharf.get(path, [])
        if len(ours) != len(theirs):
            report(path, None, 'messages', len(ours), len(theirs))
        by_index = {m.get('index'): m for m in theirs}
        for message in ours:
            compared += 1
            index = message['index']
            other = by_index.get(index)
            if other is None:
                report(path, index, 'messages', f'message {index}', 'missing')
                continue
            diffs = compare_message(message, other)
            if not diffs:
                identical += 1
            for key, a, b in diffs:
                report(path, index, key, a, b)

    for entry in ACCEPTED:
        if id(entry) not in used:
            print(f'warning: stale ACCEPTED entry (matched nothing): {entry}')
    print(f'{failures} unaccepted mismatches')
    print(f'{compared} messages compared, {identical} identical, {accepted} accepted differences')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.setrecursionlimit(10000)
    sys.exit(main(sys.argv))
