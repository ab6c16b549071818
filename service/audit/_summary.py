"""The daily usage summary behind `AuditStore.stats()`.

Statistics over a year grouped every matching record (seconds on a million records). The
log is append-only, so a JST day that has ended never changes again — except through the
retention purge — and its counts can be aggregated once into `audit_daily_summary`:
records per (day, department, task, status, channel), and findings of blocked and masked
records per entity type. `stats()` reads those rows for the summarised days and counts
only the rest (today, and days not yet summarised) from the records.

A day is summarised lazily, by the first statistics call after it is *complete*: it ended
more than a safety margin ago, so that a record stamped by a server whose clock is a little
behind still lands before its day is frozen. Appends never touch the summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Date, Integer, cast, delete, func, insert, literal, select, text
from sqlalchemy import update as sql_update

from ._models import AuditRecord, AuditStatus, DailySummary, SummaryState
from ._query import AuditFilter
from ._time import JST, as_utc, jst_day_start

# How long after a JST day ends it is frozen into the summary: records of servers whose
# clocks run up to this much behind still count.
SUMMARY_MARGIN = timedelta(hours=1)
# Days summarised per write transaction: the first fill of a long log takes many short
# transactions rather than one that holds SQLite's write lock (and so appends) for seconds.
CHUNK_DAYS = 7
_STATE_ID = 1
FINDING_STATUSES = (AuditStatus.BLOCKED.value, AuditStatus.MASKED.value)


def complete_through(now: datetime, margin: timedelta = SUMMARY_MARGIN) -> date:
    """The last JST day that ended at least `margin` before `now`."""
    return (as_utc(now) - margin).astimezone(JST).date() - timedelta(days=1)


def jst_day_of(moment: datetime) -> date:
    return as_utc(moment).astimezone(JST).date()


def jst_day_text(dialect: str) -> Any:
    """The JST calendar day of `created_at` as YYYY-MM-DD, computed in the database."""
    if dialect == "postgresql":
        return func.to_char(_jst_timestamp(), "YYYY-MM-DD")
    return func.date(AuditRecord.created_at, "+9 hours")


def _jst_timestamp() -> Any:
    return func.timezone("UTC", AuditRecord.created_at) + text("interval '9 hours'")


def _jst_day_value(dialect: str) -> Any:
    # SQLite keeps a Date as 'YYYY-MM-DD' text, which date() returns already.
    if dialect == "postgresql":
        return cast(_jst_timestamp(), Date)
    return jst_day_text(dialect)


def can_answer(flt: AuditFilter) -> bool:
    """The summary keeps no users and no text: such filters are counted from the records."""
    return flt.user is None and not flt.text


# -- state ---------------------------------------------------------------------------


def read_state(conn: Connection) -> date | None:
    return conn.scalar(select(SummaryState.through_day).where(SummaryState.id == _STATE_ID))


def _set_state(conn: Connection, day: date) -> None:
    conn.execute(
        sql_update(SummaryState).where(SummaryState.id == _STATE_ID).values(through_day=day)
    )


def fill_step(conn: Connection, target: date) -> date | None:
    """Summarises up to CHUNK_DAYS further days towards `target`, inside the caller's
    write transaction; returns the day now summarised through (None: no state row)."""
    state = read_state(conn)
    if state is None:
        first = conn.scalar(select(func.min(AuditRecord.created_at)))
        if first is None or jst_day_of(first) > target:
            # No record on any complete day: nothing to aggregate up to the target.
            _set_state(conn, target)
            return target
        start = jst_day_of(first)
    else:
        start = state + timedelta(days=1)
    if start > target:
        return state
    end = min(target, start + timedelta(days=CHUNK_DAYS - 1))
    _aggregate(conn, start, end)
    _set_state(conn, end)
    return end


def _aggregate(conn: Connection, first: date | None, last: date) -> None:
    """Inserts the summary rows of JST days `first`..`last` (no lower bound: None)."""
    r = AuditRecord
    dialect = conn.dialect.name
    day = _jst_day_value(dialect)
    period = [r.created_at < jst_day_start(last + timedelta(days=1))]
    if first is not None:
        period.append(r.created_at >= jst_day_start(first))
    keys = (r.department, r.task, r.status, r.channel)
    columns = ["day", "department", "task", "status", "channel", "entity", "count"]
    counts = (
        select(day, *keys, literal("", type_=DailySummary.entity.type), func.count())
        .where(*period)
        .group_by(day, *keys)
    )
    conn.execute(insert(DailySummary).from_select(columns, counts))
    json_each = "json_each_text" if dialect == "postgresql" else "json_each"
    pairs = getattr(func, json_each)(r.findings).table_valued("key", "value")
    findings = (
        select(day, *keys, pairs.c.key, func.sum(cast(pairs.c.value, Integer)))
        .select_from(AuditRecord.__table__)
        .join(pairs, text("true"))
        .where(*period, r.status.in_(FINDING_STATUSES))
        .group_by(day, *keys, pairs.c.key)
    )
    conn.execute(insert(DailySummary).from_select(columns, findings))


def after_purge(conn: Connection, last_purged_day: date) -> None:
    """Inside the purge's transaction, after its deletes: the summarised days up to the
    last purged record's day are aggregated again from what is left of them (usually
    nothing, and the rest of the cutoff's day), so the summary agrees with the records."""
    state = read_state(conn)
    if state is None:
        return
    upto = min(state, last_purged_day)
    conn.execute(delete(DailySummary).where(DailySummary.day <= upto))
    _aggregate(conn, None, upto)


