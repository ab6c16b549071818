"""Yakuba's own overhead in front of a model, under load.

    .venv/bin/python bench/service.py [--clients 50] [--seconds 60] [--latency-ms 200]
        [--kinds chat,chat-stream,ask,ask-stream] [--workers 1] [--blas-threads N]
        [--direct-seconds 10] [--profile] [--json FILE]

Starts the test LLM server (tests/utils/llm_server.py) as a subprocess with a fixed
latency, ingests two bundled laws into a temporary data directory, starts Yakuba with
uvicorn pointed at that model, warms it up, then drives `--clients` concurrent clients
(asyncio + httpx, loopback only) for `--seconds`. Each client cycles through the kinds:

    chat         POST /v1/chat/completions, model yakuba (guarded pass-through)
    chat-stream  the same with stream=true
    ask          POST /v1/ask (guard, retrieval, prompt, model, output guard, audit)
    ask-stream   the same with stream=true (Server-Sent Events)

Yakuba's overhead per request = the client's response time − the model's own time for
that request. The model's time comes from the test server's `--timings` log, paired with
the request by a marker at the end of each prompt. For streams, the first-token overhead
= when the client saw its first piece of text − when the model wrote its first token
(both wall-clock times on this machine). Yakuba holds back the newest 48 characters of a
stream (the output guard's sliding window, docs/pipeline.md), so with `--chunk-delay-ms`
above 0 the first-token overhead includes the model's time to write them.
"before model" is the client's start → the model receiving the call (guard, retrieval,
queueing); "after model" is the model's last byte → the client's last byte (output
guard, audit record, serialisation).

Part of every overhead is the harness's own: the clients build and read HTTP messages, and
the test model reads the request before it logs receiving it. After the measurement the
same clients call the test model directly for `--direct-seconds` (no Yakuba between);
their response − model time is that floor, printed above the table, and the last column
takes its p50 off each kind's overhead p50. The targets are judged on the full overhead.

`--profile` runs Yakuba under a sampling profiler (every thread's stack, every few
milliseconds: cProfile would see only one thread, and the guard scans and the task routes
run in worker threads) and adds a table of where the threads spent their time; ask and
chat run on the event loop, whose samples show only what is running, not what is awaited. The
CPU time Yakuba's process used per request is always reported (from /proc), with that of
the bench's own clients and of the test model: all three share this machine's cores.

Prints a Markdown table with the targets of issue 5 (overhead p50 ≤ 15 ms, p95 ≤ 40 ms,
no errors; first streamed token ≤ 20 ms after the model's); copy it into
bench/RESULTS.md with the machine, the date and the machine's load.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import itertools
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from types import CodeType, FrameType
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
LAWS = ("gyousei_tetsuzuki_hou.txt", "jouhou_koukai_hou.txt")
KINDS = ("chat", "chat-stream", "ask", "ask-stream")
QUESTION = "行政手続法で、申請に対する審査基準の公表はどう定められていますか"
CHAT_PROMPT = "窓口で使う丁寧な挨拶文を一つ作ってください。"
# Two sentences: the streaming guard releases text a sentence at a time.
REPLY = "申請に対する審査基準は、行政庁が定めて公にしておく必要があります。行政上特別の支障があるときは例外です。"
TARGETS = {"overhead_p50": 15.0, "overhead_p95": 40.0, "first_token_p50": 20.0}
MARKER_RE = re.compile(r"〔計測 ([a-z]+)〕")


def marker(n: int) -> str:
    """A request's marker, in letters: digits could look like personal data to the guard."""
    letters = ""
    n += 26**3  # at least four letters
    while n:
        n, r = divmod(n, 26)
        letters = chr(ord("a") + r) + letters
    return f"〔計測 {letters}〕"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- the processes ---------------------------------------------------------------------------


