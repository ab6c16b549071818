"""Train the guard's public-document gate and rebuild ``guardrails/data/public_document.npz``.

    # leave-one-part-out cross-validation (never reads the held-out parts)
    PYTHONPATH=$PWD .venv/bin/python scripts/train_public_document.py --cv
    # the shipped model (byte for byte): every labelled part but round 7, the generator
    PYTHONPATH=$PWD .venv/bin/python scripts/train_public_document.py --write --generated 1 --c 16

Training data: the hand-labelled parts of ``bench/guard_eval/data`` (format in
``bench/guard_eval/recall_set.py``): each item is one text, a positive when its kind is
``p`` (public) and a negative when it is ``r`` (a resident's data). Parts whose name
``recall_set.NEVER_TRAINED`` (round 7) are never read: the final unseen test.

A city retrains with its own labelled parts in the same format (``--extra FILE``).
Deterministic: liblinear with a fixed seed, CRC-32 hashed features, parts in a fixed order.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

from bench.guard_eval.recall_set import (
    CV_PARTS,
    ROUND6_HELD_OUT,
    TRAINING_PARTS,
    _split_items,
    load_recall_set,
    parse_item,
)
from guardrails._normalize import normalize
from guardrails._public_document import (
    HASH_BITS,
    PublicDocumentModel,
    document_features,
    hashed,
    save_model,
)

SEED = 7
OUTPUT = Path(__file__).resolve().parents[1] / "guardrails" / "data" / "public_document.npz"


@dataclass
class Part:
    name: str
    ids: list[str]
    rows: list[list[int]]
    labels: list[int]


def text_row(text: str) -> list[int]:
    return hashed(document_features(normalize(text).text))


def load_part(name: str) -> Part:
    part = Part(name, [], [], [])
    for sample in load_recall_set(name):
        part.ids.append(sample.id)
        part.rows.append(text_row(sample.text))
        part.labels.append(int(sample.kind != "resident"))
    return part


def load_file(path: Path) -> Part:
    part = Part(path.stem, [], [], [])
    raws = _split_items(path.read_text(encoding="utf-8"), path.name)
    for i, raw in enumerate(raws, 1):
        sample = parse_item(raw, f"{path.stem}-{i:03d}")
        part.ids.append(sample.id)
        part.rows.append(text_row(sample.text))
        part.labels.append(int(sample.kind != "resident"))
    return part


def load_generated(seed: int, n: int) -> Part:
    """The bench's generated sets at another seed than the bench's own (7): its PII
    prompts (staff's texts, 議事録 drafts of closed councils included) as negatives,
    its public texts as positives."""
    from bench.guard_eval.generator import generate_pii_prompts, make_denylist
    from bench.guard_eval.public_texts import generate_public_texts

    part = Part(f"generated{seed}", [], [], [])
    samples = [(s, 0) for s in generate_pii_prompts(seed, n, make_denylist(seed))]
    samples += [(s, 1) for s in generate_public_texts(seed, n * 4 // 5)]
    for sample, label in samples:
        part.ids.append(sample.id)
        part.rows.append(text_row(sample.text))
        part.labels.append(label)
    return part


def matrix(rows: Sequence[Sequence[int]]) -> csr_matrix:
    indptr = np.cumsum([0, *(len(r) for r in rows)])
    indices = np.fromiter((b for r in rows for b in r), dtype=np.int64)
    data = np.concatenate(
        [np.full(len(r), 1.0 / np.sqrt(max(1, len(r))), dtype=np.float64) for r in rows]
    )
    return csr_matrix((data, indices, indptr), shape=(len(rows), 1 << HASH_BITS))


def train(parts: Sequence[Part], c: float) -> PublicDocumentModel:
    rows = [r for p in parts for r in p.rows]
    labels = np.array([y for p in parts for y in p.labels])
    model = LogisticRegression(C=c, solver="liblinear", random_state=SEED, max_iter=2000)
    model.fit(matrix(rows), labels)
    weights = np.asarray(model.coef_[0], dtype=np.float16).astype(np.float32)
    return PublicDocumentModel(weights=weights, intercept=float(model.intercept_[0]))


def probabilities(model: PublicDocumentModel, part: Part) -> list[float]:
    out = []
    for row in part.rows:
        score = float(model.weights[np.asarray(row, dtype=np.int64)].sum()) / np.sqrt(len(row))
        out.append(float(1.0 / (1.0 + np.exp(-(score + model.intercept)))))
    return out


def cross_validate(
    parts: Sequence[Part], cs: Sequence[float]
) -> dict[float, dict[str, list[float]]]:
    """Leave one part out: P(public) of each left-out item, by C."""
    scores: dict[float, dict[str, list[float]]] = {}
    for c in cs:
        scores[c] = {}
        for held in parts:
            model = train([p for p in parts if p is not held], c)
            scores[c][held.name] = probabilities(model, held)
    return scores


def report(
    parts: Sequence[Part], scores: dict[float, dict[str, list[float]]], thresholds: Sequence[float]
) -> None:
    w = sys.stdout.write
    w("| C | threshold | public items above | residents' items above |\n|---:|---:|---:|---:|\n")
    for c, by_part in scores.items():
        for t in thresholds:
            pub = res = npub = nres = 0
            for part in parts:
                for y, p in zip(part.labels, by_part[part.name], strict=True):
                    if y:
                        npub += 1
                        pub += p >= t
                    else:
                        nres += 1
                        res += p >= t
            w(f"| {c} | {t} | {pub}/{npub} | {res}/{nres} |\n")


def _blocked(result: Any) -> bool:
    return str(getattr(result.action, "value", result.action)) == "block"


def _person_found(sample: Any, result: Any) -> int:
    personal = [f for f in result.findings if f.public is None and f.type == "PERSON"]
    return sum(
        any(f.start < g.end and g.start < f.end for f in personal)
        for g in sample.spans
        if g.type == "PERSON"
    )


def guard_cross_validate(
    names: Sequence[str],
    c: float,
    thresholds: Sequence[float],
    models: dict[str, PublicDocumentModel] | None = None,
    *,
    without_context_roles: bool = False,
    extra: Sequence[Part] = (),
) -> None:
    """Leave one part out through the whole guard: for each left-out part, the gate's
    model trained on the others; blocked items and PERSON recall with the gate off and
    at each threshold. ``models``: a fixed model per part instead (held-out readings)."""
    from guardrails import build_guard
    from guardrails._public_step import PublicDocumentGate

    w = sys.stdout.write
    guard = build_guard()
    step = guard._public
    gate = step.document_gate
    assert gate is not None, "[public_document] must be enabled in the bundled policy"
    if without_context_roles:
        # A stand-in for formats no rule was written for: the gate's power on names.
        from guardrails._public_context_roles import ContextRoleRules

        step._context_roles = ContextRoleRules(())
    parts = {name: load_part(name) for name in names} if models is None else {}
    w(
        "| part | threshold | public blocked | residents blocked | PERSON found | residents passed that blocked | public unblocked |\n"
    )
    w("|---|---:|---:|---:|---:|---|---|\n")
    totals: dict[float, list[int]] = {}
    for name in names:
        samples = load_recall_set(name)
        if models is not None:
            model = models[name]
        else:
            model = train([p for n, p in parts.items() if n != name] + list(extra), c)
        step.document_gate = None
        base = [guard.scan(s.text) for s in samples]
        for t in (-1.0, *thresholds):
            if t >= 0:
                step.document_gate = PublicDocumentGate(model, t, gate_words(gate))
                now = [guard.scan(s.text) for s in samples]
            else:
                now = base
            pub = sum(_blocked(r) for s, r in zip(samples, now, strict=True) if s.kind == "public")
            npub = sum(s.kind == "public" for s in samples)
            res = sum(_blocked(r) for s, r in zip(samples, now, strict=True) if s.kind != "public")
            nres = len(samples) - npub
            found = sum(
                _person_found(s, r) for s, r in zip(samples, now, strict=True) if s.kind != "public"
            )
            gold = sum(
                1 for s in samples if s.kind != "public" for g in s.spans if g.type == "PERSON"
            )
            passed = [
                s.id
                for s, b, r in zip(samples, base, now, strict=True)
                if s.kind != "public" and _blocked(b) and not _blocked(r)
            ]
            unblocked = [
                s.id
                for s, b, r in zip(samples, base, now, strict=True)
                if s.kind == "public" and _blocked(b) and not _blocked(r)
            ]
            tot = totals.setdefault(t, [0] * 7)
            for k, v in enumerate((pub, npub, res, nres, found, gold, len(passed))):
                tot[k] += v
            label = "off" if t < 0 else str(t)
            w(
                f"| {name} | {label} | {pub}/{npub} | {res}/{nres} | {found}/{gold} | {' '.join(passed)} | {' '.join(unblocked)} |\n"
            )
            sys.stdout.flush()
    for t, tot in totals.items():
        label = "off" if t < 0 else str(t)
        w(
            f"| **all** | {label} | {tot[0]}/{tot[1]} | {tot[2]}/{tot[3]} | {tot[4]}/{tot[5]} | {tot[6]} | |\n"
        )
    guard.close()


def gate_words(gate: Any) -> tuple[str, ...]:
    from guardrails._config import load_policy

    return load_policy().public_document.resident_words


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--cv", action="store_true", help="leave-one-part-out figures")
    parser.add_argument("--write", action="store_true", help=f"train, write {OUTPUT}")
    parser.add_argument("--c", type=float, default=4.0, help="inverse regularisation")
    parser.add_argument("--grid", default="", help="C values for --cv (1,4,16)")
    parser.add_argument("--thresholds", default="0.5,0.8,0.9,0.95,0.98")
    parser.add_argument("--extra", type=Path, action="append", default=[], help="a city's part")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument(
        "--without-held-out",
        action="store_true",
        help="--write without the round-6 parts (the model the held-out readings used)",
    )
    parser.add_argument("--guard-cv", action="store_true", help="LOPO through the whole guard")
    parser.add_argument(
        "--without-context-roles",
        action="store_true",
        help="--guard-cv with [[public.context_roles]] emptied (formats no rule covers)",
    )
    parser.add_argument(
        "--held-out-reading",
        action="store_true",
        help="one reading of the round-6 parts with the model trained without them",
    )
    parser.add_argument(
        "--generated",
        type=int,
        default=None,
        help="add the bench's generated PII prompts and public texts at this seed (not 7)",
    )
    parser.add_argument("--dump", type=Path, help="--cv: write each item's P here (tsv)")
    args = parser.parse_args(argv)
    extra = [load_file(path) for path in args.extra]
    if args.generated is not None:
        if args.generated == 7:
            parser.error("seed 7 is the bench's own: train on another seed")
        extra.append(load_generated(args.generated, 2000))
    if args.cv:
        parts = [load_part(name) for name in CV_PARTS] + extra
        cs = [float(c) for c in args.grid.split(",")] if args.grid else [args.c]
        thresholds = [float(t) for t in args.thresholds.split(",")]
        scores = cross_validate(parts, cs)
        report(parts, scores, thresholds)
        if args.dump:
            with args.dump.open("w", encoding="utf-8") as out:
                for c, by_part in scores.items():
                    for part in parts:
                        for i, y, p in zip(part.ids, part.labels, by_part[part.name], strict=True):
                            out.write(f"{c}\t{part.name}\t{i}\t{y}\t{p:.4f}\n")
    if args.guard_cv:
        thresholds = [float(t) for t in args.thresholds.split(",")]
        guard_cross_validate(
            CV_PARTS,
            args.c,
            thresholds,
            without_context_roles=args.without_context_roles,
            extra=extra,
        )
    if args.held_out_reading:
        thresholds = [float(t) for t in args.thresholds.split(",")]
        model = train([load_part(name) for name in CV_PARTS] + extra, args.c)
        guard_cross_validate(
            ROUND6_HELD_OUT, args.c, thresholds, dict.fromkeys(ROUND6_HELD_OUT, model)
        )
    if args.write:
        names = CV_PARTS if args.without_held_out else TRAINING_PARTS
        parts = [load_part(name) for name in names] + extra
        model = train(parts, args.c)
        gen = f",generated{args.generated}" if args.generated is not None else ""
        meta = f"parts={','.join(names)}{gen} C={args.c} seed={SEED} texts={sum(len(p.rows) for p in parts)}"
        save_model(args.output, model.weights, model.intercept, meta)
        sys.stdout.write(f"wrote {args.output} ({args.output.stat().st_size} bytes): {meta}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
