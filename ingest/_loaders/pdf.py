"""PDF manuals and 例規: the text layer, page by page.

A manual is chunked per page (``p.12``, or the printed label when the PDF defines page
labels: ``p.iii``); see ``_chunking.pages``. A PDF whose text reads as a law or ordinance
is chunked by article like a text file, and each locator gets the page(s) the passage is
printed on: ``第5条（p.3）``, ``第5条第2項（p.3〜4）``. The article stays first, so a
citation reads as law (「○○市手数料条例 第5条（p.3）」) and a person can still turn to the
page.

Page furniture is removed before chunking: page numbers on a page's first or last line
(``- 3 -``, ``3/12``, a bare 3 on page 3) and running headers or footers repeated on most
pages. Word and some PDF makers map kanji to the look-alike Kangxi radical characters
(⽇ U+2F47 for 日); those are folded back so search finds them.

Encrypted PDFs are opened with the empty password (documents restricted only against
printing or copying); a PDF that needs a real password, a corrupt one, or one without a
text layer (a scan) gets a LoaderError saying what to do.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter
from io import BytesIO

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError

from .._chunking import ARTICLE_LINE, Page, is_structure_line, page_locator, split_pages
from .._errors import LoaderError
from .._japanese import to_halfwidth_digits
from .._models import Chunk, DocType
from ._common import (
    MAX_TEXT_CHARS,
    LoadContext,
    clean_title,
    first_line,
    law_chunks,
    normalise_law_text,
)

__all__ = ["MAX_PAGES", "load_pdf"]

logger = logging.getLogger(__name__)

MAX_PAGES = 5000

_NO_TEXT = (
    "テキストが含まれていないPDFです（スキャン画像の可能性があります）。OCR後に取り込んでください"
)
_CORRUPT = "PDFとして読み込めません（ファイルが壊れているか、途中までしか保存されていません）"
_RADICALS = {
    c: unicodedata.normalize("NFKC", chr(c))
    for c in [*range(0x2E80, 0x2EFF), *range(0x2F00, 0x2FE0)]
    if unicodedata.normalize("NFKC", chr(c)) != chr(c)
}
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_DASH = "-－‐―—–−ー"
_DECORATED_NUMBER = re.compile(
    rf"[{_DASH}]\s*[0-9０-９]+\s*[{_DASH}]"  # - 3 -
    r"|[0-9０-９]+\s*[/／]\s*[0-9０-９]+"  # 3/12
    r"|[pPｐＰ]\.?\s*[0-9０-９]+"  # p.3
    r"|[0-9０-９]+\s*(?:ページ|頁)"  # 3ページ
)
_SPACE = re.compile(r"\s+")
_CAPTION = re.compile(r"[ \u3000]*[（(][^（）()]+[）)][ \u3000]*")
_MAX_RUNNING_CHARS = 40
_TITLE_LIKE = re.compile(r"(?:法|法律|令|条例|規則|規程|要綱|要領|手引き?|マニュアル|ガイド)\s*$")


def _open(data: bytes, ctx: LoadContext) -> PdfReader:
    # pypdf raises a wide variety of exceptions on malformed files (KeyError, ValueError,
    # AssertionError, …); every one of them means the same thing to the user.
    try:
        reader = PdfReader(BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except (DependencyError, NotImplementedError) as exc:
                raise ctx.error(f"暗号化されたPDFを復号できません（{exc}）") from None
            if opened == PasswordType.NOT_DECRYPTED:
                raise ctx.error(
                    "パスワードで保護されたPDFです。パスワードを解除したPDFを取り込んでください"
                )
        count = len(reader.pages)
    except LoaderError:
        raise
    except Exception as exc:
        logger.debug("pypdf could not open %s: %r", ctx.name, exc)
        raise ctx.error(_CORRUPT) from None
    if count > MAX_PAGES:
        raise ctx.error(f"ページ数が多すぎます（{count:,} ページ。上限は {MAX_PAGES:,} ページ）")
    return reader


def _labels(reader: PdfReader) -> list[str]:
    count = len(reader.pages)
    try:
        if "/PageLabels" in reader.root_object:
            labels = list(reader.page_labels)
            if len(labels) == count and all(labels):
                return labels
    except Exception:  # a broken label tree is no reason to reject the document
        logger.debug("ignoring unreadable page labels in a PDF", exc_info=True)
    return [str(n) for n in range(1, count + 1)]


def _clean_page(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_RADICALS)
    text = _CONTROL.sub("", text)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def _is_page_number(line: str, label: str, number: int) -> bool:
    line = line.strip(" \u3000\t")
    if _DECORATED_NUMBER.fullmatch(line):
        return True
    return to_halfwidth_digits(line) in {label, str(number)}


def _strip_page_numbers(text: str, label: str, number: int) -> str:
    lines = text.split("\n")
    for index in (0, -1):
        content = [i for i, line in enumerate(lines) if line.strip()]
        if content and _is_page_number(lines[content[index]], label, number):
            del lines[content[index]]
    return "\n".join(lines).strip("\n")


def _edge_key(line: str) -> str:
    return re.sub("[0-9０-９]+", "#", _SPACE.sub("", line))


def _strip_running_lines(pages: list[Page]) -> list[Page]:
    """Drop short headers/footers repeated on most pages (at least three of them).

    On page 1 a repeated first line may be the document's title printed again as the
    running header; it is kept when it reads like a title (…条例, …規則, …の手引き).
    """
    counts: Counter[tuple[int, str]] = Counter()
    for page in pages:
        filled = [line for line in page.text.split("\n") if line.strip()]
        for edge in {0, -1} if filled else set():
            if len(filled[edge].strip()) <= _MAX_RUNNING_CHARS:
                counts[(edge, _edge_key(filled[edge]))] += 1
    running = {key for key, seen in counts.items() if seen >= 3 and seen > len(pages) // 2}
    if not running:
        return pages
    cleaned: list[Page] = []
    for number, page in enumerate(pages):
        lines = page.text.split("\n")
        for edge in (0, -1):
            content = [i for i, line in enumerate(lines) if line.strip()]
            if not content or (edge, _edge_key(lines[content[edge]])) not in running:
                continue
            if number == 0 and edge == 0 and _TITLE_LIKE.search(lines[content[0]]):
                continue
            del lines[content[edge]]
        cleaned.append(Page(page.label, "\n".join(lines).strip("\n")))
    return cleaned


def _pages(reader: PdfReader, ctx: LoadContext) -> list[Page]:
    pages: list[Page] = []
    total = 0
    for number, (page, label) in enumerate(zip(reader.pages, _labels(reader), strict=True), 1):
        try:
            raw = page.extract_text() or ""
        except Exception as exc:
            logger.debug("pypdf failed on page %d of %s: %r", number, ctx.name, exc)
            raise ctx.error(
                f"{number}ページ目のテキストを取り出せません（PDFが壊れている可能性があります）"
            ) from None
        text = _strip_page_numbers(_clean_page(raw), label, number)
        total += len(text)
        if total > MAX_TEXT_CHARS:
            raise ctx.error(f"PDFの文字数が多すぎます（上限は {MAX_TEXT_CHARS:,} 文字）")
        pages.append(Page(label, text))
    return _strip_running_lines(pages)


def _separate_structure(text: str) -> str:
    """Law text from a PDF with a blank line before each article, heading and 附則.

    PDF text has no blank lines, and a line printed before an article need not end a
    sentence (an item, a table row), so the law parser would read 「第三条」 as running
    text. The blank goes above the article's caption when there is one.
    """
    lines: list[str] = []
    for line in text.split("\n"):
        if is_structure_line(line) and lines:
            at = len(lines) - 1 if _CAPTION.fullmatch(lines[-1]) else len(lines)
            if at > 0 and lines[at - 1].strip():
                lines.insert(at, "")
        lines.append(line)
    return "\n".join(lines)


def _squeeze(text: str) -> str:
    return _SPACE.sub("", text)


def _is_context(line: str) -> bool:
    """A 附則 name or a bare article number repeated above a 項 for context."""
    m = ARTICLE_LINE.fullmatch(line)
    return line.startswith("附則") or (m is not None and not m.group("rest"))


def _body_lines(chunk: Chunk) -> list[str]:
    """The lines of a law chunk that are printed where the passage is."""
    lines = [line for line in chunk.text.split("\n") if line.strip()]
    lines = [line for line in lines if line != f"（{chunk.locator}の続き）"]
    while len(lines) > 1 and _is_context(lines[0]):
        lines.pop(0)
    return lines


def _with_pages(chunks: list[Chunk], pages: list[Page]) -> list[Chunk]:
    """Add the page span to each law chunk's locator by finding its text on the pages.

    Chunks come in document order, so each is searched for after the previous one; only
    whitespace differs between a chunk's text and the page text it came from.
    """
    owner: list[int] = []
    parts: list[str] = []
    for index, page in enumerate(pages):
        squeezed = _squeeze(page.text)
        parts.append(squeezed)
        owner.extend([index] * len(squeezed))
    joined = "".join(parts)
    cursor, first_page, last_page = 0, 0, 0
    located: list[Chunk] = []
    for chunk in chunks:
        body = _body_lines(chunk)
        head = _squeeze(body[0])[:24] if body else ""
        tail = _squeeze(body[-1])[-24:] if body else ""
        start = joined.find(head, cursor) if head else -1
        if start >= 0:
            cursor = start
            first_page = owner[start]
            end = joined.find(tail, start) if tail else -1
            last_page = owner[end + len(tail) - 1] if end >= 0 else first_page
        else:
            first_page = last_page  # not found: it follows the previous chunk
        span = page_locator(pages[first_page].label, pages[max(first_page, last_page)].label)
        located.append(chunk.model_copy(update={"locator": f"{chunk.locator}（{span}）"}))
    return located


def _metadata_title(reader: PdfReader) -> str:
    try:
        metadata = reader.metadata
        return clean_title(metadata.title if metadata is not None else None)
    except Exception:  # unreadable metadata: fall back to the text
        return ""


def load_pdf(data: bytes, ctx: LoadContext) -> list[Chunk]:
    """Chunks of a PDF's text layer; LoaderError for encrypted, corrupt or scanned PDFs."""
    reader = _open(data, ctx)
    pages = _pages(reader, ctx)
    if not any(page.text.strip() for page in pages):
        raise ctx.error(_NO_TEXT)
    text = "\n".join(page.text for page in pages if page.text)
    chunks = law_chunks(_separate_structure(text), ctx)
    if chunks:
        printed = [Page(p.label, normalise_law_text(p.text)) for p in pages if p.text]
        return _with_pages(chunks, printed)
    title = _metadata_title(reader) or first_line(text)[:100] or ctx.path.stem
    return split_pages(
        pages, source=ctx.source, title=title, max_chars=ctx.max_chars, doc_type=DocType.MANUAL
    )
