"""Deliberate encodings undone before scanning, each decoded character mapped to its source.

A resident's name sent as ``&#23665;&#30000;``, ``\\u5c71\\u7530``, ``%E5%B1%B1%E7%94%B0``
or ``5bGx55Sw5aSq6YOO`` (base64) reads as 山田太郎 to the model and to any person, so
the guard must read it that way too. ``decode_spans`` finds such runs and returns what
they stand for, every decoded character with the source span it came from (the
normaliser keeps that map, so findings still index the original text).

What counts, and why the rules are strict where they are:

* HTML character references (numeric ``&#…;`` / ``&#x…;`` and named ``&amp;``);
* escape sequences ``\\uXXXX`` (surrogate pairs joined), ``\\U0000XXXX``, ``\\u{…}``
  and runs of ``\\xHH`` bytes (UTF-8);
* percent-encoding: a run of two or more ``%HH`` bytes, or a single one standing for
  punctuation (``%40`` is @). Decoded as UTF-8, else as CP932 (old Japanese sites);
* base64 (standard or URL-safe): a run of at least 16 characters that decodes to UTF-8
  text of printable characters — random words almost never do (each decoded byte would
  have to be printable) — or of 8 to 15 that decodes to letters of other scripts only
  (a name in kanji or Hangul: 5by1546J546y is 張玉玲).

Runs that look encoded but do not decode are left alone here; the ENCODED_DATA
recogniser flags them (``recognizers/encoded_data.py``).
"""

from __future__ import annotations

import base64
import binascii
import html
import re
from typing import NamedTuple


class DecodedChar(NamedTuple):
    """One decoded character and the half-open source span it stands for."""

    char: str
    start: int
    end: int


_HTML_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_ESCAPE = re.compile(
    r"(?:\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}|\\u\{[0-9A-Fa-f]{1,6}\}|\\x[0-9A-Fa-f]{2})+"
)
_ONE_ESCAPE = re.compile(
    r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})|\\u\{([0-9A-Fa-f]{1,6})\}|\\x([0-9A-Fa-f]{2})"
)
_PERCENT = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
# Base64 runs: not glued to other word characters (a longer token is something else).
# Not next to "@" or "." either: a mail's local part, a domain or a file name.
BASE64_RUN = re.compile(
    r"(?<![A-Za-z0-9+/_\-.@])[A-Za-z0-9+/\-_]{8,}={0,2}(?![A-Za-z0-9+/_\-=@]|\.[A-Za-z0-9])"
)
# Below this many characters a run decodes only to letters of other scripts (a name in
# kanji, Hangul …): short words decode to such text far too rarely to matter.
_SHORT_BASE64 = 16
_MIN_PRINTABLE = 0.95
# What can possibly be encoded: the cheap test that keeps most prompts off this path.
_MAYBE = re.compile(r"&[#A-Za-z]|\\[uUx]|%[0-9A-Fa-f]{2}|[A-Za-z0-9+/\-_]{8}")


def decode_spans(text: str) -> list[list[DecodedChar]]:
    """Decoded runs of ``text``, in order and disjoint; each a list of characters."""
    if not _MAYBE.search(text):
        return []
    found: list[tuple[int, int, list[DecodedChar]]] = []
    finders = [_base64_runs]
    if "&" in text:
        finders.append(_html_entities)
    if "\\" in text:
        finders.append(_escapes)
    if "%" in text:
        finders.append(_percent_runs)
    for finder in finders:
        for run in finder(text):
            found.append((run[0].start, run[-1].end, run))
    found.sort(key=lambda item: (item[0], -item[1]))
    kept: list[list[DecodedChar]] = []
    last_end = -1
    for start, end, run in found:
        if start >= last_end:
            kept.append(run)
            last_end = end
    return kept


def _html_entities(text: str) -> list[list[DecodedChar]]:
    runs: list[list[DecodedChar]] = []
    for match in _HTML_ENTITY.finditer(text):
        decoded = html.unescape(match.group())
        if decoded == match.group() or not decoded:
            continue
        runs.append([DecodedChar(c, match.start(), match.end()) for c in decoded])
    return runs


