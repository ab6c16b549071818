"""Role column, the chain head that serialises writers, purge checkpoints, query indexes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

_GENESIS = "0" * 64
_COMPOSITE = ("department", "user", "channel", "status", "task")


def upgrade() -> None:
    op.add_column(
        "audit_records", sa.Column("role", sa.String(32), nullable=False, server_default="")
    )
    # Single-column indexes give way to (column, created_at): same lookups, plus the
    # period and the newest-first order from the index itself.
    for column in ("user", "department", "channel", "status"):
        op.drop_index(f"ix_audit_records_{column}", table_name="audit_records")
    for column in _COMPOSITE:
        op.create_index(
            f"ix_audit_records_{column}_created", "audit_records", [column, "created_at"]
        )

    head = op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
    )
    # The head starts where an existing chain ends.
    bind = op.get_bind()
    last = bind.execute(
        sa.text("SELECT id, record_hash FROM audit_records ORDER BY id DESC LIMIT 1")
    ).first()
    op.bulk_insert(
        head,
        [{"id": 1, "last_id": last[0] if last else 0, "last_hash": last[1] if last else _GENESIS}],
    )

    op.create_table(
        "audit_checkpoints",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_purged_id", sa.Integer(), nullable=False),
        sa.Column("last_purged_hash", sa.String(64), nullable=False),
        sa.Column("purged_count", sa.Integer(), nullable=False),
        sa.Column("prev_signature", sa.String(64), nullable=False),
        sa.Column("signature", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("audit_checkpoints")
    op.drop_table("audit_chain_head")
    for column in _COMPOSITE:
        op.drop_index(f"ix_audit_records_{column}_created", table_name="audit_records")
    for column in ("user", "department", "channel", "status"):
        op.create_index(f"ix_audit_records_{column}", "audit_records", [column])
    with op.batch_alter_table("audit_records") as batch:
        batch.drop_column("role")
