"""Uploaded documents (text, PDF, DOCX) → plain text for the summarize task.

The type is decided from the bytes, never from the file name or the declared content
type: a renamed image or executable is refused before any parser sees it. The text
itself is extracted by ingest's loaders (the same ones that build the knowledge base),
so an upload reads exactly as an ingested file would.
"""

from __future__ import annotations

import tempfile
import zipfile
from dataclasses import dataclass
from enum import StrEnum
from io import BytesIO
from pathlib import Path

from ingest import Chunk, LoaderError, load_chunks

from .errors import InputError

# Signatures of formats staff upload by mistake, named in the refusal message.
_REFUSED_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "画像（PNG）"),
    (b"\xff\xd8\xff", "画像（JPEG）"),
    (b"GIF87a", "画像（GIF）"),
    (b"GIF89a", "画像（GIF）"),
    (b"II*\x00", "画像（TIFF）"),
    (b"MM\x00*", "画像（TIFF）"),
    (b"BM", "画像（BMP）"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "旧形式のOffice文書（.doc など）またはパスワード付きの文書",
    ),
    (b"Rar!\x1a\x07", "RAR圧縮ファイル"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip圧縮ファイル"),
    (b"\x1f\x8b", "gzip圧縮ファイル"),
    (b"MZ", "実行ファイル"),
    (b"\x7fELF", "実行ファイル"),
)
_TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_ACCEPTED = "テキスト（.txt/.md）、PDF、Word文書（.docx）"


class DocumentKind(StrEnum):
    TEXT = "text"
    PDF = "pdf"
    DOCX = "docx"

    @property
    def label(self) -> str:
        return {"text": "テキスト", "pdf": "PDF", "docx": "Word文書"}[self.value]


@dataclass(frozen=True)
class ExtractedDocument:
    kind: DocumentKind
    size: int
    text: str


def _unsupported(what: str) -> InputError:
    return InputError(
        f"このファイルは要約できません（内容から{what}と判定しました）。{_ACCEPTED}を指定してください。",
        code="unsupported_file_type",
    )


def sniff(data: bytes) -> DocumentKind:
    """The document's kind from its first bytes; raises InputError (415) for anything else."""
    if b"%PDF-" in data[:1024]:
        return DocumentKind.PDF
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError):
            raise _unsupported("壊れたZIP形式のファイル") from None
        if "word/document.xml" in names:
            return DocumentKind.DOCX
        raise _unsupported("Word文書以外のZIP形式のファイル（Excel、PowerPoint、圧縮フォルダなど）")
    for signature, what in _REFUSED_SIGNATURES:
        if data.startswith(signature):
            raise _unsupported(what)
    # Text encodings Yakuba reads (UTF-8, Shift_JIS, EUC-JP) never contain NUL bytes;
    # UTF-16 text does, but starts with a byte-order mark.
    if b"\x00" in data[:8192] and not data.startswith(_TEXT_BOMS):
        raise _unsupported("バイナリファイル")
    return DocumentKind.TEXT


def extract_text(data: bytes, *, max_bytes: int, size: int | None = None) -> ExtractedDocument:
    """The text of an uploaded document. Raises InputError with a code the API maps to
    413 (`file_too_large`), 415 (`unsupported_file_type`) or 400 (`empty_file`,
    `unreadable_file`). `size` is the file's full size when `data` was read only up to
    just past `max_bytes`."""
    if not data:
        raise InputError("ファイルが空です。", code="empty_file")
    if len(data) > max_bytes:
        raise InputError(
            f"ファイルが大きすぎます（{max(size or 0, len(data)):,}バイト）。"
            f"{max_bytes:,}バイト以内のファイルにしてください。",
            code="file_too_large",
        )
    kind = sniff(data)
    suffix = {DocumentKind.TEXT: ".txt", DocumentKind.PDF: ".pdf", DocumentKind.DOCX: ".docx"}
    with tempfile.TemporaryDirectory(prefix="yakuba-upload-") as folder:
        # ingest's loaders read files; the name only carries the kind already verified.
        path = Path(folder) / f"upload{suffix[kind]}"
        path.write_bytes(data)
        try:
            chunks = load_chunks(path, source="upload", max_chars=100_000, max_bytes=max_bytes)
        except LoaderError as exc:
            # The loader's message ends with the temporary path, which means nothing to staff.
            reason = str(exc).replace(f": {path}", "").replace(str(path), "ファイル")
            raise InputError(
                f"ファイルから文字を取り出せませんでした。{reason}", code="unreadable_file"
            ) from None
    text = _join(chunks)
    if not text.strip():
        raise InputError(
            f"{kind.label}から文字を取り出せませんでした（画像だけのPDFなど、文字情報の無い"
            "ファイルの可能性があります）。文字を含むファイルを指定してください。",
            code="unreadable_file",
        )
    return ExtractedDocument(kind=kind, size=len(data), text=text)


def _join(chunks: list[Chunk]) -> str:
    # Chunks of one document never overlap at this size; headings (a manual's sections,
    # an ordinance's article captions) are kept as lines so the summary can follow them.
    parts: list[str] = []
    last_heading = ""
    for chunk in chunks:
        heading, body = chunk.heading, chunk.text
        if heading and heading != last_heading and heading not in body[:200]:
            parts.append(f"【{heading}】")
        last_heading = heading
        parts.append(body)
    return "\n\n".join(p for p in parts if p.strip())
