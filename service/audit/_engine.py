"""Engines for the audit store, and the database-level lock that serialises chain writers.

The threading lock of one process is not enough once several service processes share a
database: the lock has to live in the database. SQLite: every write transaction begins with
`BEGIN IMMEDIATE` (the database's single write lock, taken up front so two writers never
both read the same chain head). PostgreSQL: the one-row chain head is read `FOR UPDATE`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

# A writer waits this long for another process's write to finish before giving up.
_LOCK_WAIT_S = 30.0
_WRITE = "yakuba_audit_write"
# How often the background thread moves the SQLite write-ahead log into the database.
CHECKPOINT_INTERVAL_S = 2.0

logger = logging.getLogger(__name__)


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


def is_outage(exc: BaseException) -> bool:
    """The database cannot be reached or dropped the connection (a restart, a network
    cut), as opposed to a statement it refused."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, OperationalError | InterfaceError)


def connect(engine: Engine) -> Connection:
    """A connection, tried twice when the database cannot be reached: nothing has been
    sent yet, so a second try is always safe. The pool's pre-ping has already replaced a
    stale connection; the second try catches a server that was restarting a moment ago.
    No pause in between: the audit intent is written on the event loop."""
    try:
        return engine.connect()
    except DBAPIError as exc:
        if not is_outage(exc):
            raise
        logger.warning("database connection failed, trying once more: %s", type(exc).__name__)
        return engine.connect()


def writer(engine: Engine) -> Connection:
    """A connection whose transactions may change the chain: on SQLite each holds the
    write lock from its first statement on."""
    return connect(engine).execution_options(**{_WRITE: True})


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction on a `writer` connection checked out for it alone."""
    with writer(engine) as conn, conn.begin():
        yield conn


def _sqlite_connect(dbapi_connection: Any, _record: object) -> None:
    # pysqlite's own implicit BEGIN would defer the lock; we emit BEGIN ourselves.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL loses no committed transaction when a process dies (SIGKILL);
    # only an operating-system crash may roll back the last ones.
    cursor.execute("PRAGMA synchronous=NORMAL")
    # SQLite checkpoints the log inside whichever commit crosses 1,000 pages, and that
    # commit waits for the fsync: measured p99 of an append 20 ms with, 7 ms without
    # (bench/audit.py, 2,000 appends, machine at load 3.5). WalCheckpointer does it off
    # the request path instead.
    cursor.execute("PRAGMA wal_autocheckpoint=0")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # Straight to the driver: through exec_driver_sql (events, an execution context and
    # a result) this one statement cost as much Python as the insert that follows it.
    statement = "BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN"
    conn.connection.driver_connection.execute(statement)  # type: ignore[union-attr]


class WalCheckpointer:
    """Checkpoints an SQLite database's write-ahead log every `interval_s` from a daemon
    thread, in PASSIVE mode (never waits for, nor blocks, writers or readers)."""

    def __init__(self, engine: Engine, *, interval_s: float = CHECKPOINT_INTERVAL_S) -> None:
        self._engine = engine
        self._interval_s = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name="yakuba-audit-checkpoint", daemon=True
        )
        self._thread.start()

    def checkpoint(self) -> None:
        raw = self._engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
            cursor.close()
        finally:
            raw.close()

    def _run(self) -> None:
        while not self._stop.wait(self._interval_s):
            try:
                self.checkpoint()
            except Exception as exc:  # the next round tries again; the log only grows
                logger.warning("audit WAL checkpoint failed: %s", type(exc).__name__)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        try:
            self.checkpoint()
        except Exception as exc:
            logger.warning("final audit WAL checkpoint failed: %s", type(exc).__name__)