@contextlib.contextmanager
def process(args: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def yakuba_args(port: int, workers: int = 1, app: str = "service.main:create_app") -> list[str]:
    """Yakuba under uvicorn on a loopback port, quiet (no access log)."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--factory",
        "--host=127.0.0.1",
        f"--port={port}",
        f"--workers={workers}",
        "--log-level=warning",
        "--no-access-log",
    ]


def test_model_args(port: int, latency_ms: float, *extra: str) -> list[str]:
    """The test model (tests/utils/llm_server.py) answering REPLY after `latency_ms`."""
    return [
        sys.executable,
        "-m",
        "tests.utils.llm_server",
        f"--port={port}",
        f"--latency-ms={latency_ms}",
        f"--reply={REPLY}",
        *extra,
    ]


def yakuba_env(env: dict[str, str], data_dir: Path, llm_port: int) -> dict[str, str]:
    """Yakuba's environment: the data directory and the test model on `llm_port`."""
    return {
        **env,
        "YAKUBA_DATA_DIR": str(data_dir),
        "YAKUBA_LLM_BASE_URL": f"http://127.0.0.1:{llm_port}/v1",
        "YAKUBA_LLM_MODEL": "test-model",
    }


def wait_ready(url: str, proc: subprocess.Popen[bytes], log: Path, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"{' '.join(map(str, proc.args))} exited:\n{log.read_text()[-2000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    sys.exit(f"{url} did not answer within {timeout_s:.0f} s:\n{log.read_text()[-2000:]}")


def ingest(data_dir: Path, work: Path, env: dict[str, str]) -> None:
    corpus = work / "corpus"
    corpus.mkdir()
    for name in LAWS:
        shutil.copy(ROOT / "samples" / "laws" / name, corpus / name)
    yakuba = Path(sys.executable).with_name("yakuba")
    subprocess.run(
        [str(yakuba), "ingest", str(corpus)],
        cwd=ROOT,
        env={**env, "YAKUBA_DATA_DIR": str(data_dir)},
        check=True,
        capture_output=True,
    )


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children (uvicorn workers), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat.parent.name) == pid or int(fields[1]) == pid:  # fields[1] = ppid
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def own_cpu_seconds() -> float:
    """User + system CPU time of this process (the clients, and their event loop)."""
    usage = os.times()
    return usage.user + usage.system


@dataclass(frozen=True)
class Cpu:
    """CPU seconds used during the measurement, per process."""

    yakuba: float
    model: float
    clients: float


# -- the sampling profiler (runs inside the Yakuba process with --profile) -----------------

# The pipeline's steps, found on a request thread's stack from the outside in.
STEPS = (
    ("guardrails/_guard.py", "scan", "guard (scan of prompt, passages, output)"),
    ("ingest/_knowledge_base.py", "search", "retrieval (embedding, BM25, index)"),
    ("service/llm.py", "generate", "model call"),
    ("service/llm.py", "agenerate", "model call"),
    ("service/llm.py", "astream", "model call"),
    ("service/audit/_store.py", "append", "audit record (SQLAlchemy, SQLite)"),
    ("service/audit/_store.py", "begin", "audit intent (SQLAlchemy, SQLite)"),
    ("service/pipeline/prompting.py", "", "prompt formatting"),
    ("service/", "", "Yakuba pipeline, other"),
)
# `_worker`: an idle ThreadPoolExecutor thread, blocked in its queue (C code, no frame).
WAITS = {
    "recv_into",
    "recv",
    "read",
    "readinto",
    "select",
    "poll",
    "wait",
    "acquire",
    "sleep",
    "_worker",
}


def step_of(frame: FrameType) -> str | None:
    codes: list[CodeType] = []
    f: FrameType | None = frame
    while f is not None:
        codes.append(f.f_code)
        f = f.f_back
    codes.reverse()
    if any("/service/" in c.co_filename for c in codes):
        for path, name, step in STEPS:
            if any(path in c.co_filename and (not name or c.co_name == name) for c in codes):
                if step == "Yakuba pipeline, other" and codes[-1].co_name in WAITS:
                    return None  # a background thread waiting (the WAL checkpointer)
                if step != "model call":
                    return step
                if codes[-1].co_name in WAITS:
                    return "model call: waiting for the model"
                return "model call: client (openai)"
    if codes and codes[-1].co_name in WAITS:
        return None  # an idle worker thread, or the event loop waiting for sockets
    if any("/guardrails/" in c.co_filename or "/ingest/" in c.co_filename for c in codes):
        return None  # the guard's own worker threads: on the requesting thread's clock already
    return "HTTP layer (uvicorn, Starlette, FastAPI, pydantic)"


def serve_profiled(port: int, out: Path, interval_s: float = 0.002) -> None:
    import threading

    import uvicorn

    from service.main import create_app

    counts: Counter[str] = Counter()
    stop = threading.Event()

    def save() -> None:
        # Written as it goes: uvicorn ends the process with the signal it was stopped by.
        tmp = out.with_suffix(".tmp")
        tmp.write_text(json.dumps(dict(counts), ensure_ascii=False), encoding="utf-8")
        tmp.replace(out)

    def sample() -> None:
        me = threading.get_ident()
        saved = time.monotonic()
        while not stop.wait(interval_s):
            for ident, frame in sys._current_frames().items():
                if ident != me and (step := step_of(frame)) is not None:
                    counts[step] += 1
            if time.monotonic() - saved > 1:
                save()
                saved = time.monotonic()

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(), host="127.0.0.1", port=port, log_level="warning", access_log=False
        )
    )

    def reset(signum: int, frame: FrameType | None) -> None:
        counts.clear()  # the warm-up is over

    signal.signal(signal.SIGUSR1, reset)
    try:
        server.run()
    finally:
        stop.set()
        sampler.join()
        save()


