"""Placeholders end to end: the benchmark's prompts through the real HTTP API (issue 18).

    .venv/bin/python bench/placeholders_api.py [--seed 18] [--n 600]

The prompts of bench/placeholder_eval (drafting letters to residents, summarizing case
notes, proofreading, translating letters for foreign residents and residents' own texts;
several languages; some with a マイナンバー) are sent to ``POST /v1/tasks/<task>`` of the
app (``service.main.create_app``, its own audit database, logging at DEBUG into a buffer),
whose model is the recording test server (``tests/utils/llm_server.py``). That model
answers with one line per placeholder it received, so the answer has every placeholder to
restore. Each prompt is sent twice:

1. **without** ``placeholders`` — *refused today* when the service blocks it;
2. **with** ``placeholders: true`` — *answered* unless it blocks (a マイナンバー must).

For each answered prompt the same text is planned in-process with the same guard
(``guardrails.placeholder_prompt``, a fresh mapping): the reference of what the library
replaces. Counted:

* **wiring leaks** — a resident's value that reached the model inbox, the audit database,
  the logs or ``/metrics`` although the library replaced it: the wiring's own leaks
  (target 0);
* **values the guard does not find** — a resident's value in the model inbox because no
  recogniser found it (the library leaves it as written); the guard's limit, counted per
  family as bench/placeholders.py does;
* **restored** — the caller's answer is exactly the model's answer with the library's
  restoration (every value in its placeholder's place) followed by the task's notices;
* the letter-drafting comparison: refused today vs answered with placeholders.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import logging
import os
import platform
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# First: run as a script, this folder comes first and bench/service.py would be `service`.
sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient  # noqa: E402

from bench.placeholder_eval.prompts import Prompt, generate_prompts  # noqa: E402
from guardrails import (  # noqa: E402
    Guard,
    PlaceholderMapping,
    placeholder_prompt,
    restore_placeholders,
)
from service.main import create_app  # noqa: E402
from service.observability import configure_logging  # noqa: E402
from service.settings import Settings  # noqa: E402
from tests.utils.llm_server import RecordingLLMServer, content_text  # noqa: E402

OUT = ROOT / "bench" / "out" / "placeholders_api.json"
TOKEN = re.compile(r"〈[^〈〉\s]{1,12}〉")
# The target language of a translation, by how the residents' names are written.
_TARGETS = {"en": "en", "pt": "pt", "es": "es", "vi": "vi", "vi-noacc": "vi", "ko": "ko"}
_TARGETS |= {"zh": "zh", "fil": "tl", "ja-Latn": "en", "ja": "en"}
# A value this short may be a word of the template or of another text: not searched for
# in the database and the logs (the model inbox is searched per request, for all).
_MIN_STORE_CHARS = 3


def placeholder_lines(body: Mapping[str, Any]) -> str:
    """The test model's answer: one line per placeholder of the last user message."""
    messages = body.get("messages") or []
    last = next(content_text(m["content"]) for m in reversed(messages) if m["role"] == "user")
    tokens = list(dict.fromkeys(TOKEN.findall(last)))
    return "\n".join(f"▼{t}" for t in tokens) or "（仮名なし）"


def request_body(prompt: Prompt) -> dict[str, Any]:
    if prompt.task == "draft":
        return {"kind": "通知文", "instructions": prompt.text}
    if prompt.task == "translate":
        target = "ja" if prompt.family == "translate_to_ja" else _TARGETS[prompt.lang]
        return {"text": prompt.text, "target": target}
    return {"text": prompt.text}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--n", type=int, default=600)
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    report = run(generate_prompts(seed=args.seed, n=args.n))
    report["run"] = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": f".venv/bin/python bench/placeholders_api.py --seed {args.seed} --n {args.n}",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "load": f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after",
        "seconds": round(time.perf_counter() - started, 1),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    sys.stdout.write(markdown(report))
    return 0


def run(prompts: Sequence[Prompt]) -> dict[str, Any]:
    """Every prompt through the API; the figures (see the module doc)."""
    logs = _capture_logs()
    with (
        tempfile.TemporaryDirectory(prefix="yakuba-placeholders-") as tmp,
        RecordingLLMServer(reply=placeholder_lines) as llm,
    ):
        settings = Settings(
            data_dir=Path(tmp) / "data",
            database_url=f"sqlite:///{Path(tmp) / 'audit.sqlite3'}",
            trusted_hosts="testserver",
            llm_base_url=llm.base_url,
            llm_model="test-model",
            llm_max_retries=0,
            quota_user_requests_per_day=0,
            quota_user_tokens_per_month=0,
            rate_limit_per_minute=0,
        )
        with TestClient(create_app(settings)) as client:
            guard: Guard = client.app.state.runtime.guard  # type: ignore[attr-defined]
            rows = []
            for i, prompt in enumerate(prompts, start=1):
                rows.append(_one(client, llm, guard, prompt))
                if i % 100 == 0:
                    print(f"{i}/{len(prompts)}", file=sys.stderr)
            metrics = client.get("/metrics").text
        stored = _database_text(Path(tmp) / "audit.sqlite3")
        inbox = llm.all_prompt_text()
    stores = {"database": stored, "logs": logs.getvalue(), "metrics": metrics}
    return _aggregate(prompts, rows, stores, inbox=inbox)


