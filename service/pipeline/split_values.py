"""Numbers split over units: the digits of a マイナンバー or a mobile number spread over
two messages, two turns of a thread or two fields of a task (`前半は123456` /
`後半は789018`). The guard reads each text as a whole and finds no number in either half,
nor in the halves joined with the words between them; the model, reading all of it,
can put the number together. This finds such numbers across unit boundaries only: a
number inside one text is the guard's to find.

Digit runs that are quantities — followed by a counter (年, 月, 条, 円, 件 …) or
preceded by 第 — are not parts of an identifier and break a sequence, so dates,
articles and amounts spread over a thread do not add up to a false マイナンバー.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from guardrails.recognizers.my_number import my_number_check_digit

from .redaction import label as type_label

__all__ = ["SplitNumber", "find_split_numbers", "mask_split_numbers"]

_DIGITS = re.compile(r"[0-9０-９]+")
_COUNTERS = frozenset("年月日時分秒条項号円万億千百％%件人名回歳個枚頁章節款目度倍割点位号線丁番")
_MOBILE_PREFIXES = ("050", "070", "080", "090")
MY_NUMBER_DIGITS = 12
MOBILE_DIGITS = 11


@dataclass(frozen=True)
class _Run:
    unit: int
    start: int
    end: int
    digits: str
    quantity: bool


@dataclass(frozen=True)
class SplitNumber:
    """One number assembled from digit runs of two or more units: its entity type and
    the (unit index, start, end) spans of its parts."""

    type: str
    parts: tuple[tuple[int, int, int], ...]


def _runs(units: Sequence[str]) -> list[_Run]:
    runs: list[_Run] = []
    for index, text in enumerate(units):
        for m in _DIGITS.finditer(text):
            after = text[m.end() : m.end() + 1]
            before = text[m.start() - 1 : m.start()] if m.start() else ""
            quantity = after in _COUNTERS or before == "第"
            digits = unicodedata.normalize("NFKC", m.group())
            runs.append(_Run(index, m.start(), m.end(), digits, quantity))
    return runs


def _kind(digits: str) -> str | None:
    if len(digits) == MY_NUMBER_DIGITS and int(digits[-1]) == my_number_check_digit(digits[:-1]):
        return "MY_NUMBER"
    if len(digits) == MOBILE_DIGITS and digits.startswith(_MOBILE_PREFIXES):
        return "PHONE_NUMBER"
    return None


def find_split_numbers(units: Sequence[str]) -> list[SplitNumber]:
    """Numbers made of consecutive digit runs that span at least two units."""
    runs = _runs(units)
    found: list[SplitNumber] = []
    for i, first in enumerate(runs):
        if first.quantity:
            continue
        digits = ""
        for j in range(i, len(runs)):
            run = runs[j]
            if run.quantity:
                break
            digits += run.digits
            if len(digits) > MY_NUMBER_DIGITS:
                break
            if run.unit != first.unit and (kind := _kind(digits)) is not None:
                parts = tuple((r.unit, r.start, r.end) for r in runs[i : j + 1])
                found.append(SplitNumber(kind, parts))
    return found


def mask_split_numbers(units: Sequence[str], found: Sequence[SplitNumber]) -> list[str]:
    """`units` with every part of every split number replaced by its type label."""
    spans: dict[int, list[tuple[int, int, str]]] = {}
    for number in found:
        label = type_label(number.type)
        for unit, start, end in number.parts:
            spans.setdefault(unit, []).append((start, end, label))
    masked = list(units)
    for unit, parts in spans.items():
        text = masked[unit]
        for start, end, label in sorted(set(parts), reverse=True):
            text = text[:start] + label + text[end:]
        masked[unit] = text
    return masked
