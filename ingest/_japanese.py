"""Japanese numerals and the Arabic-numeral locator form used in citations.

Laws are written with kanji numerals (第二百五十二条の十七の二) while staff type and read
citations with Arabic ones (第252条の17の2). e-Gov also writes promulgation dates and law
numbers positionally (平成一一年一二月八日法律第一五一号), so both styles are accepted.
"""

from __future__ import annotations

import re

__all__ = [
    "KANJI_NUMERAL_CHARS",
    "arabicize_numerals",
    "kanji_to_int",
    "to_halfwidth_digits",
    "to_locator",
]

_DIGITS: dict[str, int] = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_SMALL_UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}
_LARGE_UNITS: dict[str, int] = {"万": 10**4, "億": 10**8}

KANJI_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_SMALL_UNITS) + "".join(_LARGE_UNITS)

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_NUMERAL_RUN = re.compile(f"[{KANJI_NUMERAL_CHARS}]+")

# A number inside a locator: kanji, or Arabic digits of either width (例規集 written
# horizontally use 第1条).
_N = f"[{KANJI_NUMERAL_CHARS}0-9０-９]+"
_PART = f"第{_N}[編章節款目条項号](?:の{_N})*"
_REF = f"(?:{_PART})+"
_LOCATOR = re.compile(f"{_REF}(?:(?:乃至|から|及び|・){_REF}(?:まで)?)?")
_NUMBER_IN_LOCATOR = re.compile(_N)


def to_halfwidth_digits(text: str) -> str:
    """Replace full-width digits (０-９) with ASCII digits; everything else is kept."""
    return text.translate(_FULLWIDTH_DIGITS)


def kanji_to_int(text: str) -> int:
    """Value of a kanji numeral: 二百五十二 → 252, 一万二千 → 12000, 二〇一三 → 2013.

    Raises ValueError for anything that is not a well-formed numeral, so callers can tell
    a number from ordinary text (e.g. 一部).
    """
    if not text:
        raise ValueError("empty numeral")
    if all(ch in _DIGITS for ch in text):
        # Positional style (二〇一三, 一五一) as e-Gov writes dates and law numbers.
        return int("".join(str(_DIGITS[ch]) for ch in text))
    total = 0
    section = 0
    digit: int | None = None
    last_small = 10**5
    last_large = 10**9
    for ch in text:
        if ch in _DIGITS:
            # Two digits in a row (二二十) or a zero (千〇五) never occur in the unit style.
            if digit is not None or _DIGITS[ch] == 0:
                raise ValueError(f"malformed kanji numeral: {text!r}")
            digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            unit = _SMALL_UNITS[ch]
            if unit >= last_small:
                raise ValueError(f"malformed kanji numeral: {text!r}")
            section += (1 if digit is None else digit) * unit
            digit = None
            last_small = unit
        elif ch in _LARGE_UNITS:
            unit = _LARGE_UNITS[ch]
            section += 0 if digit is None else digit
            if unit >= last_large or section == 0:
                raise ValueError(f"malformed kanji numeral: {text!r}")
            total += section * unit
            section, digit = 0, None
            last_small, last_large = 10**5, unit
        else:
            raise ValueError(f"not a kanji numeral: {text!r}")
    return total + section + (0 if digit is None else digit)


def _number_value(token: str) -> int:
    if token.isdecimal():
        return int(to_halfwidth_digits(token))
    return kanji_to_int(token)


def arabicize_numerals(text: str) -> str:
    """Replace every run of kanji numerals that parses with Arabic digits.

    Meant for short number-only phrases such as 平成一一年一二月八日法律第一五一号 →
    平成11年12月8日法律第151号; do not use it on prose (一部 would become 1部).
    Runs that do not parse are left as they are.
    """

    def repl(match: re.Match[str]) -> str:
        try:
            return str(kanji_to_int(match.group(0)))
        except ValueError:
            return match.group(0)

    return _NUMERAL_RUN.sub(repl, to_halfwidth_digits(text))


def to_locator(label: str) -> str:
    """The citation form of an article reference: 第二百五十二条の十七の二 → 第252条の17の2.

    Also accepts compound references (第五条第三項 → 第5条第3項) and the ranges e-Gov uses
    for deleted articles (第二十条乃至第七十三条 → 第20条乃至第73条).
    Raises ValueError when the label is not such a reference.
    """
    label = label.strip()
    if not _LOCATOR.fullmatch(label):
        raise ValueError(f"not an article reference: {label!r}")
    return _NUMBER_IN_LOCATOR.sub(lambda m: str(_number_value(m.group(0))), label)