def profile_table(path: Path) -> None:
    counts: dict[str, int] = json.loads(path.read_text(encoding="utf-8"))
    total = sum(counts.values()) or 1
    print()
    print(
        "Where Yakuba's threads were busy (share of their stack samples; the awaited model "
        "calls of ask and chat are not on a stack while they wait):"
    )
    print()
    print("| step | share |\n|---|---:|")
    for step, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        print(f"| {step} | {100 * n / total:.1f} % |")


# -- the clients -----------------------------------------------------------------------------


@dataclass
class Sample:
    kind: str
    marker: str
    ok: bool
    error: str
    started: float  # wall clock
    total_ms: float
    first_wall: float | None = None  # wall clock of the first text (streams)
    done_wall: float = 0.0
    llm_ms: float | None = None
    llm_received: float | None = None
    llm_first: float | None = None
    llm_done: float | None = None

    @property
    def overhead_ms(self) -> float | None:
        return None if self.llm_ms is None else self.total_ms - self.llm_ms

    @property
    def first_token_overhead_ms(self) -> float | None:
        if self.first_wall is None or self.llm_first is None:
            return None
        return (self.first_wall - self.llm_first) * 1000

    @property
    def before_model_ms(self) -> float | None:
        return None if self.llm_received is None else (self.llm_received - self.started) * 1000

    @property
    def after_model_ms(self) -> float | None:
        return None if self.llm_done is None else (self.done_wall - self.llm_done) * 1000


def request_for(kind: str, mark: str) -> tuple[str, dict[str, Any]]:
    stream = kind.endswith("-stream")
    if kind.startswith("direct"):  # straight to the test model: the harness's own floor
        body = {
            "model": "test-model",
            "messages": [{"role": "user", "content": f"{CHAT_PROMPT}{mark}"}],
            "stream": stream,
        }
        return "/v1/chat/completions", body
    if kind.startswith("chat"):
        body = {
            "model": "yakuba",
            "messages": [{"role": "user", "content": f"{CHAT_PROMPT}{mark}"}],
            "stream": stream,
        }
        return "/v1/chat/completions", body
    return "/v1/ask", {"question": f"{QUESTION}{mark}", "stream": stream}


def read_event(kind: str, block: str) -> tuple[bool, str | None]:
    """(whether an SSE block carries text, the final status if it reports one)."""
    for line in block.split("\n"):
        if not line.startswith("data: ") or line == "data: [DONE]":
            continue
        data = json.loads(line[6:])
        if kind == "ask-stream":
            if "event: done" in block:
                return False, data.get("status")
            return bool(data.get("text")), None
        choice = (data.get("choices") or [{}])[0]
        return bool(choice.get("delta", {}).get("content")), choice.get("finish_reason")
    return False, None


