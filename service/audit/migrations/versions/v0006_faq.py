"""Bulk FAQ jobs and their rows (service.faq), in the audit database.

Revision ID: v0006_faq
Revises: v0005_bots
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "v0006_faq"
down_revision: str | None = "v0005_bots"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "faq_jobs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user", sa.String(256), nullable=False),
        sa.Column("department", sa.String(256), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("filename", sa.String(256), nullable=False),
        sa.Column("input_digest", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("concurrency", sa.Integer(), nullable=False),
        sa.Column("cancel_requested", sa.Boolean(), nullable=False),
        sa.Column("runner", sa.String(128), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_faq_jobs_user_created", "faq_jobs", ["user", "created_at"])
    op.create_index("ix_faq_jobs_status", "faq_jobs", ["status"])
    op.create_index("ix_faq_jobs_input_digest", "faq_jobs", ["input_digest"])
    op.create_table(
        "faq_rows",
        sa.Column(
            "job_id",
            sa.String(32),
            sa.ForeignKey("faq_jobs.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("row_no", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("external_id", sa.String(128), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("category", sa.String(256), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("audience", sa.String(256), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("draft", sa.Text(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("model", sa.String(256), nullable=False),
        sa.Column("prompt_ref", sa.String(128), nullable=False),
        sa.Column("error_code", sa.String(64), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=True),
        sa.Column("generated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review", sa.String(16), nullable=False),
        sa.Column("reviewed_by", sa.String(256), nullable=False),
        sa.Column("edited", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_faq_rows_job_status", "faq_rows", ["job_id", "status"])


def downgrade() -> None:
    op.drop_table("faq_rows")
    op.drop_table("faq_jobs")
