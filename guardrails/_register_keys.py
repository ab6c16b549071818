"""Canonical forms of public values, so that one value written many ways is one key.

A phone number is its national digits (０５４－６２６－１１１１, (054)626-1111 and
+81-54-626-1111 are all 0546261111); an e-mail address is NFKC and case-folded; a postal
code its seven digits; an address is NFKC without spaces, numbers in ASCII digits
(二丁目十六番 → 2-16), 丁目・番地・番・号・の between numbers as "-", and without its
prefecture (静岡県焼津市本町2丁目16番32号 and 焼津市本町２－１６－３２ are one key);
a name or an organisation is NFKC without spaces (a person's name only when it is a full
name: a surname alone is no key).
"""

from __future__ import annotations

import re

from guardrails._gazetteer import fold
from guardrails._normalize import normalize

# The kinds a public register holds: the contact types and names of the guard's
# contract, plus organisation names (facilities, offices), which are no entity type.
ORGANIZATION = "ORGANIZATION"
REGISTER_KINDS = frozenset(
    ["ADDRESS", "PHONE_NUMBER", "EMAIL_ADDRESS", "POSTAL_CODE", "PERSON", ORGANIZATION]
)

_SPACE = re.compile(r"\s+")
_KANJI_NUMBER = re.compile(
    r"[〇一二三四五六七八九十百千]+(?=丁目|番|号|の[0-9〇一二三四五六七八九十]|-)"
)
_KANJI_VALUES = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_BETWEEN = re.compile(r"(?<=[0-9])(?:丁目|番地の|番地|番の|番|号の|号|の)(?=[0-9])")
_TRAILING = re.compile(r"(?<=[0-9])(?:丁目|番地|番|号)$")
_DASHES = re.compile(r"[‐‑‒–—―−ー－]")
_PREFECTURE = re.compile(r"^(?:北海道|東京都|京都府|大阪府|[^\s都道府県]{2,3}県)(?=.+[市区町村郡])")
_NAME_JOINERS = re.compile(r"[\s・=＝]")
_MIN_CJK_NAME = 3


def kanji_number(text: str) -> int:
    """二十三 → 23, 百二 → 102, 一二 → 12 (digits written one by one)."""
    if not any(c in _UNITS for c in text):
        return int("".join(str(_KANJI_VALUES[c]) for c in text))
    total, digit = 0, 0
    for ch in text:
        if ch in _UNITS:
            total += (digit or 1) * _UNITS[ch]
            digit = 0
        else:
            digit = digit * 10 + _KANJI_VALUES[ch]
    return total + digit


def register_key(kind: str, value: str) -> str | None:
    """The canonical form of ``value`` as a ``kind`` value; None when it cannot be one."""
    text = _SPACE.sub("", normalize(value).text)
    if not text:
        return None
    if kind == "PHONE_NUMBER":
        digits = "".join(c for c in text if c.isdigit())
        if text.startswith("+81"):
            digits = "0" + digits[2:].removeprefix("0")
        return digits if 10 <= len(digits) <= 11 and digits.startswith("0") else None
    if kind == "POSTAL_CODE":
        digits = "".join(c for c in text if c.isdigit())
        return digits if len(digits) == 7 else None
    if kind == "EMAIL_ADDRESS":
        return text.casefold() if text.count("@") == 1 else None
    if kind == "ADDRESS":
        return _address_key(text)
    if kind == "PERSON":
        return _person_key(normalize(value).text)
    if kind == ORGANIZATION:
        return _NAME_JOINERS.sub("", text)
    return None


def _person_key(text: str) -> str | None:
    # Only a full name: a surname alone (田中 of 田中議員) would make every resident
    # called 田中 public. Japanese / Chinese: at least three characters (surname and
    # given name); Latin script: at least two words.
    words = [w for w in _NAME_JOINERS.split(text) if w]
    key = "".join(words)
    if any(not c.isascii() for c in key):
        return key if len(key) >= _MIN_CJK_NAME else None
    return key if len(words) >= 2 else None


def _address_key(text: str) -> str:
    text = fold(_DASHES.sub("-", text))
    text = _KANJI_NUMBER.sub(lambda m: str(kanji_number(m.group())), text)
    text = _BETWEEN.sub("-", text)
    text = _TRAILING.sub("", text)
    return _PREFECTURE.sub("", text)
