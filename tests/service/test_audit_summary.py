"""The daily summary answers statistics exactly as counting the records does — on both
databases, across JST day boundaries, for every filter, and after a retention purge."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from service.audit import JST, AuditFilter, AuditStatus, AuditStore, Channel
from service.audit._models import DailySummary
from service.audit._summary import complete_through
from tests.service.test_audit_store import audit_url, entry, entry_of  # noqa: F401 - fixture

D1 = date(2026, 4, 1)


class Clock:
    """The store's clock, moved by the test."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def jst(day: date, hh: int, mm: int = 0, ss: int = 0, us: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, ss, us, tzinfo=JST)


# (JST day offset, hh, mm, ss, department, user, channel, status, task, findings)
# Each row: days after D1, hh, mm, ss (JST), then COLUMNS.
COLUMNS = ("department", "user", "channel", "status", "task", "findings")
ROWS: list[tuple[int, int, int, int, str, str, str, AuditStatus, str, dict[str, int]]] = [
    (0, 0, 0, 0, "市民課", "u1", "web", AuditStatus.ALLOWED, "ask", {}),
    (0, 9, 15, 0, "市民課", "u2", "api", AuditStatus.BLOCKED, "ask", {"MY_NUMBER": 2}),
    (0, 23, 59, 59, "税務課", "u3", "web", AuditStatus.MASKED, "draft", {"PERSON": 1}),
    (1, 0, 0, 0, "税務課", "u3", "cli", AuditStatus.FAILED, "summarize", {}),
    (
        1,
        8,
        30,
        0,
        "総務課",
        "u4",
        "batch",
        AuditStatus.BLOCKED,
        "ask",
        {"MY_NUMBER": 1, "PHONE": 1},
    ),
    (1, 12, 0, 0, "市民課", "u1", "web", AuditStatus.MASKED, "translate", {"PERSON": 2}),
    (2, 0, 0, 1, "市民課", "u2", "web", AuditStatus.ALLOWED, "ask", {}),
    (2, 17, 0, 0, "総務課", "u4", "api", AuditStatus.BLOCKED, "faq", {"ADDRESS": 1}),
    (2, 23, 59, 59, "税務課", "u1", "web", AuditStatus.ALLOWED, "ask", {}),
    # "today" (day 3): counted live.
    (3, 0, 0, 0, "市民課", "u1", "web", AuditStatus.BLOCKED, "ask", {"MY_NUMBER": 1}),
    (3, 10, 0, 0, "税務課", "u2", "api", AuditStatus.ALLOWED, "draft", {}),
]


@pytest.fixture
def filled(audit_url: str, tmp_path: Path) -> Iterator[tuple[AuditStore, Clock]]:  # noqa: F811
    clock = Clock(jst(D1, 0))
    store = AuditStore(audit_url, key_file=tmp_path / "audit-signing.key", clock=clock)
    for n, (off, hh, mm, ss, *rest) in enumerate(ROWS):
        clock.now = jst(D1 + timedelta(days=off), hh, mm, ss)
        store.append(entry_of(n, COLUMNS, rest, prompt=f"質問{n}"))
    clock.now = jst(D1 + timedelta(days=3), 12)
    yield store, clock
    store.close()


def _day(offset: int) -> date:
    return D1 + timedelta(days=offset)


FILTERS = [
    AuditFilter(),
    AuditFilter(since=_day(0), until=_day(0)),
    AuditFilter(since=_day(1), until=_day(1)),
    AuditFilter(since=_day(1)),
    AuditFilter(until=_day(1)),
    AuditFilter(since=_day(2), until=_day(3)),
    AuditFilter(since=_day(3)),
    AuditFilter(since=_day(5)),
    AuditFilter(department="市民課"),
    AuditFilter(department="税務課", since=_day(0), until=_day(2)),
    AuditFilter(status=AuditStatus.BLOCKED),
    AuditFilter(status=AuditStatus.MASKED, until=_day(1)),
    AuditFilter(status=AuditStatus.ALLOWED),
    AuditFilter(channel=Channel.WEB, task="ask"),
    AuditFilter(task="draft", since=_day(0)),
    AuditFilter(department="総務課", status=AuditStatus.BLOCKED, channel=Channel.BATCH),
    # Whole months (the monthly groups) and the days around them.
    AuditFilter(since=date(2026, 4, 1), until=date(2026, 4, 30)),
    AuditFilter(since=date(2026, 4, 2), until=date(2026, 5, 20)),
    AuditFilter(since=date(2026, 3, 15), until=date(2026, 6, 30), department="市民課"),
    AuditFilter(until=date(2026, 4, 30), status=AuditStatus.BLOCKED),
    AuditFilter(since=date(2026, 5, 1), channel=Channel.WEB),
    AuditFilter(user="u1"),  # not in the summary: live
    AuditFilter(text="質問1"),  # not in the summary: live
]


def _summary_rows(store: AuditStore) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(DailySummary)) or 0


