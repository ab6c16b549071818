"""Word documents (.docx): headings become locators, tables become rows.

Paragraphs styled as headings (Word stores 見出し 1 as ``heading 1``; documents from other
tools may carry the Japanese name, and custom styles based on a heading count as that
heading) become the section path a chunk is cited by, as in Markdown manuals
(``2. 申請方法 > 必要書類``). Text before the first heading is cited by the Word
paragraphs it spans (``段落3〜5``; each table row counts as one). Tables read one row per
line, cells joined by `` | `` (and read as a reader would for the personal-data screen,
see ``_reading``). A document whose text is a law or ordinance (例規 are often
kept as Word files) is chunked by article instead.

Not read: headers and footers, text boxes, footnotes and comments, and automatic list
numbering (Word computes it at display time; only typed numbers are in the text).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from io import BytesIO

import docx
from docx.document import Document as DocxDocument
from docx.styles.style import CharacterStyle
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph

from .._chunking import split_plain
from .._errors import LoaderError
from .._models import Chunk, DocType, RowReading
from ._common import (
    MAX_TEXT_CHARS,
    LoadContext,
    clean_title,
    defuse_markdown,
    law_chunks,
    open_zip,
)
from ._reading import TableRow, attach_readings, table_readings

__all__ = ["load_docx"]

logger = logging.getLogger(__name__)

LABEL = "Word文書（.docx）"

_HEADING_STYLE = re.compile(r"(?i)(?:heading|見出し)\s*([1-9])")
_TITLE_STYLES = frozenset({"title", "表題", "タイトル"})


@dataclass
class _Block:
    """A heading (level 1–6), the title (level 0) or body text (level None).

    ``numbers`` holds, per line, the Word paragraph (or table row) it comes from, 1-based.
    """

    level: int | None
    lines: list[str]
    numbers: list[int]
    readings: list[RowReading] = field(default_factory=list)


def _style_level(style: CharacterStyle | None) -> int | None:
    for _ in range(8):  # custom styles inherit from a heading; the chain is short
        if style is None:
            return None
        name = (style.name or "").strip()
        if name.lower() in _TITLE_STYLES:
            return 0
        if m := _HEADING_STYLE.fullmatch(name):
            return min(int(m.group(1)), 6)
        style = style.base_style
    return None


def _paragraph_block(paragraph: Paragraph, number: int) -> _Block | None:
    text = paragraph.text.replace("\r", "\n").strip()
    if not text:
        return None
    level = _style_level(paragraph.style)
    if level is not None:
        return _Block(level, [" ".join(text.split())], [number])
    lines = [line.rstrip() for line in text.split("\n")]
    return _Block(None, lines, [number] * len(lines))


def _grid_cells(row: _Row) -> tuple[list[str], list[str]]:
    """The row's cells as shown (a merged cell once) and per grid column (a merged cell
    in its first column, "" in the others it spans)."""
    shown: list[str] = []
    grid: list[str] = []
    previous = None
    for cell in row.cells:  # a merged cell is returned once per grid column it spans
        text = " ".join(cell.text.split())
        if cell._tc is previous:
            grid.append("")
            continue
        previous = cell._tc
        shown.append(text)
        grid.append(text)
    return shown, grid


def _table_block(table: Table, first: int) -> _Block | None:
    rows: list[TableRow] = []
    numbers: list[int] = []
    for number, row in enumerate(table.rows, first):
        shown, grid = _grid_cells(row)
        if any(shown):
            spanned = [" ".join(cell.text.split()) for cell in row.cells]
            rows.append(TableRow(" | ".join(shown), spanned, grid))
            numbers.append(number)
    if not rows:
        return None
    return _Block(None, [r.shown for r in rows], numbers, table_readings(rows))


def _blocks(document: DocxDocument, ctx: LoadContext) -> list[_Block]:
    blocks: list[_Block] = []
    number = 0  # Word paragraphs and table rows seen so far
    total = 0
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            number += 1
            block = _paragraph_block(item, number)
        else:
            block = _table_block(item, number + 1)
            number += len(item.rows)
        if block is None:
            continue
        blocks.append(block)
        total += sum(len(line) for line in block.lines)
        if total > MAX_TEXT_CHARS:
            raise ctx.error(f"{LABEL}の文字数が多すぎます（上限は {MAX_TEXT_CHARS:,} 文字）")
    return blocks


def _markdown(blocks: list[_Block]) -> tuple[str, list[int]]:
    """The document as Markdown, and for each line (1-based) its Word paragraph number."""
    lines: list[str] = []
    paragraph_of: list[int] = [0]  # index 0 unused: line numbers start at 1
    for block in blocks:
        if lines:
            lines.append("")
            paragraph_of.append(block.numbers[0])
        if block.level is not None:
            lines.append("#" * max(block.level, 1) + " " + block.lines[0])
        else:
            lines.extend(defuse_markdown(line) for line in block.lines)
        paragraph_of.extend(block.numbers)
    return "\n".join(lines), paragraph_of


def _title(document: DocxDocument, blocks: list[_Block], ctx: LoadContext) -> str:
    try:
        title = clean_title(document.core_properties.title)
    except Exception:  # unreadable docProps/core.xml: the body still has a title
        title = ""
    if title:
        return title
    for wanted in (0, 1):
        for block in blocks:
            if block.level == wanted:
                return block.lines[0][:200]
    return ctx.path.stem


def load_docx(data: bytes, ctx: LoadContext) -> list[Chunk]:
    """Chunks of a Word document; LoaderError for a corrupt or oversized one."""
    open_zip(data, ctx, LABEL).close()
    try:
        document = docx.Document(BytesIO(data))
        blocks = _blocks(document, ctx)
    except LoaderError:
        raise
    except Exception as exc:  # python-docx fails in many ways on a broken package
        logger.debug("python-docx could not read %s: %r", ctx.name, exc)
        raise ctx.error(
            f"{LABEL}として読み込めません（ファイルが壊れているか、Word文書ではありません）"
        ) from None
    if not blocks:
        raise ctx.error("本文がありません（空のWord文書です）")
    rows = [reading for block in blocks for reading in block.readings]
    law_text = "\n\n".join(line for block in blocks for line in block.lines)
    if chunks := law_chunks(law_text, ctx):
        return attach_readings(chunks, rows)
    text, paragraph_of = _markdown(blocks)

    def span(first: int, last: int) -> str:
        a, b = paragraph_of[first], paragraph_of[last]
        return f"段落{a}" if a == b else f"段落{a}〜{b}"

    chunks = split_plain(
        text,
        source=ctx.source,
        title=_title(document, blocks, ctx),
        max_chars=ctx.max_chars,
        doc_type=DocType.MANUAL,
        span_label=span,
    )
    return attach_readings(chunks, rows)
