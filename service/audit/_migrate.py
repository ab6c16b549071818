"""Brings the audit database to the newest schema (Alembic, `upgrade head`) when the store
opens. Several processes may open it at once: the upgrade runs inside the same database lock
the chain writers use, so exactly one of them migrates and the others find it done."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from ..errors import AuditError
from ._engine import open_engine, write_transaction

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001"
# Any constant shared by all Yakuba processes; it names the migration lock on PostgreSQL.
_PG_LOCK_KEY = 0x59414B55  # "YAKU"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine) -> None:
    config = alembic_config()
    with write_transaction(engine) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        config.attributes["connection"] = conn
        tables = set(inspect(conn).get_table_names())
        if "audit_records" in tables and "alembic_version" not in tables:
            # A database from before the migrations (create_all): its tables are the baseline.
            command.stamp(config, BASELINE)
        command.upgrade(config, "head")


def open_migrated(url: str, *, what: str) -> Engine:
    """An engine on the audit database with every migration applied, for the other
    tables that live there (job queues); AuditError naming `what` when it cannot be
    prepared."""
    engine = open_engine(url)
    try:
        upgrade(engine)
    except Exception as exc:
        engine.dispose()
        raise AuditError(
            f"{what}のデータベースを準備できませんでした: {type(exc).__name__}"
        ) from exc
    return engine


def own_tables_only(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    # The same database holds service.auth's tables (API keys, quota counters), which
    # that package creates itself; autogenerate must not propose dropping them.
    return not (type_ == "table" and reflected and compare_to is None)
