"""Numbers split over units: the digits of a マイナンバー or a mobile number spread over
two messages, two turns of a thread or two fields of a task (`前半は123456` /
`後半は789018`). The guard reads each text as a whole and finds no number in either half,
nor in the halves joined with the words between them; the model, reading all of it,
can put the number together. This finds such numbers across unit boundaries only: a
number inside one text is the guard's to find.

Only the last number of a unit and the first of the next count as parts (a unit between
them must hold nothing else of digits), and quantities — followed by a counter (年, 月,
条, 円, 件 …), preceded by 第, or part of a time, decimal or date (8:00, 34.86,
2026/12/07) — are never parts, so dates, articles, amounts and the rows of a table
spread over several messages do not add up to a false マイナンバー.
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
_COUNTERS = frozenset("年月日時分秒条項号円万億千百％%件人名回歳個枚頁章節款目度倍割点位線丁番")
# A run next to these is a time, a decimal or a date (8:00, 34.86, 2026/12/07).
_QUANTITY_NEIGHBOURS = frozenset(":：.．/／")
# Runs of one unit joined only by these are one written number (090-1234-5678).
_JOINERS = frozenset("-‐－ー―  　")
_MOBILE_PREFIXES = ("050", "070", "080", "090")
MY_NUMBER_DIGITS = 12
MOBILE_DIGITS = 11


@dataclass(frozen=True)
class _Group:
    """One written number of a unit: digit runs joined by hyphens or spaces."""

    unit: int
    spans: tuple[tuple[int, int], ...]
    digits: str


@dataclass(frozen=True)
class SplitNumber:
    """One number assembled from parts in two or more units: its entity type and the
    (unit index, start, end) spans of its parts."""

    type: str
    parts: tuple[tuple[int, int, int], ...]


def _quantity(text: str, start: int, end: int) -> bool:
    after = text[end : end + 1]
    before = text[start - 1 : start] if start else ""
    return (
        after in _COUNTERS
        or before == "第"
        or after in _QUANTITY_NEIGHBOURS
        or before in _QUANTITY_NEIGHBOURS
    )


def _groups(index: int, text: str) -> list[_Group]:
    """The unit's numbers that could be part of an identifier (quantities left out)."""
    groups: list[_Group] = []
    spans: list[tuple[int, int]] = []
    digits = ""
    quantity = False
    for m in _DIGITS.finditer(text):
        joined = (
            bool(spans)
            and 0 < m.start() - spans[-1][1] <= 2
            and all(ch in _JOINERS for ch in text[spans[-1][1] : m.start()])
        )
        if spans and not joined:
            if not quantity:
                groups.append(_Group(index, tuple(spans), digits))
            spans, digits, quantity = [], "", False
        spans.append((m.start(), m.end()))
        digits += unicodedata.normalize("NFKC", m.group())
        quantity = quantity or _quantity(text, m.start(), m.end())
    if spans and not quantity:
        groups.append(_Group(index, tuple(spans), digits))
    return groups


def _kind(digits: str) -> str | None:
    if len(digits) == MY_NUMBER_DIGITS and int(digits[-1]) == my_number_check_digit(digits[:-1]):
        return "MY_NUMBER"
    if len(digits) == MOBILE_DIGITS and digits.startswith(_MOBILE_PREFIXES):
        return "PHONE_NUMBER"
    return None


def find_split_numbers(units: Sequence[str]) -> list[SplitNumber]:
    """Numbers whose parts end one unit and begin the next (a unit in between may hold
    one part and nothing else of digits; a unit without digits is skipped)."""
    per_unit = [_groups(i, text) for i, text in enumerate(units)]
    found: list[SplitNumber] = []
    for a, groups in enumerate(per_unit):
        if not groups:
            continue
        parts = [groups[-1]]
        digits = groups[-1].digits
        for later in per_unit[a + 1 :]:
            if not later:
                continue
            digits += later[0].digits
            if len(digits) > MY_NUMBER_DIGITS:
                break
            parts.append(later[0])
            if (kind := _kind(digits)) is not None:
                spans = tuple((g.unit, s, e) for g in parts for s, e in g.spans)
                found.append(SplitNumber(kind, spans))
            if len(later) > 1:
                break
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
