"""Per-environment roles, one decision per approver, and what the portal knows about each
environment's state (where it is kept, outputs and resources after an apply, set aside).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "role_grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("environment_name", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("granted_by", sa.String(length=64), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["environment_name"], ["environments.name"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "environment_name", name="uq_role_grants_user_env"),
    )
    # Several approvers may now decide on one run, each once.
    op.drop_constraint("uq_approvals_one_decision_per_run", "approvals", type_="unique")
    op.create_unique_constraint(
        "uq_approvals_one_decision_per_user", "approvals", ["run_id", "user_id"]
    )
    op.add_column(
        "environments",
        sa.Column("remote_state", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column("environments", sa.Column("outputs", sa.JSON(), nullable=True))
    op.add_column("environments", sa.Column("resources", sa.JSON(), nullable=True))
    op.add_column("environments", sa.Column("state_read_run_id", sa.Integer(), nullable=True))
    op.add_column(
        "environments", sa.Column("state_read_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column(
        "environments", sa.Column("state_set_aside_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column(
        "environments",
        sa.Column("state_set_aside_note", sa.Text(), server_default="", nullable=False),
    )


def downgrade() -> None:
    for column in (
        "state_set_aside_note",
        "state_set_aside_at",
        "state_read_at",
        "state_read_run_id",
        "resources",
        "outputs",
        "remote_state",
    ):
        op.drop_column("environments", column)
    op.drop_constraint("uq_approvals_one_decision_per_user", "approvals", type_="unique")
    op.create_unique_constraint("uq_approvals_one_decision_per_run", "approvals", ["run_id"])
    op.drop_table("role_grants")
