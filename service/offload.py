"""Where a step of a request runs: on the event loop when its text is short, in a worker
thread when it is long.

The guard and retrieval are CPU work that holds the interpreter. For a short question
(~50 characters: ~0.5 ms of guard, ~4 ms of retrieval) the hop to a worker thread costs
more than the step — under 50 clients the hops took throughput from ~95 to ~75 requests/s
(bench/service.py). A long text is another matter: 8,000 characters take ~57 ms to guard
and ~45 ms to embed and search, and on the loop that would stall every other request
(another client's requests waited up to 171 ms behind one long question)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

import anyio.to_thread

__all__ = ["INLINE_CHARS", "run_sized"]

# ~3.5 ms of guard and ~12 ms of retrieval on the 2-core reference machine.
INLINE_CHARS = 300

P = ParamSpec("P")
T = TypeVar("T")


async def run_sized(chars: int, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`fn(*args, **kwargs)` for a step over `chars` characters of text."""
    if chars <= INLINE_CHARS:
        return fn(*args, **kwargs)
    return await anyio.to_thread.run_sync(lambda: fn(*args, **kwargs))
