"""Masking part of a scanned text: the findings of one scan over a longer text (a passage
with its title, a stream window with what came before) applied to one piece of it, with
the guard's own labels (<電話番号>, <氏名> …)."""

from __future__ import annotations

from collections.abc import Sequence

from guardrails import ENTITY_LABELS_JA, Finding

_FALLBACK = "個人情報"


def label(entity_type: str) -> str:
    return f"<{ENTITY_LABELS_JA.get(entity_type, _FALLBACK)}>"


def redact_piece(text: str, findings: Sequence[Finding], start: int, end: int) -> str:
    """`text[start:end]` with every finding that overlaps it replaced by its label (a
    finding cut by the piece's edge is replaced where it lies inside the piece)."""
    out: list[str] = []
    at = start
    for f in sorted(findings, key=lambda f: f.start):
        lo, hi = max(f.start, at), min(f.end, end)
        if hi <= lo:
            continue
        out += [text[at:lo], label(f.type)]
        at = hi
    out.append(text[at:end])
    return "".join(out)