# -- reading -------------------------------------------------------------------------


@dataclass
class Counts:
    """Partial statistics: the summarised days, or the days counted live; they add up."""

    by_department: dict[str, int] = field(default_factory=dict)
    by_day: dict[str, int] = field(default_factory=dict)
    by_task: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)
    findings: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, other: Counts) -> None:
        for name in ("by_department", "by_day", "by_task", "by_status", "by_channel"):
            _add_into(getattr(self, name), getattr(other, name))
        for status, per_type in other.findings.items():
            _add_into(self.findings.setdefault(status, {}), per_type)


def _add_into(target: dict[str, int], extra: dict[str, int]) -> None:
    for key, n in extra.items():
        target[key] = target.get(key, 0) + n


def wanted_findings(flt: AuditFilter) -> list[str]:
    return [s for s in FINDING_STATUSES if flt.status in (None, s)]


def summary_counts(conn: Connection, flt: AuditFilter, through: date) -> Counts:
    """Statistics of the summarised days within the filter's period (up to `through`)."""
    s = DailySummary
    where: list[Any] = [s.day <= min(through, flt.until or through)]
    if flt.since is not None:
        where.append(s.day >= flt.since)
    for column, value in (
        (s.department, flt.department),
        (s.task, flt.task),
        (s.channel, flt.channel.value if flt.channel else None),
        (s.status, flt.status.value if flt.status else None),
    ):
        if value is not None:
            where.append(column == value)

    def grouped(column: Any) -> dict[str, int]:
        stmt = select(column, func.sum(s.count)).where(*where, s.entity == "").group_by(column)
        return {_key(k): int(n) for k, n in conn.execute(stmt)}

    out = Counts(
        by_department=grouped(s.department),
        by_day=grouped(s.day),
        by_task=grouped(s.task),
        by_status=grouped(s.status),
        by_channel=grouped(s.channel),
        findings={status: {} for status in wanted_findings(flt)},
    )
    if out.findings:
        stmt = (
            select(s.status, s.entity, func.sum(s.count))
            .where(*where, s.entity != "", s.status.in_(list(out.findings)))
            .group_by(s.status, s.entity)
        )
        for status, entity, n in conn.execute(stmt):
            out.findings[str(status)][str(entity)] = int(n or 0)
    return out


def _key(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)
