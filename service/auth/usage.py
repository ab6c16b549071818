"""Usage counters in SQL: one row per (scope, key, period), updated with an upsert so
that several service processes on one database count together."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from .db import usage_counters as t

__all__ = ["Counter", "Usage", "UsageStore"]


@dataclass(frozen=True)
class Counter:
    scope: str  # "user" | "department"
    key: str
    period: str  # "2026-11-23" or "2026-11" (JST)


@dataclass(frozen=True)
class Usage:
    requests: int = 0
    tokens: int = 0


class UsageStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def get(self, counter: Counter) -> Usage:
        with self._engine.connect() as conn:
            row = conn.execute(select(t.c.requests, t.c.tokens).where(*_where(counter))).first()
        return Usage(int(row[0]), int(row[1])) if row else Usage()

    def charge(self, counters: Sequence[tuple[Counter, int]]) -> Counter | None:
        """Adds one request to each counter, in one transaction; when a counter would pass
        its limit (0 = none), nothing is counted and that counter is returned. The upsert
        locks the row until the commit, so concurrent requests cannot both slip under."""
        with self._engine.connect() as conn, conn.begin() as tx:
            for counter, limit in counters:
                usage = _add(conn, counter, requests=1, tokens=0)
                if limit and usage.requests > limit:
                    tx.rollback()
                    return counter
        return None

    def add_tokens(self, counters: Sequence[Counter], tokens: int) -> None:
        if tokens <= 0:
            return
        with self._engine.begin() as conn:
            for counter in counters:
                _add(conn, counter, requests=0, tokens=tokens)


def _where(counter: Counter) -> tuple[Any, ...]:
    return (t.c.scope == counter.scope, t.c.key == counter.key, t.c.period == counter.period)


def _add(conn: Connection, counter: Counter, *, requests: int, tokens: int) -> Usage:
    now = datetime.now(UTC)
    values = {
        "scope": counter.scope,
        "key": counter.key,
        "period": counter.period,
        "requests": requests,
        "tokens": tokens,
        "updated_at": now,
    }
    dialect = conn.dialect.name
    if dialect in ("sqlite", "postgresql"):
        insert = sqlite.insert(t) if dialect == "sqlite" else postgresql.insert(t)
        stmt = (
            insert.values(**values)
            .on_conflict_do_update(
                index_elements=[t.c.scope, t.c.key, t.c.period],
                set_={
                    "requests": t.c.requests + requests,
                    "tokens": t.c.tokens + tokens,
                    "updated_at": now,
                },
            )
            .returning(t.c.requests, t.c.tokens)
        )
        row = conn.execute(stmt).one()
        return Usage(int(row[0]), int(row[1]))
    # Other databases: update, and insert when there was nothing to update.
    result = conn.execute(
        update(t)
        .where(*_where(counter))
        .values(requests=t.c.requests + requests, tokens=t.c.tokens + tokens, updated_at=now)
    )
    if result.rowcount == 0:
        conn.execute(t.insert().values(**values))
    row2 = conn.execute(select(t.c.requests, t.c.tokens).where(*_where(counter))).one()
    return Usage(int(row2[0]), int(row2[1]))
