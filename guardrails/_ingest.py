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

from guardrails._models import Finding, PublicBasis
from guardrails._register import RegisterEntry, make_entry
from guardrails._register_keys import register_key

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

    def published(self) -> list[PublicValue]:
        """The values the chunk publishes to the public register: none when it is
        withheld (nothing of a withheld chunk becomes public), and only values that can
        be register keys (a surname alone cannot). When the chunk names a private person
        (a name not in a public role) a contact value needs positive evidence of its
        owner — an organisation, an area, a role — beyond "no sign of a person": a
        resident's number some lines below their name must not become public."""
        if self.withhold:
            return []
        private_person = any(f.type == "PERSON" and f.public is None for f in self.findings)
        weak = {
            (f.type, f.start, f.end)
            for f in self.findings
            if f.public is PublicBasis.PUBLIC_DOCUMENT
        }
        return [
            v
            for v in self.values
            if register_key(v.kind, v.value) is not None
            and not (private_person and (v.kind, v.start, v.end) in weak)
        ]

    def register_entries(self, *, source: str, locator: str | None = None) -> list[RegisterEntry]:
        """``published`` as register entries with their provenance."""
        entries = (
            make_entry(v.kind, v.value, source=source, locator=locator) for v in self.published()
        )
        return [e for e in entries if e is not None]
