"""An index of its own per test (updates write to it), over one bundled law, and the
service in front of it with the already loaded embedding model."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest import Embedder
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
def settings(kb_template: Path, tmp_path: Path) -> Settings:
    """The service's settings over a copy of the template (tests/service/conftest.py's
    `make_client` builds its apps with these)."""
    data_dir = tmp_path / "data"
    shutil.copytree(kb_template, data_dir)
    return Settings(
        data_dir=data_dir,
        database_url=f"sqlite:///{tmp_path / 'audit.sqlite3'}",
        trusted_hosts="testserver",
    )
