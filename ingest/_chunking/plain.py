"""Chunk manuals and notes: by Markdown heading, then paragraph, then sentence.

A section's paragraphs are packed together up to ``max_chars``; a paragraph that is too
long alone goes through LangChain's RecursiveCharacterTextSplitter with Japanese
separators (paragraph, line, 。, 、) and a small overlap so a sentence cut at a 、 keeps
its context. Chunks never mix two sections, so each has one locator: the heading path
(``2. 申請方法 > 必要書類``) or, before the first heading, line numbers (``12〜30行目``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from langchain_text_splitters import RecursiveCharacterTextSplitter

from .._models import Chunk, DocType

__all__ = ["markdown_title", "split_plain"]

_HEADING = re.compile(r"(#{1,6})[ \t\u3000]+(.+?)(?:[ \t]+#+)?[ \t\u3000]*")
_FENCE = re.compile(r"(```|~~~)")
_SEPARATORS = ["\n\n", "\n", "。", "、", ""]
_MIN_PLAIN_CHARS = 20


@dataclass
class _Paragraph:
    first_line: int  # 1-based, as an editor shows it
    lines: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True)
class _Piece:
    first_line: int
    last_line: int
    text: str
    path: tuple[str, ...]


@dataclass
class _Section:
    path: tuple[str, ...]
    paragraphs: list[_Paragraph] = field(default_factory=list)


def markdown_title(text: str) -> str:
    """The first level-1 Markdown heading (``# 窓口マニュアル``), or "" if there is none."""
    in_fence = False
    for line in text.split("\n"):
        if _FENCE.match(line.strip()):
            in_fence = not in_fence
            continue
        m = _HEADING.fullmatch(line.rstrip())
        if not in_fence and m and len(m.group(1)) == 1:
            return m.group(2).strip()
    return ""


def _sections(text: str, title: str) -> list[_Section]:
    sections = [_Section(path=())]
    stack: list[tuple[int, str]] = []
    in_fence = False
    paragraph: _Paragraph | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip()
        if _FENCE.match(line.strip()):
            in_fence = not in_fence
        m = None if in_fence else _HEADING.fullmatch(line)
        if m is not None:
            level, name = len(m.group(1)), m.group(2).strip()
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, name))
            # The document's H1 is its title, already shown in every citation.
            path = tuple(n for lv, n in stack if not (lv == 1 and n == title))
            sections.append(_Section(path=path))
            paragraph = None
        elif not line.strip() and not in_fence:
            paragraph = None
        else:
            if paragraph is None:
                paragraph = _Paragraph(first_line=number, lines=[])
                sections[-1].paragraphs.append(paragraph)
            paragraph.lines.append(line)
    return [s for s in sections if s.paragraphs]


def _line_span(start: int, end: int) -> str:
    return f"{start}行目" if start == end else f"{start}〜{end}行目"


def split_plain(
    text: str,
    *,
    source: str,
    title: str,
    max_chars: int = 800,
    doc_type: DocType = DocType.MANUAL,
    span_label: Callable[[int, int], str] | None = None,
) -> list[Chunk]:
    """Chunk a manual or note; every chunk is at most ``max_chars`` characters.

    ``span_label`` names a chunk before the first heading from its first and last line
    numbers; loaders that render a document as text (DOCX, HTML) pass one that names the
    document's own paragraphs instead (``段落3〜5``).
    """
    if max_chars < _MIN_PLAIN_CHARS:
        raise ValueError(f"max_chars must be at least {_MIN_PLAIN_CHARS}")
    splitter = RecursiveCharacterTextSplitter(
        separators=_SEPARATORS,
        keep_separator="end",  # 。 and 、 end the piece they close
        chunk_size=max_chars,
        chunk_overlap=min(80, max_chars // 10),
    )
    pieces: list[_Piece] = []
    for section in _sections(text, title):
        group: list[_Paragraph] = []
        for paragraph in section.paragraphs:
            body = paragraph.text
            if len(body) > max_chars:
                pieces.extend(_grouped(group, section.path))
                group = []
                pieces.extend(_split_long(paragraph, section.path, splitter))
                continue
            if group and sum(len(p.text) + 2 for p in group) + len(body) > max_chars:
                pieces.extend(_grouped(group, section.path))
                group = []
            group.append(paragraph)
        pieces.extend(_grouped(group, section.path))
    kept = [p for p in pieces if p.text.strip()]
    label = span_label or _line_span
    return [
        Chunk(
            source=source,
            title=title,
            locator=" > ".join(p.path) if p.path else label(p.first_line, p.last_line),
            text=p.text,
            doc_type=doc_type,
            ordinal=ordinal,
        )
        for ordinal, p in enumerate(kept)
    ]


def _grouped(group: list[_Paragraph], path: tuple[str, ...]) -> list[_Piece]:
    """Paragraphs packed together, blank line between them as in the source."""
    if not group:
        return []
    last = group[-1]
    text = "\n\n".join(p.text for p in group)
    return [_Piece(group[0].first_line, last.first_line + len(last.lines) - 1, text, path)]


def _split_long(
    paragraph: _Paragraph, path: tuple[str, ...], splitter: RecursiveCharacterTextSplitter
) -> list[_Piece]:
    body = paragraph.text
    pieces: list[_Piece] = []
    cursor = 0
    for text in splitter.split_text(body):
        # Overlapping pieces start before the previous one ends: search from just after
        # the previous start, not from its end.
        found = body.find(text, cursor)
        offset = found if found >= 0 else cursor
        cursor = offset + 1
        first = paragraph.first_line + body.count("\n", 0, offset)
        pieces.append(_Piece(first, first + text.count("\n"), text, path))
    return pieces
