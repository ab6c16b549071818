"""Chunk a paged document (a PDF manual) page by page.

A page citation is only useful if the passage is on that page, so a chunk never spans
two pages, with one exception: a tiny page (a cover, a page holding one line) joins its
neighbour when both fit in one chunk, cited as a range (``p.3〜4``). A page longer than
``max_chars`` is cut by the plain chunker, and every piece keeps the page's locator.
Pages are cited by the label printed on them when the PDF defines page labels (``p.iii``),
else by their 1-based position.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .._models import Chunk, DocType
from .plain import split_plain

__all__ = ["Page", "page_locator", "split_pages"]


@dataclass(frozen=True)
class Page:
    """One page's text; ``label`` is how people name the page (``12``, ``iii``)."""

    label: str
    text: str


def page_locator(first: str, last: str | None = None) -> str:
    """``p.12`` for one page, ``p.3〜4`` for a range."""
    if last is None or last == first:
        return f"p.{first}"
    return f"p.{first}〜{last}"


def split_pages(
    pages: Sequence[Page],
    *,
    source: str,
    title: str,
    max_chars: int = 800,
    doc_type: DocType = DocType.MANUAL,
    tiny_chars: int | None = None,
) -> list[Chunk]:
    """Chunk pages; ``tiny_chars`` (default a quarter of ``max_chars``) marks a tiny page."""
    tiny = max_chars // 4 if tiny_chars is None else tiny_chars
    groups: list[list[Page]] = []
    for page in pages:
        text = page.text.strip()
        if not text:
            continue
        page = Page(page.label, text)
        last = groups[-1] if groups else None
        if (
            last is not None
            and (len(text) < tiny or all(len(p.text) < tiny for p in last))
            and sum(len(p.text) + 2 for p in last) + len(text) <= max_chars
        ):
            last.append(page)
        else:
            groups.append([page])

    pieces: list[tuple[str, str]] = []
    for group in groups:
        locator = page_locator(group[0].label, group[-1].label)
        if len(group) > 1 or len(group[0].text) <= max_chars:
            pieces.append((locator, "\n\n".join(p.text for p in group)))
            continue
        for chunk in split_plain(
            group[0].text, source=source, title=title, max_chars=max_chars, doc_type=doc_type
        ):
            pieces.append((locator, chunk.text))
    return [
        Chunk(
            source=source,
            title=title,
            locator=locator,
            text=text,
            doc_type=doc_type,
            ordinal=ordinal,
        )
        for ordinal, (locator, text) in enumerate(pieces)
    ]
