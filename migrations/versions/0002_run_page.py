"""Run page: a per-run sequence number for live state events, and the saved plan's text.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 23:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("runs", sa.Column("state_seq", sa.Integer(), server_default="0", nullable=False))
    op.add_column("plans", sa.Column("text", sa.Text(), server_default="", nullable=False))


def downgrade() -> None:
    op.drop_column("plans", "text")
    op.drop_column("runs", "state_seq")
