"""The tables of bulk FAQ jobs: one row per job, one per question of its input.

They live in the audit database (SQLite by default, PostgreSQL in production), so the
service and the CLI share them, and are created by the audit package's Alembic
migrations (v0004_faq). Raw questions that the guard blocked are never stored: a
blocked row keeps the guard's aggressive mask of its text (service.faq._pipeline).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ..job_columns import JobColumns


class JobStatus(StrEnum):
    QUEUED = "queued"  # waiting for a runner (the service's worker or a CLI)
    RUNNING = "running"
    DONE = "done"
    CANCELLED = "cancelled"


class RowStatus(StrEnum):
    PENDING = "pending"
    OK = "ok"
    BLOCKED = "blocked"
    NO_SOURCE = "no_source"
    FAILED = "failed"


class Review(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


FINISHED_ROW = (RowStatus.OK, RowStatus.BLOCKED, RowStatus.NO_SOURCE, RowStatus.FAILED)


class FaqBase(DeclarativeBase):
    pass


class FaqJob(JobColumns, FaqBase):
    __tablename__ = "faq_jobs"
    __table_args__ = (
        Index("ix_faq_jobs_user_created", "user", "created_at"),
        Index("ix_faq_jobs_status", "status"),
    )

    purpose: Mapped[str] = mapped_column(Text)  # as the guard let it through
    filename: Mapped[str] = mapped_column(String(256))
    # sha256 of the input file: `yakuba faq generate` finds its unfinished job again.
    input_digest: Mapped[str] = mapped_column(String(64), index=True)
    total: Mapped[int] = mapped_column(Integer)
    concurrency: Mapped[int] = mapped_column(Integer)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)


class FaqRow(FaqBase):
    __tablename__ = "faq_rows"
    __table_args__ = (Index("ix_faq_rows_job_status", "job_id", "status"),)

    job_id: Mapped[str] = mapped_column(
        ForeignKey("faq_jobs.id", ondelete="CASCADE"), primary_key=True
    )
    row_no: Mapped[int] = mapped_column(Integer, primary_key=True)  # the input's line
    external_id: Mapped[str] = mapped_column(String(128))
    question: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(256))
    notes: Mapped[str] = mapped_column(Text)
    audience: Mapped[str] = mapped_column(String(256))
    status: Mapped[str] = mapped_column(String(16))
    answer: Mapped[str] = mapped_column(Text, default="")
    draft: Mapped[str] = mapped_column(Text, default="")  # the generated answer, kept on edit
    sources: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    findings: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    mode: Mapped[str] = mapped_column(String(16), default="")
    model: Mapped[str] = mapped_column(String(256), default="")
    prompt_ref: Mapped[str] = mapped_column(String(128), default="")
    error_code: Mapped[str] = mapped_column(String(64), default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    audit_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    generated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    review: Mapped[str] = mapped_column(String(16), default=Review.PENDING.value)
    reviewed_by: Mapped[str] = mapped_column(String(256), default="")
    edited: Mapped[bool] = mapped_column(Boolean, default=False)
