"""The audit trail: one append-only, hash-chained record per request."""

from __future__ import annotations

from ._models import AuditEntry, AuditRecord, AuditStatus, FeedbackRecord
from ._store import AuditStore, ChainBreak

__all__ = [
    "AuditEntry",
    "AuditRecord",
    "AuditStatus",
    "AuditStore",
    "ChainBreak",
    "FeedbackRecord",
]
