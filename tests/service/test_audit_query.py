"""Filters, newest-first pages, usage statistics and the CSV / JSONL exports."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from service.audit import JST, AuditFilter, AuditStatus, AuditStore, Channel, csv_cell
from tests.service.test_audit_store import BACKENDS, entry_of, require_backend
from tests.utils.audit_scratch import scratch_database


@pytest.fixture(params=BACKENDS, scope="module")
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AuditStore]:
    """One filled store per backend, shared by the read-only tests of this module."""
    require_backend(request.param)
    with scratch_database(request.param, tmp_path_factory.mktemp("q")) as url:
        s = AuditStore(url)
        rows = [
            ("市民課", "u1", "api", AuditStatus.ALLOWED, "ask", {}, "転入届の書き方"),
            ("市民課", "u2", "web", AuditStatus.BLOCKED, "ask", {"MY_NUMBER": 2}, "<マイナンバー>"),
            ("税務課", "u3", "web", AuditStatus.MASKED, "draft", {"PERSON": 1}, "<人名>様へ"),
            ("税務課", "u3", "cli", AuditStatus.FAILED, "summarize", {}, "=SUM(A1)"),
            (
                "総務課",
                "u4",
                "batch",
                AuditStatus.BLOCKED,
                "ask",
                {"MY_NUMBER": 1, "PHONE": 1},
                "50%_off",
            ),
        ]
        columns = ("department", "user", "channel", "status", "task", "findings", "prompt")
        for n, row in enumerate(rows):
            s.append(entry_of(n, columns, row, answer="-回答" if n == 0 else ""))
        yield s
        s.close()


def _ids(store: AuditStore, flt: AuditFilter) -> list[int]:
    return [r.id for r in store.iter_records(flt)]


def test_filters(store: AuditStore) -> None:
    assert _ids(store, AuditFilter()) == [1, 2, 3, 4, 5]
    assert _ids(store, AuditFilter(department="市民課")) == [1, 2]
    assert _ids(store, AuditFilter(user="u3", task="draft")) == [3]
    assert _ids(store, AuditFilter(channel=Channel.WEB)) == [2, 3]
    assert _ids(store, AuditFilter(status=AuditStatus.BLOCKED)) == [2, 5]
    assert _ids(store, AuditFilter(text="回答")) == [1]
    # LIKE wildcards in the text are taken literally.
    assert _ids(store, AuditFilter(text="%_")) == [5]
    today = datetime.now(UTC).astimezone(JST).date()
    assert _ids(store, AuditFilter(since=today, until=today)) == [1, 2, 3, 4, 5]
    assert _ids(store, AuditFilter(until=today - timedelta(days=1))) == []
    assert _ids(store, AuditFilter(since=today + timedelta(days=1))) == []


def test_filter_validation() -> None:
    with pytest.raises(ValidationError):
        AuditFilter(since=date(2026, 2, 1), until=date(2026, 1, 1))
    with pytest.raises(ValidationError):
        AuditFilter.model_validate({"channel": "fax"})


def test_search_pages_newest_first(store: AuditStore) -> None:
    first = store.search(AuditFilter(), limit=2)
    assert [r.id for r in first.records] == [5, 4]
    assert first.next_cursor
    second = store.search(AuditFilter(), limit=2, cursor=first.next_cursor)
    assert [r.id for r in second.records] == [3, 2]
    third = store.search(AuditFilter(), limit=2, cursor=second.next_cursor)
    assert [r.id for r in third.records] == [1]
    assert third.next_cursor is None
    assert third.records[0].created_at.endswith("+09:00")
    with pytest.raises(ValueError):
        store.search(AuditFilter(), cursor="garbage")


def test_stats(store: AuditStore) -> None:
    stats = store.stats(AuditFilter())
    assert stats.total == 5
    assert stats.by_department == {"市民課": 2, "税務課": 2, "総務課": 1}
    assert stats.by_status == {"allowed": 1, "blocked": 2, "failed": 1, "masked": 1}
    assert stats.by_task == {"ask": 3, "draft": 1, "summarize": 1}
    assert stats.by_channel == {"api": 1, "batch": 1, "cli": 1, "web": 2}
    today = datetime.now(UTC).astimezone(JST).date().isoformat()
    assert stats.by_day == {today: 5}
    assert stats.findings == {"blocked": {"MY_NUMBER": 3, "PHONE": 1}, "masked": {"PERSON": 1}}
    only = store.stats(AuditFilter(department="市民課"))
    assert only.total == 2 and only.findings == {"blocked": {"MY_NUMBER": 2}, "masked": {}}


def test_csv_export_opens_in_excel(store: AuditStore) -> None:
    buffer = io.StringIO(newline="")
    assert store.export(buffer, "csv") == 5
    data = buffer.getvalue().encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    body = data.decode("utf-8-sig")
    assert body.count("\r\n") >= 6 and "\n" not in body.replace("\r\n", "")
    rows = list(csv.DictReader(io.StringIO(body, newline="")))
    assert [r["監査ID"] for r in rows] == ["1", "2", "3", "4", "5"]
    assert rows[3]["入力（秘匿化済み）"] == "'=SUM(A1)"
    assert rows[0]["回答"] == "'-回答"
    assert rows[0]["日時（JST）"].endswith("+09:00")
    assert json.loads(rows[1]["検出"]) == {"MY_NUMBER": 2}


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+81", "'+81"),
        ("-2", "'-2"),
        ("@SUM", "'@SUM"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("普通の文", "普通の文"),
        (3, 3),
        ({"B": 1, "A": 2}, '{"A": 2, "B": 1}'),
    ],
)
def test_csv_cells_are_neutralised(value: object, cell: object) -> None:
    assert csv_cell(value) == cell


def test_jsonl_export(store: AuditStore) -> None:
    buffer = io.StringIO()
    assert store.export(buffer, "jsonl", AuditFilter(status=AuditStatus.BLOCKED)) == 2
    lines = [json.loads(line) for line in buffer.getvalue().splitlines()]
    assert [x["id"] for x in lines] == [2, 5]
    assert lines[0]["department"] == "市民課" and lines[0]["created_at"].endswith("+09:00")
    assert "マイナンバー" in buffer.getvalue()  # not \u-escaped


def test_stored_time_is_utc(store: AuditStore, tmp_path: Path) -> None:
    record = store.get(1)
    assert record is not None
    stamp = record.created_at if record.created_at.tzinfo else record.created_at.replace(tzinfo=UTC)
    assert abs(datetime.now(UTC) - stamp) < timedelta(hours=1)
