"""The audit record: the table and the entry the service hands to the store; the staff's
feedback on answers, kept beside the chain (it refers to records, never edits them); the
one-row chain head that serialises writers; and the signed checkpoints left by purges."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ._chain import record_hash


class AuditStatus(StrEnum):
    ALLOWED = "allowed"
    MASKED = "masked"
    BLOCKED = "blocked"
    FAILED = "failed"


class Channel(StrEnum):
    """Where a request came from; the admin console groups usage by these."""

    WEB = "web"
    API = "api"
    SLACK = "slack"
    TEAMS = "teams"
    LINEWORKS = "lineworks"
    WEBHOOK = "webhook"
    BATCH = "batch"
    CLI = "cli"


class AuditEntry(BaseModel):
    """What happened in one request. `prompt` must already be redacted by the guard."""

    request_id: str
    user: str
    department: str = ""
    role: str = ""
    channel: Channel
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
    chat_user: str = Field(default="", description="the chat account a bot request came from")


# The columns the hash covers besides id and created_at, in the entry's field order.
ENTRY_FIELDS: tuple[str, ...] = tuple(AuditEntry.model_fields)


class Base(DeclarativeBase):
    pass


class AuditRecord(Base):
    __tablename__ = "audit_records"
    # Filters of the admin console and the export are one equality plus a period; each
    # composite index serves "that value, newest first" without a sort.
    __table_args__ = (
        Index("ix_audit_records_created_at", "created_at"),
        Index("ix_audit_records_request_id", "request_id"),
        Index("ix_audit_records_department_created", "department", "created_at"),
        Index("ix_audit_records_user_created", "user", "created_at"),
        Index("ix_audit_records_channel_created", "channel", "created_at"),
        Index("ix_audit_records_status_created", "status", "created_at"),
        Index("ix_audit_records_task_created", "task", "created_at"),
    )

    # Ids are assigned by the writer that holds the chain lock (head + 1), so id order is
    # chain order whatever the database's sequences do.
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    request_id: Mapped[str] = mapped_column(String(64))
    user: Mapped[str] = mapped_column(String(256))
    department: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(32), default="", server_default="")
    channel: Mapped[str] = mapped_column(String(32))
    task: Mapped[str] = mapped_column(String(32))
    purpose: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
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
    chat_user: Mapped[str] = mapped_column(String(256), default="", server_default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    record_hash: Mapped[str] = mapped_column(String(64), unique=True)

    def as_dict(self) -> dict[str, Any]:
        return {c.key: getattr(self, c.key) for c in AuditRecord.__table__.columns}

    def compute_hash(self) -> str:
        return record_hash(self.as_dict())


class AuditIntent(Base):
    """A request whose text is about to leave for the model, written BEFORE it leaves and
    removed in the same transaction that appends its chained record. The chain is
    append-only and hashed, so the pending state lives beside it: a process killed while
    the model works leaves this row, and `AuditStore.recover_intents` turns it into a
    chained record (failed, `interrupted`) — no request reaches the model off the record."""

    __tablename__ = "audit_intents"

    request_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    # host:pid of the process that sent the request: recovery leaves a live one's alone.
    owner: Mapped[str] = mapped_column(String(300))
    # The AuditEntry as it stood when the request left (already redacted by the guard).
    entry: Mapped[dict[str, Any]] = mapped_column(JSON)


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


class ChainHead(Base):
    """Exactly one row (id 1): the last record's id and hash. Writers lock this row for
    the whole append, which makes appends from any number of processes one linear chain;
    verify() also compares it with the last record, so a deleted tail is noticed."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_id: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))


class Checkpoint(Base):
    """Left by a purge: where the deleted prefix of the chain ended, signed with HMAC so the
    remaining chain can still be proven to continue it."""

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_purged_id: Mapped[int] = mapped_column(Integer)
    last_purged_hash: Mapped[str] = mapped_column(String(64))
    purged_count: Mapped[int] = mapped_column(Integer)
    prev_signature: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(64))


class _SummaryColumns:
    """A group of usage: records (`entity` "") or one entity type's findings in blocked or
    masked records (`entity` the type) of one department, task, status and channel."""

    department: Mapped[str] = mapped_column(String(256), primary_key=True)
    task: Mapped[str] = mapped_column(String(32), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    entity: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class DailySummary(_SummaryColumns, Base):
    """Usage of one complete JST day, so that statistics over long periods read
    pre-aggregated rows instead of every record (service.audit._summary). Derived data:
    never part of the chain."""

    __tablename__ = "audit_daily_summary"

    day: Mapped[date] = mapped_column(Date, primary_key=True)


class MonthlySummary(_SummaryColumns, Base):
    """The daily rows of a month all of whose days are summarised, added up (`day` is the
    month's first day): a year reads 12 of these groups instead of 365."""

    __tablename__ = "audit_monthly_summary"

    day: Mapped[date] = mapped_column(Date, primary_key=True)


class DailyStatusSummary(Base):
    """Records per summarised JST day and status: the per-day chart of a long period
    without (or with only a status) filter reads these few rows."""

    __tablename__ = "audit_daily_status"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class SummaryState(Base):
    """Exactly one row (id 1): the last JST day whose records are all in the summary (None:
    nothing summarised yet). Every earlier day is summarised too."""

    __tablename__ = "audit_summary_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    through_day: Mapped[date | None] = mapped_column(Date, nullable=True)
