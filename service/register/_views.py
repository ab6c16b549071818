"""What the register store hands out: a page of entries for the console, the CLI and
the API, and the outcome of a revocation or restoration."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from guardrails import ENTITY_LABELS_JA, ORGANIZATION, REGISTER_KINDS

# What the console and the CLI call each kind.
KIND_LABELS: dict[str, str] = {
    kind: ENTITY_LABELS_JA.get(kind, kind) for kind in sorted(REGISTER_KINDS - {ORGANIZATION})
} | {ORGANIZATION: "施設・組織名"}


class EntryStatus(StrEnum):
    ACTIVE = "active"  # counts as public
    REVOKED = "revoked"  # an administrator revoked its value
    ALL = "all"


class RegisterQuery(BaseModel):
    """Filters of a listing; every one optional."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str | None = Field(default=None, description="ADDRESS, PHONE_NUMBER …")
    source: str | None = Field(default=None, max_length=256, description="part of the document")
    text: str | None = Field(default=None, max_length=200, description="part of the value")
    status: EntryStatus = EntryStatus.ALL

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, kind: str | None) -> str | None:
        if kind is not None and kind not in REGISTER_KINDS:
            raise ValueError(f"種類は {', '.join(sorted(REGISTER_KINDS))} のいずれかです。")
        return kind


class EntryView(BaseModel):
    """One value and one place it was published, with its revocation, if any."""

    id: int
    kind: str
    value: str
    source: str
    locator: str
    created_at: str = Field(description="JST, ISO 8601 with +09:00")
    revoked: bool
    revoked_at: str | None = None
    revoked_by: str | None = None


class RegisterPage(BaseModel):
    total: int = Field(description="entries matching the filters")
    offset: int
    limit: int
    entries: list[EntryView]
    counts: dict[str, dict[str, int]] = Field(
        description="kind → {active, revoked}: the whole register, unfiltered"
    )


class RegisterChange(BaseModel):
    """A value revoked or restored: it, and how many entries (places) carry it."""

    kind: str
    value: str
    revoked: bool
    entries: int
    changed: bool = Field(description="false when it already was so")
