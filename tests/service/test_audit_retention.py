"""Purging old records keeps the remaining chain verifiable through signed checkpoints."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, insert, update

from service.audit import AuditRecord, AuditStore, Checkpoint, FeedbackRecord
from service.audit._signing import sign_checkpoint
from service.errors import AuditError
from service.settings import Settings
from tests.service.test_audit_store import BACKENDS, entry, require_backend
from tests.utils.audit_scratch import scratch_database


@pytest.fixture(params=BACKENDS)
def audit_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    require_backend(request.param)
    with scratch_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def store(audit_url: str, tmp_path: Path) -> Iterator[AuditStore]:
    s = AuditStore(audit_url, key_file=tmp_path / "keys" / "audit-signing.key")
    yield s
    s.close()


def _fill(store: AuditStore, old: int, new: int) -> datetime:
    """`old` records, then the cutoff, then `new` records; returns the cutoff."""
    for n in range(old):
        store.append(entry(n))
    cutoff = datetime.now(UTC)
    for n in range(old, old + new):
        store.append(entry(n))
    return cutoff


def _tamper(store: AuditStore, statement: object) -> None:
    with store.session() as session, session.begin():
        session.execute(statement)  # type: ignore[call-overload]


def test_purge_deletes_the_old_prefix_and_the_rest_still_verifies(store: AuditStore) -> None:
    cutoff = _fill(store, 3, 2)
    store.add_feedback(audit_id=2, user="u1", rating="up", comment="", findings={})
    store.add_feedback(audit_id=5, user="u1", rating="up", comment="", findings={})
    dry = store.purge(cutoff, dry_run=True)
    assert (dry.count, dry.first_id, dry.last_id, dry.checkpoint_id) == (3, 1, 3, None)
    assert len(store.records()) == 5
    result = store.purge(cutoff)
    assert (result.count, result.last_id) == (3, 3)
    assert [r.id for r in store.records()] == [4, 5]
    assert [f.audit_id for f in store.feedback()] == [5]
    (checkpoint,) = store.checkpoints()
    assert checkpoint.last_purged_id == 3 and checkpoint.purged_count == 3
    assert store.verify() == []
    # The chain goes on after a purge, and a second purge chains its checkpoint.
    store.append(entry(9))
    assert store.purge(datetime.now(UTC)).count == 3
    assert store.records() == []
    assert store.verify() == []
    store.append(entry(10))
    assert store.verify() == []


def test_nothing_to_purge(store: AuditStore) -> None:
    store.append(entry(1))
    result = store.purge(datetime(2000, 1, 1, tzinfo=UTC))
    assert result.count == 0 and result.checkpoint_id is None
    assert store.checkpoints() == []


def test_retention_zero_keeps_everything(store: AuditStore) -> None:
    store.append(entry(1))
    assert store.purge_expired(0) is None
    assert store.purge_expired(30).count == 0  # type: ignore[union-attr]
    assert len(store.records()) == 1


@pytest.mark.parametrize("field", ["purged_count", "last_purged_hash", "last_purged_id"])
def test_an_edited_checkpoint_is_detected(store: AuditStore, field: str) -> None:
    store.purge(_fill(store, 3, 2))
    value: object = {"purged_count": 1, "last_purged_hash": "a" * 64, "last_purged_id": 2}[field]
    _tamper(store, update(Checkpoint).values({field: value}))
    breaks = store.verify()
    assert breaks and breaks[0].checkpoint_id == 1
    assert "署名" in breaks[0].reason


def test_a_checkpoint_forged_with_another_key_is_detected(store: AuditStore) -> None:
    cutoff = _fill(store, 3, 2)
    # Someone deletes records 1-3 and writes a checkpoint of their own to cover it up.
    last = store.get(3)
    assert last is not None
    now = datetime.now(UTC)
    forged = sign_checkpoint(
        b"not-the-key" * 4,
        created_at=now,
        last_purged_id=3,
        last_purged_hash=last.record_hash,
        purged_count=3,
        prev_signature="",
    )
    _tamper(store, delete(AuditRecord).where(AuditRecord.created_at < cutoff))
    _tamper(
        store,
        insert(Checkpoint).values(
            created_at=now,
            last_purged_id=3,
            last_purged_hash=last.record_hash,
            purged_count=3,
            prev_signature="",
            signature=forged,
        ),
    )
    breaks = store.verify()
    assert [(b.record_id, b.checkpoint_id) for b in breaks] == [(4, 1)]


def test_a_deleted_checkpoint_leaves_the_chain_broken_at_the_first_record(
    store: AuditStore,
) -> None:
    store.purge(_fill(store, 3, 2))
    _tamper(store, delete(Checkpoint))
    breaks = store.verify()
    assert breaks and breaks[0].record_id == 4


def test_a_record_put_back_into_the_purged_range_is_named(store: AuditStore) -> None:
    _fill(store, 2, 1)
    first = store.get(1)
    assert first is not None
    store.purge(datetime.now(UTC))
    store.append(entry(5))
    _tamper(store, insert(AuditRecord).values(**first.as_dict()))
    breaks = store.verify()
    assert breaks[0].record_id == 1 and "消去済み" in breaks[0].reason


def test_a_tampered_prefix_is_not_purged(store: AuditStore) -> None:
    cutoff = _fill(store, 3, 1)
    _tamper(store, update(AuditRecord).where(AuditRecord.id == 2).values(answer="x"))
    with pytest.raises(AuditError, match="ID 2"):
        store.purge(cutoff)
    assert len(store.records()) == 4
    assert store.checkpoints() == []


def test_the_generated_key_is_private(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    store = AuditStore.from_settings(Settings(data_dir=tmp_path / "data", database_url=url))
    store.append(entry(1))
    store.purge(datetime.now(UTC))
    store.close()
    key = tmp_path / "data" / "audit-signing.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    # The same key is used on the next start: the checkpoint still verifies.
    again = AuditStore.from_settings(Settings(data_dir=tmp_path / "data", database_url=url))
    assert again.verify() == []
    again.close()
    # A different configured key does not.
    other = AuditStore.from_settings(
        Settings(data_dir=tmp_path / "data", database_url=url, audit_signing_key="k" * 40)
    )
    assert other.verify()[0].checkpoint_id == 1
    other.close()


def test_feedback_rows_of_purged_records_are_gone(store: AuditStore) -> None:
    cutoff = _fill(store, 2, 0)
    store.add_feedback(audit_id=1, user="u1", rating="down", comment="", findings={})
    store.purge(cutoff)
    with store.session() as session:
        assert session.query(FeedbackRecord).count() == 0
