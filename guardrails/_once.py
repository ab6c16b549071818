"""A value built on first use and shared by the whole process (the gazetteer, the
romanised name sets): building takes a fraction of a second and memory, so it happens
once, under a lock, whichever thread asks first."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

_T = TypeVar("_T")


class ProcessWide(Generic[_T]):
    """``build()`` run once, on the first ``get()`` (thread-safe)."""

    __slots__ = ("_build", "_lock", "_value")

    def __init__(self, build: Callable[[], _T]) -> None:
        self._build = build
        self._lock = threading.Lock()
        self._value: _T | None = None

    def get(self) -> _T:
        value = self._value
        if value is None:
            with self._lock:
                value = self._value
                if value is None:
                    value = self._value = self._build()
        return value