def _escapes(text: str) -> list[list[DecodedChar]]:
    runs: list[list[DecodedChar]] = []
    for match in _ESCAPE.finditer(text):
        chars: list[DecodedChar] = []
        pending: list[tuple[int, int, int]] = []  # \x bytes: (byte, start, end)
        high: tuple[int, int] | None = None  # a high surrogate waiting: (value, start)
        for esc in _ONE_ESCAPE.finditer(match.group()):
            start, end = match.start() + esc.start(), match.start() + esc.end()
            if esc.group(4) is not None:
                pending.append((int(esc.group(4), 16), start, end))
                continue
            chars += _utf8_chars(pending)
            pending = []
            value = int(next(g for g in esc.groups()[:3] if g is not None), 16)
            if 0xD800 <= value < 0xDC00:
                high = (value, start)
                continue
            if 0xDC00 <= value < 0xE000 and high is not None:
                value = 0x10000 + ((high[0] - 0xD800) << 10) + (value - 0xDC00)
                start = high[1]
            high = None
            if value <= 0x10FFFF and not 0xD800 <= value < 0xE000:
                chars.append(DecodedChar(chr(value), start, end))
        chars += _utf8_chars(pending)
        if chars:
            runs.append(chars)
    return runs


def _utf8_chars(pending: list[tuple[int, int, int]]) -> list[DecodedChar]:
    """Characters of UTF-8 bytes given one by one, each mapped to its bytes' escapes."""
    if not pending:
        return []
    raw = bytes(b for b, _, _ in pending)
    for codec in ("utf-8", "cp932"):
        try:
            decoded = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        chars: list[DecodedChar] = []
        pos = 0
        for c in decoded:
            size = len(c.encode(codec))
            chars.append(DecodedChar(c, pending[pos][1], pending[pos + size - 1][2]))
            pos += size
        if _printable(decoded):
            return chars
    return []


def _percent_runs(text: str) -> list[list[DecodedChar]]:
    runs: list[list[DecodedChar]] = []
    for match in _PERCENT.finditer(text):
        pending = [
            (int(text[i + 1 : i + 3], 16), i, i + 3) for i in range(match.start(), match.end(), 3)
        ]
        if len(pending) == 1 and (pending[0][0] >= 0x80 or chr(pending[0][0]).isalnum()):
            continue  # one escape: only punctuation is worth hiding (%40 = @)
        chars = _utf8_chars(pending)
        if chars:
            runs.append(chars)
    return runs


def _base64_runs(text: str) -> list[list[DecodedChar]]:
    runs: list[list[DecodedChar]] = []
    for match in BASE64_RUN.finditer(text):
        decoded = decode_base64_text(match.group())
        if decoded:
            runs.append([DecodedChar(c, match.start(), match.end()) for c in decoded])
    return runs


def decode_base64_text(run: str) -> str | None:
    """The UTF-8 text ``run`` encodes in base64 (standard or URL-safe), or None."""
    body = run.rstrip("=")
    if len(body) % 4 == 1:
        return None
    padded = body + "=" * (-len(body) % 4)
    try:
        raw = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
        decoded = raw.decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    if len(decoded) < 2 or not _printable(decoded) or not _reads_as_text(decoded):
        return None
    if len(run) < _SHORT_BASE64 and not all(
        ord(c) >= 0x80 and c.isalpha() or c == " " for c in decoded
    ):
        return None
    return decoded


def _printable(decoded: str) -> bool:
    good = sum(1 for c in decoded if c.isprintable() or c in "\n\r\t")
    return good >= _MIN_PRINTABLE * len(decoded)


# Random letters decode to printable ASCII one time in forty (16 characters): ASCII must
# also look like words — mostly letters, digits and spaces, with a space, "@" or ".".
_ASCII_TEXT = re.compile(r"[A-Za-z0-9 @.\-:,]")


def _reads_as_text(decoded: str) -> bool:
    if any(ord(c) >= 0x80 and c.isalpha() for c in decoded):
        return True
    wordy = sum(1 for c in decoded if _ASCII_TEXT.match(c))
    return wordy >= 0.9 * len(decoded) and any(c in " @." for c in decoded)
