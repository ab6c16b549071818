"""Chat users registered through the admin API (service.auth.chat_users).

Revision ID: v0008_bots_identity
Revises: v0007_kbupdate
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "v0008_bots_identity"
down_revision: str | None = "v0007_kbupdate"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "bot_chat_users",
        sa.Column("platform", sa.String(32), primary_key=True),
        sa.Column("chat_user", sa.String(256), primary_key=True),
        sa.Column("user", sa.String(256), nullable=False),
        sa.Column("department", sa.String(256), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(256), nullable=False),
    )
    # "Which chat accounts does this staff member have?" (the console, a departure).
    op.create_index("ix_bot_chat_users_user", "bot_chat_users", ["user"])


def downgrade() -> None:
    op.drop_index("ix_bot_chat_users_user", table_name="bot_chat_users")
    op.drop_table("bot_chat_users")
