"""Structure-aware chunkers: laws by 条/項, everything else by headings and paragraphs."""

from __future__ import annotations

from ._law_parser import (
    ARTICLE_LINE,
    Paragraph,
    ParsedLaw,
    Provision,
    Supplement,
    is_structure_line,
    make_supplement,
)
from ._sentences import pack_lines
from .faq import FaqEntry, split_faq
from .law import chunk_law, guess_law_doc_type, looks_like_law, split_law
from .pages import Page, page_locator, split_pages
from .plain import markdown_title, split_plain

__all__ = [
    "ARTICLE_LINE",
    "FaqEntry",
    "Page",
    "Paragraph",
    "ParsedLaw",
    "Provision",
    "Supplement",
    "chunk_law",
    "guess_law_doc_type",
    "is_structure_line",
    "looks_like_law",
    "make_supplement",
    "pack_lines",
    "markdown_title",
    "page_locator",
    "split_faq",
    "split_law",
    "split_pages",
    "split_plain",
]
