"""e-Gov law XML (the 法令標準XMLスキーマ that e-Gov 法令検索 and its API publish).

The structure is read directly — Part/Chapter/Section/Subsection/Division headings,
Article (ArticleCaption, ArticleTitle), Paragraph (ParagraphNum, ParagraphSentence),
Item/Subitem1…10, SupplProvision (AmendLawNum), AppdxTable — into the same provisions the
text parser builds from e-Gov's plain-text layout, and chunked by the same code. So a law
ingested as XML is cited exactly like the same law ingested as text: 第5条, 第5条第2項,
附則第1条, 附則（平成11年12月8日法律第151号）第1条, 別表第1, with the article caption as
heading (or the caption shared with the articles just before it, or the 編/章/節 path).

Paragraphs of a MainProvision without articles (small laws such as 元号法) are cited as
本則 (本則第2項 when split). Not read: the table of contents and 制定文/前文 (as in the text
layout), figures, and the forms of AppdxStyle/AppdxFormat/AppdxFig. Ruby readings (Rt)
are dropped. The parser resolves no entities and loads no DTD or network resource.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from .._chunking import (
    Paragraph,
    ParsedLaw,
    Provision,
    Supplement,
    chunk_law,
    guess_law_doc_type,
    make_supplement,
)
from .._japanese import KANJI_NUMERAL_CHARS, arabicize_numerals, to_locator
from .._models import Chunk
from ._common import LoadContext

__all__ = ["load_egov_xml", "parse_egov_law"]

_CONTAINERS = {
    "Part": "PartTitle",
    "Chapter": "ChapterTitle",
    "Section": "SectionTitle",
    "Subsection": "SubsectionTitle",
    "Division": "DivisionTitle",
}
_SUBITEM = re.compile(r"Subitem(\d+)")
_PRETTY_PRINT = re.compile(r"[ \t]*\n[ \t\n]*")
_TABLE_NO = re.compile(
    f"別表(第[{KANJI_NUMERAL_CHARS}0-9０-９]+(?:の[{KANJI_NUMERAL_CHARS}0-9０-９]+)*)?"
)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _text(element: etree._Element | None) -> str:
    """An element's text without the indentation of pretty-printed files."""
    if element is None:
        return ""
    return _PRETTY_PRINT.sub("", "".join(element.itertext())).strip(" \t")


def _unbracket(caption: str) -> str:
    caption = caption.strip(" \u3000")
    if caption.startswith("（") and caption.endswith("）"):
        return caption[1:-1].strip()
    return caption


def _sentence(element: etree._Element | None) -> str:
    """A ParagraphSentence/ItemSentence: its Sentences, or its Columns separated as printed."""
    if element is None:
        return ""
    columns = element.findall("Column")
    if columns:
        return "\u3000".join(_text(column) for column in columns)
    return _text(element)


def _table_rows(table: etree._Element) -> list[str]:
    lines = [title] if (title := _text(table.find("TableStructTitle"))) else []
    for row in table.iter("TableRow"):
        cells = [" ".join(_text(cell).split()) for cell in row.findall("TableColumn")]
        if any(cells):
            lines.append(" | ".join(cells))
    return lines


def _extra_lines(element: etree._Element) -> list[str]:
    """Lines of the parts of a paragraph or item that follow its sentence."""
    tag = element.tag
    if tag == "Item" or (isinstance(tag, str) and _SUBITEM.fullmatch(tag)):
        return _item_lines(element)
    if tag in ("List", "Sublist1", "Sublist2", "Sublist3"):
        lines = [_sentence(child) for child in element if str(child.tag).endswith("Sentence")]
        for child in element:
            if str(child.tag).startswith("Sublist"):
                lines.extend(_extra_lines(child))
        return [line for line in lines if line]
    if tag == "TableStruct":
        return _table_rows(element)
    if tag in ("AmendProvision", "Remarks", "NewProvision"):
        return [text for child in element if (text := _text(child))]
    return []  # figures, styles and formats carry no text worth indexing


def _item_lines(item: etree._Element) -> list[str]:
    """An Item or SubitemN: ``一　本文`` then its sub-items, each on its own line."""
    tag = str(item.tag)
    title = _text(item.find(f"{tag}Title"))
    sentence = _sentence(item.find(f"{tag}Sentence"))
    head = "\u3000".join(part for part in (title, sentence) if part)
    lines = [head] if head else []
    for child in item:
        lines.extend(_extra_lines(child))
    return lines


def _paragraph(element: etree._Element, index: int) -> Paragraph:
    number = element.get("Num", "")
    lines = [_sentence(element.find("ParagraphSentence"))]
    for child in element:
        lines.extend(_extra_lines(child))
    return Paragraph(
        number=int(number) if number.isdecimal() else index,
        marker=_text(element.find("ParagraphNum")),
        caption=_unbracket(_text(element.find("ParagraphCaption"))),
        lines=[line for line in lines if line],
    )


def _article_locator(label: str, num: str) -> str:
    try:
        return to_locator(label)
    except ValueError:
        # Num is 5, 252_17_2 (第252条の17の2) or 20:73 for a deleted range.
        first, _, last = num.partition(":")
        parts = [p for p in first.split("_") if p]
        locator = f"第{parts[0]}条" + "".join(f"の{p}" for p in parts[1:]) if parts else label
        return f"{locator}から第{last.split('_')[0]}条まで" if last else locator


def _main_number(locator: str) -> int | None:
    head = locator.removeprefix("第").split("条", 1)[0]
    return int(head) if head.isdecimal() else None


