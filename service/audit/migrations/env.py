"""Alembic environment for the audit store. Run by `service.audit._migrate.upgrade`, which
hands over an open connection inside a locked transaction (never a URL from a file)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from service.audit._migrate import own_tables_only
from service.audit._models import Base


def _run() -> None:
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError("監査ログの移行は service.audit から実行してください。")
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        include_object=own_tables_only,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


_run()
