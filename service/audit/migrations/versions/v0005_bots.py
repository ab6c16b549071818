"""The chat account a bot request came from (service.channels).

Revision ID: v0005_bots
Revises: v0004_pipeline
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "v0005_bots"
down_revision: str | None = "v0004_pipeline"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column(
        "audit_records",
        sa.Column("chat_user", sa.String(256), nullable=False, server_default=""),
    )


def downgrade() -> None:
    op.drop_column("audit_records", "chat_user")
