"""The verdict on a chunk of a document declared public (the ingest policy) and what it
contributes to the public register.

A document declared public is indexed. Only ``[ingest] withhold`` types (identifiers
that are never public, and markings that contradict the declaration) and a private
person's name given together with their contact data withhold a chunk; everything else
found is reported. In a public document a contact value with no owner evidence either
way is public (in a prompt it would block); a mobile number or a personal mail address
is public only with organisation evidence.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from guardrails._models import Finding
from guardrails._register import RegisterEntry, make_entry

# The reason given when a private person's name stands with their contact data.
PRIVATE_CONTACT = "PRIVATE_CONTACT"


class PublicValue(BaseModel):
    """A public value harvested from a text: its kind (an entity type or ORGANIZATION),
    the value as written and its span in the text."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str
    value: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    cues: tuple[str, ...] = ()


class PublicTextReview(BaseModel):
    """``Guard.review_public_text``: may the chunk be indexed, what was found in it, and
    which values it publishes.

    ``withhold`` with ``reasons`` (entity types, ``PRIVATE_CONTACT`` or, when the review
    itself failed, the error) keeps the chunk out of the index; ``findings`` are every
    finding (public ones carry ``public``), for the ingest report; ``values`` go to the
    public register (``register_entries``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    withhold: bool
    reasons: list[str] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    values: list[PublicValue] = Field(default_factory=list)
    error: str | None = None

    def register_entries(self, *, source: str, locator: str | None = None) -> list[RegisterEntry]:
        """The harvested values as register entries with their provenance (none when
        the chunk is withheld: nothing of a withheld chunk becomes public)."""
        if self.withhold:
            return []
        entries = (make_entry(v.kind, v.value, source=source, locator=locator) for v in self.values)
        return [e for e in entries if e is not None]
