"""Train the guard's name tagger and rebuild ``guardrails/data/name_tagger.npz``.

    # leave-one-part-out cross-validation (never reads the held-out parts)
    PYTHONPATH=$PWD .venv/bin/python scripts/train_name_tagger.py --cv
    # the shipped model: every labelled part but round 7, the round-6 parts included
    PYTHONPATH=$PWD .venv/bin/python scripts/train_name_tagger.py --write

Training data: the hand-labelled parts of ``bench/guard_eval/data`` (``recall_*.txt``,
``public_*.txt``; format in ``bench/guard_eval/recall_set.py``). A word (Sudachi
morpheme of the guard's normalised text) is a positive when it overlaps a gold
``⟦PERSON|…⟧`` value of a residents' item; every other word — public texts and office
values included — is a negative. ``--hironsan`` adds the Wikinews sentences of
``hironsan_iob2.txt`` (CC BY 2.5) with their PSN spans as positives.

A city retrains with its own labelled parts in the same format: add the files to
``bench/guard_eval/recall_set.FILES`` (or pass ``--extra FILE``) and run ``--write``.
Deterministic: the solver is liblinear with a fixed seed, the features are CRC-32
hashes, and the parts are read in a fixed order.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

from bench.guard_eval.model import Sample
from bench.guard_eval.recall_set import (
    CV_PARTS,
    TRAINING_PARTS,
    _split_items,
    evaluate,
    load_recall_set,
    parse_item,
)
from guardrails._name_tagger import (
    HASH_BITS,
    NameTaggerModel,
    decode,
    featurise,
    resident_cues,
    save_model,
)
from guardrails._nlp_engine import LANGUAGE, SudachiNlpEngine
from guardrails._normalize import normalize

SEED = 7
OUTPUT = Path(__file__).resolve().parents[1] / "guardrails" / "data" / "name_tagger.npz"


@dataclass
class Part:
    name: str
    rows: list[list[int]]
    labels: list[int]


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def sample_rows(sample: Sample, engine: SudachiNlpEngine) -> tuple[list[list[int]], list[int]]:
    """Hashed features and labels of every candidate word of one item."""
    normalized = normalize(sample.text)
    artifacts = engine.process_text(normalized.text, LANGUAGE)
    spans, rows = featurise(
        normalized.text, artifacts.morphemes, lambda w: engine.lexicon_names(w).kinds
    )
    gold = [(g.start, g.end) for g in sample.spans if g.type == "PERSON"]
    if sample.kind != "resident":
        gold = []
    labels = [
        int(any(_overlaps(normalized.to_original_span(*span), g) for g in gold)) for span in spans
    ]
    return rows, labels


def load_part(name: str, engine: SudachiNlpEngine) -> Part:
    rows: list[list[int]] = []
    labels: list[int] = []
    for sample in load_recall_set(name):
        r, y = sample_rows(sample, engine)
        rows.extend(r)
        labels.extend(y)
    return Part(name, rows, labels)


def load_file(path: Path, engine: SudachiNlpEngine) -> Part:
    raws = _split_items(path.read_text(encoding="utf-8"), path.name)
    part = Part(path.stem, [], [])
    for i, raw in enumerate(raws, 1):
        r, y = sample_rows(parse_item(raw, f"{path.stem}-{i:03d}"), engine)
        part.rows.extend(r)
        part.labels.extend(y)
    return part


def load_hironsan(engine: SudachiNlpEngine) -> Part:
    from bench.guard_eval.ner import load_ner_samples

    part = Part("hironsan", [], [])
    for sample in load_ner_samples():
        resident = Sample(
            id=sample.id, kind="resident", category="ja", text=sample.text, spans=sample.spans
        )
        r, y = sample_rows(resident, engine)
        part.rows.extend(r)
        part.labels.extend(y)
    return part


def matrix(rows: Sequence[Sequence[int]]) -> csr_matrix:
    indptr = np.cumsum([0, *(len(r) for r in rows)])
    indices = np.fromiter((b for r in rows for b in r), dtype=np.int64)
    data = np.ones(len(indices), dtype=np.float64)
    m = csr_matrix((data, indices, indptr), shape=(len(rows), 1 << HASH_BITS))
    m.sum_duplicates()
    return m


def train(parts: Sequence[Part], c: float, balanced: bool) -> NameTaggerModel:
    rows = [r for p in parts for r in p.rows]
    labels = np.array([y for p in parts for y in p.labels])
    model = LogisticRegression(
        C=c,
        solver="liblinear",
        class_weight="balanced" if balanced else None,
        random_state=SEED,
        max_iter=2000,
    )
    model.fit(matrix(rows), labels)
    weights = np.asarray(model.coef_[0], dtype=np.float16).astype(np.float32)
    return NameTaggerModel(weights=weights, intercept=float(model.intercept_[0]))


def _guard_with_tagger() -> tuple[Any, Any]:
    """A guard whose analyzer holds one tagger recogniser (whose model the caller sets):
    the shipped one when the configuration loads it, otherwise one added here — the
    cross-validation must not depend on the data file it is about to rebuild."""
    from guardrails import build_guard
    from guardrails.recognizers.name_tagger import NameTaggerRecognizer

    empty = NameTaggerModel(weights=np.zeros(1 << HASH_BITS, dtype=np.float32), intercept=-9.0)
    guard = build_guard()
    registry = guard._analyzer.registry
    taggers = [r for r in registry.recognizers if isinstance(r, NameTaggerRecognizer)]
    if not taggers:
        taggers = [NameTaggerRecognizer(model=empty)]
        registry.add_recognizer(taggers[0])
    return guard, taggers[0]


def tagger_alone(
    samples: Sequence[Sample],
    model: NameTaggerModel,
    thresholds: tuple[float, float],
    engine: SudachiNlpEngine,
) -> tuple[int, int]:
    """Gold PERSON values the tagger alone overlaps (before any public judgement)."""
    found = total = 0
    for sample in samples:
        gold = [(g.start, g.end) for g in sample.spans if g.type == "PERSON"]
        if sample.kind != "resident" or not gold:
            continue
        normalized = normalize(sample.text)
        artifacts = engine.process_text(normalized.text, LANGUAGE)
        spans, rows = featurise(
            normalized.text, artifacts.morphemes, lambda w: engine.lexicon_names(w).kinds
        )
        threshold = thresholds[0] if resident_cues(normalized.text) else thresholds[1]
        names = [
            normalized.to_original_span(a, b)
            for a, b, _ in decode(normalized.text, spans, model.probabilities(rows), threshold)
        ]
        total += len(gold)
        found += sum(any(_overlaps(g, n) for n in names) for g in gold)
    return found, total


def _summary(report: dict[str, Any]) -> dict[str, Any]:
    person = report["by_type"].get("PERSON", {"found": 0, "n": 0})
    return {
        "person": (person["found"], person["n"]),
        "fp": len(report["false_positives"]),
        "fp_person": sum(" PERSON「" in f for f in report["false_positives"]),
        "public_blocked": (report["public_blocked_n"], report["public"]),
        "predictions": report["predictions"],
    }


def cross_validate(
    engine: SudachiNlpEngine,
    grid: Sequence[tuple[float, bool]],
    thresholds: Sequence[tuple[float, float]],
    extra: Sequence[Part],
    write: Callable[[str], object],
) -> None:
    """Leave one part out: train on the others (+ ``extra``), scan the left-out part with
    the whole guard (rules + tagger), for each setting and threshold."""
    parts = [load_part(name, engine) for name in CV_PARTS]
    guard, tagger = _guard_with_tagger()
    samples = {name: load_recall_set(name) for name in CV_PARTS}
    tagger.threshold = tagger.threshold_without_cues = 2.0  # never fires: rules only
    base = {name: _summary(evaluate(samples[name], guard.scan)) for name in CV_PARTS}
    write(
        "| setting | threshold | part | PERSON tagger alone | PERSON rules | PERSON rules+tagger | FP rules | FP +tagger | public blocked rules | +tagger |\n"
    )
    write("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|\n")
    for c, balanced in grid:
        totals: dict[tuple[float, float], list[int]] = {t: [0] * 9 for t in thresholds}
        for held in CV_PARTS:
            train_parts = [p for p in parts if p.name != held] + list(extra)
            tagger.model = train(train_parts, c, balanced)
            for t in thresholds:
                tagger.threshold, tagger.threshold_without_cues = t
                s = _summary(evaluate(samples[held], guard.scan))
                alone = tagger_alone(samples[held], tagger.model, t, engine)
                b = base[held]
                row = [
                    b["person"][0], s["person"][0], s["person"][1], b["fp"], s["fp"],
                    b["public_blocked"][0], s["public_blocked"][0], s["public_blocked"][1],
                    alone[0],
                ]  # fmt: skip
                totals[t] = [x + y for x, y in zip(totals[t], row, strict=True)]
                write(
                    f"| C={c} bal={balanced} | {t[0]}/{t[1]} | {held} | {alone[0]}/{alone[1]}"
                    f" | {b['person'][0]}/{b['person'][1]}"
                    f" | {s['person'][0]}/{s['person'][1]} | {b['fp']} | {s['fp']}"
                    f" | {b['public_blocked'][0]}/{b['public_blocked'][1]}"
                    f" | {s['public_blocked'][0]}/{s['public_blocked'][1]} |\n"
                )
        for t, tot in totals.items():
            write(
                f"| **C={c} bal={balanced}** | **{t[0]}/{t[1]}** | **all** | {tot[8]}/{tot[2]}"
                f" | {tot[0]}/{tot[2]} | {tot[1]}/{tot[2]}"
                f" | {tot[3]} | {tot[4]} | {tot[5]}/{tot[7]} | {tot[6]}/{tot[7]} |\n"
            )
        sys.stdout.flush()
    guard.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cv", action="store_true", help="leave-one-part-out figures")
    parser.add_argument("--write", action="store_true", help=f"train on all parts, write {OUTPUT}")
    parser.add_argument("--c", type=float, default=0.5, help="inverse regularisation")
    parser.add_argument("--balanced", action="store_true", help="balanced class weights")
    parser.add_argument("--grid", default="", help="C:bal,… settings for --cv (0.5:0,1:1)")
    parser.add_argument(
        "--thresholds",
        default="0.5/0.95",
        help="with cues/without cues pairs, comma-separated, for --cv (0.5/0.95)",
    )
    parser.add_argument("--hironsan", action="store_true", help="add hironsan_iob2.txt")
    parser.add_argument("--extra", type=Path, action="append", default=[], help="a city's part")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument(
        "--without-held-out",
        action="store_true",
        help="--write without the round-6 parts (the model the held-out readings used)",
    )
    args = parser.parse_args(argv)
    engine = SudachiNlpEngine()
    engine.load()
    extra = [load_file(path, engine) for path in args.extra]
    if args.hironsan:
        extra.append(load_hironsan(engine))
    if args.cv:
        grid = [
            (float(c), bal == "1")
            for c, bal in (g.split(":") for g in args.grid.split(","))
        ] if args.grid else [(args.c, args.balanced)]  # fmt: skip
        thresholds = [
            (float(t.split("/")[0]), float(t.split("/")[-1])) for t in args.thresholds.split(",")
        ]
        cross_validate(engine, grid, thresholds, extra, sys.stdout.write)
    if args.write:
        # The shipped model: every part but round 7, the held-out round-6 parts included.
        names = CV_PARTS if args.without_held_out else TRAINING_PARTS
        parts = [load_part(name, engine) for name in names] + extra
        model = train(parts, args.c, args.balanced)
        meta = (
            f"parts={','.join(names)}{',hironsan' if args.hironsan else ''}"
            f" C={args.c} balanced={args.balanced} seed={SEED} words={sum(len(p.rows) for p in parts)}"
        )
        save_model(args.output, model.weights, model.intercept, meta)
        sys.stdout.write(f"wrote {args.output} ({args.output.stat().st_size} bytes): {meta}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
