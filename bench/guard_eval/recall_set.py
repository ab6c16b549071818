"""The recall set: residents' and public texts written by hand, read as staff write them.

    dev = load_recall_set("dev")         # look at it, tune on it
    sealed = load_recall_set("sealed")   # read once (guard-recall); now tuning data too
    sealed2 = load_recall_set("sealed2") # read once (guard-recall2); now tuning data too
    dev3 = load_recall_set("dev3")       # round 3's tuning part, written after sealed3
    sealed3 = load_recall_set("sealed3") # read ONCE with main's guard (branch recall), then tuning
    sealed4 = load_recall_set("sealed4") # read ONCE with main's guard (branch recall4)
    dev4 = load_recall_set("dev4")       # round 4's tuning part, written after sealed4
    public_sealed4 = load_recall_set("public_sealed4")  # public texts, read ONCE (branch public4)
    public_dev4 = load_recall_set("public_dev4")  # round 4's public tuning part
    sealed5 = load_recall_set("sealed5") # read ONCE with main's guard (branch recall5)
    dev5 = load_recall_set("dev5")       # round 5's tuning part, written beside sealed5
    public_sealed5 = load_recall_set("public_sealed5")  # public texts, read ONCE (branch public5)
    public_dev5 = load_recall_set("public_dev5")  # round 5's public tuning part
    sealed6 = load_recall_set("sealed6") # read ONCE with main's guard (branch recall6), untuned

    public_sealed6 = load_recall_set("public_sealed6")  # public texts, read ONCE (branch public6)
    sealed7 = load_recall_set("sealed7") # round 7, unseen, for the learned name tagger (sealed7)
    public_sealed7 = load_recall_set("public_sealed7")  # round 7's public texts (sealed7)
    .venv/bin/python -m bench.guard_eval.recall_set --part dev

Written on 2026-12-07 for the last gap of issue 12 — recall on text the guard has never
seen — before any change to ``guardrails/``: reception notes, translation requests for
foreign residents (en, zh, ko, vi with and without diacritics, pt, es, tl, ne, id),
pasted lists, e-mail drafts, phone memos, mixed scripts and full-width digits, and public
texts (notices, FAQ answers, 焼津市's facilities with their published addresses and
phones — credit 焼津市 —, 例規 excerpts, meeting notes naming 市長 and 課長 by role).
Nothing is generated from templates: each item is one text in ``data/recall_*.txt``.

File format (UTF-8): an item starts with a header line ``--- <kind> <language> <form>``
(kind ``r`` = a resident's data, ``p`` = public text) and runs to the next header.
In resident items ``⟦TYPE|value⟧`` marks a gold value and ``⟪value⟫`` a public
office's value written beside it (never gold; excluded from precision, and counted apart
to see whether the guard treats the office's contact as a person's). Public items carry
no mark: none of them should block.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.guard_eval.metrics import overlaps
from bench.guard_eval.model import ENTITY_TYPES, Sample, Span

DATA = Path(__file__).parent / "data"
FILES = {
    "dev": DATA / "recall_dev.txt",
    "dev3": DATA / "recall_dev3.txt",
    "dev4": DATA / "recall_dev4.txt",
    "sealed": DATA / "recall_sealed.txt",
    "sealed2": DATA / "recall_sealed2.txt",
    "sealed3": DATA / "recall_sealed3.txt",
    "sealed4": DATA / "recall_sealed4.txt",
    # Round 4, public text: 175 public texts (and 8 residents' controls beside public values).
    "public_sealed4": DATA / "public_sealed4.txt",
    "public_dev4": DATA / "public_dev4.txt",  # round 4's tuning part, written after it
    # Round 5: written on branch recall5 before any change to guardrails/, read ONCE with
    # main's guard; dev5 is its tuning part, written at the same time.
    "sealed5": DATA / "recall_sealed5.txt",
    "dev5": DATA / "recall_dev5.txt",
    # Round 5, public text: 227 public texts by source (議会だより, 会議録, 入札結果, 休日当番医,
    # 例規, 観光, 防災, 窓口案内 in six languages, staff e-mail, 人事異動, 表彰 …) and 14
    # residents' controls; the dev part was written at the same time, before any tuning.
    "public_sealed5": DATA / "public_sealed5.txt",
    "public_dev5": DATA / "public_dev5.txt",
    # Round 6: written on branch recall6 in new situations (就学, 国保切替, 生活保護訪問, 安否確認,
    # ごみ出し, 児童虐待通告, 外国人相談 chat) before any change to guardrails/, read ONCE with
    # main's guard for the unseen figure after round 5's tuning; no dev part, no tuning.
    "sealed6": DATA / "recall_sealed6.txt",
    # Round 6, public text: 212 public texts from sources the earlier parts covered less
    # (記者会見録, 予算・決算, 審議会名簿, 指定管理者, 補助金交付先, 講座, 学校だより, 消防団・自治会,
    # 選挙, 監査, 情報公開, life guides in seven languages, 業務連絡, マニュアルの記入例 …) and 15
    # residents' controls; written on branch public6 before any change to guardrails/.
    "public_sealed6": DATA / "public_sealed6.txt",
    # Round 7: written on branch sealed7 in new situations (難病助成, 墓地承継, 産後ケア, 健診の未受診,
    # 100歳訪問, 市民農園, 就労支援, 火葬の予約, 補聴器・補装具, 移住相談, 免許返納 …) before a learned
    # name tagger is added to the guard, without opening guardrails/ and without running the guard
    # on it; read ONCE for the unseen figure after that change, then tuning data.
    "sealed7": DATA / "recall_sealed7.txt",
    # Round 7, public text: 219 public texts (一般質問の通告一覧, 広報の人物紹介, 表彰・叙勲, 委員名簿,
    # 入札・契約結果, 講師紹介, 休日当番医, 施設案内, 例規, 観光, 防災, life guides in ten languages,
    # 業務連絡, マニュアル …) and 17 residents' controls; written at the same time as sealed7.
    "public_sealed7": DATA / "public_sealed7.txt",
}
# Round 7 is the unseen test of the learned name tagger and public-document gate: no
# training script reads it (scripts/train_name_tagger.py, scripts/train_public_document.py).
NEVER_TRAINED = ("sealed7", "public_sealed7")
TRAINING_PARTS = tuple(p for p in FILES if p not in NEVER_TRAINED)
# Round 6: held out while the learned parts' features and thresholds were chosen.
ROUND6_HELD_OUT = ("sealed6", "public_sealed6")
# The parts their features and thresholds were chosen on (leave one part out).
CV_PARTS = tuple(p for p in TRAINING_PARTS if p not in ROUND6_HELD_OUT)
KINDS = {"r": "resident", "p": "public"}
LANGUAGES = frozenset(
    {"ja", "ja_roman", "en", "zh", "ko", "vi", "vi_ascii", "pt", "es", "tl", "ne", "id", "mixed"}
)

_HEADER = re.compile(r"^--- (?P<kind>[rp]) (?P<lang>[a-z_]+) (?P<form>[a-z_]+)\s*$")
_MARK = re.compile(r"⟦(?P<type>[A-Z_]+)\|(?P<value>[^⟧]+)⟧|⟪(?P<public>[^⟫]+)⟫")


class RecallSetError(ValueError):
    """A malformed item in a recall-set file (the test keeps the files valid)."""


@dataclass(frozen=True)
class _Raw:
    kind: str
    lang: str
    form: str
    body: str
    line: int


def _split_items(text: str, source: str) -> list[_Raw]:
    items: list[_Raw] = []
    current: dict[str, Any] | None = None
    lines: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        header = _HEADER.match(line)
        if header:
            if current is not None:
                items.append(_Raw(body="\n".join(lines).strip("\n"), **current))
            current = {**header.groupdict(), "line": number}
            lines = []
        elif current is None:
            if line.strip() and not line.startswith("#"):
                raise RecallSetError(f"{source}:{number}: text before the first header")
        else:
            lines.append(line)
    if current is not None:
        items.append(_Raw(body="\n".join(lines).strip("\n"), **current))
    return items


def parse_item(raw: _Raw, item_id: str) -> Sample:
    """Strip the marks of one item, keeping their offsets as gold / public spans."""
    out: list[str] = []
    spans: list[Span] = []
    public: list[tuple[int, int]] = []
    position = cursor = 0
    for mark in _MARK.finditer(raw.body):
        out.append(raw.body[cursor : mark.start()])
        position += mark.start() - cursor
        value = mark.group("value") or mark.group("public")
        if mark.group("type"):
            if mark.group("type") not in ENTITY_TYPES:
                raise RecallSetError(f"{item_id}: unknown type {mark.group('type')}")
            spans.append(Span(mark.group("type"), position, position + len(value), value))
        else:
            public.append((position, position + len(value)))
        out.append(value)
        position += len(value)
        cursor = mark.end()
    out.append(raw.body[cursor:])
    text = "".join(out)
    if "⟦" in text or "⟧" in text or "⟪" in text or "⟫" in text:
        raise RecallSetError(f"{item_id}: unbalanced mark")
    if not text.strip():
        raise RecallSetError(f"{item_id}: empty item")
    if raw.lang not in LANGUAGES:
        raise RecallSetError(f"{item_id}: unknown language {raw.lang}")
    kind = KINDS[raw.kind]
    if kind == "resident" and not spans:
        raise RecallSetError(f"{item_id}: a resident item needs a gold value")
    if kind == "public" and (spans or public):
        raise RecallSetError(f"{item_id}: a public item carries no marks")
    return Sample(
        id=item_id,
        kind=kind,
        category=raw.lang,
        text=text,
        spans=tuple(spans),
        meta={"form": raw.form, "public": public, "line": raw.line},
    )


def load_recall_set(part: str) -> list[Sample]:
    """The items of one part (``dev``, ``sealed``, ``sealed2`` …), in file order."""
    path = FILES[part]
    raws = _split_items(path.read_text(encoding="utf-8"), path.name)
    return [parse_item(raw, f"recall-{part}-{i:03d}") for i, raw in enumerate(raws, 1)]


# -- evaluation -------------------------------------------------------------------------


@dataclass
class _Cell:
    n: int = 0
    found: int = 0
    covered: int = 0


def _covered(span: Span, preds: Sequence[Any]) -> bool:
    """Every character of the gold value lies inside a finding of its type."""
    chars = set(range(span.start, span.end))
    for p in preds:
        if p.type == span.type:
            chars -= set(range(p.start, p.end))
    return not chars


def evaluate(samples: Sequence[Sample], scan: Callable[[str], Any]) -> dict[str, Any]:
    """Recall per language and type, blocked items, precision, office values made personal."""
    cells: dict[tuple[str, str], _Cell] = {}
    misses: list[str] = []
    partial: list[str] = []
    false_positives: list[str] = []
    public_blocked: list[str] = []
    public_by_lang: dict[str, list[int]] = {}
    resident_blocked = residents = predictions = correct = 0
    office_values = office_personal = 0
    cpu_ms: list[float] = []
    for s in samples:
        c0 = time.process_time()
        result = scan(s.text)
        cpu_ms.append((time.process_time() - c0) * 1000.0)
        found = list(result.findings)
        blocked = str(result.action) == "block" or getattr(result.action, "value", "") == "block"
        if s.kind == "public":
            cell = public_by_lang.setdefault(s.category, [0, 0])
            cell[0] += 1
            cell[1] += blocked
            if blocked:
                shown = ", ".join(f"{f.type}「{s.text[f.start : f.end]}」" for f in found)
                public_blocked.append(f"{s.id} ({s.meta['form']}): {shown}")
            continue
        residents += 1
        resident_blocked += blocked
        personal = [f for f in found if f.public is None]
        for g in s.spans:
            c = cells.setdefault((s.category, g.type), _Cell())
            c.n += 1
            hit = any(
                f.type == g.type and overlaps(f.start, f.end, g.start, g.end) for f in personal
            )
            c.found += hit
            c.covered += hit and _covered(g, personal)
            if not hit:
                misses.append(f"{s.id} {s.category} {g.type}「{g.value}」")
            elif not _covered(g, personal):
                partial.append(f"{s.id} {s.category} {g.type}「{g.value}」")
        for a, b in s.meta["public"]:
            office_values += 1
            office_personal += any(
                f.public is None and overlaps(f.start, f.end, a, b) for f in found
            )
        for f in personal:
            predictions += 1
            if any(overlaps(f.start, f.end, g.start, g.end) for g in s.spans):
                correct += 1
            elif not any(overlaps(f.start, f.end, a, b) for a, b in s.meta["public"]):
                false_positives.append(f"{s.id} {f.type}「{s.text[f.start : f.end]}」")
    by_type: dict[str, _Cell] = {}
    by_lang: dict[str, _Cell] = {}
    for (lang, typ), c in cells.items():
        for key, table in ((typ, by_type), (lang, by_lang)):
            t = table.setdefault(key, _Cell())
            t.n += c.n
            t.found += c.found
            t.covered += c.covered
    ordered = sorted(cpu_ms)
    return {
        "residents": residents,
        "resident_blocked": resident_blocked,
        "cells": {f"{lang}/{typ}": vars(c) for (lang, typ), c in sorted(cells.items())},
        "by_type": {k: vars(v) for k, v in sorted(by_type.items())},
        "by_language": {k: vars(v) for k, v in sorted(by_lang.items())},
        "predictions": predictions,
        "correct": correct,
        "false_positives": false_positives,
        "office_values": office_values,
        "office_values_personal": office_personal,
        "public": sum(n for n, _ in public_by_lang.values()),
        "public_blocked_n": sum(b for _, b in public_by_lang.values()),
        "public_by_language": public_by_lang,
        "public_blocked": public_blocked,
        "misses": misses,
        "partial": partial,
        "cpu_ms_p50": statistics.median(ordered) if ordered else 0.0,
        "cpu_ms_p99": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else 0.0,
    }


def _ratio(c: dict[str, int]) -> str:
    return f"{c['found']}/{c['n']} ({c['found'] / c['n']:.3f}), covered {c['covered']}"


def render(part: str, report: dict[str, Any], w: Callable[[str], object]) -> None:
    """A Markdown summary of ``evaluate``'s report."""
    w(f"## Recall set, {part} part (bench/guard_eval/recall_set.py)\n\n")
    w(f"Residents' items blocked {report['resident_blocked']}/{report['residents']}; ")
    w(f"public texts blocked {report['public_blocked_n']}/{report['public']}.\n")
    w(f"Precision {report['correct']}/{report['predictions']} ")
    w(f"(false positives {len(report['false_positives'])}); office values judged personal ")
    w(f"{report['office_values_personal']}/{report['office_values']}.\n")
    w(f"CPU ms per scan p50 {report['cpu_ms_p50']:.2f}, p99 {report['cpu_ms_p99']:.2f}.\n\n")
    for title in ("by_type", "by_language"):
        w(f"| {title} | found/gold (recall), fully covered |\n|---|---|\n")
        for key, c in report[title].items():
            w(f"| {key} | {_ratio(c)} |\n")
        w("\n")
    w("| cell below 0.98 | found/gold |\n|---|---|\n")
    for key, c in report["cells"].items():
        if c["found"] / c["n"] < 0.98:
            w(f"| {key} | {_ratio(c)} |\n")
    w("\n| public texts by language | texts | blocked |\n|---|---:|---:|\n")
    for lang, (n, b) in sorted(report["public_by_language"].items()):
        w(f"| {lang} | {n} | {b} |\n")
    for title in ("misses", "partial", "false_positives", "public_blocked"):
        w(f"\n{title} ({len(report[title])}):\n")
        for line in report[title]:
            w(f"- {line}\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Scan the recall set with the guard.")
    parser.add_argument("--part", choices=sorted(FILES), default="dev")
    parser.add_argument(
        "--public-names",
        default="",
        help="a city's own names (comma-separated) added to [public] public_names of the "
        "bundled policy, as a city's policy file would (e.g. やいちゃん,なぶらくん)",
    )
    add_learned_switches(parser)
    args = parser.parse_args(argv)
    from guardrails import build_guard

    samples = load_recall_set(args.part)
    with tempfile.TemporaryDirectory() as folder:
        names = [n.strip() for n in args.public_names.split(",") if n.strip()]
        custom = names or args.no_name_tagger or args.no_public_document
        policy = city_policy(
            Path(folder),
            names,
            tagger=not args.no_name_tagger,
            public_document=not args.no_public_document,
        )
        guard = build_guard(policy if custom else None)
    guard.scan("起動確認です。山田太郎さんの電話は03-1234-5678です。")
    report = evaluate(samples, guard.scan)
    guard.close()
    render(args.part, report, sys.stdout.write)
    return 0


