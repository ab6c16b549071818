"""Chunk an FAQ: one question-and-answer pair per chunk.

A pair is retrieved and cited as a whole (``FAQ 12``), with the question as its heading,
so a citizen's question matches the stored question and the answer comes with it. The
text reads ``Q: …`` / ``A: …``, followed by the pair's category, department and update
date when the sheet has them. An answer too long for one chunk is cut at sentence ends;
every piece repeats the question so none is read out of context.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .._models import Chunk, DocType
from ._sentences import pack_lines

__all__ = ["MIN_FAQ_CHARS", "FaqEntry", "split_faq"]

MIN_FAQ_CHARS = 100


@dataclass(frozen=True)
class FaqEntry:
    """One pair. ``notes`` are labelled extras such as ``("担当課", "市民課")``."""

    locator: str
    question: str
    answer: str
    notes: tuple[tuple[str, str], ...] = ()


def _notes_line(notes: tuple[tuple[str, str], ...]) -> str:
    shown = [f"{label}: {value}" for label, value in notes if value]
    return f"（{'／'.join(shown)}）" if shown else ""


def _entry_texts(entry: FaqEntry, max_chars: int) -> list[str]:
    question = " ".join(entry.question.split("\n"))
    # A question that fills the chunk would leave no room for the answer.
    limit = max_chars // 2
    if len(question) > limit:
        question = question[: limit - 1] + "…"
    notes = _notes_line(entry.notes)
    tail = f"\n{notes}" if notes else ""
    whole = f"Q: {question}\nA: {entry.answer}{tail}"
    if len(whole) <= max_chars:
        return [whole]
    if len(f"Q: {question}\nA（続き）: {tail}") > max_chars - 20:
        tail = ""  # the notes are a convenience; the answer must fit
    budget = max_chars - len(f"Q: {question}\nA（続き）: {tail}")
    pieces = pack_lines(entry.answer.split("\n"), budget)
    return [
        f"Q: {question}\n{'A' if index == 0 else 'A（続き）'}: {piece}{tail}"
        for index, piece in enumerate(pieces)
    ]


def split_faq(
    entries: Iterable[FaqEntry],
    *,
    source: str,
    title: str,
    max_chars: int = 800,
) -> list[Chunk]:
    """Chunk FAQ pairs; every chunk is at most ``max_chars`` characters."""
    if max_chars < MIN_FAQ_CHARS:
        raise ValueError(f"max_chars must be at least {MIN_FAQ_CHARS}")
    pieces = [
        (entry, text)
        for entry in entries
        if entry.question.strip() and entry.answer.strip()
        for text in _entry_texts(entry, max_chars)
    ]
    return [
        Chunk(
            source=source,
            title=title,
            locator=entry.locator,
            text=text,
            heading=" ".join(entry.question.split()),
            doc_type=DocType.FAQ,
            ordinal=ordinal,
        )
        for ordinal, (entry, text) in enumerate(pieces)
    ]
