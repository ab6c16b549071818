"""Knowledge-base throughput: index the bundled laws, re-run, and search a 100k-chunk index.

    .venv/bin/python bench/ingest_speed.py [--points 100000] [--queries 200]

1. the seven laws in samples/laws (~660k characters) indexed from scratch, then re-run
   with nothing changed (issue targets: ≤ 120 s and ≤ 5 s on 2 cores);
2. a synthetic index of N chunks — sparse vectors from real law sentences recombined,
   dense vectors random unit vectors (latency does not depend on what they mean) —
   queried with real Japanese questions through the full path (USE query embedding +
   Sudachi BM25 + hybrid RRF in the embedded Qdrant engine); each chunk carries three
   dense vectors, as a chunk with lead-sentence views does; p50/p95 per query and the
   process's peak RSS (targets: p50 ≤ 20 ms, p95 ≤ 50 ms, ≤ 2 GiB).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from ingest import Chunk, DocType, EdgeIndex, KnowledgeBase, SudachiBm25, UseEmbedder, load_chunks
from ingest._embedding import LEAD_SENTENCES
from ingest._index.base import IndexedChunk

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._queries import QUESTIONS, pct  # noqa: E402

LAWS = ROOT / "samples" / "laws"
VIEWS = 1 + LEAD_SENTENCES


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_laws(embedder: UseEmbedder) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        kb = KnowledgeBase(EdgeIndex(Path(tmp) / "index"), embedder)
        t0 = time.perf_counter()
        report = kb.ingest([LAWS])
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        kb.ingest([LAWS])
        again = time.perf_counter() - t0
        kb.close()
    return first, again, report.chunks


def synthetic_texts(n: int, rng: random.Random) -> list[str]:
    sentences: list[str] = []
    for path in sorted(LAWS.glob("*.txt")):
        for chunk in load_chunks(path, source=path.name):
            sentences.extend(s + "。" for s in chunk.text.split("。") if len(s) > 10)
    return ["".join(rng.sample(sentences, 3)) for _ in range(n)]


def bench_search(points: int, queries: int, embedder: UseEmbedder) -> dict[str, float]:
    rng = random.Random(7)
    np_rng = np.random.default_rng(7)
    sparse = SudachiBm25()
    t0 = time.perf_counter()
    texts = synthetic_texts(points, rng)
    with tempfile.TemporaryDirectory() as tmp:
        index = EdgeIndex(Path(tmp) / "index")
        index.ensure(embedder.dimension)
        per_doc = 100
        for d in range(0, points, per_doc):
            batch = texts[d : d + per_doc]
            # Three vectors per chunk: the whole chunk and its two lead sentences.
            dense = np_rng.normal(size=(len(batch), VIEWS, embedder.dimension)).astype(np.float32)
            dense /= np.linalg.norm(dense, axis=2, keepdims=True)
            source = f"synthetic/{d // per_doc:05d}.txt"
            index.replace_document(
                source,
                [
                    IndexedChunk(
                        chunk=Chunk(
                            source=source,
                            title="合成",
                            locator=f"第{i + 1}条",
                            text=t,
                            doc_type=DocType.LAW,
                            ordinal=i,
                        ),
                        dense=dense[i].tolist(),
                        sparse=sparse.embed_document(t),
                        doc_hash=f"h{d}",
                        doc_chunks=len(batch),
                    )
                    for i, t in enumerate(batch)
                ],
            )
        build_s = time.perf_counter() - t0
        # What KnowledgeBase.ingest does after writing: segments past the indexing
        # threshold get their HNSW graph.
        t0 = time.perf_counter()
        index.optimize()
        optimize_s = time.perf_counter() - t0
        kb = KnowledgeBase(index, embedder, sparse)
        for q in QUESTIONS:
            kb.search(q)
        timings = []
        for i in range(queries):
            t1 = time.perf_counter()
            kb.search(QUESTIONS[i % len(QUESTIONS)], k=10)
            timings.append((time.perf_counter() - t1) * 1000)
        count = index.count()
        kb.close()
    return {
        "points": count,
        "build_s": build_s,
        "optimize_s": optimize_s,
        "p50": statistics.median(timings),
        "p95": pct(timings, 0.95),
        "rss": peak_rss_mib(),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--skip-laws", action="store_true")
    args = parser.parse_args()
    embedder = UseEmbedder()

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print("| measure | value | target |\n|---|---|---|")
    if not args.skip_laws:
        first, again, chunks = bench_laws(embedder)
        print(f"| index 7 laws from scratch ({chunks:,} chunks) | {first:.1f} s | ≤ 120 s |")
        print(f"| re-run, nothing changed | {again:.2f} s | ≤ 5 s |")
    s = bench_search(args.points, args.queries, embedder)
    print(f"| synthetic index build ({s['points']:,.0f} chunks) | {s['build_s']:.0f} s | — |")
    print(f"| index optimize (HNSW graph) | {s['optimize_s']:.0f} s | — |")
    print(f"| hybrid query incl. embedding, p50 | {s['p50']:.1f} ms | ≤ 20 ms |")
    print(f"| hybrid query incl. embedding, p95 | {s['p95']:.1f} ms | ≤ 50 ms |")
    print(f"| peak RSS of the process | {s['rss']:,.0f} MiB | ≤ 2048 MiB |")


if __name__ == "__main__":
    main()
