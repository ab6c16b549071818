"""Requests per minute per user, in memory: a burst guard in front of the SQL quotas.

Per process: with several service processes each allows the limit, which is fine for
its purpose (stopping a runaway script quickly); the daily quotas are the shared ones.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

__all__ = ["MinuteRateLimiter"]

_WINDOW_S = 60.0
# Bounded memory: the least recently seen users are forgotten first.
_MAX_USERS = 50_000


class MinuteRateLimiter:
    def __init__(self, limit: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self._clock = clock
        self._lock = threading.Lock()
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()

    def acquire(self, user: str) -> float:
        """0 when the request may go ahead (and is counted); otherwise seconds to wait."""
        if self.limit <= 0:
            return 0.0
        now = self._clock()
        with self._lock:
            times = self._seen.pop(user, None) or deque()
            self._seen[user] = times
            while times and now - times[0] >= _WINDOW_S:
                times.popleft()
            if len(times) >= self.limit:
                return _WINDOW_S - (now - times[0])
            times.append(now)
            while len(self._seen) > _MAX_USERS:
                self._seen.popitem(last=False)
            return 0.0

    def used(self, user: str) -> int:
        now = self._clock()
        with self._lock:
            return sum(1 for t in self._seen.get(user, ()) if now - t < _WINDOW_S)
