"""The public register (service.register): values published in ingested public
documents with their provenance, revocations by an administrator, the documents
harvested, and a revision counter that every change bumps.

Revision ID: v0010_register
Revises: v0009_workers
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "v0010_register"
down_revision: str | None = "v0009_workers"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "register_entries",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("key", sa.String(512), nullable=False),
        sa.Column("value", sa.String(512), nullable=False),
        sa.Column("source", sa.String(1024), nullable=False),
        sa.Column("locator", sa.String(512), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_register_entries_kind_key", "register_entries", ["kind", "key"])
    op.create_index("ix_register_entries_source", "register_entries", ["source"])
    op.create_table(
        "register_revocations",
        sa.Column("kind", sa.String(32), primary_key=True),
        sa.Column("key", sa.String(512), primary_key=True),
        sa.Column("value", sa.String(512), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_by", sa.String(256), nullable=False),
    )
    op.create_table(
        "register_documents",
        sa.Column("source", sa.String(1024), primary_key=True),
        sa.Column("doc_hash", sa.String(64), nullable=False),
        sa.Column("harvested_at", sa.DateTime(timezone=True), nullable=False),
    )
    state = op.create_table(
        "register_state",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("revision", sa.Integer(), nullable=False),
    )
    op.bulk_insert(state, [{"id": 1, "revision": 0}])


def downgrade() -> None:
    op.drop_table("register_state")
    op.drop_table("register_documents")
    op.drop_table("register_revocations")
    op.drop_table("register_entries")
