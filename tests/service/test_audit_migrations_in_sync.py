"""The Alembic migrations build exactly the tables the models describe (the audit records'
and the bots' chat users'), and autogenerate leaves the auth package's tables in the same
database alone — on both databases."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Integer, MetaData, Table, create_engine

from service.audit import AuditStore
from service.audit._migrate import own_tables_only
from service.audit._models import Base
from service.auth.chat_users import ChatUserRow
from tests.service.test_audit_store import audit_url  # noqa: F401 - the parametrized fixture


def test_migrated_schema_matches_the_models(audit_url: str, tmp_path: Path) -> None:  # noqa: F811
    AuditStore(audit_url, key_file=tmp_path / "k").close()
    engine = create_engine(audit_url)
    try:
        with engine.connect() as conn:
            # Another package's table in the same database (as service.auth creates).
            Table("auth_like", MetaData(), Column("id", Integer, primary_key=True)).create(conn)
            conn.commit()
            context = MigrationContext.configure(
                conn, opts={"include_object": own_tables_only, "compare_type": False}
            )
            # The audit records and the bots' chat users (service.auth.chat_users), whose
            # table the same migrations create.
            diffs = compare_metadata(context, Base.metadata)
            diffs += compare_metadata(context, ChatUserRow.metadata)
    finally:
        engine.dispose()
    tables_or_columns = [
        d
        for d in diffs
        if isinstance(d, tuple)
        and d[0] in ("add_table", "remove_table", "add_column", "remove_column")
    ]
    assert tables_or_columns == []
