"""Background work that lives as long as the app serves (the job workers)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool

__all__ = ["run_alongside"]


def run_alongside(app: FastAPI, start: Callable[[], None], stop: Callable[[], None]) -> None:
    """Calls `start` once the app's own startup is done and `stop` (in a worker thread: it
    may wait for a job in flight) when it shuts down, before the app's own shutdown."""
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(a: FastAPI) -> AsyncIterator[Any]:
        async with inner(a) as state:
            start()
            try:
                yield state
            finally:
                await run_in_threadpool(stop)

    app.router.lifespan_context = lifespan
