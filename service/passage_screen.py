"""Retrieved passages, guarded before they reach the model, with the verdicts remembered.

The index may hold personal data (an index built with YAKUBA_INGEST_PERSONAL_DATA=report,
or a document that predates a deny-list term), so every passage passes the guard on its
way into a prompt. Passages are the same few thousand texts over and over, while a scan
costs milliseconds of CPU per passage and five passages per question: the verdicts are
cached per passage text. An entry is valid only for the deny-list version it was made
with, so a term an administrator adds applies to the next request, as it does for prompts.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from pathlib import Path

from guardrails import Action, Guard
from guardrails.recognizers.denylist_term import default_denylist_path

__all__ = ["PassageScreen"]

# Distinct passages remembered; a 例規集 answers most questions from far fewer.
DEFAULT_CACHE_SIZE = 8192
_Stamp = tuple[int, int, int]


class PassageScreen:
    """`screen(text)` is `text`, or its redacted form when the guard finds anything."""

    def __init__(
        self,
        guard: Guard,
        *,
        denylist_path: Path | None = None,
        max_entries: int = DEFAULT_CACHE_SIZE,
    ) -> None:
        self._guard = guard
        self._denylist = denylist_path or default_denylist_path()
        self._max = max_entries
        self._cache: OrderedDict[bytes, str] = OrderedDict()
        self._stamp: _Stamp | None = None
        self._lock = threading.Lock()

    def screen(self, text: str) -> str:
        key = hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
        stamp = self._denylist_stamp()
        with self._lock:
            if stamp != self._stamp:
                self._cache.clear()
                self._stamp = stamp
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
        result = self._guard.scan(text)
        safe = text if result.action is Action.ALLOW else result.redacted
        if result.error:
            # A failed scan is never remembered: the next request scans again.
            return safe
        with self._lock:
            if stamp == self._stamp:
                self._cache[key] = safe
                if len(self._cache) > self._max:
                    self._cache.popitem(last=False)
        return safe

    def _denylist_stamp(self) -> _Stamp:
        try:
            st = os.stat(self._denylist)
        except OSError:
            return (0, 0, 0)
        return (st.st_mtime_ns, st.st_size, st.st_ino)
