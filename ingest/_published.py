"""What a public document publishes (addresses, phone numbers, offices' names …), for the
guard's public register, and where the knowledge base hands it on.

The screen (``ChunkScreen``) names the values a text publishes in its verdict
(``ScreenVerdict.published``); the knowledge base collects them for every chunk it
indexes unmasked — with the chunk's locator as their provenance — and gives them to a
``PublishedSink`` whenever a document's indexed version changes: re-ingesting a
document replaces what it published, pruning it removes it. Nothing of a chunk that
was withheld (or indexed masked) is ever handed on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Published", "PublishedSink"]


class Published(BaseModel):
    """One value a public text publishes: its kind (``PHONE_NUMBER``, ``ADDRESS``,
    ``ORGANIZATION`` …), the value as written, and where in the document (set by the
    knowledge base; empty in a verdict)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str = Field(min_length=1, max_length=32)
    value: str = Field(min_length=1)
    locator: str = ""


class PublishedSink(Protocol):
    """Where a document's published values go (the service's public-register store).

    Every method raises ``IngestError`` when it cannot do its work; the file is then
    reported failed and taken up again by the next ingest."""

    def harvested(self, source: str) -> str | None:
        """The version (``doc_hash``) of ``source`` whose values the sink holds; None
        when it holds none (then an unchanged document is screened again — not
        re-embedded — and its values handed on)."""
        ...

    def replace(self, source: str, doc_hash: str, values: Sequence[Published]) -> None:
        """``values`` are now all that ``source`` (at ``doc_hash``) publishes."""
        ...

    def remove(self, source: str) -> None:
        """``source`` left the index: it publishes nothing any more."""
        ...
