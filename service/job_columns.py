"""The columns every job table in the audit database shares (bulk FAQ jobs,
knowledge-base updates): the job's id and times, who asked, and which process runs it
(the lease of service.leases). Declared once so the two queues cannot drift apart.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

__all__ = ["JobColumns"]


class JobColumns:
    """Mixed into a declarative job model; the model adds its own columns."""

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Who asked, as the audit record names them.
    user: Mapped[str] = mapped_column(String(256))
    department: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    # Which process runs the job ("host:pid:nonce") and when it last said so: a runner
    # whose process is gone, or silent for longer than the lease, is replaced.
    runner: Mapped[str] = mapped_column(String(128), default="")
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