async def one(client: httpx.AsyncClient, kind: str, mark: str) -> Sample:
    """One request; anything but a full answer (an HTTP error, a guard block or timeout,
    a stream without text) is an error."""
    path, body = request_for(kind, mark)
    started, t0 = time.time(), time.perf_counter()
    first: float | None = None
    status: str | None = None
    error = ""
    try:
        if kind.endswith("-stream"):
            async with client.stream("POST", path, json=body) as response:
                buffer = ""
                async for text in response.aiter_text():
                    buffer += text
                    while "\n\n" in buffer:
                        block, buffer = buffer.split("\n\n", 1)
                        has_text, final = read_event(kind, block)
                        if has_text and first is None:
                            first = time.time()
                        status = final or status
            if response.status_code != 200:
                error = f"HTTP {response.status_code}"
            elif first is None:
                error = "no text streamed"
        else:
            response = await client.post(path, json=body)
            if response.status_code != 200:
                error = f"HTTP {response.status_code}"
            else:
                out = response.json()
                status = out.get("status") or out["choices"][0]["finish_reason"]
        if not error and status not in ("answered", "stop"):
            error = f"status {status}"
    except (httpx.HTTPError, ValueError, KeyError) as exc:
        error = type(exc).__name__
    total = (time.perf_counter() - t0) * 1000
    return Sample(kind, mark, not error, error, started, total, first, time.time())


async def drive(
    base_url: str, clients: int, seconds: float, kinds: list[str], start: int
) -> tuple[list[Sample], float]:
    counter = itertools.count(start)
    limits = httpx.Limits(max_connections=clients + 8, max_keepalive_connections=clients + 8)
    timeout = httpx.Timeout(120.0)
    samples: list[Sample] = []
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=timeout) as client:
        deadline = time.perf_counter() + seconds

        async def worker(i: int) -> None:
            for round_ in itertools.count():
                if time.perf_counter() >= deadline:
                    return
                kind = kinds[(i + round_) % len(kinds)]
                samples.append(await one(client, kind, marker(next(counter))))

        t0 = time.perf_counter()
        await asyncio.gather(*(worker(i) for i in range(clients)))
        elapsed = time.perf_counter() - t0
    return samples, elapsed


def pair(samples: list[Sample], timings: Path) -> int:
    """Fills in each sample's model times from the LLM's log; returns how many paired."""
    by_marker = {s.marker: s for s in samples}
    paired = 0
    for line in timings.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        found = MARKER_RE.search(entry["prompt_tail"])
        sample = by_marker.get(f"〔計測 {found.group(1)}〕") if found else None
        if sample is None:
            continue
        sample.llm_received = entry["received"]
        sample.llm_first = entry["first_token"]
        sample.llm_done = entry["done"]
        sample.llm_ms = (entry["done"] - entry["received"]) * 1000
        paired += 1
    return paired


# -- the report ------------------------------------------------------------------------------


def fmt(values: list[float]) -> str:
    if not values:
        return "–"
    return f"{statistics.median(values):.1f} / {pct(values, 0.95):.1f} / {pct(values, 0.99):.1f}"


def floor_of(direct: list[Sample]) -> dict[bool, list[float]]:
    """Response time − model time of calls straight to the test model, by streamed or not:
    what the clients' and the test model's own HTTP handling add with no Yakuba between."""
    return {
        stream: [
            v
            for s in direct
            if s.ok and s.kind.endswith("-stream") == stream and (v := s.overhead_ms) is not None
        ]
        for stream in (False, True)
    }


def net(over: list[float], floor: dict[bool, list[float]], kind: str) -> str:
    base = floor[kind.endswith("-stream")]
    if not over or not base or kind == "all":
        return "–"
    return f"{statistics.median(over) - statistics.median(base):.1f}"


