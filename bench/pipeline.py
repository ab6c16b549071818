"""End-to-end timings on the bundled laws: ingest from scratch, re-ingest, search, ask.

    .venv/bin/python bench/pipeline.py [--queries 50]

Prints a Markdown table; copy it into bench/RESULTS.md with the machine and date.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, this folder comes first on sys.path, and bench/service.py would shadow
# the service package: the repository root takes its place.
sys.path[0] = str(ROOT)

from bench._queries import QUESTIONS, pct  # noqa: E402
from service.pipeline.contracts import RequestContext  # noqa: E402
from service.runtime import Runtime  # noqa: E402
from service.settings import Settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=50)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp))
        runtime = Runtime(settings)
        corpus = ROOT / "samples" / "laws"
        chars = sum(len(p.read_text(encoding="utf-8")) for p in corpus.glob("*.txt"))

        kb = runtime.knowledge_base  # loads the models before the clock starts
        t0, c0 = time.perf_counter(), time.process_time()
        report = kb.ingest([corpus])
        ingest_s = time.perf_counter() - t0
        # CPU time of this process: what the ingest costs when it has a core to itself
        # (the embedding uses one BLAS thread), whatever else shares the machine.
        ingest_cpu_s = time.process_time() - c0
        t0 = time.perf_counter()
        runtime.knowledge_base.ingest([corpus])
        reingest_s = time.perf_counter() - t0

        kb.search("ウォームアップ")
        search_ms = []
        for i in range(args.queries):
            t0 = time.perf_counter()
            kb.search(QUESTIONS[i % len(QUESTIONS)], k=10)
            search_ms.append((time.perf_counter() - t0) * 1000)

        ctx = RequestContext(user="bench")
        runtime.assistant.ask(QUESTIONS[0], ctx)
        ask_ms = []
        for i in range(args.queries):
            t0 = time.perf_counter()
            runtime.assistant.ask(QUESTIONS[i % len(QUESTIONS)], ctx)
            ask_ms.append((time.perf_counter() - t0) * 1000)
        top = runtime.assistant.ask(QUESTIONS[0], ctx).citations[0]
        runtime.close()

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print("| measure | value |\n|---|---|")
    print(f"| corpus | 7 laws, {chars:,} characters, {report.chunks:,} chunks |")
    print(f"| ingest from scratch, wall (CPU) | {ingest_s:.1f} s ({ingest_cpu_s:.1f} s) |")
    print(f"| load average at the end | {os.getloadavg()[0]:.1f} |")
    print(f"| re-ingest, nothing changed | {reingest_s:.2f} s |")
    print(
        f"| hybrid search k=10 (incl. query embedding), p50 / p95 | {statistics.median(search_ms):.1f} / {pct(search_ms, 0.95):.1f} ms |"
    )
    print(
        f"| ask, extractive (guard + search + audit), p50 / p95 | {statistics.median(ask_ms):.1f} / {pct(ask_ms, 0.95):.1f} ms |"
    )
    print(f"| top citation for the demo question | {top.label} |")


if __name__ == "__main__":
    main()
