"""The audit trail is append-only and tamper-evident."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, update

from service.audit import AuditEntry, AuditRecord, AuditStatus, AuditStore


@pytest.fixture
def store(tmp_path: Path) -> Iterator[AuditStore]:
    s = AuditStore(f"sqlite:///{tmp_path / 'audit.sqlite3'}")
    yield s
    s.close()


def _entry(n: int, status: AuditStatus = AuditStatus.ALLOWED) -> AuditEntry:
    return AuditEntry(
        request_id=f"r{n}",
        user="u1",
        department="市民課",
        channel="cli",
        task="ask",
        status=status,
        prompt=f"質問{n} <マイナンバー>",
        findings={"MY_NUMBER": 1},
        sources=["行政手続法 第5条"],
    )


def test_chain_links_each_record_to_the_previous(store: AuditStore) -> None:
    records = [store.append(_entry(n)) for n in range(3)]
    assert records[0].prev_hash == "0" * 64
    assert records[1].prev_hash == records[0].record_hash
    assert records[2].prev_hash == records[1].record_hash
    assert store.verify() == []


@pytest.mark.parametrize(
    ("tamper", "broken_id"),
    [
        (update(AuditRecord).where(AuditRecord.id == 2).values(prompt="改ざん"), 2),
        (update(AuditRecord).where(AuditRecord.id == 2).values(status="allowed"), 2),
        (delete(AuditRecord).where(AuditRecord.id == 2), 3),
    ],
    ids=["edited-prompt", "edited-status", "deleted"],
)
def test_tampering_is_detected_and_named(store: AuditStore, tamper: object, broken_id: int) -> None:
    for n in range(4):
        store.append(_entry(n, AuditStatus.BLOCKED))
    with store.session() as session, session.begin():
        session.execute(tamper)  # type: ignore[call-overload]
    breaks = store.verify()
    assert breaks
    assert breaks[0].record_id == broken_id


def test_entries_are_stored_with_their_fields(store: AuditStore) -> None:
    record = store.append(_entry(7, AuditStatus.BLOCKED))
    again = store.get(record.id)
    assert again is not None
    assert again.status == "blocked"
    assert again.findings == {"MY_NUMBER": 1}
    assert again.created_at is not None
