"""Document loaders: bytes on disk → text → chunks.

One module per format — text.py (.txt/.md), pdf.py, word.py (.docx), xlsx.py and
delimited.py (.xlsx/.csv, FAQ or tables), webpage.py (.html), egov_xml.py (e-Gov law
XML) — chosen by ``_dispatch.load_chunks`` from the file's content and extension.
"""

from __future__ import annotations

from ._common import DEFAULT_MAX_BYTES, DEFAULT_MAX_UNPACKED_BYTES
from ._dispatch import SUPPORTED_SUFFIXES, check_file, load_chunks
from .text import decode_bytes, read_text

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_UNPACKED_BYTES",
    "SUPPORTED_SUFFIXES",
    "check_file",
    "decode_bytes",
    "load_chunks",
    "read_text",
]
