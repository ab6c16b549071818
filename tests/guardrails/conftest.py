from __future__ import annotations

from collections.abc import Iterator

import pytest

from guardrails import Guard, build_guard


@pytest.fixture(scope="session")
def guard() -> Iterator[Guard]:
    """The default guard (bundled policy and recognisers), built once per session."""
    built = build_guard()
    yield built
    built.close()
