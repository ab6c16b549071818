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
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from service.observability import MULTIPROC_ENV

from ._processes import ROOT, YAKUBA, free_port, service_env

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
    url = f"http://127.0.0.1:{free_port()}"
    log = (tmp_path / "serve.log").open("ab")
    proc = subprocess.Popen(
        [str(YAKUBA), "serve", f"--port={url.rsplit(':', 1)[1]}", "--workers=2"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    try:
        sent = 0
        deadline = time.monotonic() + 600
        with httpx.Client(timeout=30) as http:
            # Both workers up and counting: each has written its file.
            while len(_pids(folder)) < 2 or sent < 20:
                assert proc.poll() is None, (tmp_path / "serve.log").read_text()[-3000:]
                assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()[-3000:]
                with contextlib.suppress(httpx.HTTPError):
                    # A fresh connection each time, so that either worker may accept it.
                    if httpx.get(f"{url}/metrics", timeout=30).status_code == 200:
                        sent += 1
                        continue
                time.sleep(0.5)
            assert not (folder / "counter_1.db").exists()  # emptied when serve started
            time.sleep(1.0)  # the last request is counted once its response is complete
            scrape = http.get(f"{url}/metrics")
        assert _served_metrics(scrape.text) == sent
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
