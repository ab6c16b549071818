"""Conversation threads in the audit database (service.pipeline.threads): the bounds, the
expiry, one thread seen alike by several processes' stores, and the migration — on SQLite
and on a real PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, select, update

from service.pipeline.threads import Conversations, ThreadBase, TurnRow
from tests.service.test_audit_store import audit_url  # noqa: F401 - the parametrized fixture

StoreFactory = Callable[..., Conversations]


@pytest.fixture
def open_store(audit_url: str) -> Iterator[StoreFactory]:  # noqa: F811
    opened: list[Conversations] = []

    def make(**bounds: Any) -> Conversations:
        store = Conversations(audit_url, **{"max_turns": 5, "max_chars": 1_000, **bounds})
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


def test_thread_keeps_the_latest_turns_within_bounds(open_store: StoreFactory) -> None:
    conversations = open_store(max_turns=2)
    thread = conversations.get("u1", "t1")
    for i in range(4):
        thread.add(f"質問{i}", f"回答{i}")
    assert [t.question for t in thread.turns] == ["質問2", "質問3"]
    assert [t.question for t in conversations.get("u1", "t1").turns] == ["質問2", "質問3"]


def test_thread_character_budget_drops_the_oldest_turns(open_store: StoreFactory) -> None:
    conversations = open_store(max_turns=10, max_chars=200)
    thread = conversations.get("u1", "t1")
    thread.add("最初の質問", "あ" * 90)
    thread.add("次の質問", "い" * 90)
    thread.add("三つ目", "う" * 500)  # longer than half the budget: cut
    for turns in (thread.turns, conversations.get("u1", "t1").turns):
        assert sum(len(t) for t in turns) <= 200
        assert turns[-1].question == "三つ目" and len(turns[-1].answer) == 100
        assert "最初の質問" not in [t.question for t in turns]


def test_threads_belong_to_their_user(open_store: StoreFactory) -> None:
    conversations = open_store()
    conversations.new("u1", "t").add("q", "a")
    assert conversations.get("u2", "t").turns == []
    assert [t.question for t in conversations.get("u1", "t").turns] == ["q"]
    assert len(conversations) == 1


def test_a_thread_continues_in_another_process_store(open_store: StoreFactory) -> None:
    """Two stores on one database stand for two service processes: a follow-up that
    lands on the other process finds the earlier turns."""
    first, second = open_store(), open_store()
    first.new("u1", "t").add("審査基準の公表は", "公にしておく必要があります。")
    follow = second.get("u1", "t")
    assert [t.question for t in follow.turns] == ["審査基準の公表は"]
    follow.add("その例外は", "行政上特別の支障があるときです。")
    assert [t.question for t in first.get("u1", "t").turns] == ["審査基準の公表は", "その例外は"]


def test_threads_expire_and_the_sweep_removes_them(
    open_store: StoreFactory,
    audit_url: str,  # noqa: F811
) -> None:
    conversations = open_store(ttl=timedelta(hours=1))
    conversations.new("u1", "old").add("古い質問", "古い回答")
    conversations.new("u1", "new").add("新しい質問", "新しい回答")
    engine = create_engine(audit_url)
    try:
        with engine.begin() as conn:
            created = conn.execute(
                select(TurnRow.created_at).where(TurnRow.thread_id == "new")
            ).scalar_one()
            conn.execute(
                update(TurnRow)
                .where(TurnRow.thread_id == "old")
                .values(created_at=created - timedelta(hours=2))
            )
    finally:
        engine.dispose()
    assert conversations.get("u1", "old").turns == []  # expired: starts afresh
    assert conversations.sweep() == 1
    assert len(conversations) == 1
    assert [t.question for t in conversations.get("u1", "new").turns] == ["新しい質問"]


def test_all_threads_together_are_capped(open_store: StoreFactory) -> None:
    conversations = open_store(max_stored_turns=3)
    for i in range(5):
        conversations.new("u1", f"t{i}").add(f"質問{i}", "回答")
    assert conversations.sweep() == 2
    assert len(conversations) == 3
    assert conversations.get("u1", "t0").turns == []
    assert [t.question for t in conversations.get("u1", "t4").turns] == ["質問4"]


def test_a_long_bot_thread_key_is_stored_hashed(open_store: StoreFactory) -> None:
    conversations = open_store()
    key = "lineworks:" + "x" * 300
    conversations.get("u1", key).add("q", "a")
    assert [t.question for t in conversations.get("u1", key).turns] == ["q"]
    assert conversations.get("u1", key[:-1] + "y").turns == []


def test_migrated_thread_table_matches_the_model(audit_url: str, tmp_path: Path) -> None:  # noqa: F811
    Conversations(audit_url, max_turns=1, max_chars=200).close()
    engine = create_engine(audit_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn,
                opts={
                    "include_object": lambda obj, name, type_, reflected, compare_to: (
                        not (type_ == "table" and name != "conversation_turns")
                    ),
                    "compare_type": False,
                },
            )
            diffs = compare_metadata(context, ThreadBase.metadata)
    finally:
        engine.dispose()
    assert [d for d in diffs if isinstance(d, tuple)] == []