def _one(
    client: TestClient, llm: RecordingLLMServer, guard: Guard, prompt: Prompt
) -> dict[str, Any]:
    url = f"/v1/tasks/{prompt.task}"
    body = request_body(prompt)
    today = client.post(url, json=body).json()
    before = len(llm.chat_requests)
    started = time.perf_counter()
    response = client.post(url, json={**body, "placeholders": True})
    wall_ms = (time.perf_counter() - started) * 1e3
    out = response.json()
    inbox = "\n".join(r.prompt_text() for r in llm.chat_requests[before:])
    row: dict[str, Any] = {
        "id": prompt.id,
        "family": prompt.family,
        "refused_today": today.get("status") == "blocked",
        "answered": out.get("status") == "answered",
        "status": response.status_code,
        "sent_to_model": bool(inbox),
        "wall_ms": wall_ms,
    }
    mapping = PlaceholderMapping()
    scan = guard.scan(prompt.text)  # paid with or without placeholders: not timed
    clock = time.perf_counter(), time.process_time()
    plan = placeholder_prompt(
        prompt.text,
        scan,
        task=prompt.task,
        policy=guard.policy,
        mapping=mapping,
        rescan=guard.scan,
    )
    added = _elapsed(clock)
    row["reference_blocked"] = plan.blocked
    if plan.blocked or not row["answered"]:
        mapping.clear()
        return row
    values = [g.value for g in prompt.personal]
    row["in_inbox"] = [v for v in values if v in inbox]
    row["wiring_leaks"] = [v for v in row["in_inbox"] if v not in plan.text]
    row["sent_as_planned"] = plan.text in inbox
    reply = placeholder_lines({"messages": [{"role": "user", "content": plan.text}]})
    clock = time.perf_counter(), time.process_time()
    expected = restore_placeholders(reply, mapping, sent=plan.text).text
    wall, cpu = _elapsed(clock)
    if len(prompt.text) <= 400:
        row["added_ms"] = (added[0] + wall, added[1] + cpu)
    row["restored_ok"] = out["text"].startswith(expected + "\n\n") and "▼〈" not in out["text"]
    row["placeholders"] = len(plan.placeholders())
    row["issues"] = [i["kind"] for i in (out.get("placeholders") or {}).get("issues", [])]
    row["guarded_values"] = [v for v in values if v not in plan.text]
    mapping.clear()
    return row


def _elapsed(clock: tuple[float, float]) -> tuple[float, float]:
    """Wall and CPU milliseconds since `clock` (perf_counter, process_time)."""
    return (time.perf_counter() - clock[0]) * 1e3, (time.process_time() - clock[1]) * 1e3


def _capture_logs() -> io.StringIO:
    """The service's logs (structlog through logging) at DEBUG, into a buffer."""
    configure_logging(json_lines=True, level=logging.DEBUG)
    buffer = io.StringIO()
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(buffer)
    return buffer


def _database_text(path: Path) -> str:
    cells: list[str] = []
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                cells += [str(cell) for cell in row]
    text = "\n".join(cells)
    # JSON cells hold Japanese as \\uXXXX escapes: decoded, a value reads as itself.
    return text + "\n" + text.encode("ascii", "ignore").decode("unicode_escape", "ignore")


def _found(value: str, text: str) -> bool:
    """`value` in `text`; a Latin-script value as a word of its own (Abe, not Abeyta)."""
    if value not in text:
        return False
    if value.isascii():
        return re.search(rf"(?<![A-Za-z]){re.escape(value)}(?![A-Za-z])", text) is not None
    return True


