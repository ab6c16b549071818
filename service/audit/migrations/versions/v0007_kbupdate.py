"""Knowledge-base update jobs (service.kb), in the audit database.

Revision ID: v0007_kbupdate
Revises: v0006_faq
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "v0007_kbupdate"
down_revision: str | None = "v0006_faq"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "kb_jobs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user", sa.String(256), nullable=False),
        sa.Column("department", sa.String(256), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("source", sa.String(1024), nullable=False),
        sa.Column("doc_department", sa.String(256), nullable=False),
        sa.Column("doc_type", sa.String(32), nullable=False),
        sa.Column("modified", sa.String(10), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=True),
        sa.Column("runner", sa.String(128), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_kb_jobs_status_created", "kb_jobs", ["status", "created_at"])
    op.create_index("ix_kb_jobs_created", "kb_jobs", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_kb_jobs_created", table_name="kb_jobs")
    op.drop_index("ix_kb_jobs_status_created", table_name="kb_jobs")
    op.drop_table("kb_jobs")
