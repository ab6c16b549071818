"""Which records: the filter of the admin console and `yakuba audit export`, and the shapes
its answers take (a page of records, usage statistics)."""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pydantic import BaseModel, Field, model_validator
from sqlalchemy import ColumnElement, and_, or_

from ._models import AuditRecord, AuditStatus, Channel
from ._time import as_utc, jst_day_start, jst_iso

MAX_PAGE = 500


class AuditFilter(BaseModel):
    """All given conditions must hold. Days are Japanese calendar days (JST), inclusive."""

    since: date | None = Field(default=None, description="first JST day (inclusive)")
    until: date | None = Field(default=None, description="last JST day (inclusive)")
    department: str | None = None
    user: str | None = None
    channel: Channel | None = None
    status: AuditStatus | None = None
    task: str | None = None
    text: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="contained in the redacted prompt or the answer (a scan: combine it "
        "with a period or another filter on large logs)",
    )

    @model_validator(mode="after")
    def _period_in_order(self) -> AuditFilter:
        if self.since and self.until and self.since > self.until:
            raise ValueError("期間の開始日が終了日より後になっています。")
        return self

    def equalities(self, table: Any) -> list[Any]:
        """`column == value` for each of department, user, task, channel and status that is
        given, on `table`'s columns of those names: the records, or a daily summary (which
        has no `user` column, and is only asked when no user is given)."""
        values = {
            "department": self.department,
            "user": self.user,
            "task": self.task,
            "channel": self.channel.value if self.channel else None,
            "status": self.status.value if self.status else None,
        }
        return [
            getattr(table, name) == value for name, value in values.items() if value is not None
        ]

    def conditions(self) -> list[ColumnElement[bool]]:
        r = AuditRecord
        out: list[ColumnElement[bool]] = []
        if self.since is not None:
            out.append(r.created_at >= jst_day_start(self.since))
        if self.until is not None:
            out.append(r.created_at < jst_day_start(self.until + timedelta(days=1)))
        out += self.equalities(r)
        if self.text:
            pattern = "%" + _escape_like(self.text) + "%"
            out.append(
                or_(r.prompt.like(pattern, escape="\\"), r.answer.like(pattern, escape="\\"))
            )
        return out


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class AuditRecordView(BaseModel):
    """One record as people and programs outside the store see it; `created_at` is JST."""

    id: int
    created_at: str = Field(description="JST, ISO 8601 with +09:00")
    request_id: str
    user: str
    department: str
    role: str
    channel: str
    task: str
    purpose: str
    status: str
    prompt: str
    findings: dict[str, int]
    sources: list[str]
    prompt_ref: str
    model: str
    mode: str
    answer: str
    tokens_in: int
    tokens_out: int
    latency_ms: int
    error_code: str
    chat_user: str = ""
    prev_hash: str
    record_hash: str

    @classmethod
    def from_row(cls, row: Any) -> AuditRecordView:
        data = dict(row._mapping) if hasattr(row, "_mapping") else dict(row)
        data["created_at"] = jst_iso(data["created_at"])
        return cls.model_validate(data)


class AuditPage(BaseModel):
    records: list[AuditRecordView]
    next_cursor: str | None = Field(
        default=None, description="pass back as `cursor` for the next (older) page"
    )


class AuditStats(BaseModel):
    total: int
    by_department: dict[str, int]
    by_day: dict[str, int] = Field(description="JST day (YYYY-MM-DD) → records")
    by_task: dict[str, int]
    by_status: dict[str, int]
    by_channel: dict[str, int]
    findings: dict[str, dict[str, int]] = Field(
        description="blocked / masked → entity type → findings in such records"
    )


def encode_cursor(created_at: datetime, record_id: int) -> str:
    raw = f"{as_utc(created_at).isoformat()}|{record_id}"
    return base64.urlsafe_b64encode(raw.encode("ascii")).decode("ascii")


def after_cursor(cursor: str) -> ColumnElement[bool]:
    """Records older than the cursor's, in (created_at, id) newest-first order."""
    try:
        stamp, _, ident = base64.urlsafe_b64decode(cursor.encode("ascii")).decode().partition("|")
        moment = datetime.fromisoformat(stamp).astimezone(UTC)
        record_id = int(ident)
    except (ValueError, binascii.Error, UnicodeError) as exc:
        raise ValueError("ページ位置（cursor）が正しくありません。") from exc
    r = AuditRecord
    return or_(r.created_at < moment, and_(r.created_at == moment, r.id < record_id))
