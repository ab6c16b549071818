"""Builders for the loader tests' documents (written into tmp_path, never downloaded)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from io import BytesIO
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from ingest._errors import LoaderError
from ingest._loaders import load_chunks
from ingest._models import Chunk

# reportlab's built-in Japanese CID fonts: no font file needed, and pypdf extracts the
# text back through the ToUnicode map of the UniJIS-UCS2-H encoding.
MINCHO = "HeiseiMin-W3"
GOTHIC = "HeiseiKakuGo-W5"
for _font in (MINCHO, GOTHIC):
    pdfmetrics.registerFont(UnicodeCIDFont(_font))

_JAPANESE = re.compile("[\u3040-\u30ff\u4e00-\u9fff]")


def pdf_bytes(
    pages: Sequence[Sequence[str]],
    *,
    title: str | None = None,
    font: str = MINCHO,
    footer: str | None = "- {n} -",
    header: str | None = None,
    encrypt: object = None,
) -> bytes:
    """A text-layer PDF, one list of lines per page; ``footer`` gets the page number."""
    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, encrypt=encrypt)
    if title is not None:
        pdf.setTitle(title)
    for number, lines in enumerate(pages, 1):
        pdf.setFont(font, 10)
        y = 800
        if header:
            pdf.drawString(40, 815, header)
        for line in lines:
            pdf.drawString(40, y, line)
            y -= 14
        if footer:
            pdf.drawString(280, 30, footer.format(n=number))
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def add_member(package: bytes, name: str, size: int) -> bytes:
    """``package`` with one more member of ``size`` zero bytes (compresses ~1000:1)."""
    buffer = BytesIO(package)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open(name, "w") as member:
            block = bytes(1 << 20)
            for start in range(0, size, len(block)):
                member.write(block[: min(len(block), size - start)])
    return buffer.getvalue()


def load_error(
    path: Path, fragment: str, *, source: str | None = None, **limits: int
) -> LoaderError:
    """Load ``path`` expecting a LoaderError whose message contains ``fragment``."""
    with pytest.raises(LoaderError) as info:
        load_chunks(path, source=source or path.name, **limits)
    assert_error(info.value, path, fragment)
    return info.value


def assert_error(error: LoaderError, path: Path, fragment: str) -> None:
    message = str(error)
    assert fragment in message, message
    assert _JAPANESE.search(message), "messages are for Japanese users"
    assert error.path == str(path)
    assert str(path) in message


def locators(chunks: Sequence[Chunk]) -> list[str]:
    return [chunk.locator for chunk in chunks]
