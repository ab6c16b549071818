"""Retrieved passages, guarded before they reach the model, with the verdicts remembered.

The index may hold personal data (an index built with YAKUBA_INGEST_PERSONAL_DATA=report,
or a document that predates a deny-list term), so every passage passes the guard on its
way into a prompt. Passages are the same few thousand texts over and over, while a scan
costs milliseconds of CPU per passage and five passages per question: the verdicts are
cached per passage text. An entry is valid only for the guard configuration it was made
with (`Guard.config_version`: a reloaded deny-list), so a term an administrator adds
applies to passages as soon as the guard applies it to prompts.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

from guardrails import Action, Guard

__all__ = ["PassageScreen"]

# Distinct passages remembered; a 例規集 answers most questions from far fewer.
DEFAULT_CACHE_SIZE = 8192


class PassageScreen:
    """`screen(text)` is `text`, or its redacted form when the guard finds anything."""

    def __init__(self, guard: Guard, *, max_entries: int = DEFAULT_CACHE_SIZE) -> None:
        self._guard = guard
        self._max = max_entries
        self._cache: OrderedDict[bytes, str] = OrderedDict()
        self._version: tuple[int, ...] | None = None
        self._lock = threading.Lock()

    def screen(self, text: str) -> str:
        key = hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
        version = self._guard.config_version
        with self._lock:
            if version != self._version:
                self._cache.clear()
                self._version = version
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
            # A deny-list reloaded during the scan may have judged with either list:
            # such a verdict is used once, not remembered.
            if version == self._version == self._guard.config_version:
                self._cache[key] = safe
                if len(self._cache) > self._max:
                    self._cache.popitem(last=False)
        return safe
