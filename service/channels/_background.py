"""Answers worked out after the platform's callback was acknowledged, started so that they
do not slow the acknowledgements down.

The platforms resend what is not acknowledged in time (Slack: 3 s), and a burst of
callbacks arrives together (a channel's announcement, a morning's questions). An answer's
first step — the guard and retrieval, CPU work in a worker thread — holds the interpreter
lock; started while other callbacks are still being acknowledged, it makes each of them
wait for the lock at every read, write and log line (bench/bots.py: ack p99 116–173 ms for
20 events at once). So an answer starts once no callback has been in flight for
`SETTLE_S`, and after `MAX_DEFER_S` at the latest (sustained traffic never starves the
answers); the answers take seconds, the wait milliseconds.

One scheduler serves every bot of the app (mount_bots), so a Slack burst also holds back
a LINE WORKS answer's screening for those milliseconds.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from typing import Any

import structlog

__all__ = ["AnswerScheduler"]

log = structlog.get_logger(__name__)

SETTLE_S = 0.005
MAX_DEFER_S = 0.25


class AnswerScheduler:
    def __init__(self, *, settle_s: float = SETTLE_S, max_defer_s: float = MAX_DEFER_S) -> None:
        self.settle_s = settle_s
        self.max_defer_s = max_defer_s
        self._in_flight = 0
        self._last_done = 0.0
        # Held, so that a running answer is not garbage-collected (asyncio keeps only
        # weak references to tasks).
        self._running: set[asyncio.Task[Any]] = set()

    @asynccontextmanager
    async def callback(self) -> AsyncIterator[None]:
        """Wraps the acknowledgement of one callback."""
        self._in_flight += 1
        try:
            yield
        finally:
            self._in_flight -= 1
            self._last_done = time.monotonic()

    def start(self, answer: Coroutine[Any, Any, Any]) -> None:
        """Runs `answer` in the background once the acknowledgements have gone out."""
        task = asyncio.create_task(self._when_quiet(answer))
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    @property
    def running(self) -> int:
        return len(self._running)

    async def _when_quiet(self, answer: Coroutine[Any, Any, Any]) -> None:
        deadline = time.monotonic() + self.max_defer_s
        while time.monotonic() < deadline and (
            self._in_flight or time.monotonic() - self._last_done < self.settle_s
        ):
            await asyncio.sleep(self.settle_s)
        try:
            await answer
        except Exception as exc:  # an answer's failure must not vanish without a trace
            log.warning("bot_answer_failed", error=type(exc).__name__)
