"""`yakuba serve --workers 2`: one scrape of /metrics reports both worker processes.

--workers > 1 needs a Qdrant server (YAKUBA_QDRANT_URL), and none can run here: the URL
names a closed port, so nothing that searches could answer — /healthz and every assistant
route fail. /metrics needs no index, and the access log counts each request to it, so
its own requests are what is counted here. Both workers take requests from the one
listening socket; once both have counted some, a scrape must report all of them. The
full pipeline's counts across processes are checked in test_processes.py (two
`yakuba serve` sharing PROMETHEUS_MULTIPROC_DIR).
"""

from __future__ import annotations

import contextlib
import json
import time
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from service.observability import MULTIPROC_ENV

from ._processes import Service, free_port, service_env

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def _served_metrics(text: str) -> float:
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "yakuba_http_requests_total" and sample.labels["route"] == "/metrics"
    )


def _pids(folder: Path) -> set[str]:
    return {p.stem.rsplit("_", 1)[1] for p in folder.glob("counter_*.db")}


def _logged(log: Path) -> int:
    """/metrics requests the workers served, by their access log (both write to it)."""
    lines = (json.loads(line) for line in log.read_text().splitlines() if line.startswith("{"))
    return sum(1 for line in lines if line.get("route") == "/metrics")


def test_one_scrape_reports_both_workers(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    folder = data_dir / "metrics"
    folder.mkdir(parents=True)
    (folder / "counter_1.db").write_bytes(b"left by an earlier run")
    env = service_env(
        data_dir,
        f"sqlite:///{data_dir / 'audit.sqlite3'}",
        f"http://127.0.0.1:{free_port()}/v1",
        YAKUBA_QDRANT_URL=f"http://127.0.0.1:{free_port()}",
    )
    env.pop(MULTIPROC_ENV, None)
    service = Service(
        env, tmp_path / "serve.log", free_port(), options=("--workers=2",), ready_path="/metrics"
    )
    try:
        service.start(timeout_s=600)  # two workers import the app at once: minutes here
        assert not (folder / "counter_1.db").exists()  # emptied when serve started
        deadline = time.monotonic() + 600
        sent = 0
        # Until both workers have counted requests (each has written its file).
        while len(_pids(folder)) < 2 or sent < 20:
            assert time.monotonic() < deadline, service.log.read_text()[-3000:]
            # A fresh connection each time, so that either worker may accept it.
            with contextlib.suppress(httpx.HTTPError):
                httpx.get(f"{service.url}/metrics", timeout=30)
                sent += 1
            time.sleep(0.1)  # the second worker may still be importing the app
        time.sleep(1.0)  # each request is counted and logged once its response is complete
        served = _logged(service.log)
        scrape = httpx.get(f"{service.url}/metrics", timeout=30)
    finally:
        service.stop()
    assert served >= sent
    assert _served_metrics(scrape.text) == served
