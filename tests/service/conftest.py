"""A small real knowledge base (two bundled laws), indexed once per test session."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ingest import Embedder
from service.main import create_app
from service.runtime import Runtime
from service.settings import Settings
from tests.utils.llm_server import RecordingLLMServer

ROOT = Path(__file__).resolve().parents[2]
LAWS = ("gyousei_tetsuzuki_hou.txt", "jouhou_koukai_hou.txt")


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for name in LAWS:
        shutil.copy(ROOT / "samples" / "laws" / name, folder / name)
    return folder


@pytest.fixture(scope="session")
def indexed_data_dir(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Path:
    data_dir = tmp_path_factory.mktemp("data")
    runtime = Runtime(Settings(data_dir=data_dir))
    report = runtime.knowledge_base.ingest([corpus_dir])
    runtime.close()
    assert report.ok, report
    return data_dir


@pytest.fixture
def settings(indexed_data_dir: Path, tmp_path: Path) -> Settings:
    """Embedded defaults over the shared index, with an audit database of the test's own."""
    return Settings(
        data_dir=indexed_data_dir,
        database_url=f"sqlite:///{tmp_path / 'audit.sqlite3'}",
        # Starlette's TestClient sends `Host: testserver`; tests of the default trusted
        # hosts set this back to "" (test_api_hardening).
        trusted_hosts="testserver",
    )


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    rt = Runtime(settings)
    yield rt
    rt.close()


@pytest.fixture
def llm_settings(settings: Settings, llm_server: RecordingLLMServer) -> Settings:
    return settings.model_copy(
        update={
            "llm_base_url": llm_server.base_url,
            "llm_model": "test-model",
            "llm_max_retries": 0,
        }
    )


@pytest.fixture
def llm_runtime(llm_settings: Settings) -> Iterator[Runtime]:
    rt = Runtime(llm_settings)
    yield rt
    rt.close()


@pytest.fixture(scope="session")
def warm_embedder(indexed_data_dir: Path) -> Embedder:
    """The embedding model, loaded once: each new knowledge base would load it again
    (seconds), so API tests hand this one to the app they build."""
    rt = Runtime(Settings(data_dir=indexed_data_dir))
    try:
        rt.knowledge_base.search("審査基準", k=1)
        return rt.knowledge_base.embedder
    finally:
        rt.close()


AppFactory = Callable[..., TestClient]


@pytest.fixture
def make_client(settings: Settings, warm_embedder: Embedder) -> Iterator[AppFactory]:
    """`make_client(**setting_overrides)` → a started TestClient over the real app."""
    clients: list[TestClient] = []

    def make(**overrides: object) -> TestClient:
        app = create_app(settings.model_copy(update=overrides))
        app.state.runtime.knowledge_base.embedder = warm_embedder
        client = TestClient(app)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def llm_overrides(llm_server: RecordingLLMServer) -> dict[str, object]:
    return {"llm_base_url": llm_server.base_url, "llm_model": "test-model", "llm_max_retries": 0}
