"""Structure-aware chunkers: laws by 条/項, everything else by headings and paragraphs."""

from __future__ import annotations

from .law import guess_law_doc_type, looks_like_law, split_law
from .plain import markdown_title, split_plain

__all__ = ["guess_law_doc_type", "looks_like_law", "markdown_title", "split_law", "split_plain"]
