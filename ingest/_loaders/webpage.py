"""Web pages (.html): 例規集 pages as municipal 例規 systems publish them, and manuals.

The page is turned into lines the way a browser lays it out: a line break at every block
element (p, div, li, tr, h1–h6, br …), table cells joined by `` | `` (each row also read
as a reader reads it, for the personal-data screen: ``_reading``), whitespace collapsed
except inside <pre>. Scripts, styles and the site's furniture (nav, header, footer) are
dropped. A page whose lines read as a law or ordinance (例規 systems print one article
per <p>/<div>: 「第1条　この条例は…」, captions as (趣旨)) is chunked by article; any
other page by its h1–h4 headings (``申請方法 > 必要書類``), text before the first heading
by line (``段落3〜5``).

The title is the page's <h1> when its <title> mentions it (or there is no <title>),
else the first part of the <title> (「手数料条例 | ○○市例規集」 → 手数料条例).

Encoding: a BOM, then the page's own declaration (``<meta charset>`` or the http-equiv
Content-Type), then the text loader's detection. Pages labelled Shift_JIS are read as
CP932, which is what Windows tools actually write.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from .._chunking import split_plain
from .._models import Chunk, DocType, RowReading
from ._common import LoadContext, defuse_markdown, law_chunks
from ._reading import TableRow, attach_readings, table_readings
from .text import decode_bytes

__all__ = ["html_to_lines", "load_html"]

logger = logging.getLogger(__name__)

_DROP = frozenset(
    {"script", "style", "nav", "header", "footer", "noscript", "template", "head", "iframe",
     "object", "embed", "svg", "canvas", "button", "select", "textarea"}
)  # fmt: skip
_BLOCK = frozenset(
    {"address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
     "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "form", "h5", "h6", "hr",
     "html", "li", "main", "menu", "ol", "p", "pre", "section", "summary", "table", "tbody",
     "tfoot", "thead", "tr", "ul"}
)  # fmt: skip
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4}
_CELLS = frozenset({"td", "th"})
_SPACES = re.compile(r"[ \t\n\r\f\v\xa0]+")
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_SHIFT_JIS = frozenset(
    {"shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis", "windows-31j",
     "cp932", "ms932"}
)  # fmt: skip
_TITLE_SEPARATORS = re.compile(r"\s*[|｜]\s*|\s+[-－―]\s+")


@dataclass
class _Lines:
    """Lines as a browser would show them; ``levels`` is 1–4 for a heading line, else 0."""

    lines: list[str] = field(default_factory=list)
    levels: list[int] = field(default_factory=list)
    buffer: list[str] = field(default_factory=list)

    def add(self, text: str | None, *, pre: bool) -> None:
        if not text:
            return
        if not pre:
            self.buffer.append(_SPACES.sub(" ", text))
            return
        first, *rest = text.replace("\r\n", "\n").split("\n")
        self.buffer.append(first)
        for line in rest:
            self.flush()
            self.buffer.append(line)

    def flush(self, level: int = 0) -> None:
        line = "".join(self.buffer).strip(" ")
        self.buffer.clear()
        if line.strip():
            self.lines.append(line)
            self.levels.append(level)


def _tag(element: etree._Element) -> str | None:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else None  # comments and PIs have no name


def html_to_lines(root: etree._Element) -> tuple[list[str], list[int]]:
    """The page's visible text as lines, and each line's heading level (0: not a heading).

    Walks the tree with an explicit stack: pages nest deeply enough to break recursion.
    """
    out = _Lines()
    heading = 0  # level of the heading being read
    cells = 0  # depth inside table cells: blocks there stay on the row's line
    pre = 0
    row_cells: list[int] = [0]
    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    while stack:
        element, closing = stack.pop()
        tag = _tag(element)
        if closing:
            if tag in _HEADINGS and heading:
                out.flush(heading)
                heading = 0
            elif tag in _CELLS:
                cells -= 1
            elif tag == "pre":
                pre -= 1
                out.flush()
            elif tag == "tr":
                row_cells.pop()
                out.flush()
            elif tag in _BLOCK:
                if cells or heading:
                    out.add(" ", pre=False)
                else:
                    out.flush()
            out.add(element.tail, pre=pre > 0)
            continue
        if tag is None or tag in _DROP:
            out.add(element.tail, pre=pre > 0)
            continue
        if tag in _HEADINGS and not heading and not cells:
            out.flush()
            heading = _HEADINGS[tag]
        elif tag == "br":
            if cells or heading:
                out.add(" ", pre=False)
            else:
                out.flush()
        elif tag in _CELLS:
            if row_cells[-1]:
                out.add(" | ", pre=True)
            row_cells[-1] += 1
            cells += 1
        elif tag == "tr":
            out.flush()
            row_cells.append(0)
        elif tag == "pre":
            out.flush()
            pre += 1
        elif tag in _BLOCK and not cells and not heading:
            out.flush()
        out.add(element.text, pre=pre > 0)
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
    out.flush(heading)
    return out.lines, out.levels


def _table_row(row: etree._Element) -> TableRow:
    """A row's cells as `html_to_lines` shows them, and per grid column (``colspan``)."""
    shown: list[str] = []
    spanned: list[str] = []
    grid: list[str] = []
    for cell in row:
        if _tag(cell) not in _CELLS:
            continue
        text = " ".join(_SPACES.sub(" ", cell.text_content()).split())
        width = _colspan(cell)
        shown.append(text)
        spanned.extend([text] * width)
        grid.extend([text] + [""] * (width - 1))
    return TableRow(" | ".join(shown), spanned, grid)


