"""Engines for the audit store, and the database-level lock that serialises chain writers.

The threading lock of one process is not enough once several service processes share a
database: the lock has to live in the database. SQLite: every write transaction begins with
`BEGIN IMMEDIATE` (the database's single write lock, taken up front so two writers never
both read the same chain head). PostgreSQL: the one-row chain head is read `FOR UPDATE`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, event
from sqlalchemy.engine import Engine, make_url

# A writer waits this long for another process's write to finish before giving up.
_LOCK_WAIT_S = 30.0
_WRITE = "yakuba_audit_write"


def open_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": _LOCK_WAIT_S})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.get_backend_name() == "postgresql":
        return create_engine(
            url,
            pool_pre_ping=True,
            connect_args={"options": f"-c lock_timeout={int(_LOCK_WAIT_S * 1000)}"},
        )
    return create_engine(url)


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that may change the chain; on SQLite it holds the write lock from
    its first statement on."""
    with engine.connect().execution_options(**{_WRITE: True}) as conn, conn.begin():
        yield conn


def _sqlite_connect(dbapi_connection: Any, _record: object) -> None:
    # pysqlite's own implicit BEGIN would defer the lock; we emit BEGIN ourselves.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL loses no committed transaction when a process dies (SIGKILL);
    # only an operating-system crash may roll back the last ones.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    if conn.get_execution_options().get(_WRITE):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")
