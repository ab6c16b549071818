"""`yakuba serve` says that it runs: a small file in the data dir (`serve.json`: process,
host, URL, start time), removed when it stops.

The embedded index can be open in one process only; a command that finds it held reads
this file to tell a running service (to which `yakuba ingest` and `yakuba remove` hand
their work through the database) from another command still running (which must finish
first), and to name the service's address in its messages. A file left by a killed
service names a process that is gone, and counts as absent.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

import structlog
from pydantic import BaseModel, ValidationError

from .leases import runner_gone

__all__ = ["FILE_NAME", "ServiceInfo", "announce", "running_service"]

FILE_NAME = "serve.json"
log = structlog.get_logger(__name__)


class ServiceInfo(BaseModel):
    pid: int
    host: str
    url: str
    started_at: datetime


@contextmanager
def announce(data_dir: Path, url: str) -> Iterator[ServiceInfo]:
    """Writes the file for as long as the block runs (the service serves)."""
    info = ServiceInfo(
        pid=os.getpid(),
        host=socket.gethostname()[:64],
        url=url,
        started_at=datetime.now(UTC),
    )
    path = data_dir / FILE_NAME
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(info.model_dump_json(), encoding="utf-8")
        temporary.replace(path)  # whole or not at all, for a reader polling it
    except OSError as exc:
        # A read-only data dir (a stateless container on a Qdrant server and PostgreSQL)
        # holds no embedded index for a command to find busy: serve without the file.
        log.warning("serve_file_not_written", path=str(path), error=type(exc).__name__)
    try:
        yield info
    finally:
        with suppress(OSError, ValueError):
            if ServiceInfo.model_validate_json(path.read_text("utf-8")).pid == info.pid:
                path.unlink()


def running_service(data_dir: Path) -> ServiceInfo | None:
    """The service announced in `data_dir`, unless its process is gone."""
    try:
        info = ServiceInfo.model_validate(json.loads((data_dir / FILE_NAME).read_text("utf-8")))
    except (OSError, ValueError, ValidationError):
        return None
    if runner_gone(f"{info.host}:{info.pid}"):
        return None
    return info
