"""The public register on real data: 焼津市's twelve facility lists (credit 焼津市,
bench/guard_eval/data/yaizu) ingested as `yakuba ingest` does, then staff prompts that
quote the lists' addresses and phone numbers, and residents' prompts, scanned before the
ingest, after it, and after an administrator revoked the values.

    .venv/bin/python bench/register.py [--seed 7] [--public 600]

Prints a Markdown report (progress on stderr) and writes bench/out/register.json:

* harvested entries by kind, and the ingest's file statuses;
* blocked share per prompt group and phase (before / after ingest / after revocation);
* guard latency on the same texts (≤ 400 characters) with the filled register and with an
  empty one, interleaved text by text in one process pinned to one CPU.

The staff prompts carry no organisation word next to the value (「折り返しは054-…へ」,
「集合場所は静岡県焼津市…です」): only the register can tell that the value is public. The
residents' prompts use addresses next to the facilities' (another house number) and
numbers that are not in the lists, with and without a name.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import csv  # noqa: E402
import datetime as dt  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import NamedTuple  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
# First: bench/service.py would shadow the service package.
sys.path.insert(0, str(ROOT))

from bench.guard_eval.metrics import latency_summary  # noqa: E402
from bench.guard_eval.public_texts import generate_public_texts  # noqa: E402

YAIZU = ROOT / "bench" / "guard_eval" / "data" / "yaizu"
OUT = ROOT / "bench" / "out"
MAX_CHARS = 400
# Synthetic residents (nobody's data).
NAMES = ["山田花子", "佐藤一郎", "鈴木美咲", "高橋健太", "Maria Santos", "Nguyen Van An"]


def log(message: str) -> None:
    print(f"[register] {message}", file=sys.stderr, flush=True)


class Facility(NamedTuple):
    """One row of a facility list, as published."""

    name: str
    address: str
    phone: str


def facilities() -> list[Facility]:
    rows: list[Facility] = []
    for path in sorted(YAIZU.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                rows.append(
                    Facility(
                        (row.get("名称") or "").strip(),
                        (row.get("住所") or "").strip(),
                        (row.get("電話番号") or "").strip(),
                    )
                )
    return [f for f in rows if f.name and (f.address or f.phone)]


def _other_house(address: str, rng: random.Random) -> str:
    """The same street, another house: the last number moved (a resident's home)."""
    match = re.search(r"(\d+)(\D*)$", address)
    if match is None:
        return address + "-9"
    moved = int(match.group(1)) + rng.randint(3, 40)
    return address[: match.start(1)] + str(moved) + match.group(2)


def _other_number(rng: random.Random) -> str:
    return f"054-{rng.randint(600, 699)}-{rng.randint(0, 9999):04d}"


def _mobile(rng: random.Random) -> str:
    return f"090-{rng.randint(1000, 9999)}-{rng.randint(0, 9999):04d}"


def prompts(rows: list[Facility], seed: int) -> dict[str, list[str]]:
    rng = random.Random(seed)
    groups: dict[str, list[str]] = {
        "staff: phone alone": [],
        "staff: address alone": [],
        "staff: facility row quoted": [],
        "resident: home address": [],
        "resident: name + address + phone": [],
        "resident: home number": [],
        "resident beside a public facility": [],
    }
    for f in rows:
        if f.phone:
            groups["staff: phone alone"].append(
                f"折り返しは{f.phone}へお願いします、と来館者に伝える文を作ってください。"
            )
            groups["resident: home number"].append(
                f"自宅の電話 {_other_number(rng)} に明日折り返す旨のメモを整えて。"
            )
        if f.address:
            groups["staff: address alone"].append(
                f"集合場所は{f.address}です。時間に遅れないようご注意ください、という案内を作って。"
            )
            groups["resident: home address"].append(
                f"申請者の自宅は{_other_house(f.address, rng)}です。転居届の案内文を作って。"
            )
            name = rng.choice(NAMES)
            groups["resident: name + address + phone"].append(
                f"相談者 {name}（{_other_house(f.address, rng)}、{_mobile(rng)}）の相談記録を要約して。"
            )
        where = "、".join(v for v in (f.address, f.phone) if v)
        groups["staff: facility row quoted"].append(f"{f.name}（{where}）の利用案内を作って。")
        groups["resident beside a public facility"].append(
            f"{rng.choice(NAMES)}さん（携帯 {_mobile(rng)}）が{f.name}（{where}）に来館予定です。"
        )
    return groups


def blocked_share(
    scan: Callable[[str], bool], groups: dict[str, list[str]], missed: dict[str, list[str]]
) -> dict[str, list[int]]:
    """[blocked, n] per group; the staff prompts still blocked go to ``missed``."""
    out: dict[str, list[int]] = {}
    for name, texts in groups.items():
        blocked = [t for t in texts if scan(t)]
        if name.startswith("staff"):
            missed[name] = blocked
        out[name] = [len(blocked), len(texts)]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--public", type=int, default=600, help="public texts for latency")
    args = parser.parse_args(argv)
    started = dt.datetime.now(dt.UTC)
    load = os.getloadavg()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    from guardrails import PublicRegister, build_guard
    from service.register import RegisterQuery
    from service.runtime import Runtime
    from service.settings import Settings

    rows = facilities()
    groups = prompts(rows, args.seed)
    work = Path(tempfile.mkdtemp(prefix="yakuba-register-bench-"))
    settings = Settings(data_dir=work / "data", database_url=f"sqlite:///{work / 'audit.sqlite3'}")
    runtime = Runtime(settings)
    guard = runtime.guard
    result: dict[str, object] = {
        "started": started.isoformat(timespec="seconds"),
        "machine": {"cpu": platform.processor() or platform.machine(), "load": load},
        "facility_rows": len(rows),
    }
    log(f"{len(rows)} facility rows; scanning before ingest")
    missed: dict[str, list[str]] = {}
    phases = {"before ingest": blocked_share(lambda t: guard.scan(t).blocked, groups, {})}

    log("ingesting the twelve lists (yakuba ingest's path)")
    t0 = time.perf_counter()
    report = runtime.knowledge_base.ingest([YAIZU])
    ingest_s = time.perf_counter() - t0
    runtime.register_sync.refresh()
    store = runtime.register_store
    listing = store.search(RegisterQuery(), limit=1)
    result["ingest"] = {
        "seconds": round(ingest_s, 1),
        "files": dict(Counter(f.status.value for f in report.files)),
        "entries": listing.total,
        "by_kind": {k: c["active"] for k, c in listing.counts.items()},
        "distinct_values": len(guard.register),
    }
    phases["after ingest"] = blocked_share(lambda t: guard.scan(t).blocked, groups, missed)
    result["staff_blocked_after_ingest"] = missed

    log("latency: filled register vs empty, interleaved")
    empty = build_guard(register=PublicRegister())
    texts = [t for ts in groups.values() for t in ts] + [
        s.text for s in generate_public_texts(args.seed, args.public) if len(s.text) <= MAX_CHARS
    ]
    texts = [t for t in texts if len(t) <= MAX_CHARS]
    for t in texts[:50]:  # warm both
        guard.scan(t)
        empty.scan(t)
    full_ms: list[float] = []
    empty_ms: list[float] = []
    for i, t in enumerate(texts):
        order = [(guard, full_ms), (empty, empty_ms)]
        for g, sink in order if i % 2 else reversed(order):
            t1 = time.perf_counter()
            g.scan(t)
            sink.append((time.perf_counter() - t1) * 1000)
    empty.close()
    result["latency_ms"] = {
        "texts": len(texts),
        "register": latency_summary(full_ms),
        "empty": latency_summary(empty_ms),
    }

    log("revoking every address and phone number the lists published")
    revoked = 0
    for kind in ("PHONE_NUMBER", "ADDRESS"):
        while True:
            page = store.search(RegisterQuery(kind=kind, status="active"), limit=1)  # type: ignore[arg-type]
            if not page.entries:
                break
            store.revoke(page.entries[0].id, by="bench")
            revoked += 1
    runtime.register_sync.refresh()
    result["revoked_values"] = revoked
    phases["after revocation"] = blocked_share(lambda t: guard.scan(t).blocked, groups, {})
    result["phases"] = phases
    runtime.close()

    OUT.mkdir(exist_ok=True)
    (OUT / "register.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), "utf-8")
    print(render(result, phases))
    return 0


def render(result: dict[str, object], phases: dict[str, dict[str, list[int]]]) -> str:
    ingest = result["ingest"]
    assert isinstance(ingest, dict)
    lines = [
        f"Public register — bench/register.py ({result['started']}, load {result['machine']})",  # type: ignore[index]
        "",
        f"Ingest of {result['facility_rows']} facility rows: {ingest['files']}, "
        f"{ingest['seconds']} s; {ingest['entries']} entries, {ingest['distinct_values']} "
        f"distinct values; by kind {ingest['by_kind']}",
        "",
        "| prompts | n | " + " | ".join(f"blocked {p}" for p in phases) + " |",
        "|---|---|" + "---|" * len(phases),
    ]
    for group in next(iter(phases.values())):
        n = next(iter(phases.values()))[group][1]
        cells = " | ".join(str(phases[p][group][0]) for p in phases)
        lines.append(f"| {group} | {n} | {cells} |")
    latency = result["latency_ms"]
    assert isinstance(latency, dict)
    lines.append("")
    lines.append(f"Guard latency on {latency['texts']} texts ≤ {MAX_CHARS} chars, one CPU (ms):")
    for name in ("empty", "register"):
        s = latency[name]
        lines.append(
            f"- {name}: p50 {s['p50']:.2f}, p95 {s['p95']:.2f}, p99 {s['p99']:.2f}, max {s['max']:.1f}"
        )
    lines.append(f"Revoked values: {result['revoked_values']}")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
