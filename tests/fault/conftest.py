"""The fault tests start real `yakuba serve` processes over the test index (two bundled
laws, indexed once per session as in tests/service)."""

from __future__ import annotations

from tests.service.conftest import corpus_dir, indexed_data_dir  # noqa: F401 - fixtures
