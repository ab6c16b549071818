"""A knowledge base with the fictional city's FAQ and two laws, indexed once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from service.faq import FaqJobs, open_faq_jobs
from service.runtime import Runtime
from service.settings import Settings
from tests.service.faq._data import city_faq_csv
from tests.utils.llm_server import RecordingLLMServer


@pytest.fixture(scope="session")
def faq_data_dir(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Path:
    data_dir = tmp_path_factory.mktemp("faqdata")
    city = tmp_path_factory.mktemp("city")
    city_faq_csv(city)
    runtime = Runtime(Settings(data_dir=data_dir))
    report = runtime.knowledge_base.ingest([corpus_dir, city])
    runtime.close()
    assert report.ok, report
    return data_dir


@pytest.fixture
def faq_settings(faq_data_dir: Path, tmp_path: Path) -> Settings:
    return Settings(data_dir=faq_data_dir, database_url=f"sqlite:///{tmp_path / 'audit.sqlite3'}")


@pytest.fixture
def model_settings(faq_settings: Settings, llm_server: RecordingLLMServer) -> Settings:
    return faq_settings.model_copy(
        update={
            "llm_base_url": llm_server.base_url,
            "llm_model": "test-model",
            "llm_max_retries": 0,
        }
    )


@pytest.fixture
def model_jobs(model_settings: Settings) -> Iterator[FaqJobs]:
    runtime = Runtime(model_settings)
    jobs = open_faq_jobs(runtime)
    yield jobs
    jobs.store.close()
    runtime.close()
