"""Document loaders: bytes on disk → text → chunks."""

from __future__ import annotations

from ._dispatch import SUPPORTED_SUFFIXES, load_chunks
from .text import DEFAULT_MAX_BYTES, decode_bytes, read_text

__all__ = ["DEFAULT_MAX_BYTES", "SUPPORTED_SUFFIXES", "decode_bytes", "load_chunks", "read_text"]
