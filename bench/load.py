"""The whole pipeline under load, one service process against two (issue 16).

    .venv/bin/python -m bench.load [--clients 100] [--seconds 300] [--processes 1,2]
        [--latency-ms 200] [--kinds ask] [--database-url URL] [--rss-interval 10]

For each process count: ingests two bundled laws once, gives every `yakuba serve` process
its own copy of the index (the embedded index opens in one process only:
bench/index_readers.py; with a Qdrant server they would share it), points all of them at
one PostgreSQL database (audit records, quotas, threads — a scratch database on
YAKUBA_TEST_POSTGRES_URL, dropped afterwards, unless --database-url), and the test model
(tests/utils/llm_server.py) answering after `--latency-ms`. `--clients` concurrent
clients then send /v1/ask for `--seconds`, spread over the processes in turn as a load
balancer would: each request runs the input guard, hybrid retrieval, the passage screen,
the model call, the output guard and the audit record.

Prints, per process count: requests/s, response p50/p95/p99, errors, the CPU time the
service processes used per request — next to LiteLLM's published proxy overhead (about
130 req/s per vCPU with no guard or retrieval, i.e. ~7.7 ms of CPU per request) as the
anchor — and each process's RSS every `--rss-interval` seconds. The machine's load
average before and after goes with the figures: this machine is shared.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import itertools
import os
import platform
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.service import (  # noqa: E402
    LAWS,
    REPLY,
    Sample,
    cpu_seconds,
    free_port,
    ingest,
    marker,
    one,
    pct,
    process,
    wait_ready,
)
from tests.utils.audit_scratch import scratch_postgres  # noqa: E402

YAKUBA = Path(sys.executable).with_name("yakuba")
# LiteLLM's proxy: ~130 requests/s per vCPU without guard or retrieval (its docs' figure).
LITELLM_RPS_PER_VCPU = 130.0


def rss_mib(pid: int) -> float:
    """Resident memory of a process and its children, MiB (from /proc)."""
    total = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if int(status.parent.name) == pid or fields.get("PPid", "").strip() == str(pid):
            total += int(fields.get("VmRSS", "0 kB").split()[0])
    return total / 1024


@dataclass
class RssLog:
    """Each process's RSS every `interval_s`, sampled from a thread."""

    pids: list[int]
    interval_s: float
    rows: list[tuple[float, list[float]]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        t0 = time.monotonic()
        while True:
            self.rows.append((time.monotonic() - t0, [rss_mib(p) for p in self.pids]))
            if self._stop.wait(self.interval_s):
                return

    @contextlib.contextmanager
    def sampling(self) -> Iterator[None]:
        thread = threading.Thread(target=self.run, daemon=True)
        thread.start()
        try:
            yield
        finally:
            self._stop.set()
            thread.join()
            self.rows.append(
                (self.rows[-1][0] if self.rows else 0.0, [rss_mib(p) for p in self.pids])
            )


async def drive(
    urls: list[str], clients: int, seconds: float, kinds: list[str], start: int
) -> tuple[list[Sample], float]:
    """`clients` clients for `seconds`; request n goes to process n mod len(urls)."""
    counter = itertools.count(start)
    limits = httpx.Limits(max_connections=clients + 8, max_keepalive_connections=clients + 8)
    samples: list[Sample] = []
    pool = [
        httpx.AsyncClient(base_url=url, limits=limits, timeout=httpx.Timeout(120.0)) for url in urls
    ]
    try:
        deadline = time.perf_counter() + seconds

        async def worker(i: int) -> None:
            for round_ in itertools.count():
                if time.perf_counter() >= deadline:
                    return
                n = next(counter)
                client = pool[n % len(pool)]
                samples.append(await one(client, kinds[(i + round_) % len(kinds)], marker(n)))

        t0 = time.perf_counter()
        await asyncio.gather(*(worker(i) for i in range(clients)))
        return samples, time.perf_counter() - t0
    finally:
        for client in pool:
            await client.aclose()


@dataclass(frozen=True)
class Run:
    processes: int
    samples: list[Sample]
    elapsed: float
    cpu_s: float
    rss: list[tuple[float, list[float]]]
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]


