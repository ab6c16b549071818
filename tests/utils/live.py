"""A FastAPI app served by uvicorn on a free loopback port, in a thread of the test process
(so tests can still reach into `app.state`); `serve_yakuba` serves Yakuba itself in front of
the recording test model."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

from ingest import Embedder
from service.main import create_app
from service.settings import Settings

from .llm_server import RecordingLLMServer

__all__ = ["free_port", "serve_in_thread", "serve_yakuba"]

_START_S = 20


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve_in_thread(app: FastAPI) -> Iterator[str]:
    """Yields the server's base URL (`http://127.0.0.1:PORT`) once it accepts connections."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + _START_S
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def serve_yakuba(
    data_dir: Path, embedder: Embedder, audit_db: Path, **settings: Any
) -> Iterator[tuple[str, FastAPI, RecordingLLMServer]]:
    """Yakuba over `data_dir`'s index (queries embedded by the already loaded `embedder`),
    its audit log in `audit_db`, answering through a fresh recording test model; yields the
    base URL, the app and the model server."""
    with RecordingLLMServer() as llm:
        app = create_app(
            Settings(
                data_dir=data_dir,
                database_url=f"sqlite:///{audit_db}",
                llm_base_url=llm.base_url,
                llm_model="test-model",
                llm_max_retries=0,
                **settings,
            )
        )
        app.state.runtime.knowledge_base.embedder = embedder
        with serve_in_thread(app) as url:
            yield url, app, llm
