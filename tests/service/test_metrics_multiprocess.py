"""Metrics of several processes in one scrape (PROMETHEUS_MULTIPROC_DIR).

prometheus_client picks its multiprocess mode when it is imported, from the environment,
so each process here is a real Python process started with that environment, as
`yakuba serve --workers N` starts its workers. One is killed with SIGKILL in the middle of
two requests; the scrape of another still counts what the dead one counted, but not its
requests in progress. A real `yakuba serve --workers 2` is started in
tests/fault/test_workers_metrics.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from service.cli.serve import metrics_dir
from service.observability import MULTIPROC_ENV, prepare_multiprocess_dir
from service.settings import Settings

ROOT = Path(__file__).resolve().parents[2]

_COUNT = """
import os, signal, sys
from service.observability import Metrics
m = Metrics()
m.http_requests.labels("/v1/ask", "POST", "200").inc(int(sys.argv[1]))
m.http_in_progress.inc(int(sys.argv[2]))
if sys.argv[3] == "kill":
    os.kill(os.getpid(), signal.SIGKILL)
sys.stdout.buffer.write(m.exposition())
"""


def _run(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), MULTIPROC_ENV: str(folder)}
    return subprocess.run(
        [sys.executable, "-c", _COUNT, *args], env=env, capture_output=True, timeout=120
    )


def _samples(text: str) -> dict[str, float]:
    return {
        sample.name: sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_one_scrape_reports_every_process_and_forgets_the_dead_ones(tmp_path: Path) -> None:
    folder = tmp_path / "metrics"
    prepare_multiprocess_dir(folder)
    killed = _run(folder, "3", "2", "kill")
    assert killed.returncode == -9, killed.stderr.decode()
    scraped = _run(folder, "4", "1", "scrape")
    assert scraped.returncode == 0, scraped.stderr.decode()
    values = _samples(scraped.stdout.decode())
    # 3 + 4: the dead process's requests did happen.
    assert values["yakuba_http_requests_total"] == 7.0
    # Only the living process's request in progress: the dead one's 2 are gone.
    assert values["yakuba_http_requests_in_progress"] == 1.0


def test_a_new_set_of_workers_starts_from_an_empty_folder(tmp_path: Path) -> None:
    folder = tmp_path / "metrics"
    folder.mkdir()
    _run(folder, "5", "0", "scrape")
    assert list(folder.glob("*.db"))  # an earlier run's counts
    prepare_multiprocess_dir(folder)
    assert list(folder.glob("*.db")) == []
    fresh = _samples(_run(folder, "1", "0", "scrape").stdout.decode())
    assert fresh["yakuba_http_requests_total"] == 1.0


def test_the_folder_is_the_operators_or_the_data_dirs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    monkeypatch.delenv(MULTIPROC_ENV, raising=False)
    assert metrics_dir(settings) == tmp_path / "data" / "metrics"
    monkeypatch.setenv(MULTIPROC_ENV, str(tmp_path / "tmpfs"))
    assert metrics_dir(settings) == tmp_path / "tmpfs"
