"""The audit store under the figures issue 6 asks for.

    .venv/bin/python bench/audit.py [--rows 1000000] [--writes 2000]
        [--backends sqlite,postgresql] [--parts write,query,export,kill] [--json FILE]

write   p50/p99 of AuditStore.append (one writer, fresh database): targets ≤ 2 ms p99 on
        SQLite WAL, ≤ 5 ms on PostgreSQL.
query   bulk-loads `--rows` records with a correct hash chain (executemany on SQLite, COPY
        on PostgreSQL), then times the admin console's calls — search pages and stats —
        under typical filters: target ≤ 500 ms each over 1,000,000 records. The first
        stats call fills the daily summary (timed once, as "first call"); the others read
        it, and "live" is the same call counting every record (as before the summary).
export  `yakuba audit export` of every loaded record, CSV and JSONL, in a child process whose
        peak RSS is read from the kernel: target ≤ 200 MiB.
kill    `yakuba serve` (extractive mode, a small ingested text) under several client
        threads posting /v1/ask is SIGKILLed mid-load; every audit_id a client received
        must be in the store and verify() must be clean (SQLite in the data directory, and
        PostgreSQL through YAKUBA_DATABASE_URL).

PostgreSQL is the local test server (tests.utils.audit_scratch; YAKUBA_TEST_POSTGRES_URL);
each run uses a fresh scratch database and drops it.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.audit import AuditEntry, AuditFilter, AuditStatus, AuditStore, Channel  # noqa: E402
from service.audit._chain import GENESIS, record_content  # noqa: E402
from service.audit._time import JST  # noqa: E402
from tests.utils.audit_scratch import scratch_database  # noqa: E402

DEPARTMENTS = [
    f"{name}課"
    for name in "市民 税務 福祉 子育て 環境 建設 都市計画 教育 総務 企画 財政 人事 情報政策 保険年金 介護 健康 農政 商工 観光 防災".split()
]
TASKS = ["ask", "draft", "summarize", "translate", "proofread", "faq"]
CHANNELS = [c.value for c in Channel]
STATUSES = (["allowed"] * 80) + (["masked"] * 10) + (["blocked"] * 7) + (["failed"] * 3)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


# -- write latency ---------------------------------------------------------------------


def bench_write(url: str, writes: int) -> dict[str, float]:
    store = AuditStore(url)
    try:
        times: list[float] = []
        for n in range(writes + 100):
            e = AuditEntry(
                request_id=f"{n:032x}",
                user=f"user{n % 50}",
                department=DEPARTMENTS[n % len(DEPARTMENTS)],
                role="staff",
                channel=Channel.WEB,
                task="ask",
                status=AuditStatus.ALLOWED,
                prompt="転入届に必要な書類を教えてください。" * 3,
                sources=["住民基本台帳法 第22条", "行政手続法 第5条"],
                answer="必要な書類は次のとおりです。" * 10,
            )
            t0 = time.perf_counter()
            store.append(e)
            if n >= 100:  # the first appends warm the connection pool and caches
                times.append((time.perf_counter() - t0) * 1000)
        assert store.verify() == []
    finally:
        store.close()
    return {
        "p50_ms": percentile(times, 0.5),
        "p99_ms": percentile(times, 0.99),
        "max_ms": max(times),
    }


# -- bulk load with a correct chain ------------------------------------------------------


def synthetic_rows(count: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    start = datetime(2025, 11, 24, tzinfo=UTC)
    step = timedelta(days=365) / count
    prev = GENESIS
    for n in range(1, count + 1):
        status = rng.choice(STATUSES)
        findings: dict[str, int] = {}
        if status in ("masked", "blocked"):
            findings = {
                rng.choice(["PERSON", "MY_NUMBER", "PHONE", "ADDRESS", "EMAIL"]): rng.randint(1, 3)
            }
        row: dict[str, Any] = {
            "id": n,
            "created_at": start + step * n,
            "request_id": f"{n:032x}",
            "user": f"user{rng.randrange(2000):04d}",
            "department": rng.choice(DEPARTMENTS),
            "role": "staff",
            "channel": rng.choice(CHANNELS),
            "task": rng.choice(TASKS),
            "purpose": "窓口案内",
            "status": status,
            "prompt": f"問い合わせ{n}について、<人名>さんへの回答案を作ってください。",
            "findings": findings,
            "sources": ["行政手続法 第5条"],
            "prompt_ref": "ask@2026-11-23.1",
            "model": "",
            "mode": "extractive",
            "answer": "該当する条文は次のとおりです。" * 4,
            "tokens_in": 0,
            "tokens_out": 0,
            "latency_ms": rng.randint(5, 900),
            "error_code": "",
            "prev_hash": prev,
        }
        canonical = json.dumps(
            record_content(row), ensure_ascii=False, sort_keys=True, separators=(",", ":")
        )
        row["record_hash"] = prev = hashlib.sha256((prev + canonical).encode("utf-8")).hexdigest()
        yield row


COLUMNS = (
    "id created_at request_id user department role channel task purpose status prompt findings "
    "sources prompt_ref model mode answer tokens_in tokens_out latency_ms error_code prev_hash "
    "record_hash"
).split()


def bulk_load(url: str, count: int) -> tuple[float, str]:
    AuditStore(url).close()  # schema and chain head via the migrations
    t0 = time.perf_counter()
    last_hash = GENESIS
    if url.startswith("sqlite"):
        import sqlite3

        conn = sqlite3.connect(url.removeprefix("sqlite:///"))
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=OFF")
        cols = ", ".join(f'"{c}"' for c in COLUMNS)
        sql = f"INSERT INTO audit_records ({cols}) VALUES ({', '.join('?' * len(COLUMNS))})"
        batch: list[tuple[Any, ...]] = []
        for row in synthetic_rows(count):
            last_hash = row["record_hash"]
            row = row | {
                "created_at": row["created_at"].strftime("%Y-%m-%d %H:%M:%S.%f"),
                "findings": json.dumps(row["findings"], ensure_ascii=False),
                "sources": json.dumps(row["sources"], ensure_ascii=False),
            }
            batch.append(tuple(row[c] for c in COLUMNS))
            if len(batch) == 20_000:
                conn.executemany(sql, batch)
                batch.clear()
        conn.executemany(sql, batch)
        conn.execute(
            "UPDATE audit_chain_head SET last_id = ?, last_hash = ? WHERE id = 1",
            (count, last_hash),
        )
        conn.commit()
        conn.execute("ANALYZE")
        conn.close()
    else:
        import psycopg

        dsn = url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(dsn) as conn:
            cols = ", ".join(f'"{c}"' for c in COLUMNS)
            with conn.cursor() as cur, cur.copy(f"COPY audit_records ({cols}) FROM STDIN") as copy:
                for row in synthetic_rows(count):
                    last_hash = row["record_hash"]
                    row = row | {
                        "findings": json.dumps(row["findings"], ensure_ascii=False),
                        "sources": json.dumps(row["sources"], ensure_ascii=False),
                    }
                    copy.write_row([row[c] for c in COLUMNS])
            conn.execute(
                "UPDATE audit_chain_head SET last_id = %s, last_hash = %s WHERE id = 1",
                (count, last_hash),
            )
            conn.commit()
            conn.autocommit = True
            conn.execute("VACUUM ANALYZE audit_records")
    return time.perf_counter() - t0, last_hash


def bench_queries(url: str) -> dict[str, float]:
    store = AuditStore(url)
    month = AuditFilter(since=date(2026, 6, 1), until=date(2026, 6, 30))
    out: dict[str, float] = {}
    # Once: the first statistics call aggregates every complete day into the summary.
    t0 = time.perf_counter()
    store.stats(AuditFilter())
    out["stats: whole log, first call (fills the daily summary)"] = (
        time.perf_counter() - t0
    ) * 1000
    print(f"    first stats call (summary fill): {out[next(iter(out))]:.1f} ms", flush=True)
    cases: dict[str, Any] = {
        "search: department, newest 50": lambda: store.search(
            AuditFilter(department="税務課"), limit=50
        ),
        "search: department + one month": lambda: store.search(
            month.model_copy(update={"department": "税務課"}), limit=50
        ),
        "search: user, newest 50": lambda: store.search(AuditFilter(user="user0042"), limit=50),
        "search: blocked + channel web": lambda: store.search(
            AuditFilter(status=AuditStatus.BLOCKED, channel=Channel.WEB), limit=50
        ),
        "search: page 20 (cursor) of blocked": lambda: _page(
            store, AuditFilter(status=AuditStatus.BLOCKED), 20
        ),
        "search: text + one month": lambda: store.search(
            month.model_copy(update={"text": "問い合わせ5000"}), limit=50
        ),
        "stats: one month": lambda: store.stats(month),
        "stats: department + one month": lambda: store.stats(
            month.model_copy(update={"department": "税務課"})
        ),
        "stats: whole log (1 year)": lambda: store.stats(AuditFilter()),
        "stats: department, whole log": lambda: store.stats(AuditFilter(department="税務課")),
        "stats: blocked + channel web, whole log": lambda: store.stats(
            AuditFilter(status=AuditStatus.BLOCKED, channel=Channel.WEB)
        ),
        "stats: user, whole log (live: no users in the summary)": lambda: store.stats(
            AuditFilter(user="user0042")
        ),
        "stats: whole log, live (every record, as before)": lambda: store.stats(
            AuditFilter(), live=True
        ),
        "count: department": lambda: store.count(AuditFilter(department="税務課")),
    }
    try:
        for name, call in cases.items():
            call()  # warm
            runs = []
            for _ in range(3):
                t0 = time.perf_counter()
                call()
                runs.append((time.perf_counter() - t0) * 1000)
            out[name] = statistics.median(runs)
            print(f"    {name}: {out[name]:.1f} ms", flush=True)
    finally:
        store.close()
    return out


def _page(store: AuditStore, flt: AuditFilter, pages: int) -> None:
    cursor = None
    for _ in range(pages):
        cursor = store.search(flt, limit=50, cursor=cursor).next_cursor


def bench_verify(url: str) -> float:
    store = AuditStore(url)
    try:
        t0 = time.perf_counter()
        breaks = store.verify()
        assert breaks == [], breaks[:3]
        return time.perf_counter() - t0
    finally:
        store.close()


EXPORT_CHILD = """
import resource, sys, time
from service.audit import AuditStore
store = AuditStore(sys.argv[1])
t0 = time.perf_counter()
with open("/dev/null", "w", encoding="utf-8", newline="") as out:
    n = store.export(out, sys.argv[2])
