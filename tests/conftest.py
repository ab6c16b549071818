"""Fixtures shared by all of Yakuba's tests."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# `tests/` has no __init__.py, so pytest does not put the project root on sys.path by itself;
# the shared helpers are imported as `tests.utils.<module>` (as `python -m` does too).
_PROJECT_ROOT = str(Path(__file__).resolve().parent.parent)
if _PROJECT_ROOT not in sys.path:
    sys.path.insert(0, _PROJECT_ROOT)

from tests.utils.llm_server import RecordingLLMServer  # noqa: E402


@pytest.fixture
def llm_server() -> Iterator[RecordingLLMServer]:
    """A started local OpenAI-compatible server that records every request (see tests/utils)."""
    with RecordingLLMServer() as server:
        yield server


@pytest.fixture(autouse=True)
def _forget_fastapi_endpoints() -> Iterator[None]:
    """FastAPI keeps up to 4,096 endpoint callables per process in module-level caches
    (fastapi.dependencies.models). Yakuba's routers are closures over one app's runtime,
    so in a test session that builds hundreds of apps the caches kept every runtime
    alive — guard, dictionaries, index — and the suite's memory grew past 20 GB. A
    served process builds one app, so only the tests need this. A test that built an
    app also leaves its runtime in reference cycles (routers and bots point back at it),
    which Python's oldest generation collects rarely on a heap this large: collected
    here after every fourth such test (after each one, the suite took 40 % longer)."""
    yield
    from fastapi.dependencies import models

    built_an_app = False
    for name in dir(models):
        cached = getattr(models, name)
        cache_clear = getattr(cached, "cache_clear", None)
        if callable(cache_clear):
            built_an_app = built_an_app or cached.cache_info().currsize > 0
            cache_clear()
    if built_an_app:
        _apps_built[0] += 1
        if _apps_built[0] % 4 == 0:
            gc.collect()


_apps_built = [0]  # tests that built an app, for _forget_fastapi_endpoints
