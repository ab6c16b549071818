"""Time in the audit trail: stored in UTC, shown and filtered in Japan Standard Time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

# Japan has no daylight saving time, so a fixed offset is exact and needs no tz database
# (which an offline LGWAN machine may lack).
JST = timezone(timedelta(hours=9), "JST")


def as_utc(moment: datetime) -> datetime:
    """SQLite hands datetimes back naive; they were stored as UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def utc_iso(moment: datetime) -> str:
    return as_utc(moment).isoformat(timespec="microseconds")


def jst_iso(moment: datetime) -> str:
    """What people read: `2026-11-23T09:15:02+09:00` (seconds are enough for a reader)."""
    return as_utc(moment).astimezone(JST).isoformat(timespec="seconds")


def jst_day_start(day: date) -> datetime:
    """The UTC instant at which JST day `day` begins."""
    return datetime.combine(day, time.min, tzinfo=JST).astimezone(UTC)
