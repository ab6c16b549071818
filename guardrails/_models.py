"""Result types of a guard scan (pydantic v2), matching the ``yakuba guard scan`` contract.

``ScanResult.model_dump(mode="json", exclude_none=True)`` is exactly
``{"action", "findings": [{"type", "start", "end", "score"}], "redacted"}``, plus
``"error"`` only when the scan failed. A finding judged public (see ``PublicBasis``)
also carries ``"public"``. ``Finding.cues`` — the words in the text that decided the
finding (様, 自宅, 市民課 …), vocabulary, never the value — is kept out of the JSON.
"""

from __future__ import annotations

from collections import Counter
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from guardrails._errors import GuardrailsError, GuardTimeoutError


class Action(StrEnum):
    """What to do with a prompt (overall) or a kind of finding (policy).

    ``warn`` is only a per-entity policy: such findings are reported and redacted in
    ``redacted`` but do not stop the prompt, so an overall action is never ``warn``.
    """

    ALLOW = "allow"
    MASK = "mask"
    WARN = "warn"
    BLOCK = "block"


class PublicBasis(StrEnum):
    """Why a finding is public information rather than a person's data.

    Such findings are reported with the policy's ``[public] action`` (``warn`` by
    default: recorded and shown, never blocking) instead of their type's action.
    """

    ORGANISATION = "organisation"  # a facility's / office's address, phone, e-mail
    PUBLIC_ROLE = "public_role"  # an official named in a public role (田中市長)
    AREA = "area"  # a postal code or 町名・丁目 alone: a place, not a home
    REGISTER = "register"  # a value of the public register (ingested public documents)
    # A name the policy lists as public (a mascot, a character: [public] public_names).
    PUBLIC_NAME = "public_name"
    # A full name alone in a text about history or literature ([public] history_words).
    HISTORICAL = "historical"
    # A name in a role public only in its kind of text ([[public.context_roles]]): staff
    # in internal mail, a lecturer, an award's recipient. Never harvested.
    ROLE_IN_CONTEXT = "role_in_context"
    # Only in reviews of documents declared public: a contact value with no sign of
    # belonging to a person (in a prompt the same value blocks).
    PUBLIC_DOCUMENT = "public_document"
    # A name in a text the learned gate reads as a published municipal document
    # ([public_document]; no identifier, no person's contact, no resident cue in it).
    # Never harvested.
    PUBLIC_GENRE = "public_genre"


GUARD_ERROR = "guard_error"
GUARD_TIMEOUT = "guard_timeout"


class Finding(BaseModel):
    """One detected span; offsets index the ORIGINAL text (Python ``str`` indices)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    score: float = Field(ge=0.0, le=1.0)
    public: PublicBasis | None = None
    # For explain_ja and callers that show them; not part of the JSON contract.
    cues: tuple[str, ...] | None = Field(default=None, exclude=True)

    @model_validator(mode="after")
    def _span_is_ordered(self) -> Finding:
        if self.end < self.start:
            raise ValueError("end must not be before start")
        return self


class ScanResult(BaseModel):
    """Verdict of ``Guard.scan`` for one text."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    action: Action
    findings: list[Finding] = Field(default_factory=list)
    redacted: str
    error: str | None = None

    @field_validator("action")
    @classmethod
    def _overall_action(cls, value: Action) -> Action:
        if value is Action.WARN:
            raise ValueError("an overall action is allow, mask or block, never warn")
        return value

    @model_validator(mode="after")
    def _errors_block(self) -> ScanResult:
        # Fail closed even against a careless constructor call.
        if self.error is not None and self.action is not Action.BLOCK:
            raise ValueError("a failed scan must block")
        return self

    @property
    def blocked(self) -> bool:
        """True when the prompt must not be sent to the model."""
        return self.action is Action.BLOCK

    @property
    def personal_findings(self) -> list[Finding]:
        """The findings not judged public information."""
        return [f for f in self.findings if f.public is None]

    def entity_counts(self) -> dict[str, int]:
        """Number of findings per entity type, sorted by type (for the audit log)."""
        return dict(sorted(Counter(f.type for f in self.findings).items()))

    def raise_for_error(self) -> None:
        """Raise ``GuardTimeoutError`` / ``GuardrailsError`` if the scan itself failed."""
        if self.error == GUARD_TIMEOUT:
            raise GuardTimeoutError("安全確認が時間内に終わりませんでした。", detail=self.error)
        if self.error is not None:
            raise GuardrailsError("安全確認を完了できませんでした。", detail=self.error)
