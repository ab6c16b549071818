"""The public register's store, on SQLite and on PostgreSQL: a document's entries are
replaced on re-ingest and removed with it, a revocation is of a value (every document,
and it outlives re-ingest), listings filter and page, and every change bumps the
revision a running service follows (RegisterSync)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from guardrails import PublicRegister, RegisterEntry, make_entry
from service.audit._migrate import own_tables_only
from service.errors import NotFoundError
from service.register import EntryStatus, RegisterQuery, RegisterStore, RegisterSync
from service.register._models import RegisterBase
from tests.service.test_audit_store import audit_url  # noqa: F401 - the parametrized fixture

CITY_HALL = "054-626-1111"
LIBRARY = "静岡県焼津市三ケ名1550-2"


def entry(kind: str, value: str, source: str, locator: str = "行2") -> RegisterEntry:
    made = make_entry(kind, value, source=source, locator=locator)
    assert made is not None
    return made


@pytest.fixture
def store(audit_url: str) -> Iterator[RegisterStore]:  # noqa: F811
    s = RegisterStore(audit_url)
    yield s
    s.close()


def _fill(store: RegisterStore) -> None:
    store.replace_document(
        "facilities.csv",
        "h1",
        [
            entry("PHONE_NUMBER", CITY_HALL, "facilities.csv", "行2"),
            entry("ADDRESS", LIBRARY, "facilities.csv", "行3"),
            entry("ORGANIZATION", "焼津図書館", "facilities.csv", "行3"),
        ],
    )
    store.replace_document(
        "faq.html", "h2", [entry("PHONE_NUMBER", "０５４（６２６）１１１１", "faq.html", "Q3")]
    )


def test_migrated_tables_match_the_models(audit_url: str) -> None:  # noqa: F811
    RegisterStore(audit_url).close()
    engine = create_engine(audit_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"include_object": own_tables_only, "compare_type": False}
            )
            diffs = compare_metadata(context, RegisterBase.metadata)
    finally:
        engine.dispose()
    changes = ("add_table", "remove_table", "add_column", "remove_column")
    assert [d for d in diffs if isinstance(d, tuple) and d[0] in changes] == []


def test_snapshot_holds_every_provenance_and_the_revision_moves(store: RegisterStore) -> None:
    assert store.snapshot() == (0, [])
    _fill(store)
    revision, entries = store.snapshot()
    assert revision == 2
    register = PublicRegister(entries)
    places = register.provenance("PHONE_NUMBER", "0546261111")
    assert {(e.source, e.locator) for e in places} == {
        ("facilities.csv", "行2"),
        ("faq.html", "Q3"),
    }
    assert store.harvested("facilities.csv") == "h1" and store.harvested("other") is None


def test_reingest_replaces_and_removal_removes(store: RegisterStore) -> None:
    _fill(store)
    store.replace_document(
        "facilities.csv", "h3", [entry("PHONE_NUMBER", "054-623-2222", "facilities.csv")]
    )
    _, entries = store.snapshot()
    assert sorted((e.source, e.key) for e in entries) == [
        ("facilities.csv", "0546232222"),
        ("faq.html", "0546261111"),
    ]
    assert store.harvested("facilities.csv") == "h3"
    assert store.remove_document("faq.html") == 1
    assert store.harvested("faq.html") is None
    assert [e.source for e in store.snapshot()[1]] == ["facilities.csv"]


def test_a_revocation_is_of_the_value_and_outlives_reingest(store: RegisterStore) -> None:
    _fill(store)
    page = store.search(RegisterQuery(kind="PHONE_NUMBER"))
    first = page.entries[0].id
    before = store.revision()
    change = store.revoke(first, by="admin1")
    assert change.revoked and change.changed and change.entries == 2  # both documents
    assert store.revision() == before + 1
    assert not any(e.kind == "PHONE_NUMBER" for e in store.snapshot()[1])
    # the document is re-ingested: its number comes back as a new entry, still revoked
    _fill(store)
    assert not any(e.kind == "PHONE_NUMBER" for e in store.snapshot()[1])
    revoked = store.search(RegisterQuery(status=EntryStatus.REVOKED))
    assert revoked.total == 2 and all(e.revoked_by == "admin1" for e in revoked.entries)
    assert store.revoke(revoked.entries[0].id, by="admin2").changed is False
    restored = store.restore(revoked.entries[1].id, by="admin1")
    assert restored.changed and not restored.revoked
    assert sum(e.kind == "PHONE_NUMBER" for e in store.snapshot()[1]) == 2
    with pytest.raises(NotFoundError):
        store.revoke(999_999, by="admin1")


def test_listing_filters_pages_and_counts(store: RegisterStore) -> None:
    _fill(store)
    everything = store.search(RegisterQuery(), limit=2)
    assert everything.total == 4 and len(everything.entries) == 2
    rest = store.search(RegisterQuery(), limit=2, offset=2)
    assert {e.id for e in everything.entries}.isdisjoint({e.id for e in rest.entries})
    assert everything.counts == {
        "ADDRESS": {"active": 1, "revoked": 0},
        "ORGANIZATION": {"active": 1, "revoked": 0},
        "PHONE_NUMBER": {"active": 2, "revoked": 0},
    }
    assert store.search(RegisterQuery(source="faq")).total == 1
    # a value written differently is found by its canonical form too
    assert store.search(RegisterQuery(text="626-1111")).total == 1
    assert store.search(RegisterQuery(text="0546261111")).total == 2
    assert store.search(RegisterQuery(text="三ケ名")).entries[0].kind == "ADDRESS"
    assert store.search(RegisterQuery(text="100%_")).total == 0  # LIKE wildcards are text
    with pytest.raises(ValueError, match="種類"):
        RegisterQuery(kind="MY_NUMBER")


def test_sync_follows_another_process_changes(store: RegisterStore, audit_url: str) -> None:  # noqa: F811
    register = PublicRegister()
    sync = RegisterSync(store, register, interval_s=0)
    assert sync.refresh(force=True)
    assert len(register) == 0
    other = RegisterStore(audit_url)  # yakuba ingest / yakuba register in another process
    try:
        _fill(other)
        version = register.version
        assert sync.refresh() and register.contains("PHONE_NUMBER", "(054)626-1111")
        assert register.version > version
        assert not sync.refresh()  # nothing changed since
        phone = other.search(RegisterQuery(kind="PHONE_NUMBER")).entries[0].id
        other.revoke(phone, by="cli:admin")
    finally:
        other.close()
    assert sync.refresh() and not register.contains("PHONE_NUMBER", CITY_HALL)
    assert register.contains("ADDRESS", "焼津市三ケ名1550番地の2")