def _assert_same_as_live(store: AuditStore) -> None:
    for flt in FILTERS:
        assert store.stats(flt) == store.stats(flt, live=True), flt


def test_summary_equals_live_counting(filled: tuple[AuditStore, Clock]) -> None:
    store, _ = filled
    assert store.summarised_through() is None
    _assert_same_as_live(store)
    # Days 0–2 are complete (day 2 ended 12 h ago); day 3 is today.
    assert store.summarised_through() == _day(2)
    with store.session() as session:
        assert (session.scalar(select(func.count()).select_from(DailySummary)) or 0) > 0


def test_jst_day_boundaries(filled: tuple[AuditStore, Clock]) -> None:
    store, _ = filled
    stats = store.stats()
    assert store.summarised_through() == _day(2)
    # 23:59:59 JST belongs to its day, 00:00:00 JST to the next (UTC 14:59:59 / 15:00).
    assert stats.by_day == {
        _day(0).isoformat(): 3,
        _day(1).isoformat(): 3,
        _day(2).isoformat(): 3,
        _day(3).isoformat(): 2,
    }
    assert stats.total == len(ROWS)
    assert stats.findings == {
        "blocked": {"ADDRESS": 1, "MY_NUMBER": 4, "PHONE": 1},
        "masked": {"PERSON": 3},
    }


def test_a_day_is_summarised_only_after_the_margin(filled: tuple[AuditStore, Clock]) -> None:
    store, clock = filled
    # Day 2 ended 30 minutes ago: not yet complete (a slow clock may still stamp it).
    clock.now = jst(_day(3), 0, 30)
    _assert_same_as_live(store)
    assert store.summarised_through() == _day(1)
    clock.now = jst(_day(3), 1, 0)
    _assert_same_as_live(store)
    assert store.summarised_through() == _day(2)


def test_complete_through() -> None:
    assert complete_through(jst(_day(3), 0, 59, 59)) == _day(1)
    assert complete_through(jst(_day(3), 1, 0, 0)) == _day(2)
    assert complete_through(jst(_day(3), 1), timedelta(0)) == _day(2)


def test_days_are_filled_in_chunks_and_later_days_incrementally(
    filled: tuple[AuditStore, Clock],
) -> None:
    store, clock = filled
    clock.now = jst(_day(40), 12)  # more than CHUNK_DAYS of days, mostly empty
    _assert_same_as_live(store)
    assert store.summarised_through() == _day(39)
    # A record today, then the day becomes complete: summarised on the next call. The
    # append itself writes nothing to the summary.
    rows = _summary_rows(store)
    store.append(entry(99, AuditStatus.MASKED, findings={"PHONE": 3}, department="福祉課"))
    assert _summary_rows(store) == rows
    clock.now = jst(_day(41), 12)
    assert store.stats(AuditFilter(department="福祉課")).total == 1
    assert store.summarised_through() == _day(40)
    _assert_same_as_live(store)


def test_purge_keeps_summary_and_records_in_agreement(filled: tuple[AuditStore, Clock]) -> None:
    store, clock = filled
    store.stats()  # fills days 0–2
    # Cut in the middle of day 1: day 0 goes, day 1 keeps its 12:00 record.
    result = store.purge(jst(_day(1), 10))
    assert result.count == 5
    _assert_same_as_live(store)
    stats = store.stats()
    assert stats.by_day == {
        _day(1).isoformat(): 1,
        _day(2).isoformat(): 3,
        _day(3).isoformat(): 2,
    }
    with store.session() as session:
        left = session.scalar(
            select(func.count()).select_from(DailySummary).where(DailySummary.day == _day(0))
        )
    assert left == 0
    # Purge everything before today: the summary of the purged days is empty too.
    clock.now = jst(_day(3), 12)
    store.purge(jst(_day(3), 0))
    _assert_same_as_live(store)
    assert store.stats(AuditFilter(until=_day(2))).total == 0
    assert store.verify() == []


def test_purge_before_any_summary(filled: tuple[AuditStore, Clock]) -> None:
    store, _ = filled
    store.purge(jst(_day(1), 10))
    _assert_same_as_live(store)
    assert store.summarised_through() == _day(2)


def test_purge_after_months_are_rolled_up(filled: tuple[AuditStore, Clock]) -> None:
    store, clock = filled
    clock.now = jst(date(2026, 5, 6), 9)
    store.append(entry(50, AuditStatus.BLOCKED, findings={"PHONE": 1}, channel="web"))
    clock.now = jst(date(2026, 5, 8), 12)  # April is complete: rolled up into a month
    _assert_same_as_live(store)
    assert store.summarised_through() == date(2026, 5, 7)
    store.purge(jst(_day(1), 10))  # within April
    _assert_same_as_live(store)
    store.purge(jst(date(2026, 5, 6), 10))  # everything but today's
    _assert_same_as_live(store)
    assert store.stats().total == 0 and store.verify() == []