print(n, time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def bench_export(url: str, fmt: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", EXPORT_CHILD, url, fmt],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    n, seconds, rss_kib = done.stdout.split()
    return {"records": int(n), "seconds": float(seconds), "peak_rss_mib": int(rss_kib) / 1024}


# -- SIGKILL under load ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bench_kill(url: str | None, clients: int, seconds: float) -> dict[str, Any]:
    yakuba = str(Path(sys.executable).with_name("yakuba"))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "docs").mkdir()
        (work / "docs" / "manual.txt").write_text(
            "第1条 転入届は、転入した日から十四日以内に市民課の窓口へ提出する。\n"
            "第2条 転出届は、転出する前に提出する。\n",
            encoding="utf-8",
        )
        env = os.environ | {
            "YAKUBA_DATA_DIR": str(work / "data"),
            "YAKUBA_LLM_BASE_URL": "",
            "YAKUBA_LLM_MODEL": "",
        }
        if url:
            env["YAKUBA_DATABASE_URL"] = url
        subprocess.run(
            [yakuba, "ingest", str(work / "docs")], env=env, check=True, capture_output=True
        )
        port = free_port()
        log = (work / "serve.log").open("w")
        server = subprocess.Popen(
            [yakuba, "serve", "--port", str(port)], env=env, stdout=log, stderr=log
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.time() + 120
            while time.time() < deadline:
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                        break
                time.sleep(0.5)
            # The first question loads the guard and the embedding model (seconds): warm up
            # so that the kill lands in steady load, not in the cold start.
            httpx.post(f"{base}/v1/ask", json={"question": "転入届"}, timeout=180)
            received: list[int] = []
            failures = [0]
            lock = threading.Lock()
            stop = threading.Event()

            def client() -> None:
                with httpx.Client(base_url=base, timeout=30) as http:
                    while not stop.is_set():
                        try:
                            r = http.post("/v1/ask", json={"question": "転入届の期限は？"})
                        except httpx.HTTPError as exc:
                            with lock:
                                failures[0] += 1
                                if failures[0] == 1 and not stop.is_set():
                                    print(f"    first client error: {exc!r}", file=sys.stderr)
                            continue
                        if r.status_code == 200 and r.json().get("audit_id"):
                            with lock:
                                received.append(int(r.json()["audit_id"]))

            threads = [threading.Thread(target=client) for _ in range(clients)]
            for t in threads:
                t.start()
            time.sleep(seconds)
            server.send_signal(signal.SIGKILL)
            server.wait()
            time.sleep(1)
            stop.set()
            for t in threads:
                t.join()
        finally:
            if server.poll() is None:
                server.kill()
            log.close()
        store = AuditStore(url or f"sqlite:///{work / 'data' / 'audit.sqlite3'}")
        try:
            missing = [i for i in received if store.get(i) is None]
            breaks = store.verify()
            stored = store.count()
        finally:
            store.close()
        if not received:  # the server never answered: show why
            print((work / "serve.log").read_text(encoding="utf-8")[-2000:], file=sys.stderr)
        return {
            "responses_received": len(received),
            "records_stored": stored,
            "missing": len(missing),
            "verify_breaks": len(breaks),
            "client_errors_after_kill": failures[0],
        }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--writes", type=int, default=2000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--parts", default="write,query,export,kill")
    parser.add_argument("--kill-clients", type=int, default=6)
    parser.add_argument("--kill-after", type=float, default=8.0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    results: dict[str, Any] = {
        "date": datetime.now(JST).isoformat(timespec="minutes"),
        "load_before": os.getloadavg(),
    }
    print(f"load average: {os.getloadavg()}", flush=True)
    for backend in args.backends.split(","):
        res: dict[str, Any] = {}
        results[backend] = res
        with tempfile.TemporaryDirectory() as tmp:
            if "write" in parts:
                with scratch_database(backend, Path(tmp)) as url:
                    res["write"] = bench_write(url, args.writes)
                    print(f"[{backend}] write: {res['write']}", flush=True)
            if parts & {"query", "export"}:
                with scratch_database(backend, Path(tmp)) as url:
                    seconds, _ = bulk_load(url, args.rows)
                    res["bulk_load_s"] = seconds
                    print(f"[{backend}] bulk load {args.rows:,}: {seconds:.1f} s", flush=True)
                    if "query" in parts:
                        res["query_ms"] = bench_queries(url)
                        res["verify_s"] = bench_verify(url)
                        print(f"[{backend}] verify: {res['verify_s']:.1f} s", flush=True)
                    if "export" in parts:
                        for fmt in ("csv", "jsonl"):
                            res[f"export_{fmt}"] = bench_export(url, fmt)
                            print(f"[{backend}] export {fmt}: {res[f'export_{fmt}']}", flush=True)
            if "kill" in parts:
                if backend == "sqlite":
                    res["kill"] = bench_kill(None, args.kill_clients, args.kill_after)
                else:
                    with scratch_database(backend, Path(tmp)) as url:
                        res["kill"] = bench_kill(url, args.kill_clients, args.kill_after)
                print(f"[{backend}] SIGKILL: {res['kill']}", flush=True)
    results["load_after"] = os.getloadavg()
    print(json.dumps(results, ensure_ascii=False, indent=1, default=str))
    if args.json:
        args.json.write_text(
            json.dumps(results, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
        )


if __name__ == "__main__":
    main()
