"""Chunk laws, ordinances and rules by article (条), then by paragraph (項).

Citations must point where a person looks the passage up, so the unit is the article:
an article that fits is one chunk (locator 第5条). A longer one is split per 項
(第5条第2項; the unnumbered first 項 is 第1項), and a 項 still too long is cut at sentence
ends with the same locator. Only an article with more than one 項 gets 項 locators:
a single-paragraph article is never cited as 第1項.

Locators use Arabic numerals. 附則 locators name the 附則 they belong to: 附則第1条 for
the law's original 附則, 附則（平成11年12月8日法律第151号）第1条 for an amendment's
附則 (its date and number converted to Arabic digits, era names kept as written); a 附則
made only of paragraphs is 附則 or 附則第2項. Tables are 別表第1.

Chunk text keeps the original wording (kanji numbers, full-width markers) and reads the
way e-Gov prints it: ``第五条　行政庁は、…`` then ``２　…`` and ``一　…`` lines. A chunk
of a 附則 starts with that 附則's name, a later piece of a split 項 with
``（第5条第2項の続き）``, so no chunk is read out of context.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .._models import Chunk, DocType
from ._law_parser import ARTICLE_LINE, Paragraph, ParsedLaw, Provision, parse_law
from ._sentences import pack_lines

__all__ = ["MIN_LAW_CHARS", "chunk_law", "guess_law_doc_type", "looks_like_law", "split_law"]

# Room for a 附則 name plus a 続き line and still some text.
MIN_LAW_CHARS = 100


@dataclass(frozen=True)
class _Piece:
    locator: str
    text: str
    heading: str


def looks_like_law(text: str, *, min_articles: int = 2) -> bool:
    """True when ``text`` has the article lines of a law or ordinance.

    Counts lines that are exactly an article number (第五条, 第二百五十二条の十七の二),
    the e-Gov layout. The ``第1条　本文`` layout of 例規集 exports counts too, but needs
    one more line: a manual quoting a couple of articles must stay a manual.
    """
    exact = inline = 0
    for line in text.split("\n"):
        m = ARTICLE_LINE.fullmatch(line.rstrip(" \u3000\t"))
        if m is None:
            continue
        if m.group("rest"):
            inline += 1
        else:
            exact += 1
    return exact >= min_articles or inline >= min_articles + 1


def guess_law_doc_type(title: str) -> DocType:
    """Ordinance, rule or law, from the title's suffix (…条例, …規則, …法)."""
    if title.endswith("条例"):
        return DocType.ORDINANCE
    if title.endswith(("規則", "規程", "要綱", "要領")):
        return DocType.RULE
    return DocType.LAW


def split_law(
    text: str,
    *,
    source: str,
    max_chars: int = 800,
    doc_type: DocType = DocType.LAW,
) -> list[Chunk]:
    """Chunk law text (e-Gov plain-text layout) into citable article/paragraph chunks.

    ``heading`` is the article's caption without brackets (審査基準). An article without
    a caption of its own carries the caption shared with the articles just before it, as
    Japanese drafting does; if there is none, ``heading`` is the 編/章/節 path
    (``第四章　届出 > 第一節　通則``) so the passage is still placed.
    """
    return chunk_law(parse_law(text), source=source, max_chars=max_chars, doc_type=doc_type)


def chunk_law(
    parsed: ParsedLaw,
    *,
    source: str,
    max_chars: int = 800,
    doc_type: DocType = DocType.LAW,
) -> list[Chunk]:
    """Chunk a law already split into provisions, e.g. read from e-Gov XML.

    The chunks have the same shape as :func:`split_law`'s, so a law cites the same way
    whichever format it was ingested from.
    """
    if max_chars < MIN_LAW_CHARS:
        raise ValueError(f"max_chars must be at least {MIN_LAW_CHARS}")
    pieces = [
        piece for p in parsed.provisions for piece in _pieces(p, max_chars) if piece.text.strip()
    ]
    return [
        Chunk(
            source=source,
            title=parsed.title,
            locator=piece.locator,
            text=piece.text,
            heading=piece.heading,
            doc_type=doc_type,
            ordinal=ordinal,
        )
        for ordinal, piece in enumerate(pieces)
    ]


def _heading(provision: Provision) -> str:
    if provision.caption:
        return provision.caption
    captions = list(dict.fromkeys(p.caption for p in provision.paragraphs if p.caption))
    if captions:
        return "・".join(captions)
    return " > ".join(provision.path)


def _paragraph_lines(paragraph: Paragraph, label: str) -> list[str]:
    """A 項 as printed; ``label`` (第五条) is merged into an unnumbered first 項."""
    lines: list[str] = [f"（{paragraph.caption}）"] if paragraph.caption else []
    body = paragraph.lines or [""]
    marker = paragraph.marker or label
    if marker:
        lines.append(f"{marker}\u3000{body[0]}" if body[0] else marker)
    else:
        lines.append(body[0])
    lines.extend(body[1:])
    return [line for line in lines if line]


def _provision_lines(provision: Provision) -> list[str]:
    lines: list[str] = []
    if provision.supplement is not None:
        lines.append(provision.supplement.label)
    if provision.kind == "table":
        lines.append(provision.header)
        lines.extend(provision.paragraphs[0].lines if provision.paragraphs else [])
        return lines
    paragraphs = provision.paragraphs
    if not paragraphs:
        lines.append(provision.label)
        return lines
    for index, paragraph in enumerate(paragraphs):
        merge_label = index == 0 and not paragraph.marker
        if index == 0 and not merge_label and provision.label:
            lines.append(provision.label)
        lines.extend(_paragraph_lines(paragraph, provision.label if merge_label else ""))
    return lines


def _pieces(provision: Provision, max_chars: int) -> Iterator[_Piece]:
    heading = _heading(provision)
    whole = "\n".join(_provision_lines(provision))
    if len(whole) <= max_chars:
        yield _Piece(provision.locator, whole, heading)
        return
    if provision.kind == "table":
        rows = provision.paragraphs[0].lines if provision.paragraphs else []
        yield from _split_block(provision.locator, [provision.header], rows, heading, max_chars)
        return
    several = len(provision.paragraphs) > 1
    shared, previous = "", -1  # 項 captions, like article captions, cover what follows
    for index, paragraph in enumerate(provision.paragraphs):
        if paragraph.caption:
            shared = paragraph.caption
        elif paragraph.number != previous + 1:
            shared = ""
        previous = paragraph.number
        locator = provision.locator + (f"第{paragraph.number}項" if several else "")
        context: list[str] = []
        if provision.supplement is not None:
            context.append(provision.supplement.label)
        merge_label = index == 0 and not paragraph.marker
        if not merge_label and provision.label:
            context.append(provision.label)  # 第五条 above ２　…, so the 項 reads in context
        body = _paragraph_lines(paragraph, provision.label if merge_label else "")
        placed = provision.caption or shared or " > ".join(provision.path)
        yield from _split_block(locator, context, body, placed, max_chars)


def _split_block(
    locator: str, context: list[str], body: list[str], heading: str, max_chars: int
) -> Iterator[_Piece]:
    """One chunk for ``context + body`` if it fits, else body pieces cut at sentence ends."""
    text = "\n".join(context + body)
    if len(text) <= max_chars:
        yield _Piece(locator, text, heading)
        return
    head = "\n".join(context)
    follow = f"（{locator}の続き）"
    budget = max_chars - max(len(head), len(follow)) - 1
    for index, piece in enumerate(pack_lines(body, budget)):
        prefix = head if index == 0 else follow
        yield _Piece(locator, f"{prefix}\n{piece}" if prefix else piece, heading)