def add_learned_switches(parser: argparse.ArgumentParser) -> None:
    """``--no-name-tagger`` and ``--no-public-document``: the guard without its learned
    parts, for before/after figures (see ``city_policy``)."""
    parser.add_argument(
        "--no-name-tagger",
        action="store_true",
        help="the rules alone: [name_tagger] enabled = false in the policy",
    )
    parser.add_argument(
        "--no-public-document",
        action="store_true",
        help="without the learned public-document gate: [public_document] enabled = false",
    )


def city_policy(
    folder: Path, public_names: Sequence[str], *, tagger: bool = True, public_document: bool = True
) -> Path:
    """A city's policy file: the bundled one with the city's own mascots and characters
    added to ``[public] public_names`` (docs/guard.md, "How a city tunes it"), the
    learned name tagger switched off unless ``tagger`` and the public-document gate
    unless ``public_document``."""
    from importlib import resources

    import tomlkit

    bundled = resources.files("guardrails").joinpath("conf", "policy.toml")
    document = tomlkit.parse(bundled.read_text(encoding="utf-8"))
    public: Any = document["public"]
    public["public_names"].extend(public_names)
    if not tagger:
        name_tagger: Any = document["name_tagger"]
        name_tagger["enabled"] = False
    if not public_document:
        gate: Any = document["public_document"]
        gate["enabled"] = False
    path = folder / "policy.toml"
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
    return path


if __name__ == "__main__":
    raise SystemExit(main())
