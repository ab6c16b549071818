"""An index of its own per test (updates write to it), over one bundled law, and the
service in front of it with the already loaded embedding model."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ingest import Embedder
from service.main import create_app
from service.runtime import Runtime
from service.settings import Settings

ROOT = Path(__file__).resolve().parents[3]
LAW = ROOT / "samples" / "laws" / "gyousei_tetsuzuki_hou.txt"


@pytest.fixture(scope="session")
def kb_template(tmp_path_factory: pytest.TempPathFactory, warm_embedder: Embedder) -> Path:
    """A data dir with one law indexed, copied for each test (indexing it is seconds)."""
    data_dir = tmp_path_factory.mktemp("kb-template")
    folder = tmp_path_factory.mktemp("kb-corpus")
    shutil.copy(LAW, folder / LAW.name)
    runtime = Runtime(Settings(data_dir=data_dir))
    runtime.knowledge_base.embedder = warm_embedder
    try:
        assert runtime.knowledge_base.ingest([folder]).ok
    finally:
        runtime.close()
    return data_dir


@pytest.fixture
def kb_settings(kb_template: Path, tmp_path: Path) -> Settings:
    data_dir = tmp_path / "data"
    shutil.copytree(kb_template, data_dir)
    return Settings(
        data_dir=data_dir,
        database_url=f"sqlite:///{tmp_path / 'audit.sqlite3'}",
        trusted_hosts="testserver",
    )


KbClientFactory = Callable[..., TestClient]


@pytest.fixture
def kb_client(kb_settings: Settings, warm_embedder: Embedder) -> Iterator[KbClientFactory]:
    clients: list[TestClient] = []

    def make(**overrides: Any) -> TestClient:
        app = create_app(kb_settings.model_copy(update=overrides))
        app.state.runtime.knowledge_base.embedder = warm_embedder
        client = TestClient(app)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)
