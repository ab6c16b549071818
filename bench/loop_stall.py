"""How long one long request holds up everybody else's.

    .venv/bin/python bench/loop_stall.py [--chars 7900] [--repeat 3]

Starts the test LLM (200 ms) and Yakuba under uvicorn like bench/service.py, then, for a
long `/v1/ask` question and a long `/v1/chat/completions` message (`--chars` characters
of a bundled law), polls `GET /v1/models` every 5 ms while the long request runs. A
request served on the event loop waits for whatever CPU work the loop is doing, so the
slowest poll is how long the long request stalled the others. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.service import (  # noqa: E402
    free_port,
    ingest,
    process,
    test_model_args,
    wait_ready,
    yakuba_args,
    yakuba_env,
)

LAW = ROOT / "samples" / "laws" / "jouhou_koukai_hou.txt"


def body_for(kind: str, text: str) -> tuple[str, dict[str, object]]:
    if kind == "ask":
        return "/v1/ask", {"question": f"{text}について教えて"}
    return "/v1/chat/completions", {
        "model": "yakuba",
        "messages": [{"role": "user", "content": text}],
    }


async def stall(client: httpx.AsyncClient, kind: str, text: str) -> tuple[float, list[float]]:
    """(the long request's time, every poll's time meanwhile), in ms."""
    polls: list[float] = []
    done = asyncio.Event()

    async def poll() -> None:
        while not done.is_set():
            started = time.perf_counter()
            await client.get("/v1/models")
            polls.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(0.005)

    poller = asyncio.create_task(poll())
    await asyncio.sleep(0.2)
    path, body = body_for(kind, text)
    started = time.perf_counter()
    response = await client.post(path, json=body)
    took = (time.perf_counter() - started) * 1000
    done.set()
    await poller
    if response.status_code != 200:
        sys.exit(f"{path}: HTTP {response.status_code} {response.text[:300]}")
    return took, polls


async def measure(base_url: str, text: str, repeat: int) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=120) as client:
        await client.post("/v1/ask", json={"question": "審査基準は？"})  # loads the models
        print(
            f"| request ({len(text):,} characters) | its time (ms) | other requests meanwhile: p50 / max (ms) |"
        )
        print("|---|---:|---:|")
        for kind in ("ask", "chat"):
            for _ in range(repeat):
                took, polls = await stall(client, kind, text)
                print(
                    f"| {kind} | {took:.0f} | {statistics.median(polls):.1f} / {max(polls):.0f} |"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=7_900, help="≤ YAKUBA_MAX_PROMPT_CHARS")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    text = LAW.read_text(encoding="utf-8")[: args.chars]

    work = Path(tempfile.mkdtemp(prefix="yakuba-bench-stall-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("YAKUBA_")}
    env["PYTHONPATH"] = str(ROOT)
    data_dir = work / "data"
    try:
        print("ingesting two laws …", file=sys.stderr)
        ingest(data_dir, work, env)
        llm_port, app_port = free_port(), free_port()
        llm_args = test_model_args(llm_port, 200)
        app_env = yakuba_env(env, data_dir, llm_port)
        with (
            process(llm_args, env, work / "llm.log") as llm,
            process(yakuba_args(app_port), app_env, work / "yakuba.log") as app,
        ):
            wait_ready(f"http://127.0.0.1:{llm_port}/v1/models", llm, work / "llm.log")
            base_url = f"http://127.0.0.1:{app_port}"
            wait_ready(f"{base_url}/healthz", app, work / "yakuba.log")
            asyncio.run(measure(base_url, text, args.repeat))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
