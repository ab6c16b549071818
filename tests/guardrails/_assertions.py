"""The one assertion helper shared by the recogniser tables, plus test-data helpers.

Imported as ``tests.guardrails._assertions`` (the root ``tests/conftest.py`` puts the
project root on ``sys.path``; pytest runs with ``--import-mode=importlib``).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from guardrails import Action, Guard, PublicBasis

# A span is either explicit offsets into the ORIGINAL text or a substring of it whose
# (first) position is looked up — readable tables that still check original offsets.
Span = tuple[int, int] | str


@dataclass(frozen=True)
class Case:
    """One row of a recogniser table."""

    text: str
    spans: Sequence[Span] = ()
    score: tuple[float, float] = (0.0, 1.0)
    entity: str | None = None  # defaults to the table's entity
    others: bool = True  # whether findings of other types are tolerated


def resolve_span(text: str, span: Span) -> tuple[int, int]:
    if isinstance(span, str):
        start = text.index(span)
        return start, start + len(span)
    return span


def assert_findings(guard: Guard, case: Case, entity: str) -> None:
    """Scan ``case.text`` and compare the ``entity`` findings with the expectation."""
    entity = case.entity or entity
    result = guard.scan(case.text)
    assert result.error is None, result
    found = [f for f in result.findings if f.type == entity]
    expected = [resolve_span(case.text, s) for s in case.spans]
    assert [(f.start, f.end) for f in found] == expected, (
        f"{entity} spans {[(f.start, f.end) for f in found]} != {expected} "
        f"in {case.text!r} (findings: {result.findings})"
    )
    low, high = case.score
    for finding in found:
        assert low <= finding.score <= high, f"score {finding.score} not in {case.score}"
    if not case.others:
        assert [f for f in result.findings if f.type != entity] == [], result.findings
    # Whatever is reported is redacted, and blocked by the default policy — except the
    # types it only warns about (the public 法人番号) and values judged public
    # information (an office's number, 田中市長), which alone do not block.
    if found:
        if guard.policy.action_for(entity) is Action.BLOCK and any(f.public is None for f in found):
            assert result.blocked
        for finding in found:
            assert case.text[finding.start : finding.end] not in result.redacted


def my_number_check_digit(first_eleven: str) -> int:
    """Independent re-implementation of 番号法施行令 第8条 for building test data.

    Weights for the 11 digits read from the LEFT (i.e. n = 11 … 1 from the right):
    Qn = n - 5 for n ≥ 7, n + 1 for n ≤ 6.
    """
    weights = [6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2]
    remainder = sum(int(d) * w for d, w in zip(first_eleven, weights, strict=True)) % 11
    return 0 if remainder <= 1 else 11 - remainder


def make_my_number(first_eleven: str) -> str:
    """A 12-digit number whose check digit is right."""
    return first_eleven + str(my_number_check_digit(first_eleven))


def break_check_digit(number: str) -> str:
    """The same number with a wrong check digit."""
    return number[:11] + str((int(number[11]) + 1) % 10)


def to_fullwidth(text: str) -> str:
    return text.translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))


def to_kanji(text: str) -> str:
    return text.translate(str.maketrans("0123456789", "〇一二三四五六七八九"))


@dataclass(frozen=True)
class Judged:
    """One row of a public-information table: what each type's findings were judged
    (``PublicBasis`` or None for personal data) and whether the text is blocked."""

    text: str
    public: Mapping[str, PublicBasis | None]
    blocked: bool


def assert_judged(guard: Guard, case: Judged) -> None:
    """Scan ``case.text``: every finding of a listed type carries the expected basis,
    and the verdict blocks exactly when expected."""
    result = guard.scan(case.text)
    assert result.error is None, result
    seen: dict[str, set[PublicBasis | None]] = {}
    for finding in result.findings:
        seen.setdefault(finding.type, set()).add(finding.public)
    for entity, basis in case.public.items():
        assert seen.get(entity) == {basis}, (
            f"{entity}: {seen.get(entity)} != {{{basis}}} in {case.text!r} "
            f"(findings: {result.findings})"
        )
    assert result.blocked is case.blocked, f"blocked={result.blocked} in {case.text!r}"


@cache
def _public_cases() -> dict[str, Any]:
    return tomllib.loads((Path(__file__).parent / "public_cases.toml").read_text("utf-8"))


def load_cases(table: str) -> list[dict[str, Any]]:
    """The rows of one table of ``public_cases.toml`` (tables of public-information
    cases, kept as data)."""
    rows: list[dict[str, Any]] = _public_cases()[table]
    return rows
