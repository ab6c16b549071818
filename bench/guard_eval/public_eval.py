"""Figures of the public-text set (``public_texts``) beyond the prompt-level scan that
``bench/guard.py`` runs on every set.

* **blocked** — public texts the guard blocks as prompts, per split (tuning / held-out)
  and family; the bench's own scan decides (``actions``);
* **ingest** — chunks of documents declared public that the ingest policy withholds
  (``Guard.review_public_text``): every public text as a chunk, every chunk of the
  bundled laws (``samples/laws``) and of 焼津市's facility lists as ``yakuba ingest``
  cuts them;
* **register** — the same public texts scanned again after the facility lists were
  ingested and their harvested values registered (what a city sees once its public
  documents are in the knowledge base);
* **residents' data judged public** — gold contact values and names of the residents'
  suite that the public-information step let through as public (should be none), with
  the register of the facility lists in place.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from bench.guard_eval.generator import LAWS_DIR
from bench.guard_eval.metrics import overlaps
from bench.guard_eval.model import Sample
from bench.guard_eval.public_sources import YAIZU_DIR

_CONTACT_AND_NAMES = ("PERSON", "ADDRESS", "PHONE_NUMBER", "EMAIL_ADDRESS", "POSTAL_CODE")
_EXAMPLES = 12


def blocked_figures(samples: Sequence[Sample], actions: Mapping[str, str]) -> dict[str, Any]:
    """Blocked public texts per split and family, with the first few blocked ids."""
    out: dict[str, Any] = {"n": 0, "blocked": 0, "splits": {}, "families": {}, "examples": []}
    for s in samples:
        if s.id not in actions:
            continue
        blocked = actions[s.id] == "block"
        split = str(s.meta.get("split", "tune"))
        out["n"] += 1
        out["blocked"] += blocked
        for key, name in (("splits", split), ("families", s.category)):
            c = out[key].setdefault(name, {"n": 0, "blocked": 0})
            c["n"] += 1
            c["blocked"] += blocked
        if blocked and len(out["examples"]) < _EXAMPLES:
            out["examples"].append({"id": s.id, "split": split, "text": s.text[:160]})
    out["rate"] = out["blocked"] / out["n"] if out["n"] else None
    return out


def ingest_and_register(
    public: Sequence[Sample],
    pii: Sequence[Sample],
    log: Callable[[str], None],
    denylist: Path | None = None,
) -> dict[str, Any]:
    """The ingest policy on public documents, the register's effect, and residents'
    values judged public (see the module doc). Builds its own guard (with the run's
    deny-list, as the bench's)."""
    from guardrails import PublicRegister, build_guard
    from ingest import load_chunks

    register = PublicRegister()
    guard = build_guard(register=register, denylist_path=denylist)
    try:
        out: dict[str, Any] = {}
        started = time.perf_counter()
        out["ingest_public_texts"] = _withheld(guard, [(s.id, s.text) for s in public])
        laws = _chunks(load_chunks, sorted(LAWS_DIR.glob("*.txt")))
        out["ingest_laws"] = _withheld(guard, laws)
        lists = _chunks(load_chunks, sorted(YAIZU_DIR.glob("*.csv")))
        out["ingest_facility_lists"] = _withheld(guard, lists)
        log(f"ingest policy on {len(public) + len(laws) + len(lists)} chunks")

        harvested = Counter[str]()
        for source, text in lists:
            review = guard.review_public_text(text)
            entries = review.register_entries(source=source.split("#")[0], locator=source)
            harvested.update(e.kind for e in entries)
            register.add_all(entries)
        out["register"] = {"entries": len(register.entries()), "harvested": dict(harvested)}
        actions = {s.id: str(guard.scan(s.text).action) for s in public}
        out["register"]["blocked"] = blocked_figures(public, actions)
        log(f"register: {len(register.entries())} entries from the facility lists")

        out["residents_judged_public"] = _residents_judged_public(guard, pii)
        out["seconds"] = round(time.perf_counter() - started, 1)
        return out
    finally:
        guard.close()


def _chunks(load: Callable[..., Any], paths: Sequence[Path]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for path in paths:
        for chunk in load(path, source=path.name):
            out.append((f"{path.name}#{chunk.locator}", chunk.text))
    return out


def _withheld(guard: Any, chunks: Sequence[tuple[str, str]]) -> dict[str, Any]:
    reasons = Counter[str]()
    withheld = 0
    examples: list[dict[str, Any]] = []
    for ident, text in chunks:
        review = guard.review_public_text(text)
        if review.withhold:
            withheld += 1
            reasons.update(review.reasons)
            if len(examples) < _EXAMPLES:
                examples.append({"id": ident, "reasons": review.reasons, "text": text[:160]})
    return {
        "chunks": len(chunks),
        "withheld": withheld,
        "reasons": dict(reasons),
        "examples": examples,
    }


def _residents_judged_public(guard: Any, pii: Sequence[Sample]) -> dict[str, Any]:
    """Gold names and contact values of the residents' suite whose finding the guard
    judged public, and residents' prompts it let through."""
    judged = Counter[str]()
    gold = Counter[str]()
    allowed = 0
    examples: list[dict[str, Any]] = []
    for s in pii:
        result = guard.scan(s.text)
        allowed += not result.blocked
        for g in s.spans:
            if g.type not in _CONTACT_AND_NAMES:
                continue
            gold[g.type] += 1
            public = [
                f
                for f in result.findings
                if f.type == g.type
                and f.public is not None
                and overlaps(f.start, f.end, g.start, g.end)
            ]
            if public:
                judged[g.type] += 1
                if len(examples) < _EXAMPLES:
                    examples.append(
                        {
                            "id": s.id,
                            "type": g.type,
                            "basis": str(public[0].public),
                            "text": s.text[:160],
                        }
                    )
    return {
        "gold": dict(gold),
        "judged_public": dict(judged),
        "prompts_allowed": allowed,
        "prompts": len(pii),
        "examples": examples,
    }


def _pct(num: int, den: int) -> str:
    return f"{num}/{den} ({100 * num / den:.2f} %)" if den else "—"


def render_public(
    figures: Mapping[str, Any], ingest: Mapping[str, Any] | None, out: TextIO
) -> None:
    """The public-text section of the bench report (Markdown)."""
    w = out.write
    w("\n## Public municipal text (should pass)\n\n")
    if not figures.get("n"):
        w("No public texts scanned.\n")
        return
    splits = figures["splits"]
    w("| | texts | blocked as prompts | target |\n|---|---:|---:|---|\n")
    ok = figures["blocked"] <= 0.01 * figures["n"]
    w(
        f"| all | {figures['n']} | {_pct(figures['blocked'], figures['n'])} | ≤ 1 % {'✅' if ok else '❌'} |\n"
    )
    for name in ("tune", "held_out"):
        c = splits.get(name)
        if c:
            w(f"| … {name.replace('_', '-')} | {c['n']} | {_pct(c['blocked'], c['n'])} | |\n")
    w("\n| family | texts | blocked |\n|---|---:|---:|\n")
    for family, c in figures["families"].items():
        w(f"| {family} | {c['n']} | {c['blocked']} |\n")
    if ingest:
        w("\nIngest policy on documents declared public (`Guard.review_public_text`):\n\n")
        w("| chunks | count | withheld | reasons |\n|---|---:|---:|---|\n")
        for key, label in (
            ("ingest_public_texts", "public texts, one chunk each"),
            ("ingest_laws", "samples/laws as `yakuba ingest` cuts them"),
            ("ingest_facility_lists", "焼津市 facility lists (CSV) as ingest cuts them"),
        ):
            c = ingest[key]
            w(f"| {label} | {c['chunks']} | {c['withheld']} | {c['reasons'] or '—'} |\n")
        reg = ingest["register"]
        rb = reg["blocked"]
        w(
            f"\nPublic register filled from the facility lists: {reg['entries']} entries "
            f"{reg['harvested']}; public texts blocked afterwards: {_pct(rb['blocked'], rb['n'])} "
            f"(tune {rb['splits'].get('tune', {}).get('blocked', 0)}, held-out "
            f"{rb['splits'].get('held_out', {}).get('blocked', 0)}).\n"
        )
        res = ingest["residents_judged_public"]
        w(
            f"\nResidents' suite: gold names and contact values judged public "
            f"{res['judged_public'] or 0} of {res['gold']}; residents' prompts let through "
            f"{res['prompts_allowed']}/{res['prompts']}.\n"
        )
