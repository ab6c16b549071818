"""Document names from outside: an upload's file name and a source named in a request.

A source is only ever a payload value in the index, never a path the service opens; an
upload is staged under its bare name in a fresh temporary folder. Still, names arrive
from browsers and scripts, so they are checked at the boundary: no folders or `..` in an
upload's name, no control characters, bounded length, and an extension the loaders read.
"""

from __future__ import annotations

import re
import unicodedata

from ingest import SUPPORTED_SUFFIXES

from ._errors import DocumentInputError

MAX_NAME_CHARS = 255
MAX_SOURCE_CHARS = 1024
_MAX_FILE_NAME_BYTES = 240
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SEPARATORS = re.compile(r"[\\/]")


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def upload_name(filename: str) -> str:
    """The upload's file name as its source: the bare name, checked."""
    name = _clean(filename)
    if _CONTROL.search(name):
        raise DocumentInputError("ファイル名に制御文字が含まれています。", code="invalid_file_name")
    if _SEPARATORS.search(name) or name in ("", ".", ".."):
        raise DocumentInputError(
            "ファイル名にフォルダ（/ や \\）や「..」は使えません。ファイル名だけを指定してください。",
            code="invalid_file_name",
        )
    if len(name) > MAX_NAME_CHARS:
        raise DocumentInputError(
            f"ファイル名が長すぎます（{MAX_NAME_CHARS}文字まで）。", code="invalid_file_name"
        )
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    if suffix not in SUPPORTED_SUFFIXES:
        supported = "、".join(sorted(SUPPORTED_SUFFIXES))
        raise DocumentInputError(
            f"この拡張子（{suffix or '拡張子なし'}）の文書は取り込めません。対応形式: {supported}",
            code="unsupported_file_type",
        )
    return name


def source_name(source: str) -> str:
    """A document's name in the index as a request gives it (to replace or remove it)."""
    name = _clean(source)
    if not name:
        raise DocumentInputError("文書名（source）を指定してください。", code="invalid_source")
    if _CONTROL.search(name) or len(name) > MAX_SOURCE_CHARS:
        raise DocumentInputError(
            f"文書名（source）は制御文字を含まない{MAX_SOURCE_CHARS}文字以内にしてください。",
            code="invalid_source",
        )
    if ".." in _SEPARATORS.split(name):
        raise DocumentInputError("文書名（source）に「..」は使えません。", code="invalid_source")
    return name


def staged_name(source: str) -> str:
    """The bare file name a job's file is staged under (its extension picks the loader)."""
    name = _CONTROL.sub("", _SEPARATORS.split(source)[-1]).strip()
    if name in ("", ".", ".."):
        return "document"
    while len(name.encode("utf-8")) > _MAX_FILE_NAME_BYTES:  # the file system's limit
        name = name[1:]
    return name