def report(
    samples: list[Sample],
    elapsed: float,
    args: argparse.Namespace,
    info: str,
    cpu: Cpu,
    floor: dict[bool, list[float]],
) -> bool:
    print(info)
    print()
    if samples:
        n = len(samples)
        print(
            f"Yakuba's process used {cpu.yakuba:.1f} s of CPU for {n} requests in "
            f"{elapsed:.0f} s: {1000 * cpu.yakuba / n:.1f} ms per request "
            f"({100 * cpu.yakuba / elapsed:.0f} % of one core). On the same machine the "
            f"bench's clients used {1000 * cpu.clients / n:.1f} ms and the test model "
            f"{1000 * cpu.model / n:.1f} ms per request "
            f"({100 * (cpu.clients + cpu.model) / elapsed:.0f} % of one core together)."
        )
        print()
    if floor[False] and floor[True]:
        print(
            "The same clients calling the test model directly (no Yakuba): response − model "
            f"time p50 / p95 {statistics.median(floor[False]):.1f} / "
            f"{pct(floor[False], 0.95):.1f} ms, streamed {statistics.median(floor[True]):.1f}"
            f" / {pct(floor[True], 0.95):.1f} ms — the harness's own share of every overhead "
            "below; the last column takes its p50 off Yakuba's overhead p50."
        )
        print()
    print(
        "| kind | requests | errors | req/s | response p50 / p95 (ms) | model p50 (ms) "
        "| **overhead** p50 / p95 / p99 (ms) | before model p50 / p95 | after model p50 / p95 "
        "| **first token** overhead p50 / p95 / p99 (ms) | overhead p50 − direct p50 (ms) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    verdict = True
    groups = [(k, [s for s in samples if s.kind == k]) for k in args.kinds]
    for kind, group in [*groups, ("all", samples)]:
        ok = [s for s in group if s.ok]
        errors = len(group) - len(ok)
        over = [v for s in ok if (v := s.overhead_ms) is not None]
        first = [v for s in ok if (v := s.first_token_overhead_ms) is not None]
        before = [v for s in ok if (v := s.before_model_ms) is not None]
        after = [v for s in ok if (v := s.after_model_ms) is not None]
        model = [v for s in ok if (v := s.llm_ms) is not None]
        total = [s.total_ms for s in ok]
        print(
            f"| {kind} | {len(group)} | {errors} | {len(ok) / elapsed:.1f} "
            f"| {statistics.median(total) if total else 0:.0f} / {pct(total, 0.95):.0f} "
            f"| {statistics.median(model) if model else 0:.0f} | {fmt(over)} "
            f"| {statistics.median(before) if before else 0:.1f} / {pct(before, 0.95):.1f} "
            f"| {statistics.median(after) if after else 0:.1f} / {pct(after, 0.95):.1f} "
            f"| {fmt(first)} | {net(over, floor, kind)} |"
        )
        if kind != "all":
            verdict &= errors == 0 and bool(over)
            verdict &= statistics.median(over) <= TARGETS["overhead_p50"] if over else False
            verdict &= pct(over, 0.95) <= TARGETS["overhead_p95"]
            if first:
                verdict &= statistics.median(first) <= TARGETS["first_token_p50"]
    errors = sorted({s.error for s in samples if not s.ok})
    unpaired = sum(1 for s in samples if s.ok and s.llm_ms is None)
    print()
    print(
        f"Targets: overhead p50 ≤ {TARGETS['overhead_p50']:.0f} ms and p95 ≤ "
        f"{TARGETS['overhead_p95']:.0f} ms per kind, no errors, first streamed token p50 ≤ "
        f"{TARGETS['first_token_p50']:.0f} ms after the model's: "
        f"**{'met' if verdict else 'missed'}**."
    )
    if errors:
        print(f"Errors seen: {', '.join(errors)}.")
    if unpaired:
        print(f"{unpaired} answered request(s) had no model timing (not counted in overhead).")
    return verdict


def machine_info(args: argparse.Namespace) -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{dt.datetime.now():%Y-%m-%d %H:%M}, {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {load}; "
        f"{args.clients} clients × {args.seconds:.0f} s, model latency {args.latency_ms:.0f} ms, "
        f"uvicorn workers {args.workers}, BLAS threads {args.blas_threads or 'default'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--latency-ms", type=float, default=200.0)
    parser.add_argument("--chunk-delay-ms", type=float, default=0.0, help="between deltas")
    parser.add_argument("--warmup-s", type=float, default=5.0)
    parser.add_argument(
        "--database-url",
        default=None,
        help="audit database (e.g. postgresql+psycopg://…); default: SQLite in the temporary folder",
    )
    parser.add_argument(
        "--direct-seconds",
        type=float,
        default=10.0,
        help="then call the test model directly this long (the harness's floor; 0: skip)",
    )
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument(
        "--blas-threads", type=int, default=None, help="OpenBLAS/OpenMP threads for Yakuba"
    )
    parser.add_argument("--kinds", default=",".join(KINDS), help=f"subset of {','.join(KINDS)}")
    parser.add_argument("--json", type=Path, default=None, help="write every sample here")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--profile", action="store_true", help="sample Yakuba's threads")
    parser.add_argument(
        "--serve-profiled", nargs=2, metavar=("PORT", "OUT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.serve_profiled:
        serve_profiled(int(args.serve_profiled[0]), Path(args.serve_profiled[1]))
        return
    args.kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    if unknown := set(args.kinds) - set(KINDS):
        parser.error(f"unknown kinds: {', '.join(sorted(unknown))}")

    work = Path(tempfile.mkdtemp(prefix="yakuba-bench-service-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("YAKUBA_")}
    env["PYTHONPATH"] = str(ROOT)
    data_dir = work / "data"
    print(f"ingesting {', '.join(LAWS)} into {data_dir} …", file=sys.stderr)
    ingest(data_dir, work, env)

    llm_port, app_port = free_port(), free_port()
    timings = work / "llm-timings.jsonl"
    llm_args = test_model_args(
        llm_port,
        args.latency_ms,
        f"--inter-chunk-delay-ms={args.chunk_delay_ms}",
        f"--timings={timings}",
    )
    app_env = {
        **yakuba_env(env, data_dir, llm_port),
        **({"YAKUBA_DATABASE_URL": args.database_url} if args.database_url else {}),
        # Every client may have a model call in flight: the default (8) would measure
        # Yakuba's deliberate queueing in front of a small model server, not its overhead.
        "YAKUBA_LLM_MAX_CONCURRENCY": str(max(8, args.clients + 8)),
    }
    if args.blas_threads:
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            app_env[var] = str(args.blas_threads)
    app_args = yakuba_args(app_port, args.workers)
    profile = work / "profile.json"
    if args.profile:
        if args.workers != 1:
            parser.error("--profile samples one process: use --workers 1")
        # -m from the project root: run as a script, bench/ would shadow the service package.
        app_args = [
            sys.executable,
            "-m",
            "bench.service",
            "--serve-profiled",
            str(app_port),
            str(profile),
        ]
    base_url = f"http://127.0.0.1:{app_port}"
    try:
        with (
            process(llm_args, env, work / "llm.log") as llm,
            process(app_args, app_env, work / "yakuba.log") as app,
        ):
            wait_ready(f"http://127.0.0.1:{llm_port}/v1/models", llm, work / "llm.log")
            wait_ready(f"{base_url}/healthz", app, work / "yakuba.log")
            print("warming up …", file=sys.stderr)
            asyncio.run(drive(base_url, 4, 0.1, args.kinds, 0))  # loads models lazily
            asyncio.run(drive(base_url, args.clients, args.warmup_s, args.kinds, 10**6))
            info = machine_info(args)
            print(f"measuring {args.seconds:.0f} s …", file=sys.stderr)
            if args.profile:
                app.send_signal(signal.SIGUSR1)
            cpu_before = cpu_seconds(app.pid), cpu_seconds(llm.pid), own_cpu_seconds()
            samples, elapsed = asyncio.run(
                drive(base_url, args.clients, args.seconds, args.kinds, 10**7)
            )
            cpu = Cpu(
                cpu_seconds(app.pid) - cpu_before[0],
                cpu_seconds(llm.pid) - cpu_before[1],
                own_cpu_seconds() - cpu_before[2],
            )
            direct: list[Sample] = []
            if args.direct_seconds > 0:
                print(
                    f"calling the model directly for {args.direct_seconds:.0f} s …", file=sys.stderr
                )
                direct, _ = asyncio.run(
                    drive(
                        f"http://127.0.0.1:{llm_port}",
                        args.clients,
                        args.direct_seconds,
                        ["direct", "direct-stream"],
                        10**8,
                    )
                )
            info += f" (load average after: {os.getloadavg()[0]:.2f})"
        pair([*samples, *direct], timings)
        met = report(samples, elapsed, args, info, cpu, floor_of(direct))
        if args.profile and profile.exists():
            profile_table(profile)
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            rows = [
                {
                    **asdict(s),
                    "overhead_ms": s.overhead_ms,
                    "first_token_overhead_ms": s.first_token_overhead_ms,
                }
                for s in samples
            ]
            args.json.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
