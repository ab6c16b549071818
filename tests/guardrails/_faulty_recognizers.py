"""Recognisers that misbehave, loaded through a test ``recognizers.toml``.

They prove the guard fails closed: an exception or a hang inside a recogniser must
end in a *blocked* result, never an allowed one.
"""

from __future__ import annotations

import time
from typing import Any

from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult

SLOW_SECONDS = 1.5
PACED_SECONDS = 0.1


class _Base(PatternRecognizer):
    def __init__(self) -> None:
        super().__init__(
            supported_entity="DENYLIST_TERM",
            name=type(self).__name__,
            supported_language="ja",
            patterns=[Pattern("never", r"(?!x)x", 0.5)],
        )


class ExplodingRecognizer(_Base):
    """Raises on every text — with the text in the message, as real bugs often do."""

    def analyze(
        self, text: str, entities: list[str], *args: Any, **kwargs: Any
    ) -> list[RecognizerResult]:
        raise RuntimeError(f"boom while reading {text!r}")


class SlowRecognizer(_Base):
    """Takes far longer than the guard's time budget."""

    seconds = SLOW_SECONDS

    def analyze(
        self, text: str, entities: list[str], *args: Any, **kwargs: Any
    ) -> list[RecognizerResult]:
        time.sleep(self.seconds)
        return []


class PacedRecognizer(SlowRecognizer):
    """Well within the guard's time budget, but long enough that concurrent scans queue."""

    seconds = PACED_SECONDS


class ExitingRecognizer(_Base):
    """Raises a BaseException (not an Exception) inside the scan."""

    def analyze(
        self, text: str, entities: list[str], *args: Any, **kwargs: Any
    ) -> list[RecognizerResult]:
        raise SystemExit(3)
