"""Fixtures for the ingest tests."""

from __future__ import annotations

import pytest

from ingest._chunking import split_law
from ingest._models import Chunk
from tests.ingest._law_samples import SAMPLE_TITLES, law_text


@pytest.fixture(scope="session")
def law_chunks() -> dict[str, list[Chunk]]:
    """Every sample law chunked once with the default max_chars (800)."""
    return {
        stem: split_law(law_text(stem), source=f"samples/laws/{stem}.txt") for stem in SAMPLE_TITLES
    }
