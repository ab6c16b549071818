"""Throw-away audit databases for the tests and benchmarks: a fresh SQLite file, or a fresh
database on a real PostgreSQL server that is dropped afterwards.

The server is `YAKUBA_TEST_POSTGRES_URL` (default: the local `test` database, user
postgres); the scratch database is created beside it."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

DEFAULT_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def admin_url() -> str:
    return os.environ.get("YAKUBA_TEST_POSTGRES_URL", DEFAULT_ADMIN_URL)


def postgres_reason() -> str | None:
    """None when the PostgreSQL server answers; otherwise why not (for a skip message)."""
    engine = create_engine(admin_url(), connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return None
    except Exception as exc:
        return f"PostgreSQL に接続できません（{admin_url()}）: {type(exc).__name__}"
    finally:
        engine.dispose()


@contextmanager
def scratch_postgres() -> Iterator[str]:
    name = f"yakuba_scratch_{uuid.uuid4().hex[:16]}"
    admin = create_engine(admin_url(), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(admin_url()).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def scratch_database(kind: str, folder: Path) -> Iterator[str]:
    """`kind` is "sqlite" or "postgresql"; yields a SQLAlchemy URL."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / f'audit-{uuid.uuid4().hex[:8]}.sqlite3'}"
    elif kind == "postgresql":
        with scratch_postgres() as url:
            yield url
    else:
        raise ValueError(kind)


def append_many(url: str, count: int, tag: str) -> list[int]:
    """Appends `count` entries from this process (a multiprocessing worker in the tests and
    benchmarks of concurrent writers); returns their ids."""
    from service.audit import AuditEntry, AuditStatus, AuditStore, Channel

    store = AuditStore(url)
    try:
        return [
            store.append(
                AuditEntry(
                    request_id=f"{tag}-{n}",
                    user=f"user-{tag}",
                    department="情報政策課",
                    channel=Channel.BATCH,
                    task="ask",
                    status=AuditStatus.ALLOWED,
                    prompt=f"{tag} の質問 {n}",
                )
            ).id
            for n in range(count)
        ]
    finally:
        store.close()
