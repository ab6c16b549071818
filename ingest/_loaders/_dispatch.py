"""Pick the loader for a file: by its content first, its extension second.

The content decides what a file is (``_sniff``): %PDF, an Office ZIP package (its
[Content_Types].xml tells Word from Excel), an e-Gov ``<Law>`` document, an HTML page,
or text. The extension then chooses between readings of text — ``.csv`` as a table,
``.txt``/``.md`` as text (even when it holds markup), ``.html``/``.htm`` as a page,
``.xml`` as e-Gov law XML — and exposes mismatches: a ``.pdf`` that is really a Word file
is refused with a message saying what it is, rather than read by the wrong loader. A file
without a known extension is loaded when its content is a format Yakuba reads (a web page
saved without an extension); anything else is an UnsupportedFileError.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .._errors import UnsupportedFileError
from .._models import Chunk
from ._common import DEFAULT_MAX_BYTES, DEFAULT_MAX_UNPACKED_BYTES, LoadContext, read_bytes
from ._sniff import Kind, Sniffed, sniff
from .delimited import load_csv
from .egov_xml import load_egov_xml
from .pdf import load_pdf
from .text import TEXT_SUFFIXES, load_text
from .webpage import load_html
from .word import load_docx
from .xlsx import load_xlsx

__all__ = ["SUPPORTED_SUFFIXES", "check_file", "load_chunks"]

Loader = Callable[[bytes, LoadContext], list[Chunk]]

# The format each extension promises.
_SUFFIX_KINDS: dict[str, Kind] = {
    ".pdf": Kind.PDF,
    ".docx": Kind.DOCX,
    ".xlsx": Kind.XLSX,
    ".html": Kind.HTML,
    ".htm": Kind.HTML,
    ".xml": Kind.EGOV_XML,
    ".csv": Kind.TEXT,
    ".txt": Kind.TEXT,
    ".md": Kind.TEXT,
}
SUPPORTED_SUFFIXES = frozenset(_SUFFIX_KINDS)

_BINARY_LOADERS: dict[Kind, Loader] = {
    Kind.PDF: load_pdf,
    Kind.DOCX: load_docx,
    Kind.XLSX: load_xlsx,
}
_FORMAT_NAMES = {
    Kind.PDF: "PDF",
    Kind.DOCX: "Word文書（.docx）",
    Kind.XLSX: "Excelブック（.xlsx）",
    Kind.HTML: "HTML",
    Kind.EGOV_XML: "e-Gov法令XML",
    Kind.TEXT: "テキスト",
}


def _unsupported(ctx: LoadContext, message: str) -> UnsupportedFileError:
    return UnsupportedFileError(f"{message}: {ctx.name}", path=ctx.name)


def _unknown_suffix(ctx: LoadContext, suffix: str) -> UnsupportedFileError:
    supported = "、".join(sorted(SUPPORTED_SUFFIXES))
    return _unsupported(
        ctx, f"対応していないファイル形式です（{suffix or '拡張子なし'}）。対応形式: {supported}"
    )


def _mismatch(ctx: LoadContext, suffix: str, content: Sniffed) -> UnsupportedFileError:
    return _unsupported(
        ctx,
        f"拡張子（{suffix}）と内容が一致しません。内容は{content.label}です。"
        "正しい形式・拡張子で保存し直してから取り込んでください",
    )


def _choose(content: Sniffed, suffix: str, ctx: LoadContext) -> Loader:
    expected = _SUFFIX_KINDS.get(suffix)
    kind = content.kind
    if kind in _BINARY_LOADERS:
        if expected is not None and expected is not kind:
            raise _mismatch(ctx, suffix, content)
        return _BINARY_LOADERS[kind]
    if kind is Kind.BROKEN_ZIP and expected in (Kind.DOCX, Kind.XLSX):
        name = _FORMAT_NAMES[expected]
        raise ctx.error(
            f"{name}として読み込めません（ファイルが壊れているか、途中までしか保存されていません）"
        )
    if kind is Kind.OLE2 and expected in (Kind.DOCX, Kind.XLSX):
        raise _unsupported(
            ctx,
            "パスワードで保護されたOffice文書か、旧形式（.doc/.xls）の文書です。"
            "パスワードを解除し、.docx/.xlsx 形式で保存し直してから取り込んでください",
        )
    if kind in (Kind.BROKEN_ZIP, Kind.OLE2, Kind.OTHER):
        raise _unsupported(ctx, f"対応していないファイル形式です（内容は{content.label}です）")
    if kind is Kind.BINARY:
        if expected in _BINARY_LOADERS:
            name = _FORMAT_NAMES[expected]
            raise ctx.error(
                f"{name}として読み込めません（ファイルが壊れているか、{name}ではありません）"
            )
        if expected is None:
            raise _unknown_suffix(ctx, suffix)
    # Text, HTML or XML content (or undecodable bytes the text readers will report).
    if expected in _BINARY_LOADERS:
        raise _mismatch(ctx, suffix, content)
    if suffix in TEXT_SUFFIXES:
        return load_text
    if suffix == ".csv":
        return load_csv
    if kind is Kind.EGOV_XML:
        return load_egov_xml
    if kind is Kind.HTML or expected is Kind.HTML:
        return load_html  # XHTML saved as .xml is a page; a .html without markup too
    if expected is Kind.EGOV_XML:
        if kind is Kind.XML:
            raise _unsupported(ctx, "e-Gov法令XML（ルート要素 <Law>）以外のXMLには対応していません")
        raise ctx.error("XMLとして読み込めません（XMLの要素がありません）")
    raise _unknown_suffix(ctx, suffix)


def check_file(data: bytes, name: str) -> None:
    """Whether a file named ``name`` holding ``data`` is one the loaders read, judged
    the way ``load_chunks`` judges it (content first, then the extension), without
    reading it: for a boundary that refuses an upload before queueing it. Raises
    LoaderError (or UnsupportedFileError) with the message ``load_chunks`` would give."""
    ctx = LoadContext(
        path=Path(name), source=name, max_chars=800, max_unpacked_bytes=DEFAULT_MAX_UNPACKED_BYTES
    )
    if not data:
        raise ctx.error("ファイルが空です")
    _choose(sniff(data), Path(name).suffix.lower(), ctx)


def load_chunks(
    path: Path,
    *,
    source: str,
    max_chars: int = 800,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED_BYTES,
) -> list[Chunk]:
    """Read ``path`` and cut it into citable chunks.

    Laws and ordinances (text, PDF, DOCX, HTML 例規集 pages, e-Gov XML) are chunked by
    article (locators 第5条第2項); manuals by headings (DOCX, HTML, Markdown) or pages
    (PDF, ``p.12``); FAQ sheets (XLSX, CSV) one question per chunk (``FAQ 12``).

    ``max_bytes`` bounds the file's size and ``max_unpacked_bytes`` what a DOCX/XLSX
    would unpack to. Raises LoaderError (or its UnsupportedFileError) with a Japanese
    message and ``path`` set when the file cannot be used.
    """
    data = read_bytes(path, max_bytes=max_bytes)
    ctx = LoadContext(
        path=path, source=source, max_chars=max_chars, max_unpacked_bytes=max_unpacked_bytes
    )
    loader = _choose(sniff(data), path.suffix.lower(), ctx)
    return loader(data, ctx)