@dataclass
class _Builder:
    """Walks LawBody in document order, keeping the heading path and shared captions."""

    provisions: list[Provision] = field(default_factory=list)
    path: list[str] = field(default_factory=list)
    last_caption: str = ""
    last_number: int | None = None

    def reset_captions(self) -> None:
        self.last_caption = ""
        self.last_number = None

    def container(self, element: etree._Element, supplement: Supplement | None) -> None:
        for child in element:
            tag = child.tag
            if tag in _CONTAINERS:
                self.path.append(_text(child.find(_CONTAINERS[str(tag)])))
                self.reset_captions()
                self.container(child, supplement)
                self.path.pop()
                self.reset_captions()
            elif tag == "Article":
                self.article(child, supplement)
        paragraphs = element.findall("Paragraph")
        if paragraphs:
            # Paragraphs straight under a provision: a 附則 without articles, or a law
            # whose main provision has no articles.
            self.provisions.append(
                Provision(
                    kind="paragraphs",
                    label="",
                    locator=supplement.locator if supplement else "本則",
                    path=tuple(p for p in self.path if p),
                    supplement=supplement,
                    paragraphs=[_paragraph(p, i) for i, p in enumerate(paragraphs, 1)],
                )
            )

    def article(self, element: etree._Element, supplement: Supplement | None) -> None:
        num = element.get("Num", "")
        label = _text(element.find("ArticleTitle")) or f"第{num}条"
        locator = _article_locator(label, num)
        caption = _unbracket(_text(element.find("ArticleCaption")))
        number = _main_number(locator)
        if caption:
            self.last_caption = caption
        elif (
            number is not None
            and self.last_number is not None
            and number - self.last_number in (0, 1)
        ):
            # A caption covers the consecutive articles after it that have none (as in the
            # text parser); a gap means the caption was simply not reproduced.
            caption = self.last_caption
        else:
            self.last_caption = ""
        self.last_number = number
        self.provisions.append(
            Provision(
                kind="article",
                label=label,
                locator=(supplement.locator if supplement else "") + locator,
                caption=caption,
                path=tuple(p for p in self.path if p),
                supplement=supplement,
                paragraphs=[
                    _paragraph(p, i) for i, p in enumerate(element.findall("Paragraph"), 1)
                ],
            )
        )

    def table(self, element: etree._Element, prefix: str) -> None:
        title_tag = "SupplProvisionAppdxTableTitle" if prefix else "AppdxTableTitle"
        title = _text(element.find(title_tag)) or "別表"
        m = _TABLE_NO.match(title)
        number = (m.group(1) or "") if m else ""
        label = f"別表{number}" if m else title
        rest = title[m.end() :].strip(" \u3000") if m else ""
        related = _text(element.find("RelatedArticleNum"))
        rest = f"{rest}{related}" if rest else related
        rows: list[str] = []
        for child in element:
            rows.extend(_extra_lines(child))
        self.provisions.append(
            Provision(
                kind="table",
                label=label,
                locator=prefix + "別表" + arabicize_numerals(number),
                caption=_unbracket(rest),
                paragraphs=[Paragraph(number=1, lines=rows)],
                header=f"{label}\u3000{rest}" if rest else label,
            )
        )

    def supplement(self, element: etree._Element) -> None:
        supplement = make_supplement(element.get("AmendLawNum") or None)
        saved, self.path = self.path, []  # 附則 stand outside the main provision's chapters
        self.reset_captions()
        self.container(element, supplement)
        for child in element.findall("SupplProvisionAppdxTable"):
            self.table(child, supplement.locator)
        self.path = saved
        self.reset_captions()


def parse_egov_law(root: etree._Element) -> ParsedLaw:
    """Provisions of an e-Gov ``<Law>`` element, in document order."""
    body = root.find("LawBody")
    if body is None:
        return ParsedLaw(title="", provisions=[])
    # Ruby readings are not law text; entity references are left unresolved by the
    # parser (no external files, no expansion bombs) and must not show up as &name;.
    etree.strip_elements(root, "Rt", etree.Entity, with_tail=False)
    builder = _Builder()
    for child in body:
        if child.tag == "MainProvision":
            builder.container(child, None)
        elif child.tag == "SupplProvision":
            builder.supplement(child)
        elif child.tag == "AppdxTable":
            builder.reset_captions()
            builder.table(child, "")
    title = _text(body.find("LawTitle")) or _text(root.find("LawNum"))
    return ParsedLaw(title=title, provisions=builder.provisions)


def load_egov_xml(data: bytes, ctx: LoadContext) -> list[Chunk]:
    """Chunks of an e-Gov law XML file; LoaderError for malformed or non-law XML."""
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        line = f"{exc.lineno}行目: " if exc.lineno else ""
        raise ctx.error(f"XMLとして読み込めません（{line}{exc.msg}）") from None
    if root.tag != "Law" or root.find("LawBody") is None:
        raise ctx.error("e-Gov法令XMLの形式ではありません（Law/LawBody 要素がありません）")
    parsed = parse_egov_law(root)
    if not any(p.has_text() or p.label for p in parsed.provisions):
        raise ctx.error("条文が見つかりません（本則・附則のない法令XMLです）")
    if not parsed.title:
        parsed.title = ctx.path.stem
    doc_type = guess_law_doc_type(parsed.title)
    return chunk_law(parsed, source=ctx.source, max_chars=ctx.max_chars, doc_type=doc_type)
