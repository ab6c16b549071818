"""Sentence-level splitting shared by the chunkers.

Japanese legal text nests full sentences inside brackets (「…をいう。以下同じ。」), so a
sentence ends only at a 。 outside every bracket; otherwise a chunk would start in the
middle of a definition.
"""

from __future__ import annotations

from collections.abc import Iterable

_OPEN = "（(「『【〔［"
_CLOSE = "）)」』】〕］"


def split_sentences(text: str) -> list[str]:
    """Split at 。 that are outside brackets; the 。 stays with its sentence."""
    sentences: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            # Unbalanced closers (a bracket opened on a previous line) must not push the
            # depth negative and hide every later sentence end.
            depth = max(depth - 1, 0)
        elif ch == "。" and depth == 0:
            sentences.append(text[start : i + 1])
            start = i + 1
    if start < len(text):
        sentences.append(text[start:])
    return [s for s in sentences if s]


def hard_split(sentence: str, limit: int) -> list[str]:
    """Cut one over-long sentence, preferring the clause boundary 、 over a blind cut."""
    if len(sentence) <= limit:
        return [sentence]
    clauses: list[str] = []
    start = 0
    for i, ch in enumerate(sentence):
        if ch == "、":
            clauses.append(sentence[start : i + 1])
            start = i + 1
    if start < len(sentence):
        clauses.append(sentence[start:])
    pieces: list[str] = []
    current = ""
    for clause in clauses:
        while len(clause) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(clause[:limit])
            clause = clause[limit:]
        if len(current) + len(clause) > limit:
            pieces.append(current)
            current = clause
        else:
            current += clause
    if current:
        pieces.append(current)
    return pieces


def pack_lines(lines: Iterable[str], limit: int) -> list[str]:
    """Group lines into pieces of at most ``limit`` characters.

    Lines are kept whole when they fit; a longer line is cut at sentence ends (and only a
    single over-long sentence is cut further). Fragments of the same line are joined
    without a newline so the original line structure survives.
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    pieces: list[str] = []
    current = ""
    for line in lines:
        fragments: list[tuple[str, bool]] = []  # (text, starts a new line)
        if len(line) <= limit:
            fragments.append((line, True))
        else:
            first = True
            for sentence in split_sentences(line):
                for part in hard_split(sentence, limit):
                    fragments.append((part, first))
                    first = False
        for text, new_line in fragments:
            joiner = "\n" if new_line and current else ""
            if current and len(current) + len(joiner) + len(text) > limit:
                pieces.append(current)
                current = text
            else:
                current += joiner + text
    if current:
        pieces.append(current)
    return pieces
