"""What placeholder mode's widening pass (guardrails/_placeholder_widen.py) gains and costs
on texts it was not written for.

    .venv/bin/python bench/placeholder_widen.py [--public-n 1600]

Every text is planned as a drafting prompt with placeholders requested, the pipeline's way
(``placeholder_prompt(…, rescan=guard.scan)``), once with the widening pass and once
without it (the guard's findings as they are):

* **gain** — the hand-written recall sets of the guard (bench/guard_eval/data: resident
  items with labelled values in ten languages, written by other sessions; none was read
  while writing the widening rules): labelled personal values left whole or in part in
  what would be sent.
* **cost** — public texts, where nothing personal is written (the guard bench's 1,600
  public municipal texts, seed 7, and the public recall parts): texts in which the
  widening adds a placeholder, and the characters it takes — public words that the model
  would no longer see (they are restored in the answer, but the model writes blind).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import guardrails._placeholders as planner  # noqa: E402
from bench.guard_eval.model import Sample  # noqa: E402
from bench.guard_eval.public_texts import generate_public_texts  # noqa: E402
from bench.guard_eval.recall_set import load_recall_set  # noqa: E402
from guardrails import (  # noqa: E402
    Guard,
    PlaceholderMapping,
    PlaceholderPlan,
    ScanResult,
    build_guard,
    placeholder_prompt,
)
from guardrails._placeholder_widen import widen as planner_widen  # noqa: E402

RECALL_PARTS = ("dev", "dev3", "dev4", "sealed", "sealed2", "sealed3", "sealed4")
PUBLIC_PARTS = ("public_dev4", "public_sealed4")
PLACEHOLDER_TYPES = frozenset(
    ["PERSON", "ADDRESS", "PHONE_NUMBER", "EMAIL_ADDRESS", "BIRTH_DATE", "POSTAL_CODE"]
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--public-n", type=int, default=1600)
    parser.add_argument("--show", action="store_true", help="print every added public span")
    args = parser.parse_args(argv)
    started, load = time.perf_counter(), os.getloadavg()[0]
    guard = build_guard()
    try:
        residents = [s for p in RECALL_PARTS for s in load_recall_set(p) if s.kind == "resident"]
        public = generate_public_texts(7, args.public_n)
        public += [s for p in PUBLIC_PARTS for s in load_recall_set(p) if s.kind == "public"]
        gain = {name: _leaks(guard, residents, widen) for name, widen in _MODES.items()}
        cost = _public_cost(guard, public, show=args.show)
    finally:
        guard.close()
    print(f"load average {load:.1f} before, {os.getloadavg()[0]:.1f} after; "
          f"{time.perf_counter() - started:.0f} s")  # fmt: skip
    print(
        f"\nRecall sets' resident items ({len(residents)}), labelled values of placeholder types:"
    )
    print("| | values | left whole or in part in what is sent | blocked (never-sent type) |")
    print("|---|---|---|---|")
    for name, g in gain.items():
        print(f"| {name} | {g['values']} | {g['leaks']} ({g['rate']}) | {g['blocked']} |")
    print("\nLeft, by type and language, without → with the widening:")
    for key in sorted(set(gain["without widening"]["by"]) | set(gain["with widening"]["by"])):
        before, after = gain["without widening"]["by"][key], gain["with widening"]["by"][key]
        print(f"- {key}: {before} → {after}")
    print(f"\nPublic texts ({cost['texts']}): placeholders the widening adds")
    print(f"- texts with a span added: {cost['texts_changed']}")
    print(f"- spans added: {cost['spans']}, characters: {cost['chars']}")
    print(f"- by type: {dict(cost['by_type'])}")
    return 0


def _plan(guard: Guard, text: str, scan: ScanResult, *, widen: bool) -> PlaceholderPlan:
    # The pass is internal to the planner: switched off here by replacing it for a call.
    with mock.patch.object(planner, "widen", planner_widen if widen else _unchanged):
        return placeholder_prompt(
            text,
            scan,
            task="draft",
            policy=guard.policy,
            mapping=PlaceholderMapping(),
            rescan=guard.scan,
        )


def _unchanged(text: str, scan: ScanResult, placeholdered: Callable[[str], bool]) -> ScanResult:
    return scan


_MODES = {"without widening": False, "with widening": True}


def _leaks(guard: Guard, samples: Sequence[Sample], widen: bool) -> dict[str, Any]:
    values = leaks = blocked = 0
    by: Counter[str] = Counter()
    for sample in samples:
        gold = [s for s in sample.spans if s.type in PLACEHOLDER_TYPES]
        if not gold:
            continue
        plan = _plan(guard, sample.text, guard.scan(sample.text), widen=widen)
        if plan.blocked:
            blocked += 1
            continue
        values += len(gold)
        for span in gold:
            covered = any(r.start <= i < r.end for i in range(span.start, span.end) for r in plan.replacements)  # fmt: skip
            left = [
                i
                for i in range(span.start, span.end)
                if not any(r.start <= i < r.end for r in plan.replacements)
                and not sample.text[i].isspace()
            ]
            if left or not covered:
                leaks += 1
                by[f"{span.type} / {sample.category}"] += 1
    return {
        "values": values,
        "leaks": leaks,
        "rate": f"{100 * leaks / values:.1f} %" if values else "–",
        "blocked": blocked,
        "by": by,
    }


def _public_cost(guard: Guard, samples: Sequence[Sample], *, show: bool) -> dict[str, Any]:
    changed = spans = chars = 0
    by_type: Counter[str] = Counter()
    for sample in samples:
        scan = guard.scan(sample.text)
        plain = _plan(guard, sample.text, scan, widen=False)
        wide = _plan(guard, sample.text, scan, widen=True)
        if plain.blocked or wide.blocked:
            continue
        before = {(r.start, r.end) for r in plain.replacements}
        added = [r for r in wide.replacements if (r.start, r.end) not in before]
        if added:
            changed += 1
            spans += len(added)
            chars += sum(r.end - r.start for r in added)
            by_type.update(r.entity_type for r in added)
            if show:
                for r in added:
                    print(f"  {sample.id}: {r.entity_type} {sample.text[r.start : r.end]!r}")
    return {
        "texts": len(samples),
        "texts_changed": changed,
        "spans": spans,
        "chars": chars,
        "by_type": by_type,
    }


if __name__ == "__main__":
    raise SystemExit(main())
