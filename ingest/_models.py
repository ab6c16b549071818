"""Data that flows through ingestion and retrieval."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr


class DocType(StrEnum):
    LAW = "law"
    ORDINANCE = "ordinance"
    RULE = "rule"
    MANUAL = "manual"
    FAQ = "faq"
    OTHER = "other"


class RowReading(BaseModel):
    """A table row as shown in a chunk (``山田 | 太郎``) and as a reader reads it
    (``氏名: 山田 太郎``, digits across cells joined): see ``_loaders/_reading``."""

    model_config = ConfigDict(frozen=True)

    shown: str
    readings: tuple[str, ...]


class Chunk(BaseModel):
    """One citable passage: an article (条), a paragraph (項) or a page of a manual."""

    model_config = ConfigDict(frozen=True)

    source: str = Field(description="path or URI of the document as it was ingested")
    title: str = Field(description="document title, e.g. 行政手続法")
    locator: str = Field(description="where in the document a person finds it, e.g. 第5条第3項")
    text: str = Field(description="the passage itself, as shown to people and to the model")
    heading: str = Field(default="", description="article caption or section path, e.g. 審査基準")
    doc_type: DocType = DocType.OTHER
    ordinal: int = Field(default=0, description="position of the chunk in its document")
    department: str = Field(default="", description="the 課 responsible, e.g. 市民課")
    modified: str = Field(default="", description="the file's last change, JST date (version)")
    # The table rows shown in `text`, as a reader reads them (「氏名: 山田 太郎」, digits
    # across cells joined), for the personal-data screen only: never stored or shown.
    readings: tuple[RowReading, ...] = Field(default=(), exclude=True, repr=False)

    def citation(self) -> str:
        """The human-readable reference, e.g. 「行政手続法 第5条（審査基準）」."""
        caption = f"（{self.heading}）" if self.heading else ""
        return f"{self.title} {self.locator}{caption}".strip()


class Hit(BaseModel):
    """A retrieved chunk and its fused score; the JSON shape of `yakuba search`."""

    source: str
    title: str
    locator: str
    score: float
    text: str
    heading: str = ""
    doc_type: DocType = DocType.OTHER
    department: str = ""
    modified: str = ""
    relevance: float | None = Field(
        default=None,
        description="cosine similarity of the question and the passage's closest vector; "
        "unlike the fused rank score, comparable across questions",
    )

    # The keyword terms (term ids) the passage was indexed with, when the index returned
    # them: which of a question's key terms the passage holds. Not part of the JSON shape.
    _term_ids: frozenset[int] | None = PrivateAttr(default=None)

    def set_term_ids(self, ids: Iterable[int]) -> None:
        self._term_ids = frozenset(ids)

    @property
    def term_ids(self) -> frozenset[int] | None:
        return self._term_ids