def _aggregate(
    prompts: Sequence[Prompt],
    rows: Sequence[dict[str, Any]],
    stores: Mapping[str, str],
    *,
    inbox: str = "",
) -> dict[str, Any]:
    """`inbox`: everything the model received. A value found there (in any request: a
    surname alone may be part of another resident's name the guard missed) is the
    guard's limit, counted as such, not the wiring's."""
    answered = [r for r in rows if "in_inbox" in r]
    guarded = {v for r in answered for v in r["guarded_values"] if len(v) >= _MIN_STORE_CHARS}
    checked = {v for v in guarded if not _found(v, inbox)}
    store_leaks = {
        name: sorted(v for v in checked if _found(v, text)) for name, text in stores.items()
    }
    never = [r for r, p in zip(rows, prompts, strict=True) if p.expect_block]
    families: dict[str, dict[str, int]] = {}
    for r in rows:
        f = families.setdefault(
            r["family"],
            {"prompts": 0, "refused_today": 0, "answered": 0, "values": 0, "in_inbox": 0},
        )
        f["prompts"] += 1
        f["refused_today"] += r["refused_today"]
        f["answered"] += r["answered"]
        if "in_inbox" in r:
            f["values"] += len(r["guarded_values"]) + len(r["in_inbox"])
            f["in_inbox"] += len(r["in_inbox"])
    walls = [r["wall_ms"] for r in answered]
    added = [r["added_ms"] for r in answered if "added_ms" in r]
    return {
        "prompts": len(rows),
        "refused_today": sum(r["refused_today"] for r in rows),
        "answered": len(answered),
        "never_prompts": len(never),
        "never_refused_unsent": sum(not r["answered"] and not r["sent_to_model"] for r in never),
        "errors": sum(r["status"] != 200 for r in rows),
        "wiring_leaks_inbox": sum(len(r["wiring_leaks"]) for r in answered),
        "store_leaks": {k: len(v) for k, v in store_leaks.items()},
        "store_leak_examples": {k: v[:5] for k, v in store_leaks.items()},
        "values_checked_in_stores": len(checked),
        "sent_as_planned": sum(r["sent_as_planned"] for r in answered),
        "restored_ok": sum(r["restored_ok"] for r in answered),
        "placeholders": sum(r["placeholders"] for r in answered),
        "issues": dict(Counter(k for r in answered for k in r["issues"])),
        "values": sum(len(r["guarded_values"]) + len(r["in_inbox"]) for r in answered),
        "values_in_inbox": sum(len(r["in_inbox"]) for r in answered),
        "families": families,
        "request_ms_p50": round(statistics.median(walls), 1) if walls else None,
        "added_ms": {
            "prompts": len(added),
            "wall_p50": round(statistics.median(a[0] for a in added), 3) if added else None,
            "cpu_p50": round(statistics.median(a[1] for a in added), 3) if added else None,
            "wall_p95": round(_p95([a[0] for a in added]), 3) if added else None,
            "cpu_p95": round(_p95([a[1] for a in added]), 3) if added else None,
        },
    }


def _p95(values: Sequence[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def markdown(r: dict[str, Any]) -> str:
    def pct(a: int, b: int) -> str:
        return f"{a} / {b} ({100 * a / b:.1f} %)" if b else "0 / 0"

    lines = [
        f"prompts: {r['prompts']} (HTTP errors: {r['errors']})",
        "",
        "| measure | value |",
        "|---|---|",
        f"| refused today (without `placeholders`) | {pct(r['refused_today'], r['prompts'])} |",
        f"| answered with `placeholders: true` | {pct(r['answered'], r['prompts'])} |",
        f"| prompts with a マイナンバー refused, nothing sent | {r['never_refused_unsent']} / {r['never_prompts']} |",
        f"| model received exactly the library's placeholder text | {pct(r['sent_as_planned'], r['answered'])} |",
        f"| **wiring leaks: replaced values in the model inbox** | **{r['wiring_leaks_inbox']}** |",
        f"| **wiring leaks: in the audit database / logs / metrics** ({r['values_checked_in_stores']} values ≥ {_MIN_STORE_CHARS} chars) "
        f"| **{r['store_leaks']['database']} / {r['store_leaks']['logs']} / {r['store_leaks']['metrics']}** |",
        f"| answers restored exactly (every value in its place) | {pct(r['restored_ok'], r['answered'])} |",
        f"| residents' values in the inbox: the guard did not find them | {pct(r['values_in_inbox'], r['values'])} |",
        f"| request wall time with placeholders, p50 (test model answers at once) | {r['request_ms_p50']} ms |",
        f"| **added: placeholdering (with the rescan) + restoring, ≤ 400 chars ({r['added_ms']['prompts']} prompts), p50 wall / CPU** "
        f"| **{r['added_ms']['wall_p50']} / {r['added_ms']['cpu_p50']} ms** (p95 {r['added_ms']['wall_p95']} / {r['added_ms']['cpu_p95']}) |",
        "",
        "| family | prompts | refused today | answered with placeholders | values not found by the guard |",
        "|---|---|---|---|---|",
    ]
    for name, f in r["families"].items():
        lines.append(
            f"| {name} | {f['prompts']} | {pct(f['refused_today'], f['prompts'])} "
            f"| {pct(f['answered'], f['prompts'])} | {pct(f['in_inbox'], f['values'])} |"
        )
    run = r.get("run", {})
    if run:
        lines += [
            "",
            f"{run['date']}, {run['machine']}, load {run['load']}, {run['seconds']} s: `{run['command']}`",
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
