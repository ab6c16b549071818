"""The access-control tables: API keys and usage counters, on their own MetaData.

They live in the audit store's database (`Settings.audit_database_url`) but are created
here with `create_all`, independent of the audit store's migrations: both tables are
small, and neither is part of the hash chain.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    MetaData,
    String,
    Table,
    create_engine,
    event,
)
from sqlalchemy.engine import Engine

__all__ = ["api_keys", "metadata", "open_engine", "usage_counters"]

metadata = MetaData()

api_keys = Table(
    "auth_api_keys",
    metadata,
    Column("key_id", String(32), primary_key=True),
    # SHA-256 of the whole key, hex: the secret itself is never stored.
    Column("key_hash", String(64), nullable=False),
    Column("user", String(256), nullable=False),
    Column("department", String(256), nullable=False, default=""),
    Column("role", String(32), nullable=False),
    Column("channel", String(32), nullable=False, default="api"),
    Column("note", String(256), nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=True),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("last_used_at", DateTime(timezone=True), nullable=True),
)

usage_counters = Table(
    "quota_usage",
    metadata,
    # scope: "user" or "department"; period: "2026-11-23" (a JST day) or "2026-11" (a month).
    Column("scope", String(16), primary_key=True),
    Column("key", String(256), primary_key=True),
    Column("period", String(10), primary_key=True),
    Column("requests", BigInteger, nullable=False, default=0),
    Column("tokens", BigInteger, nullable=False, default=0),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
Index("ix_quota_usage_period", usage_counters.c.period)


def open_engine(url: str) -> Engine:
    """An engine of our own on `url`, with the tables created if missing."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    # A pooled connection outlives a database restart: pre-ping replaces a dead one
    # before it fails a request (tests/fault/test_postgres_restart.py).
    engine = create_engine(url, pool_pre_ping=not url.startswith("sqlite"))
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    metadata.create_all(engine)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    # WAL and a busy timeout: the audit store writes to the same file from other threads.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    # Quota counters are written on every metered request; in WAL mode NORMAL skips the
    # fsync per commit and still loses nothing when the process dies (as the audit store).
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
