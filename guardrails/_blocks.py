"""Where a value's block of lines and its sentence begin and end.

A *block* is the value's line and up to ``BLOCK_LINES`` lines either way that no blank
line separates from it: the fields of one record (氏名：…⏎住所：…⏎電話：…) or one entry of
a facility guide. A *sentence* runs between 。/！/？ and line breaks.
"""

from __future__ import annotations

import re

BLOCK_LINES = 3  # lines either way that belong to a value's block
_REACH = 200  # the longest sentence looked at, either way
_SENTENCE_END = re.compile(r"[。！？!?\n]")


class Blocks:
    """Line and block boundaries of a text."""

    __slots__ = ("_text",)

    def __init__(self, text: str) -> None:
        self._text = text

    def block(self, start: int, end: int) -> tuple[int, int]:
        """Start and end of the lines within ``BLOCK_LINES`` of ``[start, end)`` that
        no blank line separates from it."""
        text = self._text
        lo = text.rfind("\n", 0, start) + 1
        for _ in range(BLOCK_LINES):
            if lo == 0:
                break
            previous = text.rfind("\n", 0, lo - 1) + 1
            if not text[previous : lo - 1].strip():
                break
            lo = previous
        hi = text.find("\n", end)
        hi = len(text) if hi < 0 else hi
        for _ in range(BLOCK_LINES):
            if hi >= len(text):
                break
            following = text.find("\n", hi + 1)
            following = len(text) if following < 0 else following
            if not text[hi + 1 : following].strip():
                break
            hi = following
        return lo, hi


def sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around ``[start, end)``: between 。/！/？/line breaks."""
    before = [x.end() for x in _SENTENCE_END.finditer(text, max(0, start - _REACH), start)]
    after = _SENTENCE_END.search(text, end, end + _REACH)
    return (
        before[-1] if before else max(0, start - _REACH),
        after.start() if after else min(len(text), end + _REACH),
    )