def page_table_readings(root: etree._Element) -> list[RowReading]:
    """Every table row of the page as a reader reads it (see ``_reading``)."""
    out: list[RowReading] = []
    for table in root.iter("table"):
        rows = [
            _table_row(r) for r in table.iter("tr") if next(r.iterancestors("table"), None) is table
        ]
        out.extend(table_readings([r for r in rows if r.shown.strip(" |")]))
    return out


def _colspan(cell: etree._Element) -> int:
    span = str(cell.get("colspan") or "1").strip()
    return min(int(span), 64) if span.isdigit() and int(span) > 0 else 1


def _codec(label: bytes) -> str | None:
    name = label.decode("ascii", errors="ignore").strip().lower()
    if name in _SHIFT_JIS:
        return "cp932"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _decode(data: bytes, ctx: LoadContext) -> str:
    boms = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    if not data.startswith(boms) and (m := _META_CHARSET.search(data[:16384])):
        codec = _codec(m.group(1))
        if codec is not None:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                pass  # a wrong declaration is common; fall back to detection
    return decode_bytes(data, path=ctx.name)


def _text_of(element: etree._Element | None) -> str:
    if element is None:
        return ""
    return " ".join(_SPACES.sub(" ", element.text_content()).split())


def _title(root: etree._Element) -> str:
    h1 = _text_of(root.find(".//h1"))
    title_tag = _text_of(root.find(".//title"))
    if h1 and (not title_tag or h1 in title_tag):
        return h1
    if title_tag:
        return _TITLE_SEPARATORS.split(title_tag)[0] or title_tag
    return h1


def load_html(data: bytes, ctx: LoadContext) -> list[Chunk]:
    """Chunks of a web page; LoaderError for an undecodable or empty one."""
    text = _XML_DECLARATION.sub("", _decode(data, ctx).removeprefix("\ufeff"))
    try:
        # libxml2 drops the whole page past 256 nested elements unless huge_tree is set;
        # generated pages with unclosed <font>/<div> tags get there. The input is already
        # bounded by max_bytes, and html_to_lines does not recurse.
        parser = lxml.html.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True)
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        logger.debug("lxml could not parse %s: %r", ctx.name, exc)
        raise ctx.error("HTMLとして読み込めません（本文が空か、形式が壊れています）") from None
    lines, levels = html_to_lines(root)
    if not lines:
        raise ctx.error("本文がありません（テキストを含まないHTMLです）")
    rows = page_table_readings(root)
    title = _title(root) or ctx.path.stem
    body = lines[1:] if lines[0] == title else lines
    if chunks := law_chunks("\n\n".join([title, *body]), ctx):
        return attach_readings(chunks, rows)
    markdown: list[str] = []
    for line, level in zip(lines, levels, strict=True):
        if level:
            markdown.append("#" * level + " " + line)
        else:
            markdown.append(defuse_markdown(line))

    def span(first: int, last: int) -> str:
        # Lines are separated by blank lines: line 2n-1 of the Markdown is page line n.
        a, b = (first + 1) // 2, (last + 1) // 2
        return f"段落{a}" if a == b else f"段落{a}〜{b}"

    chunks = split_plain(
        "\n\n".join(markdown),
        source=ctx.source,
        title=title,
        max_chars=ctx.max_chars,
        doc_type=DocType.MANUAL,
        span_label=span,
    )
    return attach_readings(chunks, rows)
