"""Pick the reader for a file and the chunker for its text."""

from __future__ import annotations

from pathlib import Path

from .._chunking import guess_law_doc_type, looks_like_law, markdown_title, split_law, split_plain
from .._models import Chunk, DocType
from .text import TEXT_SUFFIXES, read_text

__all__ = ["SUPPORTED_SUFFIXES", "load_chunks"]

# PDF, DOCX and HTML readers will add their suffixes here.
SUPPORTED_SUFFIXES = TEXT_SUFFIXES


def _first_line(text: str) -> str:
    return next((s for line in text.split("\n") if (s := line.strip(" \u3000\t"))), "")


def load_chunks(path: Path, *, source: str, max_chars: int = 800) -> list[Chunk]:
    """Read ``path`` and cut it into citable chunks.

    Text with article lines (第一条 …) is chunked as a law or ordinance (locators 第5条第2項);
    anything else by Markdown headings and paragraphs. Raises LoaderError (or its
    UnsupportedFileError) with a Japanese message when the file cannot be used.
    """
    text = read_text(path)
    if looks_like_law(text):
        doc_type = guess_law_doc_type(_first_line(text))
        chunks = split_law(text, source=source, max_chars=max_chars, doc_type=doc_type)
        if chunks:
            return chunks
    title = markdown_title(text) or path.stem
    return split_plain(
        text, source=source, title=title, max_chars=max_chars, doc_type=DocType.MANUAL
    )
