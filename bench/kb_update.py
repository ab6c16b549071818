"""Searches while the knowledge base is updated through the running service (issue 16).

    .venv/bin/python bench/kb_update.py [--base LAW ...] [--big chihou_jichi_hou.txt]
        [--clients 2] [--json FILE]

Indexes the `--base` laws (samples/laws) into a temporary data directory, serves Yakuba
(uvicorn, embedded index, extractive mode: no model) and, with `--clients` clients asking
POST /v1/ask in a loop the whole time, measures four phases:

    idle      searches alone (10 s)
    add       the `--big` law uploaded through POST /v1/admin/documents, until its job ends
    replace   the same law with every 「第」 article caption changed, until its job ends
    remove    DELETE /v1/admin/documents?source=…

Prints, per phase: the searches answered, errors (any non-200, or an answer without
citations), latency p50 / p95 / max, and the job's own duration and chunks.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from service.main import create_app  # noqa: E402
from service.runtime import Runtime  # noqa: E402
from service.settings import Settings  # noqa: E402
from tests.utils.live import serve_in_thread  # noqa: E402

LAWS = Path(__file__).resolve().parents[1] / "samples" / "laws"
QUESTIONS = [
    "行政手続法で、申請に対する審査基準の公表はどう定められていますか",
    "行政文書の開示請求の方法",
    "不利益処分の理由の提示",
    "住民票の写しの交付",
]


class Searcher:
    """Clients asking in a loop; each answer's latency is filed under the current phase."""

    def __init__(self, url: str, clients: int) -> None:
        self.url = url
        self.phase = "idle"
        self.latencies: dict[str, list[float]] = {}
        self.errors: dict[str, list[str]] = {}
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._loop, args=(n,)) for n in range(clients)]

    def __enter__(self) -> Searcher:
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for t in self._threads:
            t.join()

    def _loop(self, n: int) -> None:
        with httpx.Client(base_url=self.url, timeout=60) as http:
            i = n
            while not self._stop.is_set():
                phase = self.phase
                started = time.perf_counter()
                question = QUESTIONS[i % len(QUESTIONS)]
                i += 1
                try:
                    response = http.post("/v1/ask", json={"question": question})
                    body = response.json() if response.status_code == 200 else {}
                    ok = bool(body.get("citations"))
                    if body.get("status") == "blocked":  # the guard's time limit under load
                        problem = "guard refused (fail closed), not an index error"
                    else:
                        problem = "" if ok else f"{response.status_code} {response.text[:120]}"
                except httpx.HTTPError as exc:
                    problem = f"{type(exc).__name__}: {exc}"
                elapsed = (time.perf_counter() - started) * 1000
                self.latencies.setdefault(phase, []).append(elapsed)
                if problem:
                    self.errors.setdefault(phase, []).append(problem)


def _wait(http: httpx.Client, job: dict[str, Any]) -> dict[str, Any]:
    while job["status"] in ("queued", "running"):
        time.sleep(0.2)
        job = http.get(f"/v1/admin/documents/jobs/{job['id']}").json()
    return job


def _upload(http: httpx.Client, name: str, data: bytes) -> dict[str, Any]:
    response = http.post("/v1/admin/documents", files={"file": (name, data, "text/plain")})
    response.raise_for_status()
    return _wait(http, response.json())


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--base", nargs="*", default=["gyousei_tetsuzuki_hou.txt", "jouhou_koukai_hou.txt"]
    )
    parser.add_argument("--big", default="chihou_jichi_hou.txt")
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="yakuba-kb-bench-"))
    try:
        corpus = folder / "corpus"
        corpus.mkdir()
        for name in args.base:
            shutil.copy(LAWS / name, corpus / name)
        settings = Settings(
            data_dir=folder / "data",
            max_upload_bytes=8 * 1024 * 1024,
            trusted_hosts="127.0.0.1",
        )
        runtime = Runtime(settings)
        started = time.perf_counter()
        base = runtime.knowledge_base.ingest([corpus])
        base_chunks = sum(f.chunks for f in base.files)
        runtime.close()
        print(
            f"base index: {len(args.base)} laws, {base_chunks} chunks, "
            f"{time.perf_counter() - started:.1f} s"
        )
        big = (LAWS / args.big).read_bytes()
        changed = big.decode("utf-8").replace("第", "第 ", 200).encode("utf-8")
        app = create_app(settings)
        phases: dict[str, dict[str, Any]] = {}
        with serve_in_thread(app) as url, httpx.Client(base_url=url, timeout=600) as http:
            http.post("/v1/ask", json={"question": QUESTIONS[0]}).raise_for_status()  # warm
            with Searcher(url, args.clients) as searcher:
                time.sleep(10)
                for phase, action in (
                    ("add", lambda: _upload(http, args.big, big)),
                    ("replace", lambda: _upload(http, args.big, changed)),
                    (
                        "remove",
                        lambda: http.delete(
                            "/v1/admin/documents", params={"source": args.big}
                        ).json(),
                    ),
                ):
                    searcher.phase = phase
                    t0 = time.perf_counter()
                    result = action()
                    phases[phase] = {
                        "seconds": round(time.perf_counter() - t0, 2),
                        "outcome": result.get("outcome", "removed"),
                        "chunks": result.get("result", {}).get("chunks"),
                    }
                    searcher.phase = f"after-{phase}"
                    time.sleep(1)
            rows = []
            for phase in ("idle", "add", "replace", "remove"):
                lat = searcher.latencies.get(phase, [])
                errs = searcher.errors.get(phase, [])
                row = {
                    "phase": phase,
                    "searches": len(lat),
                    "errors": len(errs),
                    "p50_ms": round(statistics.median(lat), 1) if lat else None,
                    "p95_ms": round(_percentile(lat, 0.95), 1) if lat else None,
                    "max_ms": round(max(lat), 1) if lat else None,
                    **phases.get(phase, {}),
                    "first_error": errs[0] if errs else "",
                }
                rows.append(row)
                print(json.dumps(row, ensure_ascii=False))
        print(f"load average: {os.getloadavg()}")
        if args.json:
            args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), "utf-8")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
