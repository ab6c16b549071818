"""Audit intents: a request is on record before its text leaves for the model.

Revision ID: v0004_pipeline
Revises: 0003
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "v0004_pipeline"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "audit_intents",
        sa.Column("request_id", sa.String(64), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("owner", sa.String(300), nullable=False),
        sa.Column("entry", sa.JSON(), nullable=False),
    )
    op.create_index("ix_audit_intents_created_at", "audit_intents", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_audit_intents_created_at", table_name="audit_intents")
    op.drop_table("audit_intents")
