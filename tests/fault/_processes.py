"""Real processes for the fault tests: `yakuba serve` started as an operator would, and a
throw-away PostgreSQL cluster of the test's own (initdb + pg_ctl on a free port) that a
test may restart without touching the shared server on 5432."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from bench.sigkill import MARK

ROOT = Path(__file__).resolve().parents[2]
YAKUBA = Path(sys.executable).with_name("yakuba")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Service:
    """One `yakuba serve` process on a loopback port."""

    env: dict[str, str]
    log: Path
    port: int
    proc: subprocess.Popen[bytes] | None = None
    # More of `yakuba serve`'s options (--workers=2), and the path that answers 200 once
    # it serves.
    options: tuple[str, ...] = ()
    ready_path: str = "/healthz"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout_s: float = 180.0) -> Service:
        out = self.log.open("ab")
        self.proc = subprocess.Popen(
            [str(YAKUBA), "serve", f"--port={self.port}", *self.options],
            cwd=ROOT,
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        out.close()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"yakuba serve exited:\n{self.log.read_text()[-3000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}{self.ready_path}", timeout=2).status_code == 200:
                    return self
            time.sleep(0.2)
        raise AssertionError(
            f"yakuba serve not ready in {timeout_s} s:\n{self.log.read_text()[-3000:]}"
        )

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def service_env(
    data_dir: Path, database_url: str, llm_base_url: str, **extra: str
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("YAKUBA_")}
    return {
        **env,
        "PYTHONPATH": str(ROOT),
        "YAKUBA_DATA_DIR": str(data_dir),
        "YAKUBA_DATABASE_URL": database_url,
        "YAKUBA_LLM_BASE_URL": llm_base_url,
        "YAKUBA_LLM_MODEL": "test-model",
        **extra,
    }


def index_copy(indexed_data_dir: Path, dest: Path) -> Path:
    """A process's own copy of the test index (the embedded index opens in one process
    only: bench/index_readers.py); no audit database comes along."""
    shutil.copytree(indexed_data_dir / "index", dest / "index")
    return dest


@contextlib.contextmanager
def running(*services: Service) -> Iterator[tuple[Service, ...]]:
    try:
        for service in services:
            service.start()
        yield services
    finally:
        for service in services:
            service.stop()


def on_record(database: str) -> tuple[set[str], set[str]]:
    """Markers of the chained records and of the pending intents."""
    engine = create_engine(database)
    try:
        with engine.connect() as conn:
            records = {
                m
                for (p,) in conn.execute(text("SELECT prompt FROM audit_records"))
                for m in MARK.findall(p)
            }
            intents = {
                m
                # The intent's entry is JSON written with ASCII escapes: read the prompt
                # from the decoded value, not from the column's text.
                for (e,) in conn.execute(text("SELECT entry FROM audit_intents"))
                for m in MARK.findall(e["prompt"])
            }
    finally:
        engine.dispose()
    return records, intents


def _postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(found[-1]).parent if found else None


class ScratchCluster:
    """A PostgreSQL cluster in a temporary folder, run as the `postgres` system user
    (initdb refuses root), trust authentication on 127.0.0.1 only."""

    def __init__(self, folder: Path) -> None:
        bindir = _postgres_bin()
        if bindir is None:
            pytest.skip("PostgreSQL のサーバープログラム（initdb, pg_ctl）がありません")
        self.bindir = bindir
        self.folder = folder
        self.data = folder / "pgdata"
        self.port = free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _as_postgres(self, *args: str) -> None:
        command = [*args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *args]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def init(self) -> ScratchCluster:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self._as_postgres(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--no-sync",
            "-E",
            "UTF8",
        )
        return self

    def _ctl(self, action: str) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "pg.log"),
            "-o",
            options,
            "-w",
            "-m",
            "fast",
            action,
        )

    def start(self) -> None:
        self._ctl("start")

    def restart(self) -> None:
        self._ctl("restart")

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._ctl("stop")
