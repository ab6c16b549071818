"""Scoring: span-overlap precision/recall/F1 per type, block rates, percentiles.

Matching rule: a gold span is *found* when a predicted span of the same type overlaps
it (shares at least one character); a prediction is *correct* when it overlaps a gold
span of its type. Overlap rather than exact boundaries, because what matters for the
guard is that the value is hidden, not where exactly the span starts (〒 included or
not, 様 included or not).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bench.guard_eval.model import Sample, Span


@dataclass(frozen=True, slots=True)
class Pred:
    type: str
    start: int
    end: int


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


@dataclass
class TypeCounts:
    gold: int = 0
    gold_found: int = 0  # overlapped by a prediction of the same type
    gold_found_any: int = 0  # overlapped by a prediction of any type
    pred: int = 0
    pred_correct: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)
    false_positives: list[dict[str, Any]] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        return self.pred_correct / self.pred if self.pred else None

    @property
    def recall(self) -> float | None:
        return self.gold_found / self.gold if self.gold else None

    @property
    def recall_any(self) -> float | None:
        return self.gold_found_any / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None if r is None else 0.0
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)

    def to_json(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "gold_found": self.gold_found,
            "gold_found_any_type": self.gold_found_any,
            "pred": self.pred,
            "pred_correct": self.pred_correct,
            "precision": self.precision,
            "recall": self.recall,
            "recall_any_type": self.recall_any,
            "f1": self.f1,
            "misses": self.misses,
            "false_positives": self.false_positives,
        }


def _snippet(text: str, start: int, end: int, width: int = 15) -> str:
    return (
        text[max(0, start - width) : start] + "⟦" + text[start:end] + "⟧" + text[end : end + width]
    ).replace("\n", "⏎")


def score_spans(
    samples: Iterable[Sample],
    preds: Mapping[str, Sequence[Pred]],
    types: Sequence[str],
    *,
    ignore_pred: Callable[[Sample, Pred], bool] | None = None,
    keep_examples: int = 8,
) -> dict[str, TypeCounts]:
    """Per-type counts over ``samples`` (gold spans of other types are ignored)."""
    wanted = set(types)
    counts = {t: TypeCounts() for t in types}
    for sample in samples:
        golds: list[Span] = [g for g in sample.spans if g.type in wanted]
        predicted = sorted(
            {p for p in preds.get(sample.id, ()) if p.type in wanted},
            key=lambda p: (p.start, p.end, p.type),
        )
        if ignore_pred is not None:
            predicted = [p for p in predicted if not ignore_pred(sample, p)]
        for g in golds:
            c = counts[g.type]
            c.gold += 1
            same = any(
                p.type == g.type and overlaps(p.start, p.end, g.start, g.end) for p in predicted
            )
            anyt = any(overlaps(p.start, p.end, g.start, g.end) for p in predicted)
            c.gold_found += same
            c.gold_found_any += anyt
            if not same and len(c.misses) < keep_examples:
                got = [p.type for p in predicted if overlaps(p.start, p.end, g.start, g.end)]
                c.misses.append(
                    {
                        "id": sample.id,
                        "value": g.value,
                        "context": _snippet(sample.text, g.start, g.end),
                        "found_as": got,
                    }
                )
        for p in predicted:
            c = counts[p.type]
            c.pred += 1
            ok = any(g.type == p.type and overlaps(p.start, p.end, g.start, g.end) for g in golds)
            c.pred_correct += ok
            if not ok and len(c.false_positives) < keep_examples:
                c.false_positives.append(
                    {"id": sample.id, "context": _snippet(sample.text, p.start, p.end)}
                )
    return counts


def micro(counts: Mapping[str, TypeCounts]) -> TypeCounts:
    total = TypeCounts()
    for c in counts.values():
        total.gold += c.gold
        total.gold_found += c.gold_found
        total.gold_found_any += c.gold_found_any
        total.pred += c.pred
        total.pred_correct += c.pred_correct
    return total


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile, ``q`` in [0, 100]."""
    if not values:
        return math.nan
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def latency_summary(ms: Sequence[float]) -> dict[str, float]:
    return {
        "n": float(len(ms)),
        "p50": percentile(ms, 50),
        "p95": percentile(ms, 95),
        "p99": percentile(ms, 99),
        "mean": sum(ms) / len(ms) if ms else math.nan,
        "max": max(ms) if ms else math.nan,
    }
