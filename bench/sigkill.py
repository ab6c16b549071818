"""SIGKILL under load: every request the model saw has an audit record.

    .venv/bin/python bench/sigkill.py [--clients 30] [--load-seconds 6] [--latency-ms 400]
        [--rounds 3] [--pythonpath DIR]

Starts the recording test model (tests/utils/llm_server.py) in this process — it notes
each request the moment it arrives, before it answers — and `yakuba serve` pointed at it
over two bundled laws. `--clients` clients send /v1/ask and /v1/chat/completions (plain
and streamed), each question carrying a unique marker. After `--load-seconds` the
service is killed with SIGKILL while requests are in flight. Then the audit database is
read: a request the model saw is on record when a chained record or a pending intent
(service.audit.AuditIntent) carries its marker; opening the store again
(`recover_intents`, as `yakuba serve` does when it starts) chains the intents as
`interrupted`, and the chain is verified.

`--pythonpath` runs another checkout's service (e.g. a copy of main) for a before/after.
Prints one Markdown table row per round and the totals.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.utils.llm_server import RecordingLLMServer  # noqa: E402

YAKUBA = Path(sys.executable).with_name("yakuba")
LAWS = ("gyousei_tetsuzuki_hou.txt", "jouhou_koukai_hou.txt")
QUESTIONS = (
    "行政手続法で、申請に対する審査基準の公表はどう定められていますか",
    "情報公開法で、開示請求があったときの開示決定の期限は",
    "不利益処分をする前の聴聞の手続について教えてください",
)
# Letters only: a marker of digits could read as a number the guard masks.
_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
MARK = re.compile(r"照会記号([A-Z]{5})")


def marker(n: int) -> str:
    letters = ""
    for _ in range(5):
        n, r = divmod(n, len(_LETTERS))
        letters += _LETTERS[r]
    return f"照会記号{letters}"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ingest(data_dir: Path, work: Path, env: dict[str, str]) -> None:
    corpus = work / "corpus"
    corpus.mkdir()
    for name in LAWS:
        shutil.copy(ROOT / "samples" / "laws" / name, corpus / name)
    subprocess.run(
        [str(YAKUBA), "ingest", str(corpus)],
        env={**env, "YAKUBA_DATA_DIR": str(data_dir)},
        check=True,
        capture_output=True,
    )


def request_for(n: int) -> tuple[str, dict[str, object]]:
    question = f"{QUESTIONS[n % len(QUESTIONS)]}（{marker(n)}）"
    stream = n % 4 >= 2
    if n % 2 == 0:
        return "/v1/ask", {"question": question, "stream": stream}
    messages = [{"role": "user", "content": question}]
    return "/v1/chat/completions", {"model": "yakuba", "messages": messages, "stream": stream}


async def load(base_url: str, clients: int, counter: list[int]) -> None:
    async def client(http: httpx.AsyncClient) -> None:
        while True:
            counter[0] += 1
            path, body = request_for(counter[0])
            try:
                await http.post(f"{base_url}{path}", json=body)
            except httpx.HTTPError:
                return  # the service is gone

    async with httpx.AsyncClient(timeout=30) as http:
        await asyncio.gather(*(client(http) for _ in range(clients)), return_exceptions=True)


def on_record(database: Path) -> tuple[set[str], set[str]]:
    """Markers of the chained records and of the pending intents."""
    with sqlite3.connect(database) as conn:
        rows = conn.execute("SELECT prompt FROM audit_records")
        records = {m for (p,) in rows for m in MARK.findall(p)}
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        intents: set[str] = set()
        if "audit_intents" in tables:
            rows = conn.execute("SELECT entry FROM audit_intents")
            intents = {m for (e,) in rows for m in MARK.findall(json.loads(e)["prompt"])}
    return records, intents


def round_once(
    args: argparse.Namespace, work: Path, data_dir: Path, env: dict[str, str]
) -> dict[str, int]:
    database = work / f"audit-{time.monotonic_ns()}.sqlite3"
    port = free_port()
    with RecordingLLMServer(latency_s=args.latency_ms / 1000, stream_chunk_chars=6) as llm:
        app_env = {
            **env,
            "YAKUBA_DATA_DIR": str(data_dir),
            "YAKUBA_DATABASE_URL": f"sqlite:///{database}",
            "YAKUBA_LLM_BASE_URL": llm.base_url,
            "YAKUBA_LLM_MODEL": "test-model",
            "YAKUBA_LLM_MAX_CONCURRENCY": str(args.clients + 8),
        }
        log = (work / "serve.log").open("ab")
        proc = subprocess.Popen(
            [str(YAKUBA), "serve", f"--port={port}"],
            env=app_env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        base_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base_url}/healthz", timeout=2).status_code == 200:
                    break
            time.sleep(0.3)
        else:
            sys.exit(f"yakuba serve did not start:\n{(work / 'serve.log').read_text()[-2000:]}")
        # Loads the embedding model and the guard before the load starts.
        warm = httpx.post(f"{base_url}/v1/ask", json={"question": QUESTIONS[0]}, timeout=120)
        warm.raise_for_status()
        counter = [10_000 * int(time.time() % 1000)]

        async def run() -> None:
            task = asyncio.ensure_future(load(base_url, args.clients, counter))
            await asyncio.sleep(args.load_seconds)
            proc.send_signal(signal.SIGKILL)
            await asyncio.wait_for(task, timeout=60)

        asyncio.run(run())
        proc.wait()
        time.sleep(0.5)
        seen = {m for r in llm.chat_requests for m in MARK.findall(r.prompt_text())}
    records, intents = on_record(database)
    recovered = 0
    if intents:
        from service.audit import AuditStore

        store = AuditStore(f"sqlite:///{database}", key_file=work / "k")
        recovered = store.recover_intents()
        assert store.verify() == [], "the chain does not verify after recovery"
        store.close()
    after, _ = on_record(database)
    return {
        "seen": len(seen),
        "records": len(seen & records),
        "intents": len(seen & intents),
        "missing": len(seen - records - intents),
        "recovered": recovered,
        "missing_after": len(seen - after),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=30)
    parser.add_argument("--load-seconds", type=float, default=6.0)
    parser.add_argument("--latency-ms", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pythonpath", type=Path, default=ROOT, help="the checkout to serve")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="yakuba-bench-sigkill-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("YAKUBA_")}
    env["PYTHONPATH"] = str(args.pythonpath)
    data_dir = work / "data"
    print(f"ingesting into {data_dir} …", file=sys.stderr)
    ingest(data_dir, work, env)
    print(
        f"serving {args.pythonpath}; {args.clients} clients, SIGKILL after {args.load_seconds:.0f} s, model latency {args.latency_ms} ms\n"
    )
    print(
        "| round | model saw | chained records | pending intents | missing | recovered at restart | missing after |"
    )
    print("|---|---|---|---|---|---|---|")
    total = dict.fromkeys(
        ("seen", "records", "intents", "missing", "recovered", "missing_after"), 0
    )
    try:
        for i in range(1, args.rounds + 1):
            row = round_once(args, work, data_dir, env)
            for k, v in row.items():
                total[k] += v
            print(
                f"| {i} | {row['seen']} | {row['records']} | {row['intents']} | {row['missing']} | {row['recovered']} | {row['missing_after']} |",
                flush=True,
            )
        print(
            f"| all | {total['seen']} | {total['records']} | {total['intents']} | {total['missing']} | {total['recovered']} | {total['missing_after']} |"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
