"""Where a bot's acknowledgement spends its time: the event loop's own CPU per callback.

    .venv/bin/python bench/bots_ack_cpu.py [--callbacks 60] [--profile 25]

Builds the app in this process (bench/bots.py's settings: the Slack, LINE WORKS and Teams
bots, the recording platform APIs, a test model that takes 30 s so that no answer is
posted while measuring), then sends `--callbacks` correctly signed callbacks per platform
one after another through httpx's in-process ASGI transport and, per callback, takes the
event-loop thread's CPU time (`time.thread_time`: the guard and retrieval of the answers,
which run in worker threads, are not in it; the in-process client is — GET /healthz shows
its share). With `--profile N` it prints the N functions with the most own time per
platform (cProfile of the loop thread). A CPU-bound figure: unlike bench/bots.py it does
not depend much on the machine's load.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bots import (  # noqa: E402
    PATHS,
    TeamsSetup,
    bot_env,
    lineworks_request,
    slack_request,
    write_setup,
)
from bench.service import pct  # noqa: E402
from tests.utils.chat_api_server import (  # noqa: E402
    TEAMS_SERVICE,
    ChatApiServer,
)
from tests.utils.llm_server import RecordingLLMServer  # noqa: E402

PLATFORMS = ("healthz", "lineworks", "slack", "teams")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--callbacks", type=int, default=60)
    parser.add_argument("--profile", type=int, default=0)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as tmp,
        ChatApiServer() as api,
        RecordingLLMServer(latency_s=30, record=False) as llm,
    ):
        work = Path(tmp)
        directory, key_file, teams_key, jwks = write_setup(work, args.callbacks)
        teams = TeamsSetup(teams_key, api.url(TEAMS_SERVICE))
        os.environ.update(bot_env(work / "data", llm.base_url, api, directory, key_file, jwks))
        from service.main import create_app

        app = create_app()
        builds = {"slack": slack_request, "lineworks": lineworks_request, "teams": teams.request}
        cpu = asyncio.run(measure(app, builds, args))
    load = os.getloadavg()[0]
    print(f"\nloop-thread CPU per callback, {args.callbacks} sequential each, load {load:.1f}:\n")
    print("| platform | CPU p50 / mean / p95 (ms) |")
    print("|---|---|")
    for name, values in cpu.items():
        mean = sum(values) / len(values)
        print(f"| {name} | {pct(values, 0.5):.2f} / {mean:.2f} / {pct(values, 0.95):.2f} |")


async def measure(
    app: object, builds: dict[str, object], args: argparse.Namespace
) -> dict[str, list[float]]:
    cpu: dict[str, list[float]] = {}
    async with app.router.lifespan_context(app):  # type: ignore[attr-defined]
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            for name in PLATFORMS:

                async def send(n: int, round_no: int, name: str = name) -> None:
                    if name == "healthz":
                        response = await client.get("/healthz")
                    else:
                        _, body, headers = builds[name](n, round_no)  # type: ignore[operator]
                        response = await client.post(PATHS[name], content=body, headers=headers)
                    assert response.status_code in (200, 202), response.status_code

                for n in range(3):  # warm-up
                    await send(n, 900)
                profile = cProfile.Profile()
                values: list[float] = []
                for n in range(args.callbacks):
                    started = time.thread_time()
                    if args.profile:
                        profile.enable()
                    await send(n, 1)
                    if args.profile:
                        profile.disable()
                    values.append((time.thread_time() - started) * 1000)
                cpu[name] = values
                if args.profile:
                    out = io.StringIO()
                    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(
                        args.profile
                    )
                    print(f"\n== {name}\n{out.getvalue()}", file=sys.stderr)
    return cpu


if __name__ == "__main__":
    main()
