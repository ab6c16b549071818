"""End-to-end timings on the bundled laws: ingest from scratch, re-ingest, search, ask.

    .venv/bin/python bench/pipeline.py [--queries 50]

Prints a Markdown table; copy it into bench/RESULTS.md with the machine and date.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from service.assistant import RequestContext
from service.runtime import Runtime
from service.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
QUERIES = [
    "行政手続法で、申請に対する審査基準の公表はどう定められていますか",
    "標準処理期間とは何ですか",
    "不利益処分をする場合の聴聞の手続",
    "行政文書の開示請求の方法",
    "住民票の写しの交付請求",
    "戸籍の届出の期間",
    "一般廃棄物処理計画",
    "公文書の保存期間の延長",
    "地方公共団体の長の任期",
    "意見公募手続の期間",
]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=50)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp))
        runtime = Runtime(settings)
        corpus = ROOT / "samples" / "laws"
        chars = sum(len(p.read_text(encoding="utf-8")) for p in corpus.glob("*.txt"))

        t0 = time.perf_counter()
        report = runtime.knowledge_base.ingest([corpus])
        ingest_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        runtime.knowledge_base.ingest([corpus])
        reingest_s = time.perf_counter() - t0

        kb = runtime.knowledge_base
        kb.search("ウォームアップ")
        search_ms = []
        for i in range(args.queries):
            t0 = time.perf_counter()
            kb.search(QUERIES[i % len(QUERIES)], k=10)
            search_ms.append((time.perf_counter() - t0) * 1000)

        ctx = RequestContext(user="bench")
        runtime.assistant.ask(QUERIES[0], ctx)
        ask_ms = []
        for i in range(args.queries):
            t0 = time.perf_counter()
            runtime.assistant.ask(QUERIES[i % len(QUERIES)], ctx)
            ask_ms.append((time.perf_counter() - t0) * 1000)
        top = runtime.assistant.ask(QUERIES[0], ctx).citations[0]
        runtime.close()

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print("| measure | value |\n|---|---|")
    print(f"| corpus | 7 laws, {chars:,} characters, {report.chunks:,} chunks |")
    print(f"| ingest from scratch | {ingest_s:.1f} s |")
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
