"""Conversation threads (service.pipeline.threads) in the audit database, so that every
service process sees the same threads.

Revision ID: v0009_workers
Revises: v0008_bots_identity
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "v0009_workers"
down_revision: str | None = "v0008_bots_identity"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "conversation_turns",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("user", sa.String(256), nullable=False),
        sa.Column("thread_id", sa.String(128), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_conversation_turns_thread", "conversation_turns", ["user", "thread_id", "id"]
    )
    op.create_index("ix_conversation_turns_created", "conversation_turns", ["created_at"])


def downgrade() -> None:
    op.drop_table("conversation_turns")
