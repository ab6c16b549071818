"""The audit record: the table and the entry the service hands to the store; and the
staff's feedback on answers, kept beside the chain (it refers to records, never edits them)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class AuditStatus(StrEnum):
    ALLOWED = "allowed"
    MASKED = "masked"
    BLOCKED = "blocked"
    FAILED = "failed"


class AuditEntry(BaseModel):
    """What happened in one request. `prompt` must already be redacted by the guard."""

    request_id: str
    user: str
    department: str = ""
    channel: str
    task: str
    status: AuditStatus
    prompt: str = Field(description="redacted prompt: personal data replaced by type labels")
    findings: dict[str, int] = Field(default_factory=dict, description="entity type → count")
    purpose: str = ""
    sources: list[str] = Field(default_factory=list)
    prompt_ref: str = ""
    model: str = ""
    mode: str = ""
    answer: str = ""
    tokens_in: int = 0
    tokens_out: int = 0
    latency_ms: int = 0
    error_code: str = ""


class Base(DeclarativeBase):
    pass


class AuditRecord(Base):
    __tablename__ = "audit_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    request_id: Mapped[str] = mapped_column(String(64), index=True)
    user: Mapped[str] = mapped_column(String(256), index=True)
    department: Mapped[str] = mapped_column(String(256), index=True)
    channel: Mapped[str] = mapped_column(String(32), index=True)
    task: Mapped[str] = mapped_column(String(32))
    purpose: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)
    prompt: Mapped[str] = mapped_column(Text)
    findings: Mapped[dict[str, int]] = mapped_column(JSON)
    sources: Mapped[list[str]] = mapped_column(JSON)
    prompt_ref: Mapped[str] = mapped_column(String(128))
    model: Mapped[str] = mapped_column(String(256))
    mode: Mapped[str] = mapped_column(String(32))
    answer: Mapped[str] = mapped_column(Text)
    tokens_in: Mapped[int] = mapped_column(Integer)
    tokens_out: Mapped[int] = mapped_column(Integer)
    latency_ms: Mapped[int] = mapped_column(Integer)
    error_code: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    record_hash: Mapped[str] = mapped_column(String(64), unique=True)

    def content(self) -> dict[str, Any]:
        """The fields the hash covers, in a canonical form."""
        return {
            "id": self.id,
            "created_at": _utc_iso(self.created_at),
            **{name: getattr(self, name) for name in AuditEntry.model_fields},
        }

    def compute_hash(self) -> str:
        canonical = json.dumps(
            self.content(), ensure_ascii=False, sort_keys=True, separators=(",", ":")
        )
        return hashlib.sha256((self.prev_hash + canonical).encode("utf-8")).hexdigest()


class FeedbackRecord(Base):
    """👍/👎 and a comment on one answer. The comment is stored as the guard redacted it."""

    __tablename__ = "audit_feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit_records.id"), index=True)
    user: Mapped[str] = mapped_column(String(256), index=True)
    rating: Mapped[str] = mapped_column(String(8))
    comment: Mapped[str] = mapped_column(Text)
    findings: Mapped[dict[str, int]] = mapped_column(JSON)


def _utc_iso(moment: datetime) -> str:
    # SQLite hands datetimes back naive; they were stored as UTC.
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")
