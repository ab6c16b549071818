"""Administrator-maintained deny-list terms (unreleased plan names, internal projects).

The list is a UTF-8 text file, one term per line, ``#`` starting a comment line
(default: the bundled ``guardrails/conf/denylist.txt``; ``build_guard(denylist_path=…)``
points elsewhere). Terms match after the guard's normalisation (NFKC: full/half width),
case-insensitively and whatever whitespace is put between their characters.

The file is re-read without a restart: at most once per ``check_interval_s`` a scan
compares the file's mtime/size/inode with the loaded version and reloads on change. A
file that cannot be read or decoded keeps the last good list in force and logs a
warning naming the file and the error — never the terms (they are confidential).

All terms are compiled into one regular expression shaped like a trie (common prefixes
shared), so hundreds of terms cost one pass over the text.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails._compact import compact, original_span
from guardrails._errors import GuardConfigError
from guardrails._normalize import normalize

logger = logging.getLogger(__name__)

SCORE = 0.9
# One character matches almost anywhere in Japanese: such terms are skipped.
MIN_TERM_CHARS = 2
_FileStamp = tuple[int, int, int]  # mtime_ns, size, inode


def default_denylist_path() -> Path:
    """The bundled example list (``guardrails/conf/denylist.txt``)."""
    return Path(str(resources.files("guardrails").joinpath("conf", "denylist.txt")))


class DenylistTermRecognizer(EntityRecognizer):
    """Recognise the terms of a deny-list file, reloaded when the file changes."""

    SUPPORTED_ENTITY: ClassVar[str] = "DENYLIST_TERM"
    SUPPORTED_LANGUAGE: ClassVar[str] = "ja"
    CHECK_INTERVAL_S: ClassVar[float] = 1.0

    def __init__(
        self,
        path: Path | str | None = None,
        *,
        check_interval_s: float | None = None,
        supported_language: str | None = None,
    ) -> None:
        self._path = Path(path) if path is not None else default_denylist_path()
        self._interval = self.CHECK_INTERVAL_S if check_interval_s is None else check_interval_s
        self._lock = threading.Lock()
        self._pattern: re.Pattern[str] | None = None
        self._stamp: _FileStamp | None = None
        self._checked = float("-inf")
        self._term_count = 0
        self._generation = 0
        super().__init__(
            supported_entities=[self.SUPPORTED_ENTITY],
            name=type(self).__name__,
            supported_language=supported_language or self.SUPPORTED_LANGUAGE,
            context=[],
        )

    @property
    def path(self) -> Path:
        """The deny-list file in use."""
        return self._path

    @property
    def term_count(self) -> int:
        """How many terms the list in force holds."""
        return self._term_count

    def current_generation(self) -> int:
        """Counts the lists loaded so far, after the same (rate-limited) check for a
        changed file that a scan makes: a verdict remembered with one generation is
        stale once it changes."""
        self._refresh()
        return self._generation

    def load(self) -> None:
        """Read the file now (called by Presidio at construction)."""
        self._refresh(force=True)

    def use_file(self, path: Path | str) -> None:
        """Switch to another file; it must be readable now (``GuardConfigError``)."""
        with self._lock:
            self._path = Path(path)
            self._stamp = None
            self._pattern = None
            self._term_count = 0
        if not self._refresh(force=True):
            raise GuardConfigError("非公開用語リストを読めません。", path=path)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Every occurrence of a deny-listed term in ``text``."""
        self._refresh()
        pattern = self._pattern  # one read: a concurrent reload swaps the reference
        if pattern is None:
            return []
        squeezed, origin = compact(text)
        lowered = squeezed.lower()
        if len(lowered) != len(squeezed):  # a few letters lower-case to two characters
            lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in squeezed)
        results: list[RecognizerResult] = []
        for found in pattern.finditer(lowered):
            start, end = original_span(origin, found.start(), found.end())
            if _continues_ascii_word(text, start, end):
                continue
            results.append(
                RecognizerResult(
                    entity_type=self.SUPPORTED_ENTITY,
                    start=start,
                    end=end,
                    score=SCORE,
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: type(self).__name__,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                    },
                )
            )
        return results

    # -- reloading ----------------------------------------------------------------------
    def _refresh(self, *, force: bool = False) -> bool:
        """Reload when the file changed; False when it could not be read."""
        now = time.monotonic()
        if not force and now - self._checked < self._interval:
            return True
        # Another thread already checking: go on with the list in force.
        if not self._lock.acquire(blocking=force):
            return True
        try:
            self._checked = now
            try:
                stat = os.stat(self._path)
                stamp = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
                if stamp == self._stamp:
                    return True
                raw = self._path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                if self._stamp is not None or force:
                    logger.warning(
                        "deny-list %s unreadable (%s); keeping the previous list of %d terms",
                        self._path,
                        type(exc).__name__,
                        self._term_count,
                    )
                self._stamp = None
                return False
            terms, skipped = parse_terms(raw.splitlines())
            self._pattern = compile_terms(terms)
            self._stamp = stamp
            self._term_count = len(terms)
            self._generation += 1
            logger.info(
                "deny-list %s loaded: %d terms (%d too short, skipped)",
                self._path,
                len(terms),
                skipped,
            )
            return True
        finally:
            self._lock.release()


def parse_terms(lines: Iterable[str]) -> tuple[list[str], int]:
    """Normalised, de-duplicated terms and how many were too short to use."""
    terms: dict[str, None] = {}
    skipped = 0
    for line in lines:
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        term = compact(normalize(stripped).text)[0].lower()
        if len(term) < MIN_TERM_CHARS:
            skipped += 1
            continue
        terms[term] = None
    return list(terms), skipped


def compile_terms(terms: Iterable[str]) -> re.Pattern[str] | None:
    """One regex for all (lower-case, whitespace-free) ``terms``; None when empty.

    Shaped like a trie of plain literals, which Python's regex engine scans fast
    (~25 µs for 600 terms over 400 characters); matching runs on the lower-cased text
    without whitespace, and ASCII word boundaries are checked afterwards.
    """
    trie: dict[str, dict[str, Any]] = {}
    for term in terms:
        node = trie
        for ch in term:
            node = node.setdefault(ch, {})
        node[""] = {}
    return re.compile(_trie_regex(trie)) if trie else None


def _trie_regex(node: dict[str, Any]) -> str:
    branches = [re.escape(ch) + _trie_regex(node[ch]) for ch in sorted(node) if ch]
    if not branches:
        return ""
    group = "(?:" + "|".join(branches) + ")"
    # Longer terms first: the group is tried before stopping here.
    return group + "?" if "" in node else group


def _continues_ascii_word(text: str, start: int, end: int) -> bool:
    """ABC must not match inside ABCD or xABC."""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return (_word_char(before) and _word_char(text[start])) or (
        _word_char(after) and _word_char(text[end - 1])
    )


def _word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()
