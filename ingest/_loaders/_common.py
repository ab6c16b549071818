"""What every loader shares: reading within limits, ZIP safety, titles, law detection.

Limits protect the ingest process from hostile or broken files: a file larger than
``max_bytes`` is not read at all, and an Office file (a ZIP archive) whose members would
unpack to more than ``max_unpacked_bytes`` is refused before any member is inflated —
Python's zipfile never inflates a member beyond the size its header declares, so checking
the declared sizes is enough to stop a zip bomb.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from .._chunking import guess_law_doc_type, looks_like_law, split_law
from .._errors import LoaderError
from .._japanese import KANJI_NUMERAL_CHARS
from .._models import Chunk

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_UNPACKED_BYTES",
    "MAX_TEXT_CHARS",
    "LoadContext",
    "clean_title",
    "defuse_markdown",
    "first_line",
    "law_chunks",
    "normalise_law_text",
    "open_zip",
    "read_bytes",
]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_UNPACKED_BYTES = 100 * 1024 * 1024
# Text extracted from one document; beyond this it is not a manual but a data dump.
MAX_TEXT_CHARS = 10_000_000
_MAX_ZIP_MEMBERS = 10_000


@dataclass(frozen=True)
class LoadContext:
    """One file being loaded: where it is, how it is cited, and the limits that apply."""

    path: Path
    source: str
    max_chars: int = 800
    max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED_BYTES

    @property
    def name(self) -> str:
        return str(self.path)

    def error(self, message: str) -> LoaderError:
        """A LoaderError whose Japanese message ends with the file's path."""
        return LoaderError(f"{message}: {self.name}", path=self.name)


def read_bytes(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The file's bytes; LoaderError for a missing, unreadable, oversized or empty file."""
    name = str(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise LoaderError(f"ファイルではありません: {name}", path=name)
        if size > max_bytes:
            raise LoaderError(
                f"ファイルが大きすぎます（{size:,} バイト。上限は {max_bytes:,} バイト）: {name}",
                path=name,
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise LoaderError(f"ファイルが見つかりません: {name}", path=name) from None
    except PermissionError:
        raise LoaderError(f"ファイルを読む権限がありません: {name}", path=name) from None
    except OSError as exc:
        raise LoaderError(f"ファイルを読み込めません（{exc.strerror}）: {name}", path=name) from exc
    if len(data) > max_bytes:  # the file grew between stat() and read()
        raise LoaderError(
            f"ファイルが大きすぎます（上限は {max_bytes:,} バイト）: {name}", path=name
        )
    if not data:
        raise LoaderError(f"ファイルが空です: {name}", path=name)
    return data


def open_zip(data: bytes, ctx: LoadContext, label: str) -> zipfile.ZipFile:
    """Open an Office file's ZIP container after checking what it would unpack to.

    ``label`` names the format in messages (``Word文書（.docx）``).
    """
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise ctx.error(
            f"{label}として読み込めません（ファイルが壊れているか、途中までしか保存されていません）"
        ) from None
    if len(members) > _MAX_ZIP_MEMBERS:
        raise ctx.error(f"{label}の中のファイル数が多すぎます（{len(members):,} 個）")
    unpacked = sum(member.file_size for member in members)
    if unpacked > ctx.max_unpacked_bytes:
        raise ctx.error(
            f"{label}を展開すると大きすぎます（{unpacked:,} バイト。上限は "
            f"{ctx.max_unpacked_bytes:,} バイト）。圧縮爆弾の可能性があるため取り込みません"
        )
    return archive


def first_line(text: str) -> str:
    return next((s for line in text.split("\n") if (s := line.strip(" \u3000\t"))), "")


# Titles that authoring tools write when the author gave none.
_JUNK_TITLES = re.compile(r"(?i)(untitled|無題|タイトルなし|new document|document\d*|文書\s*\d*|)")
_TOOL_PREFIX = re.compile(r"(?i)^(microsoft\s+(word|excel|powerpoint)\s*-\s*)")
_PATH_LIKE = re.compile(r"(?:[A-Za-z]:)?[\\/]|.*\\")
_FILE_SUFFIX = re.compile(r"(?i)\.(docx?|xlsx?|pdf|jtd|txt|rtf|html?)$")


def clean_title(raw: object) -> str:
    """A document-property title fit for citations, or "" when it is tool noise.

    Word's PDF export writes ``Microsoft Word - 手引き.docx``; the name is kept, the tool
    and the extension are not.
    """
    if not isinstance(raw, str):
        return ""
    title = " ".join(raw.split())
    title = _FILE_SUFFIX.sub("", _TOOL_PREFIX.sub("", title)).strip()
    if _JUNK_TITLES.fullmatch(title) or _PATH_LIKE.match(title):
        return ""
    return title[:200]


# 例規集 systems print captions with half-width brackets, （趣旨） as (趣旨); the law
# parser only takes full-width ones for captions. Item numbers such as (1), (十) or (ア)
# stay as they are.
_HALFWIDTH_CAPTION = re.compile(
    rf"^([ \u3000]*)\((?![0-9０-９{KANJI_NUMERAL_CHARS}]+\))([^()（）]{{2,40}})\)[ \u3000]*$",
    re.MULTILINE,
)


def normalise_law_text(text: str) -> str:
    """Law text as the law parser reads it: captions in full-width brackets."""
    return _HALFWIDTH_CAPTION.sub(r"\1（\2）", text)


def law_chunks(text: str, ctx: LoadContext) -> list[Chunk]:
    """Article chunks when ``text`` reads as a law or ordinance, else []."""
    if not looks_like_law(text):
        return []
    text = normalise_law_text(text)
    doc_type = guess_law_doc_type(first_line(text))
    return split_law(text, source=ctx.source, max_chars=ctx.max_chars, doc_type=doc_type)


_MARKDOWN_SYNTAX = re.compile(r"^(?:#{1,6}[ \t\u3000]|```|~~~)")
_FULLWIDTH = str.maketrans("#`~", "＃｀～")


def defuse_markdown(line: str) -> str:
    """Body text from a DOCX/HTML that would read as a Markdown heading or fence.

    Those loaders hand their text to the Markdown-aware plain chunker; a paragraph that
    starts with ``# `` must not become a heading, so its first mark is made full-width.
    """
    if _MARKDOWN_SYNTAX.match(line):
        return line[0].translate(_FULLWIDTH) + line[1:]
    return line
