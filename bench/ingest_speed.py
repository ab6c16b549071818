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
import json
import os
import platform
import random
import resource
import select
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
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


def rss_now(pid: int | str = "self") -> dict[str, float]:
    """VmRSS and its parts (RssAnon, RssFile, RssShmem) in MiB (Linux)."""
    out: dict[str, float] = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "RssAnon", "RssFile", "RssShmem"):
                out[key] = int(value.split()[0]) / 1024
    return out


def sample_rss(pid: int) -> None:
    """The sampler process: the highest VmRSS of `pid` with its split, every 20 ms, until
    stdin closes; then that peak as JSON on stdout. A process, not a thread: a sampling
    thread saw only 965 MiB of a 1,266 MiB peak (it does not get to run while the engine
    optimizes)."""
    peak = rss_now(pid)
    while not select.select([sys.stdin], [], [], 0.02)[0]:
        now = rss_now(pid)
        if now["VmRSS"] > peak["VmRSS"]:
            peak = now
    print(json.dumps(peak))


class RssSampler:
    """Runs `sample_rss` on this process in a child process."""

    def __init__(self) -> None:
        self._child = subprocess.Popen(
            [sys.executable, __file__, "--sample-rss", str(os.getpid())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def stop(self) -> dict[str, float]:
        out, _ = self._child.communicate("")
        peak: dict[str, float] = json.loads(out)
        return peak


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


def law_sentences() -> list[str]:
    sentences: list[str] = []
    for path in sorted(LAWS.glob("*.txt")):
        for chunk in load_chunks(path, source=path.name):
            sentences.extend(s + "。" for s in chunk.text.split("。") if len(s) > 10)
    return sentences


def synthetic_documents(n: int, per_doc: int, rng: random.Random) -> Iterator[list[str]]:
    """One document's chunk texts at a time, as `yakuba ingest` holds one file at a time
    (all 100k texts in a list added ~60 MiB to the bench's RSS that ingest never has)."""
    sentences = law_sentences()
    for start in range(0, n, per_doc):
        yield ["".join(rng.sample(sentences, 3)) for _ in range(min(per_doc, n - start))]


def bench_search(points: int, queries: int, embedder: UseEmbedder) -> dict[str, float]:
    rng = random.Random(7)
    np_rng = np.random.default_rng(7)
    sparse = SudachiBm25()
    sparse.embed_query(QUESTIONS[0])
    embedder.embed_query(QUESTIONS[0])
    baseline = rss_now()
    sampler = RssSampler()
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        index = EdgeIndex(Path(tmp) / "index")
        index.ensure(embedder.dimension)
        per_doc = 100
        for n, batch in enumerate(synthetic_documents(points, per_doc, rng)):
            d = n * per_doc
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
        # threshold get their HNSW graph (each full segment already got its graph while
        # being written: see EdgeIndex.replace_document).
        t0 = time.perf_counter()
        index.optimize()
        optimize_s = time.perf_counter() - t0
        after_optimize = rss_now()
        kb = KnowledgeBase(index, embedder, sparse)
        for q in QUESTIONS:
            kb.search(q)
            kb.retrieve(q)
        timings: list[float] = []
        retrieve_timings: list[float] = []
        words_timings: list[float] = []
        words = SudachiBm25(synonym_weight=0, kanji_weight=0)
        for i in range(queries):
            # Alternating: search (hybrid + key-term boost), retrieve (the same plus the
            # no-result decision: what the assistant calls), and the plain hybrid query
            # of before issue 17 (words only, no synonym or kanji terms, no boost).
            q = QUESTIONS[i % len(QUESTIONS)]
            t1 = time.perf_counter()
            kb.search(q, k=10)
            t2 = time.perf_counter()
            kb.retrieve(q, k=5)
            t3 = time.perf_counter()
            index.search(embedder.embed_query(q).tolist(), words.embed_query(q), k=10)
            t4 = time.perf_counter()
            timings.append((t2 - t1) * 1000)
            retrieve_timings.append((t3 - t2) * 1000)
            words_timings.append((t4 - t3) * 1000)
        count = index.count()
        after_queries = rss_now()
        kb.close()
    peak = sampler.stop()
    return {
        "points": count,
        "build_s": build_s,
        "optimize_s": optimize_s,
        "p50": statistics.median(timings),
        "p95": pct(timings, 0.95),
        "retrieve_p50": statistics.median(retrieve_timings),
        "retrieve_p95": pct(retrieve_timings, 0.95),
        "words_p50": statistics.median(words_timings),
        "words_p95": pct(words_timings, 0.95),
        "rss": peak_rss_mib(),
        **{f"base_{k}": v for k, v in baseline.items()},
        **{f"peak_{k}": v for k, v in peak.items()},
        **{f"optimized_{k}": v for k, v in after_optimize.items()},
        **{f"queried_{k}": v for k, v in after_queries.items()},
    }


def split(s: dict[str, float], stage: str) -> str:
    return (
        f"{s[stage + '_VmRSS']:,.0f} MiB (anon {s[stage + '_RssAnon']:,.0f} + "
        f"file {s[stage + '_RssFile']:,.0f} + shmem {s[stage + '_RssShmem']:,.0f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--skip-laws", action="store_true")
    parser.add_argument("--sample-rss", type=int, metavar="PID", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sample_rss:
        sample_rss(args.sample_rss)
        return
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
    print(
        f"| synthetic index build incl. HNSW of full segments ({s['points']:,.0f} chunks) "
        f"| {s['build_s']:.0f} s | — |"
    )
    print(f"| final optimize (HNSW graph of the rest) | {s['optimize_s']:.0f} s | — |")
    print(f"| hybrid query incl. embedding, p50 | {s['p50']:.1f} ms | ≤ 20 ms |")
    print(f"| hybrid query incl. embedding, p95 | {s['p95']:.1f} ms | ≤ 50 ms |")
    print(
        "| retrieve (hybrid + no-result decision) incl. embedding, p50 / p95 |"
        f" {s['retrieve_p50']:.1f} / {s['retrieve_p95']:.1f} ms | ≤ 20 / ≤ 50 ms |"
    )
    print(
        "| for comparison: words-only hybrid query (no synonym or kanji terms, no boost)"
        f" incl. embedding, p50 / p95 | {s['words_p50']:.1f} / {s['words_p95']:.1f} ms | — |"
    )
    print(f"| RSS before the build (USE model, Sudachi) | {split(s, 'base')} | — |")
    print(f"| RSS after the optimize | {split(s, 'optimized')} | — |")
    print(f"| RSS after the queries | {split(s, 'queried')} | — |")
    print(f"| peak RSS, sampled every 20 ms | {split(s, 'peak')} | ≤ 2048 MiB |")
    print(f"| peak RSS of the process (ru_maxrss) | {s['rss']:,.0f} MiB | ≤ 2048 MiB |")


if __name__ == "__main__":
    main()
