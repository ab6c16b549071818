"""Guard benchmark: accuracy, false blocks, evasion and latency, against a baseline.

    .venv/bin/python bench/guard.py [--seed 7] [--n 2000] [--no-baseline] [--quick]

Generates a seeded labelled evaluation set (bench/guard_eval), scans it with Yakuba's
guard (``build_guard()``, the bundled policy and recognisers — whatever exists right
now; a type nobody recognises yet simply scores recall 0) and, in the same run, with
Presidio's defaults + GiNZA in the isolated venv ``bench/.venv-baseline`` (created on
first use from PyPI). Prints a Markdown report on stdout (progress goes to stderr) and
writes all figures, plus examples of misses and false positives, to bench/out/.

Latency is measured on ONE core per system: this process pins itself to one CPU (the
guard's worker threads inherit it), the baseline subprocess to the other; BLAS/OpenMP
thread pools are limited to one thread.
"""

from __future__ import annotations

import os

# Before anything imports numpy / spaCy / thinc: one thread per BLAS/OpenMP pool.
for _var in (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import importlib.metadata as md  # noqa: E402
import inspect  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Callable, Iterable, Mapping, Sequence  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any, TextIO  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.guard_eval import (  # noqa: E402
    ENTITY_TYPES,
    EVASION_TYPES,
    Pred,
    Sample,
    generate_clean_texts,
    generate_evasion_suite,
    generate_pii_prompts,
    latency_summary,
    load_ner_samples,
    make_denylist,
    score_spans,
)
from bench.guard_eval.fresh_heldout import (  # noqa: E402
    FRESH2,
    evaluate_fresh_public,
    generate_fresh_public,
    generate_fresh_residents,
    render_fresh_public,
)
from bench.guard_eval.metrics import micro, overlaps  # noqa: E402
from bench.guard_eval.ner import NER_PATH  # noqa: E402
from bench.guard_eval.public_eval import (  # noqa: E402
    blocked_figures,
    ingest_and_register,
    render_public,
)
from bench.guard_eval.public_texts import generate_public_texts  # noqa: E402
from bench.guard_eval.recall_set import add_learned_switches  # noqa: E402
from bench.guard_eval.residents import (  # noqa: E402
    evaluate_residents,
    generate_public_multilingual,
    generate_residents,
    render_residents,
)

BENCH = ROOT / "bench"
OUT_DIR = BENCH / "out"
BASELINE_VENV = BENCH / ".venv-baseline"
BASELINE_SCRIPT = BENCH / "baseline" / "presidio_ginza.py"
BASELINE_REQUIREMENTS = BENCH / "baseline" / "requirements.txt"

# Presidio's entity names → ours. Everything else the baseline reports (DATE_TIME, URL,
# IP_ADDRESS, ID_NUMBER …) is dropped: none of them is one of our types, and a date
# or URL detector would block most municipal prompts if it counted.
BASELINE_TO_OURS: dict[str, str] = {
    "PERSON": "PERSON",
    "LOCATION": "ADDRESS",
    "PHONE_NUMBER": "PHONE_NUMBER",
    "EMAIL_ADDRESS": "EMAIL_ADDRESS",
    "CREDIT_CARD": "CREDIT_CARD",
    "IBAN_CODE": "BANK_ACCOUNT",
    "DENYLIST_TERM": "DENYLIST_TERM",
}

# Targets from the guard issue ("Measure").
STRUCTURED = (
    "PHONE_NUMBER",
    "EMAIL_ADDRESS",
    "POSTAL_CODE",
    "MY_NUMBER",
    "CORPORATE_NUMBER",
    "RESIDENT_CODE",
    "BANK_ACCOUNT",
    "CREDIT_CARD",
    "PASSPORT_NUMBER",
    "DRIVER_LICENSE",
    "HEALTH_INSURANCE",
    "PENSION_NUMBER",
    "RESIDENCE_CARD",
)
SHORT_TEXT = 400  # latency is reported for texts of at most this many characters

_T0 = time.perf_counter()


def rel(path: Path) -> str:
    """``path`` relative to the repository when it is inside it."""
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def log(message: str) -> None:
    print(f"[{time.perf_counter() - _T0:6.1f}s] {message}", file=sys.stderr, flush=True)


# -- configuration ---------------------------------------------------------------------


@dataclass(frozen=True)
class Sizes:
    pii: int
    clean: int
    evasion: int
    ner: int | None  # None = the whole file
    baseline_per_set: int
    public: int = 1600


def sizes_for(args: argparse.Namespace) -> Sizes:
    if args.quick:
        n = args.n if args.n_given else 300
        return Sizes(pii=n, clean=max(200, n // 2), evasion=300, ner=None, baseline_per_set=60)
    n = args.n
    return Sizes(
        pii=n,
        clean=max(200, n // 2),
        evasion=max(300, n // 5),
        ner=None,
        baseline_per_set=args.baseline_per_set,
    )


def pin_cpus() -> tuple[int | None, int | None]:
    """(CPU for this process, CPU for the baseline); the same one if only one exists."""
    if not hasattr(os, "sched_getaffinity"):
        return None, None
    cpus = sorted(os.sched_getaffinity(0))
    mine = cpus[0]
    other = cpus[1] if len(cpus) > 1 else cpus[0]
    os.sched_setaffinity(0, {mine})
    return mine, other


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


# -- data ------------------------------------------------------------------------------


def write_jsonl(path: Path, rows: Iterable[Mapping[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def evenly(samples: Sequence[Sample], cap: int) -> list[Sample]:
    """At most ``cap`` samples spread evenly over the set (keeps its mix of kinds)."""
    if len(samples) <= cap:
        return list(samples)
    step = len(samples) / cap
    return [samples[int(i * step)] for i in range(cap)]


# -- Yakuba ------------------------------------------------------------------------------


@dataclass
class ScanRecord:
    action: str
    preds: list[Pred]
    ms: float
    error: str | None = None
    # CPU time of the whole process during the scan (Yakuba only): on a shared machine
    # wall time also counts the time other jobs held the core; CPU time does not.
    cpu_ms: float | None = None


@dataclass
class SystemRun:
    name: str
    records: dict[str, ScanRecord] = field(default_factory=dict)
    build_s: float = math.nan
    notes: list[str] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)

    def preds(self) -> dict[str, list[Pred]]:
        return {k: r.preds for k, r in self.records.items()}

    def blocked(self, sample_id: str) -> bool:
        return self.records[sample_id].action == "block"


def _denylist_argument(builder: Callable[..., Any]) -> str | None:
    """Name of build_guard's deny-list parameter, if it has one."""
    for name in inspect.signature(builder).parameters:
        if "deny" in name.lower():
            return name
    return None


# A policy file to build the guard with (--no-name-tagger: the bundled policy with the
# learned name tagger switched off); None: the bundled policy.
POLICY_PATH: Path | None = None


def build_yakuba_guard(
    terms: Sequence[str], workdir: Path
) -> tuple[Any, float, str | None, list[str]]:
    """build_guard(), with the run's deny-list when build_guard accepts one."""
    from guardrails import build_guard as build_default

    def build_guard(**kwargs: Any) -> Any:
        if POLICY_PATH is not None:
            kwargs["policy_path"] = POLICY_PATH
        return build_default(**kwargs)

    notes: list[str] = []
    param = _denylist_argument(build_default)
    attempts: list[dict[str, Any]] = [{}]
    if param is not None:
        txt = workdir / "denylist.txt"
        txt.write_text(
            "# 非公開用語（ベンチマーク用、合成）\n" + "\n".join(terms) + "\n", encoding="utf-8"
        )
        toml = workdir / "denylist.toml"
        toml.write_text(
            "terms = [\n"
            + "".join(f"  {json.dumps(t, ensure_ascii=False)},\n" for t in terms)
            + "]\n",
            encoding="utf-8",
        )
        annotation = str(inspect.signature(build_default).parameters[param].annotation)
        wants_path = any(k in param.lower() for k in ("path", "file")) or "Path" in annotation
        if wants_path:
            attempts = [{param: txt}, {param: toml}, {param: list(terms)}]
        else:
            attempts = [{param: list(terms)}, {param: txt}, {param: toml}]
        attempts.append({})  # the deny-list form is not understood: run without it
    last_error: Exception | None = None
    for kwargs in attempts:
        try:
            started = time.perf_counter()
            guard = build_guard(**kwargs)
            build_s = time.perf_counter() - started
        except Exception as exc:  # a config error with this form of the deny-list
            last_error = exc
            notes.append(f"build_guard({', '.join(kwargs)}) failed: {type(exc).__name__}: {exc}")
            continue
        used = None
        if kwargs:
            value = next(iter(kwargs.values()))
            used = f"{param}={value if isinstance(value, Path) else 'list of terms'}"
        return guard, build_s, used, notes
    raise RuntimeError(f"build_guard failed: {last_error}")


def run_yakuba(samples: Sequence[Sample], terms: Sequence[str], workdir: Path) -> SystemRun:
    run = SystemRun("Yakuba")
    guard, run.build_s, denylist_used, notes = build_yakuba_guard(terms, workdir)
    run.notes.extend(notes)
    run.info["denylist"] = denylist_used
    # Informational only (private attributes; absent → "?").
    analyzer = getattr(guard, "_analyzer", None)
    registry = getattr(analyzer, "registry", None)
    run.info["recognizers"] = sorted(
        type(r).__name__ for r in getattr(registry, "recognizers", [])
    ) or ["?"]
    run.info["entities"] = sorted(getattr(guard, "_entities", []))
    log(
        f"Yakuba guard built in {run.build_s:.2f} s; recognisers: {', '.join(run.info['recognizers'])}"
    )
    for warm in ("起動確認です。", "山田太郎さんの電話は03-1234-5678です。"):
        guard.scan(warm)
    total = len(samples)
    for i, sample in enumerate(samples, 1):
        c0 = time.process_time()
        t0 = time.perf_counter()
        result = guard.scan(sample.text)
        ms = (time.perf_counter() - t0) * 1000.0
        cpu_ms = (time.process_time() - c0) * 1000.0
        run.records[sample.id] = ScanRecord(
            action=str(result.action),
            preds=[Pred(f.type, f.start, f.end) for f in result.findings],
            ms=ms,
            error=result.error,
            cpu_ms=cpu_ms,
        )
        if i % 1000 == 0 or i == total:
            log(f"Yakuba: {i}/{total} texts scanned")
    guard.close()
    return run


# -- baseline ------------------------------------------------------------------------------


def baseline_python() -> Path:
    return BASELINE_VENV / "bin" / "python"


def _baseline_ready(python: Path) -> bool:
    if not python.exists():
        return False
    # Metadata only: importing spaCy + GiNZA just to check would cost seconds.
    code = (
        "import importlib.metadata as m\n"
        "for p in ('presidio-analyzer', 'spacy', 'ginza', 'ja-ginza', 'tldextract'): m.version(p)"
    )
    probe = subprocess.run([str(python), "-c", code], capture_output=True, check=False)
    return probe.returncode == 0


def ensure_baseline_venv() -> Path:
    """Create bench/.venv-baseline on first use (PyPI only), return its python."""
    python = baseline_python()
    if _baseline_ready(python):
        return python
    base = shutil.which("python3") or sys.executable
    log(f"creating {rel(BASELINE_VENV)} with {base} (first use only)")
    subprocess.run([base, "-m", "venv", str(BASELINE_VENV)], check=True, stdout=sys.stderr)
    presidio = f"presidio-analyzer=={md.version('presidio-analyzer')}"
    log(f"installing {presidio} + {rel(BASELINE_REQUIREMENTS)} (a few minutes)")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--upgrade", "pip"],
        check=True,
        stdout=sys.stderr,
    )
    subprocess.run(
        [str(python), "-m", "pip", "install", presidio, "-r", str(BASELINE_REQUIREMENTS)],
        check=True,
        stdout=sys.stderr,
    )
    if not _baseline_ready(python):
        raise RuntimeError("baseline venv installed but presidio/ginza do not import")
    log("baseline venv ready")
    return python


@dataclass
class BaselineJob:
    process: subprocess.Popen[bytes]
    output: Path
    meta: Path
    started: float


def start_baseline(
    python: Path, samples: Sequence[Sample], cpu: int | None, denylist: Path | None, workdir: Path
) -> BaselineJob:
    source = workdir / "baseline_input.jsonl"
    write_jsonl(source, ({"id": s.id, "text": s.text} for s in samples))
    output = workdir / "baseline_output.jsonl"
    meta = workdir / "baseline_meta.json"
    command = [
        str(python),
        str(BASELINE_SCRIPT),
        "--input",
        str(source),
        "--output",
        str(output),
        "--meta",
        str(meta),
    ]
    if cpu is not None:
        command += ["--cpu", str(cpu)]
    if denylist is not None:
        command += ["--denylist", str(denylist)]
    log(f"baseline: Presidio + ja_ginza on {len(samples)} texts (CPU {cpu})")
    # Its progress (stdout and stderr) goes to our stderr: stdout is for the report.
    process = subprocess.Popen(command, stdout=sys.stderr.buffer, stderr=None)
    return BaselineJob(process, output, meta, time.perf_counter())


def finish_baseline(job: BaselineJob, types: Sequence[str]) -> SystemRun:
    """Collect the baseline's findings, mapped to our types; it blocks on any of them."""
    code = job.process.wait()
    if code != 0:
        raise RuntimeError(f"baseline exited with status {code}")
    run = SystemRun("Presidio+GiNZA")
    meta = json.loads(job.meta.read_text(encoding="utf-8"))
    run.build_s = float(meta["build_s"])
    run.info = meta
    unmapped: Counter[str] = Counter()
    with job.output.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            preds: set[Pred] = set()
            for f in row["findings"]:
                ours = BASELINE_TO_OURS.get(f["type"])
                if ours is None or ours not in types:
                    unmapped[f["type"]] += 1
                    continue
                preds.add(Pred(ours, int(f["start"]), int(f["end"])))
            run.records[row["id"]] = ScanRecord(
                action="block" if preds else "allow",
                preds=sorted(preds, key=lambda p: (p.start, p.end, p.type)),
                ms=float(row["ms"]),
            )
    run.info["unmapped_findings"] = dict(unmapped.most_common())
    log(f"baseline finished after {time.perf_counter() - job.started:.0f} s")
    return run


# -- evaluation ------------------------------------------------------------------------------


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def evaluate(
    run: SystemRun,
    sets: Mapping[str, Sequence[Sample]],
    types: Sequence[str],
) -> dict[str, Any]:
    """All figures of one system over the samples it scanned."""
    scanned = {k: [s for s in v if s.id in run.records] for k, v in sets.items()}
    preds = run.preds()
    out: dict[str, Any] = {"system": run.name, "build_s": run.build_s, "notes": run.notes}

    # PII prompts: per-type span scores, prompt-level block rate.
    pii = scanned["pii"]
    per_type = score_spans(pii, preds, types)
    out["per_type"] = {t: c.to_json() for t, c in per_type.items()}
    total = micro(per_type)
    out["micro"] = {
        "precision": total.precision,
        "recall": total.recall,
        "f1": total.f1,
        "recall_any_type": total.recall_any,
    }
    with_gold = [s for s in pii if any(g.type in types for g in s.spans)]
    blocked = sum(run.blocked(s.id) for s in with_gold)
    out["pii_prompts"] = {
        "n": len(with_gold),
        "blocked": blocked,
        "block_rate": _ratio(blocked, len(with_gold)),
        "actions": dict(Counter(run.records[s.id].action for s in pii)),
        "errors": sum(run.records[s.id].error is not None for s in pii),
    }
    by_category: dict[str, dict[str, Any]] = {}
    for s in with_gold:
        c = by_category.setdefault(s.category, {"n": 0, "blocked": 0})
        c["n"] += 1
        c["blocked"] += run.blocked(s.id)
    out["pii_prompts"]["by_category"] = by_category

    # PII-free text: false blocks.
    clean = scanned["clean"]
    false_blocks = [s for s in clean if run.blocked(s.id)]
    by_source: dict[str, dict[str, int]] = {}
    for s in clean:
        key = {"法令": "laws", "FAQ": "faq"}.get(s.category, "prompts")
        c = by_source.setdefault(key, {"n": 0, "blocked": 0})
        c["n"] += 1
        c["blocked"] += run.blocked(s.id)
    fp_types = Counter(p.type for s in clean for p in preds.get(s.id, []))
    examples: list[dict[str, Any]] = []
    for s in false_blocks[:12]:
        findings = [{"type": p.type, "text": s.text[p.start : p.end]} for p in preds.get(s.id, [])]
        examples.append({"id": s.id, "findings": findings, "text": s.text[:160]})
    out["clean"] = {
        "n": len(clean),
        "blocked": len(false_blocks),
        "per_200": 200 * len(false_blocks) / len(clean) if clean else None,
        "by_source": by_source,
        "finding_types": dict(fp_types.most_common()),
        "errors": sum(run.records[s.id].error is not None for s in clean),
        "examples": examples,
    }

    # Evasion suite.
    evasion = scanned["evasion"]
    ev_types = [t for t in EVASION_TYPES if t in types]
    ev_scores = score_spans(evasion, preds, ev_types)
    per_transform: dict[str, dict[str, int]] = {}
    missed: list[dict[str, Any]] = []
    for s in evasion:
        g = s.spans[0]
        if g.type not in types:
            continue
        found = any(
            p.type == g.type and overlaps(p.start, p.end, g.start, g.end)
            for p in preds.get(s.id, [])
        )
        c = per_transform.setdefault(str(s.meta["transform"]), {"n": 0, "detected": 0})
        c["n"] += 1
        c["detected"] += found
        if not found and len(missed) < 40:
            missed.append(
                {"id": s.id, "type": g.type, "transform": s.meta["transform"], "text": s.text}
            )
    ev_total = micro(ev_scores)
    out["evasion"] = {
        "n": ev_total.gold,
        "detected": ev_total.gold_found,
        "detected_rate": ev_total.recall,
        "detected_any_type": ev_total.gold_found_any,
        "detected_any_type_rate": ev_total.recall_any,
        "blocked": sum(run.blocked(s.id) for s in evasion if s.spans[0].type in types),
        "per_type": {
            t: {"n": c.gold, "detected": c.gold_found, "any_type": c.gold_found_any}
            for t, c in ev_scores.items()
        },
        "per_transform": per_transform,
        "missed": missed,
    }

    # NER set: PERSON only; findings on LOC place names are not scored.
    ner = scanned["ner"]
    ner_scores = score_spans(ner, preds, ["PERSON"])
    address_on_loc = address_elsewhere = 0
    for s in ner:
        locs = s.meta.get("loc", [])
        for p in preds.get(s.id, []):
            if p.type != "ADDRESS":
                continue
            if any(overlaps(p.start, p.end, a, b) for a, b in locs):
                address_on_loc += 1
            else:
                address_elsewhere += 1
    out["ner"] = {
        "sentences": len(ner),
        "person": ner_scores["PERSON"].to_json(),
        "blocked_sentences": sum(run.blocked(s.id) for s in ner),
        "address_findings_on_loc_ignored": address_on_loc,
        "address_findings_elsewhere": address_elsewhere,
    }

    # Public municipal text: false blocks (bench/guard_eval/public_eval.py).
    out["public"] = blocked_figures(
        scanned.get("public", []), {k: r.action for k, r in run.records.items()}
    )

    # Latency.
    every = [s for v in scanned.values() for s in v]
    short = [run.records[s.id].ms for s in every if len(s.text) <= SHORT_TEXT]
    out["latency_ms"] = latency_summary(short)
    out["latency_ms_all_lengths"] = latency_summary([run.records[s.id].ms for s in every])
    cpu = [
        cpu_ms
        for s in every
        if len(s.text) <= SHORT_TEXT and (cpu_ms := run.records[s.id].cpu_ms) is not None
    ]
    if cpu:
        out["cpu_ms"] = latency_summary(cpu)
    return out


def latency_on(run: SystemRun, ids: Iterable[str], texts: Mapping[str, str]) -> dict[str, float]:
    return latency_summary(
        [run.records[i].ms for i in ids if i in run.records and len(texts[i]) <= SHORT_TEXT]
    )


# -- report ------------------------------------------------------------------------------


def f3(x: float | None) -> str:
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.3f}"


def pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f} %"


def ms(x: float) -> str:
    return "—" if math.isnan(x) else (f"{x:.2f}" if x < 10 else f"{x:.0f}")


def check(ok: bool | None) -> str:
    return "—" if ok is None else ("✅" if ok else "❌")


def render_report(report: dict[str, Any], out: TextIO) -> None:
    y = report["yakuba"]
    b = report.get("baseline")
    by = report.get("yakuba_on_baseline_subset")
    cfg = report["config"]
    w = out.write
    w(f"# Guard benchmark — seed {cfg['seed']}, {cfg['sizes']['pii']} PII prompts\n\n")
    w(
        f"{report['started']} · {report['machine']['cpu']} · {report['machine']['cpus']} CPUs · "
        f"Python {report['machine']['python']} · load average at start "
        f"{report['machine']['loadavg_start']}, at end {report['machine']['loadavg_end']}\n\n"
    )
    w(
        f"Sets: {cfg['sizes']['pii']} PII prompts ({cfg['gold_spans']} gold spans, 7 categories), "
        f"{cfg['sizes']['clean']} PII-free texts, {y['evasion']['n']} evasion variants, "
        f"{y['ner']['sentences']} NER sentences. "
        f"Yakuba recognisers: {', '.join(y.get('recognizers', [])) or '?'}. "
        f"Deny-list: {cfg['denylist']}.\n"
    )
    if b is not None:
        w(
            f"Baseline (Presidio {cfg['baseline_versions'].get('presidio-analyzer', '?')} defaults + "
            f"ja_ginza {cfg['baseline_versions'].get('ja-ginza', '?')}) on an even subset: "
            f"{cfg['baseline_subset']} texts. Baseline findings mapped: "
            f"PERSON, LOCATION→ADDRESS, PHONE_NUMBER, EMAIL_ADDRESS, CREDIT_CARD, IBAN_CODE→BANK_ACCOUNT"
            f"{', DENYLIST_TERM (deny_list recogniser)' if cfg['denylist_scored'] else ''}; "
            f"unmapped ones ignored: {b.get('unmapped_findings', {})}.\n"
        )
    w("\n## Per entity type (PII prompts; span overlap with the same type)\n\n")
    head = "| type | gold | Yakuba P | R | F1 | R any type | target |"
    sep = "|---|---:|---:|---:|---:|---:|---|"
    if b is not None:
        head += " Yakuba F1 (subset) | baseline gold | P | R | F1 |"
        sep += "---:|---:|---:|---:|---:|"
    w(head + "\n" + sep + "\n")
    for t in report["types"]:
        c = y["per_type"][t]
        target, ok = _target(t, c)
        row = (
            f"| {t} | {c['gold']} | {f3(c['precision'])} | {f3(c['recall'])} | {f3(c['f1'])} | "
            f"{f3(c['recall_any_type'])} | {target} {check(ok)} |"
        )
        if b is not None and by is not None:
            cb = b["per_type"][t]
            row += (
                f" {f3(by['per_type'][t]['f1'])} | {cb['gold']} | {f3(cb['precision'])} | "
                f"{f3(cb['recall'])} | {f3(cb['f1'])} |"
            )
        w(row + "\n")
    m = y["micro"]
    row = f"| **all (micro)** | {sum(y['per_type'][t]['gold'] for t in report['types'])} | {f3(m['precision'])} | {f3(m['recall'])} | {f3(m['f1'])} | {f3(m['recall_any_type'])} | |"
    if b is not None and by is not None:
        row += f" {f3(by['micro']['f1'])} | | {f3(b['micro']['precision'])} | {f3(b['micro']['recall'])} | {f3(b['micro']['f1'])} |"
    w(row + "\n")
    if not report["config"]["denylist_scored"]:
        w("\nDENYLIST_TERM not scored: build_guard() takes no deny-list argument yet.\n")

    w("\n## Prompt level\n\n| | Yakuba | baseline |\n|---|---:|---:|\n")
    yp = y["pii_prompts"]
    bp = b["pii_prompts"] if b else None
    w(
        f"| PII prompts blocked | {yp['blocked']}/{yp['n']} ({pct(yp['block_rate'])}) | "
        f"{_frac(bp, 'blocked', 'n', 'block_rate')} |\n"
    )
    yc, bc = y["clean"], (b["clean"] if b else None)
    w(
        f"| PII-free texts blocked | {yc['blocked']}/{yc['n']} (**{yc['per_200']:.2f} per 200**, target ≤ 1 {check(yc['per_200'] <= 1)}) | "
        + (f"{bc['blocked']}/{bc['n']} ({bc['per_200']:.1f} per 200) |" if bc else "— |")
        + "\n"
    )
    for src in ("laws", "faq", "prompts"):
        ys = yc["by_source"].get(src, {"n": 0, "blocked": 0})
        bs = bc["by_source"].get(src, {"n": 0, "blocked": 0}) if bc else None
        w(
            f"| … of which {src} | {ys['blocked']}/{ys['n']} | "
            + (f"{bs['blocked']}/{bs['n']} |" if bs else "— |")
            + "\n"
        )
    w(f"| scan errors / timeouts (fail closed) | {yp['errors'] + yc['errors']} | — |\n")
    if yc["finding_types"]:
        w(f"\nYakuba findings on PII-free text by type: {yc['finding_types']}\n")
    if yc["examples"]:
        w("\nFalse blocks (first few):\n\n")
        for e in yc["examples"][:6]:
            found = ", ".join(f"{f['type']} 「{f['text']}」" for f in e["findings"])
            w(f"- `{e['id']}`: {found}\n")

    w("\n## Evasion suite (value still detected as its own type)\n\n")
    ye, be = y["evasion"], (b["evasion"] if b else None)
    w(
        f"Yakuba: **{pct(ye['detected_rate'])}** of {ye['n']} (target 100 % {check(ye['detected_rate'] == 1.0)}); "
        f"any type {pct(ye['detected_any_type_rate'])}; prompts blocked {ye['blocked']}/{ye['n']}."
    )
    if be:
        w(
            f" Baseline: {pct(be['detected_rate'])} of {be['n']} (any type {pct(be['detected_any_type_rate'])})."
        )
    w(
        "\n\n| transform | n | Yakuba detected |"
        + (" baseline |" if be else "")
        + "\n|---|---:|---:|"
        + ("---:|" if be else "")
        + "\n"
    )
    for tr, c in sorted(ye["per_transform"].items()):
        row = f"| {tr} | {c['n']} | {pct(_ratio(c['detected'], c['n']))} |"
        if be:
            cb = be["per_transform"].get(tr)
            row += f" {pct(_ratio(cb['detected'], cb['n'])) if cb else '—'} |"
        w(row + "\n")
    w("\n| type | n | Yakuba detected | any type |\n|---|---:|---:|---:|\n")
    for t, c in ye["per_type"].items():
        w(
            f"| {t} | {c['n']} | {pct(_ratio(c['detected'], c['n']))} | {pct(_ratio(c['any_type'], c['n']))} |\n"
        )

    w("\n## NER set (Wikinews, public figures; PSN → PERSON, LOC ignored)\n\n")
    yn = y["ner"]
    w(
        "| system | sentences | PERSON gold | P | R | F1 | sentences blocked |\n|---|---:|---:|---:|---:|---:|---:|\n"
    )
    for name, n in (("Yakuba", yn), ("baseline", b["ner"] if b else None)):
        if n is None:
            continue
        pp = n["person"]
        w(
            f"| {name} | {n['sentences']} | {pp['gold']} | {f3(pp['precision'])} | {f3(pp['recall'])} | "
            f"{f3(pp['f1'])} | {n['blocked_sentences']} |\n"
        )
    w(
        f"\nYakuba ADDRESS findings on LOC place names (ignored): {yn['address_findings_on_loc_ignored']}, "
        f"elsewhere: {yn['address_findings_elsewhere']}.\n"
    )

    render_public(y["public"], report.get("public_ingest"), out)

    w(f"\n## Latency (ms per scan, texts ≤ {SHORT_TEXT} characters, one core each)\n\n")
    w(
        "| system | texts | p50 | p95 | p99 | mean | max | build (s) |\n|---|---:|---:|---:|---:|---:|---:|---:|\n"
    )
    rows: list[tuple[str, dict[str, float], float]] = [
        ("Yakuba (all sets)", y["latency_ms"], y["build_s"])
    ]
    if b is not None and report.get("latency_subset"):
        rows.append(("Yakuba (baseline subset)", report["latency_subset"]["yakuba"], y["build_s"]))
        rows.append(
            ("Presidio + GiNZA (subset)", report["latency_subset"]["baseline"], b["build_s"])
        )
    for name, lat, build in rows:
        w(
            f"| {name} | {int(lat['n'])} | {ms(lat['p50'])} | {ms(lat['p95'])} | {ms(lat['p99'])} | "
            f"{ms(lat['mean'])} | {ms(lat['max'])} | {build:.2f} |\n"
        )
    if y.get("cpu_ms"):
        c = y["cpu_ms"]
        w(
            f"| Yakuba, CPU time per scan | {int(c['n'])} | {ms(c['p50'])} | {ms(c['p95'])} | "
            f"{ms(c['p99'])} | {ms(c['mean'])} | {ms(c['max'])} | |\n"
        )
    lat = y["latency_ms"]
    w(f"\nTargets: p50 ≤ 5 ms {check(lat['p50'] <= 5)}, p99 ≤ 25 ms {check(lat['p99'] <= 25)}")
    if report.get("latency_subset"):
        r = report["latency_subset"]
        w(
            f", ≥ 20× faster than the baseline: p50 ratio **{r['ratio_p50']:.0f}×**, "
            f"mean ratio {r['ratio_mean']:.0f}× {check(r['ratio_p50'] >= 20)}"
        )
    w(".\n")
    w(
        f"\nBuild: Yakuba's column is `build_guard()` (Sudachi dictionary, recognisers, warm-up "
        f"scan); `import guardrails` took a further {y.get('import_s', math.nan):.2f} s. The "
        "baseline's column includes importing Presidio/spaCy and loading ja_ginza.\n"
    )
    w(
        "\nNotes: latency is wall time of `Guard.scan` (incl. its worker-thread hand-off) and of "
        "`AnalyzerEngine.analyze`; the two systems run concurrently, each pinned to its own CPU; "
        "other processes on the machine add noise (see load average). The CPU-time row is the "
        "process's CPU time during each Yakuba scan (`time.process_time`, one core, one scan at "
        "a time), which waiting for a busy core does not inflate.\n"
    )
    render_residents(report["residents"], w)
    render_fresh_public(report["public_fresh"], w)
    w(f"\nFull figures, misses and false positives: `{report['json_path']}`\n")


def _frac(c: Mapping[str, Any] | None, num: str, den: str, rate: str) -> str:
    if c is None:
        return "—"
    return f"{c[num]}/{c[den]} ({pct(c[rate])})"


def _target(t: str, c: Mapping[str, Any]) -> tuple[str, bool | None]:
    if t in STRUCTURED:
        if c["gold"] == 0:
            return "R≥.99 P≥.98", None
        ok = (c["recall"] or 0) >= 0.99 and (c["precision"] or 0) >= 0.98
        return "R≥.99 P≥.98", ok
    if t in ("PERSON", "ADDRESS"):
        return "R≥.95", (c["recall"] or 0) >= 0.95 if c["gold"] else None
    return "", None


# -- main ------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Benchmark of the guard against Presidio+GiNZA (see module docstring)."
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--n", type=int, default=None, help="PII prompts (default 2000, 300 with --quick)"
    )
    parser.add_argument("--no-baseline", action="store_true", help="skip Presidio+GiNZA")
    parser.add_argument("--quick", action="store_true", help="small sets, small baseline subset")
    parser.add_argument(
        "--baseline-per-set",
        type=int,
        default=350,
        help="texts per set (PII/clean/evasion/NER) the ~200 ms/text baseline scans (default 350)",
    )
    add_learned_switches(parser)
    args = parser.parse_args(argv)
    if args.no_name_tagger or args.no_public_document:
        from bench.guard_eval.recall_set import city_policy

        global POLICY_PATH
        POLICY_PATH = city_policy(
            Path(tempfile.mkdtemp()),
            [],
            tagger=not args.no_name_tagger,
            public_document=not args.no_public_document,
        )
    args.n_given = args.n is not None
    if args.n is None:
        args.n = 2000
    sizes = sizes_for(args)
    started = dt.datetime.now().astimezone()
    load_start = os.getloadavg()

    mine, other = pin_cpus()
    log(f"pinned to CPU {mine}; baseline CPU {other}")

    label = f"guard-seed{args.seed}-n{sizes.pii}" + ("-quick" if args.quick else "")
    workdir = OUT_DIR / label
    workdir.mkdir(parents=True, exist_ok=True)

    log("generating the evaluation set")
    terms = make_denylist(args.seed)
    sets: dict[str, list[Sample]] = {
        "pii": generate_pii_prompts(args.seed, sizes.pii, terms),
        "clean": generate_clean_texts(args.seed, sizes.clean),
        "evasion": generate_evasion_suite(args.seed, sizes.evasion),
        "ner": load_ner_samples(NER_PATH, sizes.ner),
        "residents": generate_residents(args.seed)
        + generate_fresh_residents(args.seed)
        + generate_fresh_residents(args.seed, 4, FRESH2),
        "public_ml": generate_public_multilingual(args.seed),
        "public_fresh": generate_fresh_public(args.seed)
        + generate_fresh_public(args.seed, 6, FRESH2),
        "public": generate_public_texts(args.seed, sizes.public),
    }
    for name, samples in sets.items():
        write_jsonl(workdir / f"{name}.jsonl", (s.to_json() for s in samples))
    log(", ".join(f"{k}: {len(v)}" for k, v in sets.items()) + f" → {rel(workdir)}")
    every = [s for v in sets.values() for s in v]
    texts = {s.id: s.text for s in every}

    # The deny-list is written for every run; whether it is scored depends on whether
    # Yakuba's build_guard() accepts one (the baseline's DENYLIST_TERM findings are
    # dropped otherwise, so both systems are scored on the same types).
    denylist_file = workdir / "denylist.txt"
    denylist_file.write_text("\n".join(terms) + "\n", encoding="utf-8")
    job: BaselineJob | None = None
    subset: list[Sample] = []
    python: Path | None = None
    if not args.no_baseline:
        python = ensure_baseline_venv()
        subset = [s for v in sets.values() for s in evenly(v, sizes.baseline_per_set)]
        if other is not None and other != mine:
            # Two CPUs: the baseline runs concurrently on the other one.
            job = start_baseline(python, subset, other, denylist_file, workdir)

    log("Yakuba: importing guardrails, building the guard and scanning")
    t0 = time.perf_counter()
    import guardrails

    import_s = time.perf_counter() - t0
    yakuba = run_yakuba(every, terms, workdir)
    yakuba.info["import_s"] = import_s
    denylist_scored = (
        _denylist_argument(guardrails.build_guard) is not None
        and yakuba.info.get("denylist") is not None
    )

    log("public set: ingest policy, public register, residents' values judged public")
    public_ingest = ingest_and_register(sets["public"], sets["pii"], log, denylist_file)

    if python is not None and job is None:  # one CPU: the baseline runs afterwards
        job = start_baseline(python, subset, other, denylist_file, workdir)
    types = [t for t in ENTITY_TYPES if denylist_scored or t != "DENYLIST_TERM"]
    baseline = finish_baseline(job, types) if job is not None else None

    report: dict[str, Any] = {
        "started": started.isoformat(timespec="seconds"),
        "command": " ".join([".venv/bin/python", "bench/guard.py", *(argv or sys.argv[1:])]),
        "machine": {
            "cpu": cpu_model(),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "loadavg_start": [round(x, 2) for x in load_start],
            "loadavg_end": [round(x, 2) for x in os.getloadavg()],
            "yakuba_cpu": mine,
            "baseline_cpu": other,
        },
        "config": {
            "seed": args.seed,
            "sizes": {"pii": sizes.pii, "clean": sizes.clean, "evasion": sizes.evasion},
            "gold_spans": sum(len(s.spans) for s in sets["pii"]),
            "gold_per_type": dict(Counter(g.type for s in sets["pii"] for g in s.spans)),
            "denylist": yakuba.info.get("denylist")
            or "build_guard() has no deny-list argument — DENYLIST_TERM skipped",
            "denylist_terms": terms,
            "denylist_scored": denylist_scored,
            "baseline_subset": len(subset),
            "baseline_versions": baseline.info.get("versions", {}) if baseline else {},
            "data_dir": rel(workdir),
        },
        "types": types,
        "public_ingest": public_ingest,
        "yakuba": evaluate(yakuba, sets, types)
        | {
            "recognizers": yakuba.info["recognizers"],
            "entities": yakuba.info["entities"],
            "import_s": yakuba.info["import_s"],
        },
    }
    report["residents"] = evaluate_residents(
        sets["residents"], sets["public_ml"], yakuba.preds(), yakuba.blocked
    )
    report["public_fresh"] = evaluate_fresh_public(
        sets["public_fresh"], yakuba.preds(), yakuba.blocked
    )
    if baseline is not None:
        subset_ids = {s.id for s in subset}
        sub_sets = {k: [s for s in v if s.id in subset_ids] for k, v in sets.items()}
        report["baseline"] = evaluate(baseline, sub_sets, types) | {
            "unmapped_findings": baseline.info.get("unmapped_findings", {}),
            "recognizers": baseline.info.get("recognizers", []),
        }
        y_sub = SystemRun("Yakuba", {k: v for k, v in yakuba.records.items() if k in subset_ids})
        y_sub.build_s = yakuba.build_s
        report["yakuba_on_baseline_subset"] = evaluate(y_sub, sub_sets, types)
        ly = latency_on(yakuba, subset_ids, texts)
        lb = latency_on(baseline, subset_ids, texts)
        report["latency_subset"] = {
            "yakuba": ly,
            "baseline": lb,
            "ratio_p50": lb["p50"] / ly["p50"],
            "ratio_mean": lb["mean"] / ly["mean"],
        }
    stamp = started.strftime("%Y%m%d-%H%M%S")
    json_path = OUT_DIR / f"{label}-{stamp}.json"
    report["json_path"] = rel(json_path)
    json_path.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    log(f"wrote {rel(json_path)}")
    render_report(report, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
