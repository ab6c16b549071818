"""A copy of the text without what hides words, and the way back to the original offsets.

Spaces and line breaks inside an address, a name or a deny-listed term (東京都千代田区
\\n千代田, 山 田 太 郎, さくら 計画) must not hide it, so those recognisers match on a
compacted copy. The copy also composes kana with a separate voicing mark: the guard's
normalisation is per character (to keep its offset map), so half-width ﾀﾞ becomes
タ + U+3099, which neither Sudachi nor a word list would recognise as ダ.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import NamedTuple

_WHITESPACE = re.compile(r"\s+")
_VOICING_MARKS = ("\u3099", "\u309a")


class OffsetMap(NamedTuple):
    """For each character of a compacted text, the span of the original it came from."""

    starts: list[int]
    ends: list[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original span of the non-empty compacted span ``[start, end)``."""
        return self.starts[start], self.ends[end - 1]


def compact(text: str, *, keep_ascii_gaps: bool = False) -> tuple[str, OffsetMap | None]:
    """``text`` without whitespace (``keep_ascii_gaps``: one whitespace character is
    kept between two ASCII letters/digits, so 1-1 2F stays two numbers), voicing
    marks composed; the map is ``None`` when nothing changed."""
    drops: list[tuple[int, int]] = []
    for gap in _WHITESPACE.finditer(text):
        start, end = gap.span()
        if (
            keep_ascii_gaps
            and start > 0
            and end < len(text)
            and _ascii_alnum(text[start - 1] + text[end])
        ):
            start += 1
        if start < end:
            drops.append((start, end))
    return rebuild(text, drops)


def rebuild(text: str, drops: Iterable[tuple[int, int]]) -> tuple[str, OffsetMap | None]:
    """``text`` without the (sorted, disjoint) spans ``drops``, voicing marks composed."""
    parts: list[str] = []
    starts: list[int] = []
    last = 0
    for start, end in drops:
        parts.append(text[last:start])
        starts.extend(range(last, start))
        last = end
    if last == 0 and not any(mark in text for mark in _VOICING_MARKS):
        return text, None
    parts.append(text[last:])
    starts.extend(range(last, len(text)))
    kept = "".join(parts)
    ends = [s + 1 for s in starts]
    if any(mark in kept for mark in _VOICING_MARKS):
        kept = _compose_voicing(kept, starts, ends)
    return kept, OffsetMap(starts, ends)


def original_span(offsets: OffsetMap | None, start: int, end: int) -> tuple[int, int]:
    """Map a non-empty span of the compacted text back to the original text."""
    return (start, end) if offsets is None else offsets.span(start, end)


def _compose_voicing(text: str, starts: list[int], ends: list[int]) -> str:
    """Compose タ + U+3099 → ダ in place of the two; ``starts``/``ends`` are updated."""
    out: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if i + 1 < len(text) and text[i + 1] in _VOICING_MARKS:
            composed = unicodedata.normalize("NFC", ch + text[i + 1])
            if len(composed) == 1:
                out.append(composed)
                new_starts.append(starts[i])
                new_ends.append(ends[i + 1])
                i += 2
                continue
        out.append(ch)
        new_starts.append(starts[i])
        new_ends.append(ends[i])
        i += 1
    starts[:] = new_starts
    ends[:] = new_ends
    return "".join(out)


def _ascii_alnum(chars: str) -> bool:
    return chars.isascii() and chars.isalnum()
