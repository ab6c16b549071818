"""Text hidden by an encoding the normaliser could not undo (ENCODED_DATA).

The normaliser decodes HTML references, ``\\u``/``\\x`` escapes, percent-encoding and
base64 that spells text (``guardrails._decode``): what it reads is scanned like any other
text. What still *looks* encoded afterwards cannot be checked, so it is reported rather
than let through (fail closed) — a base64 blob of a spreadsheet or an image, bytes in an
unknown character set, escapes of invalid code points:

* a base64 run of 24 or more characters mixing upper case, lower case and digits
  (an identifier or a hash is rarely all three), not inside a URL or a file name → 0.7;
* three or more percent escapes in a row, outside a URL → 0.7;
* two or more ``\\u`` / ``\\x`` escapes in a row → 0.7.
"""

from __future__ import annotations

import re
from typing import ClassVar

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails._decode import BASE64_RUN
from guardrails.recognizers._base import ContextRecognizer

SCORE = 0.7
_MIN_BASE64 = 24
_PERCENT = re.compile(r"(?:%[0-9A-Fa-f]{2}){3,}")
_ESCAPES = re.compile(r"(?:\\u[0-9A-Fa-f]{4}|\\x[0-9A-Fa-f]{2}|\\U[0-9A-Fa-f]{8}){2,}")
_URL_TOKEN = re.compile(r"\S*(?:://|www\.)\S*", re.I)
_MAYBE = re.compile(r"[A-Za-z0-9+/_\-]{24}|%[0-9A-Fa-f]{2}|\\[uUx]")


class EncodedDataRecognizer(ContextRecognizer):
    """Report encoded runs that remain after normalisation (see the module doc)."""

    SUPPORTED_ENTITY: ClassVar[str] = "ENCODED_DATA"

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Encoded-looking runs outside URLs."""
        if not _MAYBE.search(text):
            return []
        urls = [m.span() for m in _URL_TOKEN.finditer(text)]
        spans: list[tuple[int, int]] = []
        for match in BASE64_RUN.finditer(text):
            run = match.group().rstrip("=")
            if len(run) >= _MIN_BASE64 and _mixed(run):
                spans.append(match.span())
        spans += [m.span() for m in _PERCENT.finditer(text)]
        spans += [m.span() for m in _ESCAPES.finditer(text)]
        return self.results(
            ((start, end), SCORE)
            for start, end in spans
            if not any(a <= start and end <= b for a, b in urls)
        )


def _mixed(run: str) -> bool:
    return (
        any(c.isupper() for c in run)
        and any(c.islower() for c in run)
        and any(c.isdigit() for c in run)
    )
