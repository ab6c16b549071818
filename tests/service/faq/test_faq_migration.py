"""Migration v0004_faq builds exactly the tables service.faq's models describe, on both
databases (the audit package's own check ignores tables outside its models)."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from service.faq import JobStore
from service.faq._models import FaqBase
from tests.service.test_audit_store import audit_url  # noqa: F401 - the parametrized fixture


def test_migrated_faq_tables_match_the_models(audit_url: str, tmp_path: Path) -> None:  # noqa: F811
    JobStore(audit_url).close()
    engine = create_engine(audit_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn,
                opts={
                    "include_object": lambda obj, name, type_, reflected, compare_to: (
                        not (type_ == "table" and not str(name).startswith("faq_"))
                    ),
                    "compare_type": False,
                },
            )
            diffs = compare_metadata(context, FaqBase.metadata)
    finally:
        engine.dispose()
    assert [d for d in diffs if isinstance(d, tuple)] == []