def measure(
    args: argparse.Namespace, processes: int, work: Path, database_url: str, llm_port: int
) -> Run:
    env = {k: v for k, v in os.environ.items() if not k.startswith("YAKUBA_")}
    env["PYTHONPATH"] = str(ROOT)
    ports = [free_port() for _ in range(processes)]
    with contextlib.ExitStack() as stack:
        procs = []
        for i, port in enumerate(ports):
            data_dir = work / f"data-{processes}-{i}"
            # Each process its own copy of the index, made before any process opens it.
            shutil.copytree(work / "data", data_dir)
            proc_env = {
                **env,
                "YAKUBA_DATA_DIR": str(data_dir),
                "YAKUBA_DATABASE_URL": database_url,
                "YAKUBA_LLM_BASE_URL": f"http://127.0.0.1:{llm_port}/v1",
                "YAKUBA_LLM_MODEL": "test-model",
                # Every client may have a model call in flight (see bench/service.py).
                "YAKUBA_LLM_MAX_CONCURRENCY": str(args.clients + 8),
            }
            log = work / f"yakuba-{processes}-{i}.log"
            command = [str(YAKUBA), "serve", f"--port={port}"]
            procs.append((stack.enter_context(process(command, proc_env, log)), log))
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for (proc, log), url in zip(procs, urls, strict=True):
            wait_ready(f"{url}/healthz", proc, log)
        print(f"{processes} process(es): warming up …", file=sys.stderr)
        asyncio.run(drive(urls, 4 * processes, 0.1, args.kinds, 0))  # loads models lazily
        asyncio.run(drive(urls, args.clients, args.warmup_s, args.kinds, 10**6))
        pids = [proc.pid for proc, _ in procs]
        rss = RssLog(pids, args.rss_interval)
        load_before = os.getloadavg()
        print(f"{processes} process(es): measuring {args.seconds:.0f} s …", file=sys.stderr)
        cpu_before = sum(cpu_seconds(p) for p in pids)
        with rss.sampling():
            samples, elapsed = asyncio.run(
                drive(urls, args.clients, args.seconds, args.kinds, 10**7 * processes)
            )
        cpu = sum(cpu_seconds(p) for p in pids) - cpu_before
        return Run(processes, samples, elapsed, cpu, rss.rows, load_before, os.getloadavg())


def fmt_load(load: tuple[float, float, float]) -> str:
    return " / ".join(f"{x:.1f}" for x in load)


def report(runs: list[Run], args: argparse.Namespace) -> None:
    anchor_ms = 1000 / LITELLM_RPS_PER_VCPU
    print(
        f"{dt.datetime.now():%Y-%m-%d %H:%M}, {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; {args.clients} clients × {args.seconds:.0f} s "
        f"per run, /v1/ask kinds {','.join(args.kinds)}, model latency "
        f"{args.latency_ms:.0f} ms, audit/threads on PostgreSQL"
    )
    print()
    print(
        "| processes | requests | errors | req/s | response p50 / p95 / p99 (ms) "
        "| CPU per request (ms) | × LiteLLM's 7.7 ms | RSS per process start → end, max (MiB) "
        "| load average 1/5/15 before → after |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---|---|")
    for run in runs:
        ok = [s.total_ms for s in run.samples if s.ok]
        errors = len(run.samples) - len(ok)
        cpu_ms = 1000 * run.cpu_s / max(1, len(run.samples))
        rss = "; ".join(
            f"{run.rss[0][1][i]:.0f} → {run.rss[-1][1][i]:.0f}, {max(r[1][i] for r in run.rss):.0f}"
            for i in range(run.processes)
        )
        print(
            f"| {run.processes} | {len(run.samples)} | {errors} | {len(ok) / run.elapsed:.1f} "
            f"| {statistics.median(ok) if ok else 0:.0f} / {pct(ok, 0.95):.0f} / "
            f"{pct(ok, 0.99):.0f} | {cpu_ms:.1f} | {cpu_ms / anchor_ms:.1f} | {rss} "
            f"| {fmt_load(run.load_before)} → {fmt_load(run.load_after)} |"
        )
    for run in runs:
        if seen := Counter(s.error for s in run.samples if not s.ok):
            print(f"\nErrors with {run.processes} process(es): {dict(seen)}")
    print()
    print("RSS over time (MiB, one column per process):")
    print()
    for run in runs:
        series = ", ".join(
            f"{t:.0f} s: {'/'.join(f'{v:.0f}' for v in values)}" for t, values in run.rss
        )
        print(f"- {run.processes} process(es): {series}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--processes", default="1,2", help="process counts to run, in order")
    parser.add_argument("--latency-ms", type=float, default=200.0)
    parser.add_argument("--warmup-s", type=float, default=5.0)
    parser.add_argument("--kinds", default="ask", help="ask and/or ask-stream, comma-separated")
    parser.add_argument("--rss-interval", type=float, default=10.0)
    parser.add_argument(
        "--database-url", default=None, help="PostgreSQL URL; default: a scratch database"
    )
    args = parser.parse_args()
    args.kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    if set(args.kinds) - {"ask", "ask-stream"}:
        parser.error("--kinds: ask, ask-stream")
    counts = [int(n) for n in args.processes.split(",")]

    work = Path(tempfile.mkdtemp(prefix="yakuba-bench-load-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("YAKUBA_")}
    env["PYTHONPATH"] = str(ROOT)
    try:
        print(f"ingesting {', '.join(LAWS)} …", file=sys.stderr)
        ingest(work / "data", work, env)
        llm_port = free_port()
        llm_args = [
            sys.executable,
            "-m",
            "tests.utils.llm_server",
            f"--port={llm_port}",
            f"--latency-ms={args.latency_ms}",
            f"--reply={REPLY}",
        ]
        with (
            process(llm_args, env, work / "llm.log") as llm,
            contextlib.ExitStack() as stack,
        ):
            wait_ready(f"http://127.0.0.1:{llm_port}/v1/models", llm, work / "llm.log")
            url = args.database_url or stack.enter_context(scratch_postgres())
            runs = [measure(args, n, work, url, llm_port) for n in counts]
        report(runs, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
