"""Daily usage summary: statistics over long periods read pre-aggregated rows.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def _groups(name: str) -> None:
    op.create_table(
        name,
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("department", sa.String(256), primary_key=True),
        sa.Column("task", sa.String(32), primary_key=True),
        sa.Column("status", sa.String(16), primary_key=True),
        sa.Column("channel", sa.String(32), primary_key=True),
        sa.Column("entity", sa.String(64), primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False),
    )


def upgrade() -> None:
    _groups("audit_daily_summary")
    _groups("audit_monthly_summary")
    op.create_table(
        "audit_daily_status",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("status", sa.String(16), primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False),
    )
    state = op.create_table(
        "audit_summary_state",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("through_day", sa.Date(), nullable=True),
    )
    # Nothing summarised yet: the first statistics call fills the complete past days.
    op.bulk_insert(state, [{"id": 1, "through_day": None}])


def downgrade() -> None:
    op.drop_table("audit_summary_state")
    op.drop_table("audit_daily_status")
    op.drop_table("audit_monthly_summary")
    op.drop_table("audit_daily_summary")
