"""Plain-text and Markdown files, in whatever encoding a municipal PC wrote them.

Files come from Windows desktops (Shift_JIS/CP932, sometimes UTF-16 from Notepad),
from older Unix systems (EUC-JP) and from e-Gov (UTF-8). Detection uses strict decoding
only, so a wrong guess fails loudly instead of producing mojibake in the index.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from .._chunking import markdown_title, split_plain
from .._errors import LoaderError, UnsupportedFileError
from .._models import Chunk, DocType
from ._common import DEFAULT_MAX_BYTES, LoadContext, law_chunks, read_bytes

__all__ = [
    "DEFAULT_MAX_BYTES",
    "TEXT_SUFFIXES",
    "decode_bytes",
    "load_text",
    "read_text",
    "text_from_bytes",
]

TEXT_SUFFIXES = frozenset({".txt", ".md"})

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 before UTF-16: the UTF-32-LE BOM starts with the UTF-16-LE one.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# CP932 is Microsoft's superset of Shift_JIS (①, ㈱, NEC/IBM kanji), what Excel and
# Notepad actually write; EUC-JP is tried last because it is the rarest today.
_LEGACY_ENCODINGS = ("cp932", "euc_jp")
# Half-width katakana and C1 controls: what EUC-JP bytes turn into when read as CP932
# (and vice versa). Real documents contain few of them.
_SUSPICIOUS = re.compile("[\uff61-\uff9f\u0080-\u009f\ue000-\uf8ff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _binary_error(path: str) -> LoaderError:
    return LoaderError(
        "テキストとして読み込めません（バイナリファイルか、UTF-8・Shift_JIS・EUC-JP "
        f"以外の文字コードです）: {path}",
        path=path,
    )


def decode_bytes(data: bytes, *, path: str = "<bytes>") -> str:
    """Decode document bytes: a BOM wins, then UTF-8, then CP932 or EUC-JP.

    When both legacy encodings decode cleanly (short texts can), the one producing fewer
    half-width katakana and control characters is chosen, CP932 on a tie.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise _binary_error(path) from None
    if b"\x00" in data:
        # No text encoding we accept without a BOM contains NUL bytes.
        raise _binary_error(path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    candidates: list[str] = []
    for encoding in _LEGACY_ENCODINGS:
        try:
            candidates.append(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    if not candidates:
        raise _binary_error(path)
    return min(candidates, key=lambda text: len(_SUSPICIOUS.findall(text)))


def _normalise(text: str) -> str:
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def text_from_bytes(data: bytes, *, path: str) -> str:
    """Decode a text document's bytes to text with ``\\n`` newlines.

    Raises LoaderError (message in Japanese, ``path`` set) for empty or binary content.
    """
    text = _normalise(decode_bytes(data, path=path))
    if not text.strip():
        raise LoaderError(f"ファイルが空です: {path}", path=path)
    if len(_CONTROL.findall(text)) > max(8, len(text) // 1000):
        # Decodes as text but is mostly control bytes: some binary format.
        raise _binary_error(path)
    return text


def read_text(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read a .txt or .md file as text with ``\\n`` newlines.

    Raises UnsupportedFileError for other suffixes and LoaderError (message in Japanese,
    ``path`` set) for a missing, oversized, empty or binary file.
    """
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES:
        supported = "、".join(sorted(TEXT_SUFFIXES))
        raise UnsupportedFileError(
            f"対応していないファイル形式です（{suffix or '拡張子なし'}）。"
            f"対応形式: {supported}: {name}",
            path=name,
        )
    return text_from_bytes(read_bytes(path, max_bytes=max_bytes), path=name)


def load_text(data: bytes, ctx: LoadContext) -> list[Chunk]:
    """Chunks of a text file: by article when it reads as a law, else by Markdown heading."""
    text = text_from_bytes(data, path=ctx.name)
    if chunks := law_chunks(text, ctx):
        return chunks
    title = markdown_title(text) or ctx.path.stem
    return split_plain(
        text, source=ctx.source, title=title, max_chars=ctx.max_chars, doc_type=DocType.MANUAL
    )
