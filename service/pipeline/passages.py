"""Retrieved passages, guarded WITH their titles and headings before they reach the model,
with the verdicts remembered.

The model reads each passage under its citation label (`[1] 題名 第3条（見出し）`), and
staff see that label, the excerpt and the source in the citations; the audit record keeps
the labels. A title or heading can hold a person's data as well as the text can (「山田太郎様
（090-…）からの苦情への対応」), and an index built with YAKUBA_INGEST_PERSONAL_DATA=report
may hold it in the text. So a passage is scanned as one text — source, label and body
together, as the model reads it — and every piece comes back in its screened form; the
raw pieces go nowhere else.

Passages are the same few thousand texts over and over, while a scan costs milliseconds
of CPU: the screened pieces are cached per passage. An entry is valid only for the guard
configuration it was made with (`Guard.config_version`: a reloaded deny-list), so a term
an administrator adds applies to passages as soon as the guard applies it to prompts.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from guardrails import Action, Finding, Guard
from ingest import Hit

from .redaction import redact_piece

__all__ = ["PassageScreen", "ScreenedPassage"]

# Distinct passages remembered; a 例規集 answers most questions from far fewer.
DEFAULT_CACHE_SIZE = 8192
_SEPARATOR = "\n"


@dataclass(frozen=True)
class ScreenedPassage:
    """A retrieved passage in the only form that goes on: to the model, the staff
    member, the audit record."""

    source: str
    title: str
    locator: str
    heading: str
    text: str
    score: float
    relevance: float | None


class PassageScreen:
    """`passage(hit)` is the hit with every piece screened; `screen(text)` one text."""

    def __init__(self, guard: Guard, *, max_entries: int = DEFAULT_CACHE_SIZE) -> None:
        self._guard = guard
        self._max = max_entries
        self._cache: OrderedDict[bytes, tuple[str, ...]] = OrderedDict()
        self._version: tuple[int, ...] | None = None
        self._lock = threading.Lock()

    def screen(self, text: str) -> str:
        return self.screen_pieces((text,))[0]

    def passage(self, hit: Hit) -> ScreenedPassage:
        source, title, locator, heading, text = self.screen_pieces(
            (hit.source, hit.title, hit.locator, hit.heading, hit.text)
        )
        return ScreenedPassage(source, title, locator, heading, text, hit.score, hit.relevance)

    def screen_pieces(self, pieces: tuple[str, ...]) -> tuple[str, ...]:
        """The pieces scanned together as one text (joined by line breaks), each
        returned as it is or with what the guard found in it masked."""
        joined = _SEPARATOR.join(pieces)
        key = hashlib.blake2b(joined.encode("utf-8"), digest_size=16).digest()
        version = self._guard.config_version
        with self._lock:
            if version != self._version:
                self._cache.clear()
                self._version = version
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
        result = self._guard.scan(joined)
        if result.action is Action.ALLOW:
            safe = pieces
        elif len(pieces) == 1:
            safe = (result.redacted,)
        elif result.error:
            safe = tuple(result.redacted for _ in pieces)  # unscannable: nothing raw goes on
        else:
            safe = _redact_each(joined, pieces, result.findings)
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


def _redact_each(
    joined: str, pieces: tuple[str, ...], findings: Sequence[Finding]
) -> tuple[str, ...]:
    out: list[str] = []
    at = 0
    for piece in pieces:
        out.append(redact_piece(joined, findings, at, at + len(piece)))
        at += len(piece) + len(_SEPARATOR)
    return tuple(out)
