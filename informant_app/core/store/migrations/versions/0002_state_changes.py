"""Record every change of a submitted version's state (who, role, when): docs/domain.md §7.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-15 00:00:00

Existing frozen versions get one row for the state they are in, dated by their last update and
signed with the profile of the device (if any).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "state_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version_uuid", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("changed_at", sa.String(27), nullable=False),
        sa.Column("informant_name", sa.String(100), nullable=True),
        sa.Column("role", sa.String(1), nullable=True),
        sa.ForeignKeyConstraint(["version_uuid"], ["report_versions.version_uuid"]),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_state_changes_version", "state_changes", ["version_uuid", "id"])
    op.execute(
        """
        INSERT INTO state_changes (version_uuid, state, message, changed_at, informant_name, role)
        SELECT v.version_uuid, v.state, v.error_message, v.updated_at, p.informant_name, p.role
        FROM report_versions AS v LEFT JOIN profile AS p ON p.id = 1
        WHERE v.state <> 'draft'
        ORDER BY v.updated_at, v.version_uuid
        """
    )


def downgrade() -> None:
    op.drop_index("ix_state_changes_version", table_name="state_changes")
    op.drop_table("state_changes")
