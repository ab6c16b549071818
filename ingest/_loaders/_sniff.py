"""Tell a file's format from its first bytes, not from its name.

Municipal file shares are full of renamed files: a ``.pdf`` that is really a Word file, a
``.xlsx`` that is a password-protected (OLE2-wrapped) workbook, web pages saved without an
extension. The magic bytes decide what a file is; the extension only chooses between
readings of text (CSV, Markdown, HTML) and exposes mismatches.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from dataclasses import dataclass
from enum import StrEnum
from io import BytesIO

__all__ = ["Kind", "Sniffed", "sniff"]


class Kind(StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    XLSX = "xlsx"
    HTML = "html"
    EGOV_XML = "egov_xml"
    XML = "xml"  # any other XML vocabulary
    TEXT = "text"
    BROKEN_ZIP = "broken_zip"  # starts like a ZIP archive but cannot be opened
    OLE2 = "ole2"  # legacy .doc/.xls, or an encrypted .docx/.xlsx
    OTHER = "other"  # a recognised format Yakuba does not read (image, archive, …)
    BINARY = "binary"  # no known signature and not text


@dataclass(frozen=True)
class Sniffed:
    kind: Kind
    label: str  # what the content is, for messages: 「PDF」「画像（PNG）」


_LABELS = {
    Kind.PDF: "PDF",
    Kind.DOCX: "Word文書（.docx）",
    Kind.XLSX: "Excelブック（.xlsx）",
    Kind.HTML: "HTML",
    Kind.EGOV_XML: "e-Gov法令XML",
    Kind.XML: "XML",
    Kind.TEXT: "テキスト",
    Kind.BROKEN_ZIP: "壊れたZIP形式のファイル",
    Kind.OLE2: "旧形式のOffice文書（.doc/.xls など）またはパスワード付きのOffice文書",
    Kind.BINARY: "不明なバイナリデータ",
}

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "画像（PNG）"),
    (b"\xff\xd8\xff", "画像（JPEG）"),
    (b"GIF87a", "画像（GIF）"),
    (b"GIF89a", "画像（GIF）"),
    (b"II*\x00", "画像（TIFF）"),
    (b"MM\x00*", "画像（TIFF）"),
    (b"Rar!\x1a\x07", "RAR圧縮ファイル"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip圧縮ファイル"),
    (b"\x1f\x8b", "gzip圧縮ファイル"),
    (b"{\\rtf", "リッチテキスト（RTF）"),
    (b"\x7fELF", "実行ファイル"),
)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
# [Content_Types].xml is a few kilobytes; anything larger is not a real Office file.
_MAX_CONTENT_TYPES = 1024 * 1024
_OFFICE_TYPES: tuple[tuple[bytes, Kind, str], ...] = (
    (b"wordprocessingml.document.main", Kind.DOCX, ""),
    (b"ms-word.document.macroEnabled.main", Kind.DOCX, ""),
    (b"spreadsheetml.sheet.main", Kind.XLSX, ""),
    (b"ms-excel.sheet.macroEnabled.main", Kind.XLSX, ""),
    (b"presentationml", Kind.OTHER, "PowerPointファイル"),
)
_HTML_TAGS = frozenset({"html", "head", "body", "meta", "title", "div", "p", "table", "h1", "h2"})
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_FIRST_TAG = re.compile(r"<([!?]?)([A-Za-z][\w:.\-]*)(?:\s+([A-Za-z]+))?")
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")


def _sniff_zip(data: bytes) -> Sniffed:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names:
                if "mimetype" in names:
                    return Sniffed(Kind.OTHER, "OpenDocument形式のファイル（.odt/.ods など）")
                return Sniffed(Kind.OTHER, "ZIP圧縮ファイル")
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > _MAX_CONTENT_TYPES:
                return Sniffed(Kind.BROKEN_ZIP, _LABELS[Kind.BROKEN_ZIP])
            types = archive.read(info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        return Sniffed(Kind.BROKEN_ZIP, _LABELS[Kind.BROKEN_ZIP])
    except NotImplementedError:  # an unknown compression method
        return Sniffed(Kind.OTHER, "対応していない圧縮方式のZIPファイル")
    for marker, kind, label in _OFFICE_TYPES:
        if marker in types:
            return Sniffed(kind, label or _LABELS[kind])
    return Sniffed(Kind.OTHER, "Office文書（Word・Excel以外）")


def _head_text(head: bytes) -> str:
    """The start of the file as text, good enough to find ASCII markup."""
    for bom in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if head.startswith(bom):
            return head.decode("utf-16", errors="ignore")
    # Every encoding we accept is ASCII-compatible, so tags survive a latin-1 reading.
    return head.removeprefix(codecs.BOM_UTF8).decode("latin-1")


def _sniff_markup(head: str) -> Kind | None:
    text = _COMMENT.sub("", head).lstrip()
    if not text.startswith("<"):
        return None
    for m in _FIRST_TAG.finditer(text):
        bang, name, word = m.group(1), m.group(2), m.group(3) or ""
        if bang == "?":
            continue  # <?xml …?> and other processing instructions
        if bang == "!":
            if name.lower() == "doctype" and word.lower() == "html":
                return Kind.HTML
            continue
        if name == "Law":
            return Kind.EGOV_XML
        if name.lower() in _HTML_TAGS:
            return Kind.HTML
        return Kind.XML if text.startswith("<?xml") else None
    return None


def _is_textual(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if b"\x00" in head:
        return False
    return len(_CONTROL.findall(head)) <= max(8, len(head) // 1000)


def sniff(data: bytes) -> Sniffed:
    """What ``data`` is, judged from its content alone."""
    if data.lstrip()[:5] == b"%PDF-" or (
        # Readers accept junk before the header; a complete file also has the end marker.
        b"%PDF-" in data[:1024] and b"%%EOF" in data[-2048:]
    ):
        return Sniffed(Kind.PDF, _LABELS[Kind.PDF])
    if data.startswith(_ZIP):
        return _sniff_zip(data)
    if data.startswith(_OLE2):
        return Sniffed(Kind.OLE2, _LABELS[Kind.OLE2])
    for signature, label in _SIGNATURES:
        if data.startswith(signature):
            return Sniffed(Kind.OTHER, label)
    head = data[:16384]
    kind = _sniff_markup(_head_text(head))
    if kind is not None:
        return Sniffed(kind, _LABELS[kind])
    if _is_textual(head):
        return Sniffed(Kind.TEXT, _LABELS[Kind.TEXT])
    return Sniffed(Kind.BINARY, _LABELS[Kind.BINARY])
