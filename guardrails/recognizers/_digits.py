"""Helpers shared by the number recognisers (cleaning a regex match down to digits)."""

from __future__ import annotations

import re

_NON_DIGITS = re.compile(r"[^0-9]")


def digits_only(match_text: str) -> str:
    """Keep ASCII digits only: drops separators, spaces, dots, newlines, brackets.

    Recognisers run on normalised text (see ``guardrails._normalize``), where every
    decimal digit is already ASCII, so nothing else can be a digit here.
    """
    return _NON_DIGITS.sub("", match_text)


def is_one_repeated_digit(digits: str) -> bool:
    """``000000000000`` and friends: placeholders, never real identifiers."""
    return len(digits) > 1 and len(set(digits)) == 1


# -- Building blocks for digit-run patterns (same rules as my_number.py) ----------------
# Separators people (or evaders) put between the digits: spaces, newlines, hyphens,
# dots, katakana middle dots; up to three in a row ("\r\n", " - ").
DIGIT_SEPARATOR = r"[\s\-.・]"
# Digits glued to a candidate, directly or by hyphens/dots, make one longer number;
# whitespace does not glue (spreadsheet cells, a numbered list on the next line).
DIGIT_JOINER = r"[\-.・]{0,3}"
# No digit glued before; not "+81…" (a phone number) nor "¥…" / "$…" (an amount).
NOT_AFTER_DIGITS = rf"(?<![0-9]{DIGIT_JOINER})(?<![+¥$]\(?)"
# No digit glued after; not an amount (…円, …万, …億, …兆).
NOT_BEFORE_DIGITS = rf"(?!{DIGIT_JOINER}[0-9])(?!\s?[円万億兆])"


def separated_digits(count: int, separator: str = DIGIT_SEPARATOR) -> str:
    """Regex for ``count`` digits with up to three ``separator`` characters between any
    two of them. Linear-time: a digit and a separator can never be the same character."""
    if count < 1:
        raise ValueError("count must be positive")
    return rf"[0-9](?:{separator}{{0,3}}[0-9]){{{count - 1}}}"
