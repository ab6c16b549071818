"""Result types of a guard scan (pydantic v2), matching the ``yakuba guard scan`` contract.

``ScanResult.model_dump(mode="json", exclude_none=True)`` is exactly
``{"action", "findings": [{"type", "start", "end", "score"}], "redacted"}``, plus
``"error"`` only when the scan failed.
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


GUARD_ERROR = "guard_error"
GUARD_TIMEOUT = "guard_timeout"


class Finding(BaseModel):
    """One detected span; offsets index the ORIGINAL text (Python ``str`` indices)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    score: float = Field(ge=0.0, le=1.0)

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

    def entity_counts(self) -> dict[str, int]:
        """Number of findings per entity type, sorted by type (for the audit log)."""
        return dict(sorted(Counter(f.type for f in self.findings).items()))

    def raise_for_error(self) -> None:
        """Raise ``GuardTimeoutError`` / ``GuardrailsError`` if the scan itself failed."""
        if self.error == GUARD_TIMEOUT:
            raise GuardTimeoutError("安全確認が時間内に終わりませんでした。", detail=self.error)
        if self.error is not None:
            raise GuardrailsError("安全確認を完了できませんでした。", detail=self.error)
