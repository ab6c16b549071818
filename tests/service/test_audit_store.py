"""The audit trail is append-only and tamper-evident, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import delete, insert, text, update

from service.audit import AuditEntry, AuditRecord, AuditStatus, AuditStore
from service.audit._migrate import alembic_config
from service.audit._models import AuditIntent
from tests.utils.audit_scratch import postgres_reason, scratch_database

BACKENDS = ["sqlite", "postgresql"]


def require_backend(kind: str) -> None:
    """PostgreSQL tests skip when the server is absent locally, and fail in CI."""
    if kind != "postgresql":
        return
    reason = postgres_reason()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(params=BACKENDS)
def audit_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    require_backend(request.param)
    with scratch_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def store(audit_url: str, tmp_path: Path) -> Iterator[AuditStore]:
    s = AuditStore(audit_url, key_file=tmp_path / "audit-signing.key")
    yield s
    s.close()


def entry(n: int, status: AuditStatus = AuditStatus.ALLOWED, **extra: object) -> AuditEntry:
    fields: dict[str, object] = {
        "request_id": f"r{n}",
        "user": "u1",
        "department": "市民課",
        "channel": "cli",
        "task": "ask",
        "status": status,
        "prompt": f"質問{n} <マイナンバー>",
        "findings": {"MY_NUMBER": 1},
        "sources": ["行政手続法 第5条"],
    }
    fields.update(extra)
    return AuditEntry.model_validate(fields)


def entry_of(n: int, columns: Sequence[str], row: Sequence[object], **extra: object) -> AuditEntry:
    """`entry(n, …)` from one row of a test table whose columns `columns` names."""
    return entry(n, **dict(zip(columns, row, strict=True)), **extra)  # type: ignore[arg-type]


def test_chain_links_each_record_to_the_previous(store: AuditStore) -> None:
    records = [store.append(entry(n)) for n in range(3)]
    assert [r.id for r in records] == [1, 2, 3]
    assert records[0].prev_hash == "0" * 64
    assert records[1].prev_hash == records[0].record_hash
    assert records[2].prev_hash == records[1].record_hash
    assert store.verify() == []


def _tamper(store: AuditStore, statement: object) -> None:
    with store.session() as session, session.begin():
        session.execute(statement)  # type: ignore[call-overload]


@pytest.mark.parametrize(
    ("tamper", "broken_id", "words"),
    [
        (update(AuditRecord).where(AuditRecord.id == 2).values(prompt="改ざん"), 2, "書き換え"),
        (update(AuditRecord).where(AuditRecord.id == 2).values(status="allowed"), 2, "書き換え"),
        (update(AuditRecord).where(AuditRecord.id == 2).values(role="admin"), 2, "書き換え"),
        (delete(AuditRecord).where(AuditRecord.id == 2), 3, "つながり"),
        (delete(AuditRecord).where(AuditRecord.id == 4), 4, "末尾"),
    ],
    ids=["edited-prompt", "edited-status", "edited-role", "deleted", "deleted-tail"],
)
def test_tampering_is_detected_and_named(
    store: AuditStore, tamper: object, broken_id: int, words: str
) -> None:
    for n in range(4):
        store.append(entry(n, AuditStatus.BLOCKED))
    _tamper(store, tamper)
    breaks = store.verify()
    assert breaks
    assert breaks[0].record_id == broken_id
    assert words in breaks[0].reason


def test_an_inserted_record_is_named(store: AuditStore) -> None:
    records = [store.append(entry(n)) for n in range(3)]
    forged = records[1].as_dict() | {"id": 10, "request_id": "forged", "record_hash": "f" * 64}
    _tamper(store, insert(AuditRecord).values(**forged))
    breaks = store.verify()
    assert [b.record_id for b in breaks][:1] == [10]


def test_a_recomputed_forged_tail_is_caught_by_the_chain_head(store: AuditStore) -> None:
    last = [store.append(entry(n)) for n in range(2)][-1]
    forged = AuditRecord(**(last.as_dict() | {"id": 3, "request_id": "x"}))
    forged.prev_hash = last.record_hash
    forged.record_hash = forged.compute_hash()
    _tamper(store, insert(AuditRecord).values(**forged.as_dict()))
    breaks = store.verify()
    assert len(breaks) == 1 and breaks[0].record_id == 3, breaks


def test_entries_are_stored_with_their_fields(store: AuditStore) -> None:
    record = store.append(entry(7, AuditStatus.BLOCKED, role="auditor", channel="lineworks"))
    again = store.get(record.id)
    assert again is not None
    assert again.status == "blocked"
    assert again.role == "auditor"
    assert again.channel == "lineworks"
    assert again.findings == {"MY_NUMBER": 1}
    assert again.created_at is not None
    assert store.verify() == []


def test_channel_is_validated() -> None:
    with pytest.raises(ValueError):
        entry(1, channel="fax")


def test_reopening_migrates_nothing_twice_and_keeps_the_chain(
    audit_url: str, tmp_path: Path
) -> None:
    first = AuditStore(audit_url)
    first.append(entry(1))
    first.close()
    second = AuditStore(audit_url)
    second.append(entry(2))
    with second.session() as session:
        version = session.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    assert version == ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert second.verify() == []
    second.close()


def _shape(stamp: str) -> str:
    """A timestamp's text with every digit as 0 and its fraction at six digits."""
    full = re.sub(r"\.(\d+)", lambda m: "." + m.group(1).ljust(6, "0"), stamp)
    return re.sub(r"\d", "0", full)


def test_an_intent_is_stored_as_sqlalchemy_would_store_it(store: AuditStore) -> None:
    """On SQLite the intent's statements go straight to the driver (DriverStatement): the
    stored row must be byte for byte what `Connection.execute` writes, and read back and
    settled the same way, on both backends."""
    first = entry(1, prompt="「山田」\u3000<電話番号>", findings={"PHONE_NUMBER": 2})
    store.begin(first)
    second = first.model_copy(update={"request_id": "r2"})
    row = {
        "request_id": "r2",
        "created_at": store._now(),
        "owner": "elsewhere:1",
        "entry": second.model_dump(mode="json"),
    }
    with store._writing() as conn:
        conn.execute(insert(AuditIntent), row)
        stored = {
            r.request_id: r
            for r in conn.execute(
                text(
                    "SELECT request_id, CAST(created_at AS TEXT) AS created_at,"
                    " CAST(entry AS TEXT) AS entry FROM audit_intents"
                )
            )
        }
    assert set(stored) == {"r1", "r2"}
    assert stored["r1"].entry.replace('"r1"', '"r2"') == stored["r2"].entry
    # The same format (PostgreSQL's text form drops a fraction's trailing zeros).
    assert _shape(stored["r1"].created_at) == _shape(stored["r2"].created_at)
    intents = {i.request_id: i for i in store.intents()}
    assert AuditEntry.model_validate(intents["r1"].entry) == first
    store.append_id(first, settles_intent=True)
    assert [i.request_id for i in store.intents()] == ["r2"]
