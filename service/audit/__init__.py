"""The audit trail: one append-only, hash-chained record per request."""

from __future__ import annotations

from ._export import CSV_COLUMNS, ExportFormat, csv_cell, write_csv, write_export, write_jsonl
from ._models import (
    AuditEntry,
    AuditIntent,
    AuditRecord,
    AuditStatus,
    Channel,
    Checkpoint,
    FeedbackRecord,
)
from ._query import AuditFilter, AuditPage, AuditRecordView, AuditStats
from ._store import AuditStore, ChainBreak, PurgeResult
from ._time import JST, jst_day_start, jst_iso

__all__ = [
    "CSV_COLUMNS",
    "JST",
    "AuditEntry",
    "AuditFilter",
    "AuditIntent",
    "AuditPage",
    "AuditRecord",
    "AuditRecordView",
    "AuditStats",
    "AuditStatus",
    "AuditStore",
    "ChainBreak",
    "Channel",
    "Checkpoint",
    "ExportFormat",
    "FeedbackRecord",
    "PurgeResult",
    "csv_cell",
    "jst_day_start",
    "jst_iso",
    "write_csv",
    "write_export",
    "write_jsonl",
]
