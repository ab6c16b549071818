"""The table of knowledge-base update jobs: one row per document to add, replace or
remove through the running service.

It lives in the audit database (SQLite by default, PostgreSQL in production) beside the
bulk FAQ jobs, so the service, its console and the CLI share it, and is created by the
audit package's Alembic migrations (v0007_kbupdate). The uploaded file waits in
`content` until the job has run, and is then dropped: a document the screen withheld
must not linger in the database.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ..job_columns import JobColumns


class KbJobStatus(StrEnum):
    QUEUED = "queued"  # waiting for the service's worker
    RUNNING = "running"
    DONE = "done"  # indexed, unchanged, withheld or removed: see `outcome`
    FAILED = "failed"  # the file could not be read, or the index failed


class KbAction(StrEnum):
    ADD = "add"  # add, or replace when the source is already indexed
    REMOVE = "remove"


class KbBase(DeclarativeBase):
    pass


class KbJob(JobColumns, KbBase):
    __tablename__ = "kb_jobs"
    __table_args__ = (
        Index("ix_kb_jobs_status_created", "status", "created_at"),
        Index("ix_kb_jobs_created", "created_at"),
    )

    channel: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(16))
    # The document's name in the index and in citations (a CLI path, an upload's name).
    source: Mapped[str] = mapped_column(String(1024))
    doc_department: Mapped[str] = mapped_column(String(256), default="")
    doc_type: Mapped[str] = mapped_column(String(32), default="")
    modified: Mapped[str] = mapped_column(String(10), default="")  # YYYY-MM-DD (JST)
    size: Mapped[int] = mapped_column(Integer, default=0)
    content: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    # indexed / unchanged / withheld / removed / missing / failed, once done.
    outcome: Mapped[str] = mapped_column(String(16), default="")
    stage: Mapped[str] = mapped_column(String(16), default="")
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    message: Mapped[str] = mapped_column(Text, default="")
    audit_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
