"""Yakuba's CPU work per request, counted in machine instructions (load-independent).

    .venv/bin/python bench/instructions.py [--tree PATH] [--requests 40]
        [--kinds chat,chat-stream,ask,ask-stream]

Timings on this shared 2-core machine drift by a third within an hour, so a 5 % change
cannot be seen in req/s. Valgrind's callgrind counts the instructions a process executes,
which do not depend on what else the machine is doing: the same code, inputs and
environment give the same count within a fraction of a percent.

The script ingests the two bundled laws with the tree's own code, starts the test model
(no latency) and Yakuba under `valgrind --tool=callgrind --instr-atstart=no` (start-up and
warm-up run uninstrumented), then for each kind: switches counting on, sends
`--requests` requests one after the other over one connection, dumps the counters and
switches counting off. Instructions per request = the dump's total / requests. Only
Yakuba's process is counted: the clients and the test model run outside valgrind.
Yakuba's background threads (the public register's and the job queues' polls, the WAL
checkpoint, the metrics gauges: every 1–2 s) would run during the count too, and under
valgrind 20 asks take minutes, so their share would grow with the machine's load: Yakuba
is started with them slowed to once an hour (bench/launch/yakuba_quiet_pollers.py, the
same in every tree; the register through YAKUBA_REGISTER_REFRESH_S=0). As a check the
same wall time is then counted again with no request ("idle", now near 0), and "net" =
total − idle.

`--tree` runs another checkout of Yakuba (for a before/after pair: `git worktree add
--detach /tmp/before <commit>`); the measuring code is always this file's.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.service import (  # noqa: E402  (the path above makes bench importable as a script)
    KINDS,
    LAWS,
    free_port,
    marker,
    one,
    process,
    test_model_args,
    wait_ready,
    yakuba_args,
    yakuba_env,
)

LAUNCH_DIR = Path(__file__).resolve().parent / "launch"
TOTALS_RE = re.compile(r"^(?:summary|totals):\s+(\d+)", re.MULTILINE)


def ingest(tree: Path, data_dir: Path, work: Path, env: dict[str, str]) -> None:
    corpus = work / "corpus"
    corpus.mkdir()
    for name in LAWS:
        shutil.copy(tree / "samples" / "laws" / name, corpus / name)
    subprocess.run(
        [sys.executable, "-c", "from service.cli import app; app()", "ingest", str(corpus)],
        cwd=tree,
        env={**env, "YAKUBA_DATA_DIR": str(data_dir)},
        check=True,
        capture_output=True,
    )


def callgrind(action: str, pid: int) -> None:
    subprocess.run(["callgrind_control", action, str(pid)], check=True, capture_output=True)


def dumped_total(work: Path, before: set[Path]) -> int:
    """The instruction total of the newest callgrind dump (waits for valgrind to write it)."""
    for _ in range(600):
        fresh = sorted(set(work.glob("callgrind.out*")) - before)
        if fresh:
            text = fresh[-1].read_text(errors="replace")
            if match := TOTALS_RE.search(text):
                return int(match.group(1))
        time.sleep(0.1)
    raise SystemExit("callgrind wrote no dump within 60 s")


async def send(base_url: str, kind: str, count: int, start: int) -> int:
    """`count` requests of one kind, one at a time; returns how many failed."""
    failed = 0
    async with httpx.AsyncClient(base_url=base_url, timeout=httpx.Timeout(600.0)) as client:
        for n in range(start, start + count):
            sample = await one(client, kind, marker(n))
            failed += not sample.ok
    return failed


def measure(
    tree: Path, kinds: list[str], requests: int, warmup: int, idle_check: bool = True
) -> dict[str, float]:
    work = Path(tempfile.mkdtemp(prefix="yakuba-bench-instructions-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("YAKUBA_")}
    # The measured tree first; then the launcher that slows the pollers (a top-level
    # module: the tree's own `bench` package would shadow this checkout's).
    env["PYTHONPATH"] = os.pathsep.join((str(tree), str(LAUNCH_DIR)))
    # The same hash seed in every run: set iteration order changes the instruction count.
    env["PYTHONHASHSEED"] = "0"
    data_dir = work / "data"
    print(f"ingesting {', '.join(LAWS)} with {tree} …", file=sys.stderr)
    ingest(tree, data_dir, work, env)
    llm_port, app_port = free_port(), free_port()
    llm_args = test_model_args(llm_port, 0)
    app_env = {
        **yakuba_env(env, data_dir, llm_port),
        # Valgrind runs Yakuba ~50x slower: the default timeouts would count as failures.
        "YAKUBA_LLM_TIMEOUT_S": "600",
        "YAKUBA_GUARD_TIMEOUT_S": "30",
        # The public register read once at start-up, not every 2 s (a newer tree's
        # setting; older ones ignore it).
        "YAKUBA_REGISTER_REFRESH_S": "0",
    }
    app_args = [
        "valgrind",
        "--tool=callgrind",
        "--instr-atstart=no",
        f"--callgrind-out-file={work}/callgrind.out.%p",
        *yakuba_args(app_port, app="yakuba_quiet_pollers:create_app"),
        # uvicorn runs from this file's checkout: its app directory must be the tree's.
        f"--app-dir={tree}",
    ]
    base_url = f"http://127.0.0.1:{app_port}"
    per_request: dict[str, float] = {}
    counter = 0
    try:
        with (
            process(llm_args, env, work / "llm.log") as llm,
            process(app_args, app_env, work / "yakuba.log") as app,
        ):
            wait_ready(f"http://127.0.0.1:{llm_port}/v1/models", llm, work / "llm.log")
            wait_ready(f"{base_url}/healthz", app, work / "yakuba.log", timeout_s=3600)
            for line in (work / "yakuba.log").read_text(errors="replace").splitlines():
                if line.startswith(("pollers slowed", "logging configured")):
                    print(line, file=sys.stderr)
            for kind in kinds:
                print(f"{kind}: {warmup} warm-up, {requests} counted …", file=sys.stderr)
                counter += warmup + requests
                if failed := asyncio.run(send(base_url, kind, warmup, counter)):
                    raise SystemExit(f"{failed} warm-up requests of {kind} failed")
                before = set(work.glob("callgrind.out*"))
                callgrind("--instr=on", app.pid)
                callgrind("--zero", app.pid)
                started = time.monotonic()
                failed = asyncio.run(send(base_url, kind, requests, counter + warmup))
                elapsed = time.monotonic() - started
                callgrind("--dump", app.pid)
                callgrind("--instr=off", app.pid)
                if failed:
                    raise SystemExit(f"{failed} counted requests of {kind} failed")
                total = dumped_total(work, before)
                per_request[kind] = total / requests
                print(f"{kind}: {elapsed:.0f} s counted", file=sys.stderr)
                if not idle_check:
                    continue
                # The same wall time with no request: what the background threads (the
                # register's and the job queues' polls, the WAL checkpoint, every ~2 s)
                # executed meanwhile. Under valgrind a request takes seconds, so their
                # share of the total depends on the machine's load, not on the requests.
                before = set(work.glob("callgrind.out*"))
                callgrind("--instr=on", app.pid)
                callgrind("--zero", app.pid)
                time.sleep(elapsed)
                callgrind("--dump", app.pid)
                callgrind("--instr=off", app.pid)
                idle = dumped_total(work, before)
                per_request[f"{kind} (idle)"] = idle / requests
                per_request[f"{kind} (net)"] = (total - idle) / requests
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return per_request


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument(
        "--no-idle",
        action="store_true",
        help="skip the idle count after each kind (half the run time)",
    )
    args = parser.parse_args()
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    if unknown := set(kinds) - set(KINDS):
        parser.error(f"unknown kinds: {', '.join(sorted(unknown))}")
    if shutil.which("valgrind") is None:
        parser.error("valgrind is not installed (Debian: apt-get install valgrind)")
    tree = args.tree.resolve()
    result = measure(tree, kinds, args.requests, args.warmup, idle_check=not args.no_idle)
    print(f"\n{tree} — instructions per request ({args.requests} each, after {args.warmup})\n")
    print("| kind | instructions per request (millions) |")
    # "(idle)": the background threads' instructions in an equal wall time without
    # requests, per request; "(net)": the total less that.
    print("|---|---:|")
    for kind, count in result.items():
        print(f"| {kind} | {count / 1e6:.1f} |")


if __name__ == "__main__":
    main()
