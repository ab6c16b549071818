"""The daily usage summary behind `AuditStore.stats()`.

Statistics over a year grouped every matching record (seconds on a million records). The
log is append-only, so a JST day that has ended never changes again — except through the
retention purge — and its counts can be aggregated once into `audit_daily_summary`:
records per (day, department, task, status, channel), and findings of blocked and masked
records per entity type. `stats()` reads those rows for the summarised days and counts
only the rest (today, and days not yet summarised) from the records.

Over a year even the daily groups are many (a uniform synthetic million records gives
~650,000), so two smaller tables sit on top: the groups of every month whose days are
all summarised (`audit_monthly_summary`, read for the whole months of a period), and
records per day and status (`audit_daily_status`, for the per-day chart when no other
filter is set). All three are derived from the records and agree with them.

A day is summarised lazily, by the first statistics call after it is *complete*: it ended
more than a safety margin ago, so that a record stamped by a server whose clock is a little
behind still lands before its day is frozen. Appends never touch the summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    Date,
    Integer,
    cast,
    delete,
    func,
    insert,
    literal,
    select,
    text,
)
from sqlalchemy import update as sql_update

from ._models import (
    AuditRecord,
    AuditStatus,
    DailyStatusSummary,
    DailySummary,
    MonthlySummary,
    SummaryState,
)
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
    _roll_up(conn, start, end)
    _set_state(conn, end)
    return end


def month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def last_month_end(day: date) -> date:
    """The last day of the last month that ends on or before `day`."""
    return day if day == month_end(day) else day.replace(day=1) - timedelta(days=1)


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


def _roll_up(conn: Connection, first: date, last: date) -> None:
    """After days `first`..`last` were summarised: their per-day status counts, and the
    monthly groups of the months that ended within them."""
    _roll_days(conn, first, last)
    months_end = last_month_end(last)
    if months_end >= first:
        _roll_months(conn, first.replace(day=1), months_end)


def _roll_days(conn: Connection, first: date | None, last: date) -> None:
    d = DailySummary
    days = [d.day <= last] + ([d.day >= first] if first is not None else [])
    conn.execute(
        insert(DailyStatusSummary).from_select(
            ["day", "status", "count"],
            select(d.day, d.status, func.sum(d.count))
            .where(*days, d.entity == "")
            .group_by(d.day, d.status),
        )
    )


def _roll_months(conn: Connection, first: date | None, last: date) -> None:
    """Monthly groups of the months from `first`'s to `last`'s (a month's last day)."""
    d = DailySummary
    month = (
        cast(func.date_trunc("month", d.day), Date)
        if conn.dialect.name == "postgresql"
        else func.date(d.day, "start of month")
    )
    keys = (d.department, d.task, d.status, d.channel, d.entity)
    days = [d.day <= last] + ([d.day >= first] if first is not None else [])
    conn.execute(
        insert(MonthlySummary).from_select(
            ["day", "department", "task", "status", "channel", "entity", "count"],
            select(month, *keys, func.sum(d.count)).where(*days).group_by(month, *keys),
        )
    )


def after_purge(conn: Connection, last_purged_day: date) -> None:
    """Inside the purge's transaction, after its deletes: the summarised days up to the
    last purged record's day are aggregated again from what is left of them (usually
    nothing, and the rest of the cutoff's day), so the summary agrees with the records."""
    state = read_state(conn)
    if state is None:
        return
    upto = min(state, last_purged_day)
    conn.execute(delete(DailySummary).where(DailySummary.day <= upto))
    conn.execute(delete(DailyStatusSummary).where(DailyStatusSummary.day <= upto))
    # Months that began by then; those that also ended by `state` are rolled up again.
    conn.execute(delete(MonthlySummary).where(MonthlySummary.day <= upto))
    _aggregate(conn, None, upto)
    _roll_days(conn, None, upto)
    # The months that began by `upto` and ended by `state`; their later days' daily rows
    # were kept, so each month is added up whole again.
    _roll_months(conn, None, min(month_end(upto), last_month_end(state)))


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
    """Statistics of the summarised days within the filter's period (up to `through`):
    whole months from the monthly groups, the days around them from the daily groups,
    and the per-day counts from the per-day status rows when only a status is filtered."""
    lo, hi = flt.since, min(through, flt.until or through)
    out = Counts(findings={status: {} for status in wanted_findings(flt)})
    # Whole months inside [lo, hi]: from `first` (None: from the start) to `last`.
    first = None if lo is None else (lo if lo.day == 1 else month_end(lo) + timedelta(days=1))
    last = last_month_end(hi)
    if first is None or first <= last:
        _groups(conn, MonthlySummary, first, last, flt, out)
        # The days before and after the whole months (empty ranges are not asked for).
        if lo is not None and first is not None and lo < first:
            _groups(conn, DailySummary, lo, first - timedelta(days=1), flt, out)
        if last < hi:
            _groups(conn, DailySummary, last + timedelta(days=1), hi, flt, out)
    else:
        _groups(conn, DailySummary, lo, hi, flt, out)
    out.by_day = _per_day(conn, flt, lo, hi)
    return out


def _between(table: Any, lo: date | None, hi: date) -> list[Any]:
    return [table.day <= hi] + ([table.day >= lo] if lo is not None else [])


def _groups(
    conn: Connection, table: Any, lo: date | None, hi: date, flt: AuditFilter, out: Counts
) -> None:
    """Adds the department, task, status and channel counts and the findings of `table`'s
    rows from `lo` to `hi` to `out`. One scan: the groups (a few thousand at most) are
    added up here rather than by a query per dimension."""
    keys = (table.department, table.task, table.status, table.channel, table.entity)
    stmt = (
        select(*keys, func.sum(table.count))
        .where(*_between(table, lo, hi), *flt.equalities(table))
        .group_by(*keys)
    )
    for department, task, status, channel, entity, n in conn.execute(stmt):
        n = int(n or 0)
        if entity == "":
            for target, key in (
                (out.by_department, department),
                (out.by_task, task),
                (out.by_status, status),
                (out.by_channel, channel),
            ):
                target[key] = target.get(key, 0) + n
        elif status in out.findings:
            per_type = out.findings[status]
            per_type[entity] = per_type.get(entity, 0) + n


def _per_day(conn: Connection, flt: AuditFilter, lo: date | None, hi: date) -> dict[str, int]:
    if flt.department is None and flt.task is None and flt.channel is None:
        t: Any = DailyStatusSummary
        where = _between(t, lo, hi)
        if flt.status is not None:
            where.append(t.status == flt.status.value)
    else:
        t = DailySummary
        where = [*_between(t, lo, hi), *flt.equalities(t), t.entity == ""]
    stmt = select(t.day, func.sum(t.count)).where(*where).group_by(t.day)
    return {_key(k): int(n) for k, n in conn.execute(stmt)}


def _key(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)
