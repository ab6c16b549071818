"""Over-blocking of the input guard's assembled check on real multi-unit input.

    .venv/bin/python bench/split_blocks.py [--limit N]

The input guard refuses a request whose units together hold personal data that no unit
holds alone (service.pipeline.input_guard, split_values). Real work puts several texts
in one request, full of numbers: a legal question and its answer choices (a task's two
fields), consecutive questions of one thread, rows of a public facility table pasted (every window
of three, sliding by one)
over several chat messages. None of that is a person's data, so every refusal of the
assembled check here is a false block. Data, bundled in bench/guard_eval/data/ (see its
README): lawqa_jp (デジタル庁, PDL 1.0) and 焼津市's open facility lists (PDL 1.0).

Prints, per kind of input: requests, refused by a unit scan, refused only by the
assembled check (false blocks), and the split numbers found.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from guardrails import build_guard  # noqa: E402
from service.audit import AuditEntry, AuditStatus, Channel  # noqa: E402
from service.pipeline.contracts import RequestContext  # noqa: E402
from service.pipeline.fields import InputField  # noqa: E402
from service.pipeline.input_guard import InputGuard, Refused  # noqa: E402
from service.pipeline.split_values import find_split_numbers  # noqa: E402
from service.purpose import PurposePolicy  # noqa: E402

DATA = Path(__file__).resolve().parent / "guard_eval" / "data"
CTX = RequestContext(user="bench")


def lawqa() -> list[dict[str, str]]:
    selection = json.loads((DATA / "lawqa_choices.json").read_text("utf-8"))
    samples: list[dict[str, str]] = selection["samples"]
    return samples


def task_fields(limit: int) -> list[list[str]]:
    return [[s["問題文"], s["選択肢"]] for s in lawqa()[:limit]]


def thread_turns(limit: int) -> list[list[str]]:
    questions = [s["問題文"] for s in lawqa()]
    return [questions[i : i + 3] for i in range(0, min(limit, len(questions) - 2))]


def table_rows(limit: int) -> list[list[str]]:
    rows: list[str] = []
    for path in sorted((DATA / "yaizu").glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows += [",".join(r) for r in csv.reader(f)][1:]
    return [rows[i : i + 3] for i in range(0, min(limit, len(rows) - 2))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=300, help="requests per kind")
    args = parser.parse_args()
    guard = build_guard()
    screen = InputGuard(guard, PurposePolicy())
    print(
        "| input | requests | refused by a unit | refused only together (false blocks) | split numbers found | ms / request |"
    )
    print("|---|---|---|---|---|---|")
    kinds = {
        "lawqa_jp question + choices (task fields)": task_fields(args.limit),
        "lawqa_jp 3 questions (thread turns)": thread_turns(args.limit),
        "焼津市 facility rows, 3 per request (chat messages)": table_rows(args.limit),
    }
    for name, requests in kinds.items():
        unit_refused = together = split = 0
        started = time.perf_counter()
        for units in requests:
            fields = [InputField(f"u{i}", f"入力{i}", t, 10**6, False) for i, t in enumerate(units)]
            entry = AuditEntry(
                request_id="b", user="bench", channel=Channel.CLI, task="bench",
                status=AuditStatus.FAILED, prompt="",
            )  # fmt: skip
            verdict = screen.screen(entry, 0.0, CTX, fields)
            split += len(find_split_numbers(units))
            if isinstance(verdict, Refused):
                if verdict.message.startswith("複数の入力"):
                    together += 1
                else:
                    unit_refused += 1
        ms = 1000 * (time.perf_counter() - started) / max(1, len(requests))
        print(f"| {name} | {len(requests)} | {unit_refused} | {together} | {split} | {ms:.1f} |")


if __name__ == "__main__":
    main()
