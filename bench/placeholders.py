"""Placeholder benchmark: drafting, summarizing and translating prompts with residents' data.

    .venv/bin/python bench/placeholders.py [--seed 18] [--n 600] [--repeat 5]

For each prompt (bench/placeholder_eval: synthetic residents with Japanese, English,
Portuguese, Spanish, Filipino, Vietnamese with and without accents, Chinese, Korean and
romanised Chinese, Korean and Japanese names; the 焼津市 offices' public contacts beside
them):

1. the guard scans it — *refused today* when it blocks;
2. ``placeholder_prompt`` for its task, with ``rescan=guard.scan`` — *answered* unless it blocks (an identifier
   that is never sent, e.g. マイナンバー: those prompts must be refused);
3. what would be sent is checked: every resident's value of the gold must be replaced
   (a value left in whole or in part is a *leak*, counted by language and type), and the
   guard, scanning it again, must find nothing personal in it;
4. a model answer is simulated from the placeholders sent (reordered, repeated, with
   honorifics, details dropped, one answer in ten with a placeholder written
   differently) and restored, whole and as a stream in random pieces: every value must
   land where its placeholder was, the stream must equal the whole, and the report must
   name exactly the dropped, changed, invented and normalised placeholders;
5. latency added: ``placeholder_prompt`` (without and with ``rescan=guard.scan``, the
   pipeline's path, which scans the text to be sent once more) + ``restore_placeholders``,
   wall and CPU (process time), each repeated ``--repeat`` times, on one core.

This runs the guardrails API in-process. The end-to-end check through the HTTP API
with the recording test model (nothing personal in the model's inbox, the database or
the logs) belongs to the pipeline's wiring, not to this script.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import guardrails._placeholders as planner  # noqa: E402
from bench.guard_eval.metrics import percentile  # noqa: E402
from bench.placeholder_eval.answers import Answer, answer_language, simulate  # noqa: E402
from bench.placeholder_eval.handwritten import handwritten_prompts  # noqa: E402
from bench.placeholder_eval.prompts import Gold, Prompt, generate_prompts  # noqa: E402
from guardrails import (  # noqa: E402
    AnomalyKind,
    Guard,
    PlaceholderMapping,
    PlaceholderPlan,
    ScanResult,
    StreamRestorer,
    TaskAction,
    build_guard,
    placeholder_prompt,
    restore_placeholders,
)

OUT = ROOT / "bench" / "out" / "placeholders.json"
OUT_HANDWRITTEN = ROOT / "bench" / "out" / "placeholders_handwritten.json"
_TIMINGS = {
    "placeholder_wall": "placeholder_prompt, wall",
    "placeholder_cpu": "placeholder_prompt, CPU",
    "placeholder_rescan_wall": "placeholder_prompt with rescan=guard.scan, wall",
    "placeholder_rescan_cpu": "placeholder_prompt with rescan=guard.scan, CPU",
    "restore_wall": "restore_placeholders, wall",
    "restore_cpu": "restore_placeholders, CPU",
    "added_wall": "**added: placeholder + restore, wall** — target p50 ≤ 2",
    "added_cpu": "added: placeholder + restore, CPU",
    "added_rescan_wall": "**added with the rescan (the pipeline's path), wall**",
    "added_rescan_cpu": "added with the rescan, CPU",
    "scan_wall": "guard.scan, wall (for reference; paid anyway)",
    "scan_cpu": "guard.scan, CPU",
}
SHORT_TEXT = 400


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--n", type=int, default=600)
    parser.add_argument("--repeat", type=int, default=5, help="timing repetitions per prompt")
    parser.add_argument(
        "--set",
        choices=("generated", "handwritten"),
        default="generated",
        help="the generated residents (default) or the 64 hand-written held-out prompts",
    )
    parser.add_argument(
        "--no-widen",
        action="store_true",
        help="switch placeholder mode's widening pass off (the guard's findings as they are)",
    )
    parser.add_argument(
        "--show-leaks",
        action="store_true",
        help="print every leak (synthetic values) with its class and context to stderr",
    )
    args = parser.parse_args(argv)
    _one_core()
    started = time.perf_counter()
    if args.set == "handwritten":
        prompts = handwritten_prompts()
    else:
        prompts = generate_prompts(seed=args.seed, n=args.n)
    _progress(f"{len(prompts)} prompts generated")
    guard = build_guard()
    # The widening pass is internal to the planner: --no-widen replaces it for the run.
    unchanged = mock.patch.object(planner, "widen", _unwidened) if args.no_widen else nullcontext()
    try:
        with unchanged:
            rows = [
                _run(guard, p, random.Random(f"{args.seed}:{p.id}"), args.repeat) for p in prompts
            ]
    finally:
        guard.close()
    _progress(f"done in {time.perf_counter() - started:.0f} s")
    report = _aggregate(prompts, rows)
    report["run"] = _machine(args, time.perf_counter() - started)
    out = OUT_HANDWRITTEN if args.set == "handwritten" else OUT
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    sys.stdout.write(_markdown(report))
    if args.show_leaks:
        _show_leaks(prompts, rows)
    _progress(f"details in {out.relative_to(ROOT)}")
    return 0


def _unwidened(text: str, scan: ScanResult, placeholdered: Any) -> ScanResult:
    return scan


# -- one prompt ---------------------------------------------------------------------------------
def _run(guard: Guard, prompt: Prompt, rng: random.Random, repeat: int) -> dict[str, Any]:
    scan = guard.scan(prompt.text)
    mapping = PlaceholderMapping()
    plan = _placeholdered(guard, prompt, scan, mapping, rescan=True)
    row: dict[str, Any] = {
        "id": prompt.id,
        "refused_today": scan.blocked,
        "answered": not plan.blocked,
        "chars": len(prompt.text),
        "blocking": sorted({f.type for f in plan.blocking}),
        "error": plan.error,
    }
    if plan.blocked:
        return row
    row["leaks"] = _leaks(prompt, plan)
    row["public"] = _public_kept(prompt, plan)
    row["still_personal"] = [f.type for f in guard.scan(plan.text).personal_findings]
    row["split"], row["mixed"] = _consistency(prompt, plan)
    language = answer_language(prompt.task, prompt.family, prompt.lang)
    answer = simulate(plan.placeholders(), prompt.task, language, rng)
    restored = restore_placeholders(answer.text, mapping, sent=plan.text)
    row["restored_ok"] = _lands_in_place(prompt.text, plan, answer, restored.text)
    row["report_ok"], row["report"] = _report_matches(answer, restored.anomalies)
    row["stream_ok"] = _stream_equal(mapping, plan, answer.text, restored.text, rng)
    row["injected"] = answer.injected[0].value if answer.injected else None
    row["dropped"] = len(answer.dropped)
    row["timing"] = _timing(guard, prompt, answer.text, repeat)
    mapping.clear()
    return row


def _placeholdered(
    guard: Guard, prompt: Prompt, scan: ScanResult, mapping: PlaceholderMapping, *, rescan: bool
) -> PlaceholderPlan:
    return placeholder_prompt(
        prompt.text,
        scan,
        task=prompt.task,
        policy=guard.policy,
        mapping=mapping,
        rescan=guard.scan if rescan else None,
    )


def _covered(gold: Gold, plan: PlaceholderPlan) -> str:
    """replaced | partial (digits left) | partial (words left) | missed: what of ``gold``
    the replacements leave in the text sent. Spaces between two placeholders (a name
    found as two words) leave nothing."""
    left = [
        c
        for i, c in enumerate(gold.value, start=gold.start)
        if not any(r.start <= i < r.end for r in plan.replacements)
    ]
    rest = "".join(left).strip(" \u3000,、")
    if not rest:
        return "replaced"
    if len(left) == len(gold.value):
        return "missed"
    return "partial, digits left" if any(c.isdigit() for c in rest) else "partial, words left"


def _leaks(prompt: Prompt, plan: PlaceholderPlan) -> list[dict[str, str]]:
    leaks = []
    for gold in prompt.personal:
        how = _covered(gold, plan)
        if how != "replaced" or gold.value in plan.text:
            kind = how if how != "replaced" else "repeated elsewhere"
            context = _marked(prompt.text, gold.start, gold.end)
            leaks.append(
                {
                    "type": gold.type,
                    "how": kind,
                    "value": gold.value,
                    "who": gold.who,
                    "context": context,
                    "sent": plan.text,
                }
            )
    return leaks


def _marked(text: str, start: int, end: int, window: int = 24) -> str:
    """``text`` around ``start:end`` with the value between [[ ]] (one line)."""
    before = text[max(0, start - window) : start]
    after = text[end : end + window]
    return f"{before}[[{text[start:end]}]]{after}".replace("\n", "⏎")


def _show_leaks(prompts: Sequence[Prompt], rows: Sequence[dict[str, Any]]) -> None:
    """Every leak, grouped by type and how: the prompt around the value, and what was
    sent (synthetic residents only — this bench has no real data)."""
    by_id = {p.id: p for p in prompts}
    leaks = sorted(
        (
            (leak["type"], leak["how"], by_id[r["id"]].lang, r["id"], leak)
            for r in rows
            if r["answered"]
            for leak in r["leaks"]
        ),
        key=lambda item: item[:4],
    )
    for entity, how, lang, pid, leak in leaks:
        sent = leak["sent"].replace("\n", "⏎")
        _progress(f"{entity:<13} {how:<22} {lang:<8} {pid}  {leak['context']}\n      sent: {sent}")


def _public_kept(prompt: Prompt, plan: PlaceholderPlan) -> list[str]:
    """For each public value (an office's contact; an office's or facility's name, or
    the city's, as ORGANIZATION): kept as written, or (in part) placeholdered."""
    out = []
    for gold in prompt.gold:
        if not gold.personal:
            how = _covered(gold, plan)
            kind = "word" if gold.type == "ORGANIZATION" else "contact"
            out.append(f"{kind} kept" if how == "missed" else f"{kind} placeholdered")
    return out


def _consistency(prompt: Prompt, plan: PlaceholderPlan) -> tuple[list[str], list[str]]:
    """People (``Gold.who``) given two placeholders (split), placeholders standing for two
    people's values (mixed): the model could not tell those two people apart."""
    tokens_of: dict[str, set[str]] = defaultdict(set)
    who_of: dict[str, set[str]] = defaultdict(set)
    for gold in prompt.personal:
        for r in plan.replacements:
            if r.action is TaskAction.PLACEHOLDER and r.start <= gold.start and gold.end <= r.end:
                tokens_of[gold.who].add(r.text)
                who_of[r.text].add(gold.who)
    split = [who.split(":")[1] for who, tokens in tokens_of.items() if len(tokens) > 1]
    mixed = [token for token, whos in who_of.items() if len(whos) > 1]
    return split, mixed


def _lands_in_place(text: str, plan: PlaceholderPlan, answer: Answer, restored: str) -> bool:
    """Each placeholder of the answer became one of the values it replaced in the prompt,
    in its place; everything else is as the model wrote it."""
    surfaces: dict[str, set[str]] = defaultdict(set)
    for r in plan.replacements:
        surfaces[r.text].add(text[r.start : r.end])
    pattern = "".join(
        re.escape(piece)
        if token is None
        else "(?:" + "|".join(re.escape(s) for s in sorted(surfaces[token])) + ")"
        for piece, token in answer.segments
    )
    return re.fullmatch(pattern, restored, flags=re.S) is not None


def _report_matches(answer: Answer, anomalies: Sequence[Any]) -> tuple[bool, dict[str, int]]:
    got = Counter(a.kind.value for a in anomalies)
    expected: Counter[str] = Counter({AnomalyKind.DROPPED.value: len(answer.dropped)})
    if answer.injected:
        expected[answer.injected[0].value] += 1
    dropped = {a.placeholder for a in anomalies if a.kind is AnomalyKind.DROPPED}
    injected_ok = answer.injected is None or any(
        a.kind is answer.injected[0] and a.written == answer.injected[1] for a in anomalies
    )
    ok = got == +expected and dropped == answer.dropped and injected_ok
    return ok, dict(got)


def _stream_equal(
    mapping: PlaceholderMapping, plan: PlaceholderPlan, text: str, whole: str, rng: random.Random
) -> bool:
    restorer = StreamRestorer(mapping, sent=plan.text)
    out, i = [], 0
    while i < len(text):
        n = rng.randint(1, 12)
        out.append(restorer.feed(text[i : i + n]))
        i += n
    out.append(restorer.close())
    return "".join(out) == whole


class _Clock:
    """Wall and CPU milliseconds of one call (CPU: process time — the guard scans in a
    worker thread of this process, pinned to the same core)."""

    def __init__(self, out: dict[str, list[float]], name: str) -> None:
        self.out, self.name = out, name

    def __enter__(self) -> None:
        self.cpu, self.wall = time.process_time(), time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        self.out[f"{self.name}_wall"].append((wall - self.wall) * 1e3)
        self.out[f"{self.name}_cpu"].append((cpu - self.cpu) * 1e3)


def _timing(guard: Guard, prompt: Prompt, answer: str, repeat: int) -> dict[str, list[float]]:
    """Milliseconds per call: the scan (for reference), placeholdering without and with
    the rescan, restoring."""
    scan = guard.scan(prompt.text)
    out: dict[str, list[float]] = defaultdict(list)
    for _ in range(repeat):
        with _Clock(out, "scan"):
            guard.scan(prompt.text)
        checked = PlaceholderMapping()
        with _Clock(out, "placeholder_rescan"):
            _placeholdered(guard, prompt, scan, checked, rescan=True)
        checked.clear()
        mapping = PlaceholderMapping()
        with _Clock(out, "placeholder"):
            plan = _placeholdered(guard, prompt, scan, mapping, rescan=False)
        with _Clock(out, "restore"):
            restore_placeholders(answer, mapping, sent=plan.text)
        mapping.clear()
        for kind in ("wall", "cpu"):
            restore = out[f"restore_{kind}"][-1]
            out[f"added_{kind}"].append(out[f"placeholder_{kind}"][-1] + restore)
            out[f"added_rescan_{kind}"].append(out[f"placeholder_rescan_{kind}"][-1] + restore)
    return out


# -- figures ---------------------------------------------------------------------------------------
def _aggregate(prompts: Sequence[Prompt], rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    by_id = {p.id: p for p in prompts}
    answered = [r for r in rows if r["answered"]]
    expect_block = [r for r in rows if by_id[r["id"]].expect_block]
    ordinary = [r for r in rows if not by_id[r["id"]].expect_block]
    groups: dict[str, dict[str, Any]] = {}
    for key in sorted({_group(by_id[r["id"]]) for r in rows}):
        members = [r for r in rows if _group(by_id[r["id"]]) == key]
        ans = [r for r in members if r["answered"]]
        values = sum(len(by_id[r["id"]].personal) for r in ans)
        leaks = [leak for r in ans for leak in r["leaks"]]
        groups[key] = {
            "prompts": len(members),
            "refused_today": sum(r["refused_today"] for r in members),
            "answered": len(ans),
            "values": values,
            "leaked": len(leaks),
            "prompts_with_leak": sum(bool(r["leaks"]) for r in ans),
            "leaked_by_type": dict(Counter(leak["type"] for leak in leaks).most_common()),
        }
    leak_types: dict[str, Counter[str]] = defaultdict(Counter)
    for r in answered:
        for leak in r["leaks"]:
            leak_types[leak["type"]][leak["how"]] += 1
    values_by_type = Counter(g.type for r in answered for g in by_id[r["id"]].personal)
    timing: dict[str, dict[str, float]] = {}
    for name in _TIMINGS:
        samples = [v for r in answered if r["chars"] <= SHORT_TEXT for v in r["timing"][name]]
        timing[name] = {
            "n": len(samples),
            "p50": round(percentile(samples, 50), 3),
            "p95": round(percentile(samples, 95), 3),
            "p99": round(percentile(samples, 99), 3),
            "max": round(max(samples), 3),
        }
    public = Counter(p for r in answered for p in r["public"])
    return {
        "prompts": len(rows),
        "refused_today": sum(r["refused_today"] for r in rows),
        "answered": len(answered),
        "ordinary": len(ordinary),
        "ordinary_answered": sum(r["answered"] for r in ordinary),
        "ordinary_refused": [
            {"id": r["id"], "blocking": r["blocking"], "error": r["error"]}
            for r in ordinary
            if not r["answered"]
        ],
        "never": len(expect_block),
        "never_refused": sum(not r["answered"] for r in expect_block),
        "values": sum(values_by_type.values()),
        "values_by_type": dict(values_by_type.most_common()),
        "leaks": sum(len(r["leaks"]) for r in answered),
        "leaks_by_type": {t: dict(c) for t, c in leak_types.items()},
        "still_personal": sum(bool(r["still_personal"]) for r in answered),
        "split": dict(Counter(s for r in answered for s in r["split"])),
        "mixed": sum(len(r["mixed"]) for r in answered),
        "restored_ok": sum(r["restored_ok"] for r in answered),
        "stream_ok": sum(r["stream_ok"] for r in answered),
        "report_ok": sum(r["report_ok"] for r in answered),
        "injected": dict(Counter(r["injected"] for r in answered if r["injected"])),
        "dropped": sum(r["dropped"] for r in answered),
        "public": dict(public),
        "groups": groups,
        "timing": timing,
        "chars_max": max(r["chars"] for r in rows),
        "chars_median": statistics.median(r["chars"] for r in rows),
        "examples": {
            "leaks": [
                {"id": r["id"], **{k: v for k, v in leak.items() if k != "sent"}}
                for r in answered
                for leak in r["leaks"]
            ][:60],
            "wrong_restore": [r["id"] for r in answered if not r["restored_ok"]][:20],
            "wrong_report": [
                {"id": r["id"], "report": r["report"]} for r in answered if not r["report_ok"]
            ][:20],
        },
    }


def _group(prompt: Prompt) -> str:
    return f"{prompt.family} / {prompt.lang}"


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f} %" if b else "–"


def _markdown(r: dict[str, Any]) -> str:
    run = r["run"]
    lines = [
        f"## Placeholders — `bench/placeholders.py` ({run['date']})",
        "",
        f"`{run['command']}` — {run['machine']}; load average {run['load_before']} before, "
        f"{run['load_after']} after; {run['seconds']:.0f} s. Prompts: {r['prompts']} "
        f"(median {r['chars_median']:.0f} characters, longest {r['chars_max']}).",
        "",
        "| measure | value | target |",
        "|---|---|---|",
        f"| refused today (the guard blocks) | {r['refused_today']} / {r['prompts']} ({_pct(r['refused_today'], r['prompts'])}) | — |",
        f"| answered with placeholders, all prompts | {r['answered']} / {r['prompts']} ({_pct(r['answered'], r['prompts'])}) | ≥ 95 % |",
        f"| answered, prompts without a never-sent identifier | {r['ordinary_answered']} / {r['ordinary']} ({_pct(r['ordinary_answered'], r['ordinary'])}) | — |",
        f"| refused, prompts with マイナンバー (must be) | {r['never_refused']} / {r['never']} | all |",
        f"| residents' values left in what is sent (leaks) | {r['leaks']} of {r['values']} ({_pct(r['leaks'], r['values'])}) | 0 |",
        f"| sent texts in which the guard still finds personal data | {r['still_personal']} / {r['answered']} | 0 |",
        f"| one person, two placeholders (split) | {sum(r['split'].values())} {r['split'] or ''} | — |",
        f"| one placeholder, two people's values (mixed) | {r['mixed']} | 0 |",
        f"| restored answers with every value in its place | {r['restored_ok']} / {r['answered']} | all |",
        f"| stream (random pieces) = whole | {r['stream_ok']} / {r['answered']} | all |",
        f"| anomaly report exact (dropped {r['dropped']}, planted {r['injected']}) | {r['report_ok']} / {r['answered']} | all |",
        f"| public office contacts kept as written | {r['public'].get('contact kept', 0)} / {r['public'].get('contact kept', 0) + r['public'].get('contact placeholdered', 0)} | — |",
        f"| public words (office, facility, city names) placeholdered | {r['public'].get('word placeholdered', 0)} / {r['public'].get('word kept', 0) + r['public'].get('word placeholdered', 0)} | — |",
        "",
        "Latency added, prompts ≤ 400 characters, one core, ms (`--repeat` samples per prompt):",
        "",
        "| | p50 | p95 | p99 | max |",
        "|---|---|---|---|---|",
    ]
    for key, label in _TIMINGS.items():
        t = r["timing"][key]
        lines.append(f"| {label} | {t['p50']} | {t['p95']} | {t['p99']} | {t['max']} |")
    lines += [
        "",
        "By family and language (leaks: residents' values of answered prompts not replaced):",
        "",
        "| family / language | prompts | refused today | answered | values | leaked | prompts with a leak | leaked types |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for key, g in r["groups"].items():
        types = ", ".join(f"{t} {n}" for t, n in g["leaked_by_type"].items()) or "—"
        lines.append(
            f"| {key} | {g['prompts']} | {g['refused_today']} | {g['answered']} | {g['values']} | "
            f"{g['leaked']} | {g['prompts_with_leak']} | {types} |"
        )
    lines += [
        "",
        "Leaks by type (missed; partly replaced, digits or only words left; repeated elsewhere):",
        "",
    ]
    for t, hows in r["leaks_by_type"].items():
        total = r["values_by_type"].get(t, 0)
        lines.append(f"- {t}: {sum(hows.values())} of {total} — {hows}")
    if r["ordinary_refused"]:
        lines += ["", f"Ordinary prompts refused: {r['ordinary_refused']}"]
    return "\n".join(lines) + "\n"


def _machine(args: argparse.Namespace, seconds: float) -> dict[str, Any]:
    load = os.getloadavg()
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": f".venv/bin/python bench/placeholders.py --seed {args.seed} --n {args.n} --repeat {args.repeat} --set {args.set}"
        + (" --no-widen" if args.no_widen else ""),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_before": _LOAD_BEFORE,
        "load_after": f"{load[0]:.1f}",
        "seconds": seconds,
    }


def _one_core() -> None:
    """Pin this process (and the guard's worker threads) to one CPU, as bench/guard.py does."""
    global _LOAD_BEFORE
    _LOAD_BEFORE = f"{os.getloadavg()[0]:.1f}"
    if hasattr(os, "sched_setaffinity"):
        cpus = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpus[-1]})


_LOAD_BEFORE = "?"


def _progress(message: str) -> None:
    print(message, file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
