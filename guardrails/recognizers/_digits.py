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
